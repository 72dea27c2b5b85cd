/*
 * VMState: declarative descriptions of device and CPU state, and the engine
 * that writes and reads them in QEMU's migration format.
 *
 * A device describes its state once, as a table of fields (offset, type,
 * count) inside a VMStateDescription; the engine walks the table to save and
 * to load.  Nothing delimits fields on the wire: the bytes are the fields in
 * declaration order, then the subsections (facts 1.10, 1.11).  So a table is
 * a wire format: changing it breaks migration, and new state goes into a
 * subsection with a needed() predicate (BRIEF idea 3; docs/devel/migration.md).
 *
 * Example:
 *
 *     static const VMStateDescription vmstate_foo_fifo = {
 *         .name = "foo/fifo",
 *         .version_id = 1, .minimum_version_id = 1,
 *         .needed = foo_fifo_needed,
 *         .fields = (const VMStateField[]) {
 *             VMSTATE_UINT32(fifo_level, FooState),
 *             VMSTATE_END_OF_LIST()
 *         },
 *     };
 *     const VMStateDescription vmstate_foo = {
 *         .name = "foo",
 *         .version_id = 2, .minimum_version_id = 1,
 *         .post_load = foo_post_load,
 *         .fields = (const VMStateField[]) {
 *             VMSTATE_UINT32(ctrl, FooState),
 *             VMSTATE_UINT64_ARRAY(regs, FooState, 8),
 *             VMSTATE_INT32_POSITIVE_LE(nr_items, FooState),
 *             VMSTATE_VARRAY_INT32(items, FooState, nr_items, 0,
 *                                  vmstate_info_uint64, uint64_t),
 *             VMSTATE_UINT32_V(added_in_v2, FooState, 2),
 *             VMSTATE_END_OF_LIST()
 *         },
 *         .subsections = (const VMStateDescription *const []) {
 *             &vmstate_foo_fifo, NULL
 *         },
 *     };
 *     vmstate_register(NULL, 0, &vmstate_foo, foo);
 *
 * Incoming streams are hostile (BRIEF 5): every count read from the stream
 * is checked against the array's capacity before any element is stored, and
 * every refusal names the field and the values, e.g.
 * "field cpreg_vmstate_array_len: 400 exceeds the limit 300"; the section
 * loader adds "cpu, instance 0: " in front.
 */
#ifndef MIGRATION_VMSTATE_H
#define MIGRATION_VMSTATE_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/timer.h"
#include "migration/qemu-file.h"

typedef struct VMStateInfo VMStateInfo;
typedef struct VMStateField VMStateField;
typedef struct VMStateDescription VMStateDescription;
typedef struct JsonWriter JsonWriter;   /* migration/json-writer.h */

/*
 * How to put/get one element.  pv points at the element, size is its size.
 * name is the element type as QEMU's stream description (JSON trailer)
 * calls it: "uint32", "int32 le", "buffer", "timer", or a device's own
 * name for custom encodings ("cpsr", "fpscr").  get() on refusal sets errp
 * with the values involved (the engine adds the field name).
 */
struct VMStateInfo {
    const char *name;
    bool (*get)(QEMUFile *f, void *pv, size_t size, const VMStateField *field,
                Error **errp);
    bool (*put)(QEMUFile *f, void *pv, size_t size, const VMStateField *field,
                Error **errp);
};

/* What a field's offset/size/num mean; several may combine. */
enum VMStateFlags {
    VMS_SINGLE            = 0x1,     /* one element at offset */
    VMS_POINTER           = 0x2,     /* offset holds a pointer to the data */
    VMS_ARRAY             = 0x4,     /* num elements */
    VMS_STRUCT            = 0x8,     /* elements are nested vmsd bodies */
    VMS_VARRAY_INT32      = 0x10,    /* count in an int32_t field */
    VMS_BUFFER            = 0x20,    /* raw bytes, size bytes */
    VMS_ARRAY_OF_POINTER  = 0x40,    /* each element is a pointer */
    VMS_VARRAY_UINT16     = 0x80,    /* count in a uint16_t field */
    VMS_VBUFFER           = 0x100,   /* byte size in a uint32_t field */
    VMS_MULTIPLY          = 0x200,   /* VBUFFER size times field->size */
    VMS_VARRAY_UINT8      = 0x400,   /* count in a uint8_t field */
    VMS_VARRAY_UINT32     = 0x800,   /* count in a uint32_t field */
    VMS_MUST_EXIST        = 0x1000,  /* load fails if gated out */
    VMS_ALLOC             = 0x2000,  /* POINTER: allocate on load */
    VMS_VSTRUCT           = 0x8000,  /* STRUCT at struct_version_id */
    VMS_END               = 0x10000, /* end of the field list */
    VMS_CAP_FIELD         = 0x20000, /* VARRAY capacity in a uint32_t field */
};

#define VMS_VARRAY_ANY (VMS_VARRAY_INT32 | VMS_VARRAY_UINT16 | \
                        VMS_VARRAY_UINT8 | VMS_VARRAY_UINT32)

struct VMStateField {
    const char *name;          /* also the field's name in the JSON trailer */
    const char *err_hint;      /* appended to *_EQUAL refusals */
    size_t offset;             /* of the data (or the pointer) in the struct */
    size_t size;               /* element size; BUFFER: byte count */
    /*
     * ARRAY: element count.  VARRAY/VBUFFER: the capacity, i.e. the largest
     * count or size the destination accepts (0 with VMS_CAP_FIELD: read it
     * from cap_offset at load time).
     */
    int num;
    size_t num_offset;         /* VARRAY: offset of the count field */
    const char *count_name;    /* VARRAY: the count field's name (messages) */
    size_t size_offset;        /* VBUFFER: offset of the uint32_t size field */
    size_t cap_offset;         /* VMS_CAP_FIELD: uint32_t capacity member */
    const VMStateInfo *info;   /* element encoding (NULL for STRUCT) */
    enum VMStateFlags flags;
    const VMStateDescription *vmsd;   /* STRUCT */
    int version_id;            /* present from this section version on */
    int struct_version_id;     /* VSTRUCT */
    /* If set, decides presence instead of version_id (facts 2.2). */
    bool (*field_exists)(void *opaque, int version_id);
};

/*
 * Order of sections in the stream (higher first), as QEMU orders them
 * (facts 1.9): the GIC must be restored before devices that raise its lines.
 */
typedef enum MigrationPriority {
    MIG_PRI_LOW = -1,
    MIG_PRI_DEFAULT = 0,
    MIG_PRI_IOMMU,
    MIG_PRI_PCI_BUS,
    MIG_PRI_VIRTIO_MEM,
    MIG_PRI_APIC,
    MIG_PRI_GICV3_ITS,
    MIG_PRI_GICV3,
    MIG_PRI_MAX,
} MigrationPriority;

struct VMStateDescription {
    const char *name;          /* section idstr default; subsection name */
    int version_id;            /* what we save; newest we load */
    int minimum_version_id;    /* oldest we load */
    bool unmigratable;         /* refuse to migrate while registered */
    MigrationPriority priority;
    /* Hooks; a false return must set errp.  All optional. */
    bool (*pre_load)(void *opaque, Error **errp);
    /* After fields AND subsections; version_id is the incoming one. */
    bool (*post_load)(void *opaque, int version_id, Error **errp);
    bool (*pre_save)(void *opaque, Error **errp);
    void (*post_save)(void *opaque);  /* also after a failed field save */
    /* Subsections (and whole sections): send only when true.  NULL: always. */
    bool (*needed)(void *opaque);
    const VMStateField *fields;       /* ends with VMSTATE_END_OF_LIST() */
    /* NULL-terminated; names must start with "<parent name>/". */
    const VMStateDescription *const *subsections;
};

/* Written for a NULL element of an array of pointers (facts 1.10). */
#define VMS_NULLPTR_MARKER 0x30

/* --- element encodings ------------------------------------------------- */
extern const VMStateInfo vmstate_info_bool;
extern const VMStateInfo vmstate_info_int8;
extern const VMStateInfo vmstate_info_int16;
extern const VMStateInfo vmstate_info_int32;
extern const VMStateInfo vmstate_info_int64;
extern const VMStateInfo vmstate_info_uint8;
extern const VMStateInfo vmstate_info_uint16;
extern const VMStateInfo vmstate_info_uint32;
extern const VMStateInfo vmstate_info_uint64;
extern const VMStateInfo vmstate_info_float64;     /* 8 bytes BE (double) */
/* Loaded value must be >= 0 and <= the current local value ("int32 le"). */
extern const VMStateInfo vmstate_info_int32_le;
/* Loaded value must equal the local value. */
extern const VMStateInfo vmstate_info_int32_equal;
extern const VMStateInfo vmstate_info_uint8_equal;
extern const VMStateInfo vmstate_info_uint16_equal;
extern const VMStateInfo vmstate_info_uint32_equal;
extern const VMStateInfo vmstate_info_uint64_equal;
extern const VMStateInfo vmstate_info_buffer;
extern const VMStateInfo vmstate_info_unused_buffer;
/* QEMUTimer: be64 expiry in ns of its clock, -1 when not armed. */
extern const VMStateInfo vmstate_info_timer;

/* --- field macros ------------------------------------------------------ */

/*
 * Compile-time checks: the member has the stated type, and a fixed count
 * does not exceed the member array.  A failed check is a negative array
 * size ("size of array is negative") in the offending macro.
 */
#define vmstate_static_assert(_ok) (0 * sizeof(char[(_ok) ? 1 : -1]))
#define vmstate_check_type(_t, _state, _field)                       \
    vmstate_static_assert(__builtin_types_compatible_p(              \
        _t, __typeof__(((_state *)0)->_field)))
#define vmstate_check_ptr_type(_t, _state, _field)                   \
    vmstate_static_assert(__builtin_types_compatible_p(              \
        _t *, __typeof__(((_state *)0)->_field)))
#define vmstate_check_array(_t, _state, _field, _n) \
    (vmstate_check_type(_t, _state, _field[0]) + \
     0 * sizeof(char[1 - 2 * !!((size_t)(_n) > \
         sizeof(((_state *)0)->_field) / sizeof(_t))]))
#define vmstate_array_len(_state, _field) \
    (sizeof(((_state *)0)->_field) / sizeof(((_state *)0)->_field[0]))

/* One element of a type with its own encoding. */
#define VMSTATE_SINGLE_TEST(_field, _state, _test, _version, _info, _type) { \
    .name = #_field,                                                       \
    .version_id = (_version),                                              \
    .field_exists = (_test),                                               \
    .size = sizeof(_type),                                                 \
    .info = &(_info),                                                      \
    .flags = VMS_SINGLE,                                                   \
    .offset = offsetof(_state, _field) +                                   \
              vmstate_check_type(_type, _state, _field),                   \
}
#define VMSTATE_SINGLE(_field, _state, _version, _info, _type) \
    VMSTATE_SINGLE_TEST(_field, _state, NULL, _version, _info, _type)

/*
 * A field whose get/put receive the whole struct (pv = opaque), for
 * encodings computed from several members (QEMU's "cpsr", "fpscr").
 * _size is the number of bytes the encoding writes.
 */
#define VMSTATE_INFO_WHOLE(_name, _version, _info, _size) { \
    .name = (_name),                                        \
    .version_id = (_version),                               \
    .size = (_size),                                        \
    .info = &(_info),                                       \
    .flags = VMS_SINGLE,                                    \
    .offset = 0,                                            \
}

/* Data behind a pointer member (_type *_field). */
#define VMSTATE_POINTER(_field, _state, _version, _info, _type) { \
    .name = #_field,                                              \
    .version_id = (_version),                                     \
    .size = sizeof(_type),                                        \
    .info = &(_info),                                             \
    .flags = VMS_SINGLE | VMS_POINTER,                            \
    .offset = offsetof(_state, _field) +                          \
              vmstate_check_ptr_type(_type, _state, _field),      \
}

/* Fixed array of _num elements (may be a prefix of the member array). */
#define VMSTATE_ARRAY_TEST(_field, _state, _num, _test, _version, _info, \
                           _type) {                                       \
    .name = #_field,                                                      \
    .version_id = (_version),                                             \
    .field_exists = (_test),                                              \
    .num = (_num),                                                        \
    .size = sizeof(_type),                                                \
    .info = &(_info),                                                     \
    .flags = VMS_ARRAY,                                                   \
    .offset = offsetof(_state, _field) +                                  \
              vmstate_check_array(_type, _state, _field, _num),           \
}
#define VMSTATE_ARRAY(_field, _state, _num, _version, _info, _type) \
    VMSTATE_ARRAY_TEST(_field, _state, _num, NULL, _version, _info, _type)

/* _field[_n1][_n2], sent row by row as one array of _n1 * _n2. */
#define VMSTATE_2DARRAY(_field, _state, _n1, _n2, _version, _info, _type) { \
    .name = #_field,                                                        \
    .version_id = (_version),                                               \
    .num = (_n1) * (_n2),                                                   \
    .size = sizeof(_type),                                                  \
    .info = &(_info),                                                       \
    .flags = VMS_ARRAY,                                                     \
    .offset = offsetof(_state, _field) +                                    \
              vmstate_check_type(_type, _state, _field[0][0]) +             \
              0 * sizeof(char[1 - 2 * !!((size_t)(_n1) * (_n2) * sizeof(_type) \
                  > sizeof(((_state *)0)->_field))]),                       \
}

/* _num elements of _field starting at index _start. */
#define VMSTATE_SUB_ARRAY(_field, _state, _start, _num, _version, _info, \
                          _type) {                                       \
    .name = #_field,                                                     \
    .version_id = (_version),                                            \
    .num = (_num),                                                       \
    .size = sizeof(_type),                                               \
    .info = &(_info),                                                    \
    .flags = VMS_ARRAY,                                                  \
    .offset = offsetof(_state, _field[_start]) +                         \
              vmstate_check_array(_type, _state, _field, (_start) + (_num)), \
}

/*
 * Variable arrays: the element count is the value of _count, an earlier
 * field of the same struct (it must itself be in the stream, usually as
 * VMSTATE_INT32_POSITIVE_LE or a plain integer).  A count above the
 * capacity is refused before any element is stored.
 *
 * Plain form: _field is an array member; capacity = its length.
 */
#define VMSTATE_VARRAY_GEN(_field, _state, _count, _cflag, _version, _info, \
                           _type) {                                         \
    .name = #_field,                                                        \
    .version_id = (_version),                                               \
    .num = vmstate_array_len(_state, _field),                               \
    .num_offset = offsetof(_state, _count),                                 \
    .count_name = #_count,                                                  \
    .size = sizeof(_type),                                                  \
    .info = &(_info),                                                       \
    .flags = (_cflag),                                                      \
    .offset = offsetof(_state, _field) +                                    \
              vmstate_check_type(_type, _state, _field[0]),                 \
}
#define VMSTATE_VARRAY_INT32(_f, _s, _c, _v, _i, _t) \
    VMSTATE_VARRAY_GEN(_f, _s, _c, VMS_VARRAY_INT32, _v, _i, _t)
#define VMSTATE_VARRAY_UINT32(_f, _s, _c, _v, _i, _t) \
    VMSTATE_VARRAY_GEN(_f, _s, _c, VMS_VARRAY_UINT32, _v, _i, _t)
#define VMSTATE_VARRAY_UINT16(_f, _s, _c, _v, _i, _t) \
    VMSTATE_VARRAY_GEN(_f, _s, _c, VMS_VARRAY_UINT16, _v, _i, _t)
#define VMSTATE_VARRAY_UINT8(_f, _s, _c, _v, _i, _t) \
    VMSTATE_VARRAY_GEN(_f, _s, _c, VMS_VARRAY_UINT8, _v, _i, _t)

/*
 * Pointer form: _field is "_type *"; _max is the capacity of the buffer it
 * points to.  _ALLOC variants allocate (g_malloc0) count elements on load,
 * freeing the previous buffer.
 */
#define VMSTATE_VARRAY_PTR_GEN(_field, _state, _count, _cflag, _max,       \
                               _version, _info, _type) {                   \
    .name = #_field,                                                       \
    .version_id = (_version),                                              \
    .num = (_max),                                                         \
    .num_offset = offsetof(_state, _count),                                \
    .count_name = #_count,                                                 \
    .size = sizeof(_type),                                                 \
    .info = &(_info),                                                      \
    .flags = (_cflag) | VMS_POINTER,                                       \
    .offset = offsetof(_state, _field) +                                   \
              vmstate_check_ptr_type(_type, _state, _field),               \
}
#define VMSTATE_VARRAY_INT32_PTR(_f, _s, _c, _max, _v, _i, _t) \
    VMSTATE_VARRAY_PTR_GEN(_f, _s, _c, VMS_VARRAY_INT32, _max, _v, _i, _t)
#define VMSTATE_VARRAY_UINT32_PTR(_f, _s, _c, _max, _v, _i, _t) \
    VMSTATE_VARRAY_PTR_GEN(_f, _s, _c, VMS_VARRAY_UINT32, _max, _v, _i, _t)
#define VMSTATE_VARRAY_INT32_ALLOC(_f, _s, _c, _max, _v, _i, _t) \
    VMSTATE_VARRAY_PTR_GEN(_f, _s, _c, VMS_VARRAY_INT32 | VMS_ALLOC, \
                           _max, _v, _i, _t)
#define VMSTATE_VARRAY_UINT32_ALLOC(_f, _s, _c, _max, _v, _i, _t) \
    VMSTATE_VARRAY_PTR_GEN(_f, _s, _c, VMS_VARRAY_UINT32 | VMS_ALLOC, \
                           _max, _v, _i, _t)

/*
 * Pointer form whose capacity is known only at run time: _cap is a
 * uint32_t member holding the number of elements _field points to (e.g.
 * the CPU's register-list length, fixed when the CPU is created).
 */
#define VMSTATE_VARRAY_PTR_CAP_GEN(_field, _state, _count, _cflag, _cap,   \
                                   _version, _info, _type) {               \
    .name = #_field,                                                       \
    .version_id = (_version),                                              \
    .num_offset = offsetof(_state, _count),                                \
    .count_name = #_count,                                                 \
    .cap_offset = offsetof(_state, _cap) +                                 \
                  vmstate_check_type(uint32_t, _state, _cap),              \
    .size = sizeof(_type),                                                 \
    .info = &(_info),                                                      \
    .flags = (_cflag) | VMS_POINTER | VMS_CAP_FIELD,                       \
    .offset = offsetof(_state, _field) +                                   \
              vmstate_check_ptr_type(_type, _state, _field),               \
}
#define VMSTATE_VARRAY_INT32_PTR_CAP(_f, _s, _c, _cap, _v, _i, _t) \
    VMSTATE_VARRAY_PTR_CAP_GEN(_f, _s, _c, VMS_VARRAY_INT32, _cap, _v, _i, _t)
#define VMSTATE_VARRAY_UINT32_PTR_CAP(_f, _s, _c, _cap, _v, _i, _t) \
    VMSTATE_VARRAY_PTR_CAP_GEN(_f, _s, _c, VMS_VARRAY_UINT32, _cap, _v, _i, _t)

/* Nested struct: a body of _vmsd (loaded at _vmsd's local version). */
#define VMSTATE_STRUCT_TEST(_field, _state, _test, _version, _vmsd, _type) { \
    .name = #_field,                                                        \
    .version_id = (_version),                                               \
    .field_exists = (_test),                                                \
    .vmsd = &(_vmsd),                                                       \
    .size = sizeof(_type),                                                  \
    .flags = VMS_STRUCT,                                                    \
    .offset = offsetof(_state, _field) +                                    \
              vmstate_check_type(_type, _state, _field),                    \
}
#define VMSTATE_STRUCT(_field, _state, _version, _vmsd, _type) \
    VMSTATE_STRUCT_TEST(_field, _state, NULL, _version, _vmsd, _type)

#define VMSTATE_STRUCT_POINTER(_field, _state, _version, _vmsd, _type) { \
    .name = #_field,                                                    \
    .version_id = (_version),                                           \
    .vmsd = &(_vmsd),                                                   \
    .size = sizeof(_type),                                              \
    .flags = VMS_STRUCT | VMS_POINTER,                                  \
    .offset = offsetof(_state, _field) +                                \
              vmstate_check_ptr_type(_type, _state, _field),            \
}

#define VMSTATE_STRUCT_ARRAY_TEST(_field, _state, _num, _test, _version, \
                                  _vmsd, _type) {                        \
    .name = #_field,                                                     \
    .version_id = (_version),                                            \
    .field_exists = (_test),                                             \
    .num = (_num),                                                       \
    .vmsd = &(_vmsd),                                                    \
    .size = sizeof(_type),                                               \
    .flags = VMS_STRUCT | VMS_ARRAY,                                     \
    .offset = offsetof(_state, _field) +                                 \
              vmstate_check_array(_type, _state, _field, _num),          \
}
#define VMSTATE_STRUCT_ARRAY(_field, _state, _num, _version, _vmsd, _type) \
    VMSTATE_STRUCT_ARRAY_TEST(_field, _state, _num, NULL, _version, _vmsd, \
                              _type)

/* Array member of structs counted by _count (capacity: member length). */
#define VMSTATE_STRUCT_VARRAY_GEN(_field, _state, _count, _cflag, _version, \
                                  _vmsd, _type) {                           \
    .name = #_field,                                                        \
    .version_id = (_version),                                               \
    .num = vmstate_array_len(_state, _field),                               \
    .num_offset = offsetof(_state, _count),                                 \
    .count_name = #_count,                                                  \
    .vmsd = &(_vmsd),                                                       \
    .size = sizeof(_type),                                                  \
    .flags = VMS_STRUCT | (_cflag),                                         \
    .offset = offsetof(_state, _field) +                                    \
              vmstate_check_type(_type, _state, _field[0]),                 \
}
#define VMSTATE_STRUCT_VARRAY_INT32(_f, _s, _c, _v, _vmsd, _t) \
    VMSTATE_STRUCT_VARRAY_GEN(_f, _s, _c, VMS_VARRAY_INT32, _v, _vmsd, _t)
#define VMSTATE_STRUCT_VARRAY_UINT32(_f, _s, _c, _v, _vmsd, _t) \
    VMSTATE_STRUCT_VARRAY_GEN(_f, _s, _c, VMS_VARRAY_UINT32, _v, _vmsd, _t)
#define VMSTATE_STRUCT_VARRAY_UINT8(_f, _s, _c, _v, _vmsd, _t) \
    VMSTATE_STRUCT_VARRAY_GEN(_f, _s, _c, VMS_VARRAY_UINT8, _v, _vmsd, _t)

/* Raw bytes: the whole member (an array of bytes), or its first _size. */
#define VMSTATE_PARTIAL_BUFFER_V(_field, _state, _size, _version) { \
    .name = #_field,                                                \
    .version_id = (_version),                                       \
    .size = (_size),                                                \
    .info = &vmstate_info_buffer,                                   \
    .flags = VMS_BUFFER,                                            \
    .offset = offsetof(_state, _field) +                            \
              0 * sizeof(char[1 - 2 * !!((size_t)(_size) >          \
                  sizeof(((_state *)0)->_field))]),                 \
}
#define VMSTATE_BUFFER_V(_field, _state, _version) \
    VMSTATE_PARTIAL_BUFFER_V(_field, _state, \
                             sizeof(((_state *)0)->_field), _version)
#define VMSTATE_BUFFER(_field, _state) VMSTATE_BUFFER_V(_field, _state, 0)
#define VMSTATE_PARTIAL_BUFFER(_field, _state, _size) \
    VMSTATE_PARTIAL_BUFFER_V(_field, _state, _size, 0)

/*
 * Byte buffer behind a pointer ("uint8_t *_field"), length in the uint32_t
 * member _size_field (an earlier field), at most _max bytes.  _ALLOC: the
 * destination allocates it.
 */
#define VMSTATE_VBUFFER_UINT32_GEN(_field, _state, _version, _size_field, \
                                   _max, _extra) {                        \
    .name = #_field,                                                      \
    .version_id = (_version),                                             \
    .count_name = #_size_field,                                           \
    .size_offset = offsetof(_state, _size_field) +                        \
                   vmstate_check_type(uint32_t, _state, _size_field),     \
    .num = (_max),                                                        \
    .info = &vmstate_info_buffer,                                         \
    .flags = VMS_VBUFFER | VMS_POINTER | (_extra),                        \
    .offset = offsetof(_state, _field),                                   \
}
#define VMSTATE_VBUFFER_UINT32(_f, _s, _v, _sf, _max) \
    VMSTATE_VBUFFER_UINT32_GEN(_f, _s, _v, _sf, _max, 0)
#define VMSTATE_VBUFFER_ALLOC_UINT32(_f, _s, _v, _sf, _max) \
    VMSTATE_VBUFFER_UINT32_GEN(_f, _s, _v, _sf, _max, VMS_ALLOC)

/* Placeholder bytes for removed state: zeros written, skipped on load. */
#define VMSTATE_UNUSED_TEST(_test, _size) {  \
    .name = "unused",                        \
    .field_exists = (_test),                 \
    .size = (_size),                         \
    .info = &vmstate_info_unused_buffer,     \
    .flags = VMS_BUFFER,                     \
}
#define VMSTATE_UNUSED_V(_version, _size) {  \
    .name = "unused",                        \
    .version_id = (_version),                \
    .size = (_size),                         \
    .info = &vmstate_info_unused_buffer,     \
    .flags = VMS_BUFFER,                     \
}
#define VMSTATE_UNUSED(_size) VMSTATE_UNUSED_V(0, _size)

/*
 * Nothing on the wire: on load, _test(opaque, version) must hold, else
 * "Input validation failed".  For invariants between loaded fields.
 */
#define VMSTATE_VALIDATE(_name, _test) { \
    .name = (_name),                     \
    .field_exists = (_test),             \
    .flags = VMS_ARRAY | VMS_MUST_EXIST, \
    .num = 0,                            \
}

#define VMSTATE_END_OF_LIST() { .flags = VMS_END }

/* --- typed shorthands (each with _V version and _TEST predicate forms) -- */
#define VMSTATE_BOOL_V(_f, _s, _v) \
    VMSTATE_SINGLE(_f, _s, _v, vmstate_info_bool, bool)
#define VMSTATE_INT8_V(_f, _s, _v) \
    VMSTATE_SINGLE(_f, _s, _v, vmstate_info_int8, int8_t)
#define VMSTATE_INT16_V(_f, _s, _v) \
    VMSTATE_SINGLE(_f, _s, _v, vmstate_info_int16, int16_t)
#define VMSTATE_INT32_V(_f, _s, _v) \
    VMSTATE_SINGLE(_f, _s, _v, vmstate_info_int32, int32_t)
#define VMSTATE_INT64_V(_f, _s, _v) \
    VMSTATE_SINGLE(_f, _s, _v, vmstate_info_int64, int64_t)
#define VMSTATE_UINT8_V(_f, _s, _v) \
    VMSTATE_SINGLE(_f, _s, _v, vmstate_info_uint8, uint8_t)
#define VMSTATE_UINT16_V(_f, _s, _v) \
    VMSTATE_SINGLE(_f, _s, _v, vmstate_info_uint16, uint16_t)
#define VMSTATE_UINT32_V(_f, _s, _v) \
    VMSTATE_SINGLE(_f, _s, _v, vmstate_info_uint32, uint32_t)
#define VMSTATE_UINT64_V(_f, _s, _v) \
    VMSTATE_SINGLE(_f, _s, _v, vmstate_info_uint64, uint64_t)
#define VMSTATE_FLOAT64_V(_f, _s, _v) \
    VMSTATE_SINGLE(_f, _s, _v, vmstate_info_float64, double)

#define VMSTATE_BOOL(_f, _s)   VMSTATE_BOOL_V(_f, _s, 0)
#define VMSTATE_INT8(_f, _s)   VMSTATE_INT8_V(_f, _s, 0)
#define VMSTATE_INT16(_f, _s)  VMSTATE_INT16_V(_f, _s, 0)
#define VMSTATE_INT32(_f, _s)  VMSTATE_INT32_V(_f, _s, 0)
#define VMSTATE_INT64(_f, _s)  VMSTATE_INT64_V(_f, _s, 0)
#define VMSTATE_UINT8(_f, _s)  VMSTATE_UINT8_V(_f, _s, 0)
#define VMSTATE_UINT16(_f, _s) VMSTATE_UINT16_V(_f, _s, 0)
#define VMSTATE_UINT32(_f, _s) VMSTATE_UINT32_V(_f, _s, 0)
#define VMSTATE_UINT64(_f, _s) VMSTATE_UINT64_V(_f, _s, 0)
#define VMSTATE_FLOAT64(_f, _s) VMSTATE_FLOAT64_V(_f, _s, 0)

#define VMSTATE_BOOL_TEST(_f, _s, _t) \
    VMSTATE_SINGLE_TEST(_f, _s, _t, 0, vmstate_info_bool, bool)
#define VMSTATE_INT32_TEST(_f, _s, _t) \
    VMSTATE_SINGLE_TEST(_f, _s, _t, 0, vmstate_info_int32, int32_t)
#define VMSTATE_UINT8_TEST(_f, _s, _t) \
    VMSTATE_SINGLE_TEST(_f, _s, _t, 0, vmstate_info_uint8, uint8_t)
#define VMSTATE_UINT16_TEST(_f, _s, _t) \
    VMSTATE_SINGLE_TEST(_f, _s, _t, 0, vmstate_info_uint16, uint16_t)
#define VMSTATE_UINT32_TEST(_f, _s, _t) \
    VMSTATE_SINGLE_TEST(_f, _s, _t, 0, vmstate_info_uint32, uint32_t)
#define VMSTATE_UINT64_TEST(_f, _s, _t) \
    VMSTATE_SINGLE_TEST(_f, _s, _t, 0, vmstate_info_uint64, uint64_t)

/* Loaded value must equal ours (configuration that must match). */
#define VMSTATE_UINT8_EQUAL(_f, _s) \
    VMSTATE_SINGLE(_f, _s, 0, vmstate_info_uint8_equal, uint8_t)
#define VMSTATE_UINT16_EQUAL(_f, _s) \
    VMSTATE_SINGLE(_f, _s, 0, vmstate_info_uint16_equal, uint16_t)
#define VMSTATE_UINT32_EQUAL(_f, _s) \
    VMSTATE_SINGLE(_f, _s, 0, vmstate_info_uint32_equal, uint32_t)
#define VMSTATE_INT32_EQUAL(_f, _s) \
    VMSTATE_SINGLE(_f, _s, 0, vmstate_info_int32_equal, int32_t)
#define VMSTATE_UINT64_EQUAL(_f, _s) \
    VMSTATE_SINGLE(_f, _s, 0, vmstate_info_uint64_equal, uint64_t)
/*
 * Upper bound for a count: loaded value must be 0..(current local value),
 * then replaces it.  Set the local value to the capacity in pre_load.
 */
#define VMSTATE_INT32_POSITIVE_LE(_f, _s) \
    VMSTATE_SINGLE(_f, _s, 0, vmstate_info_int32_le, int32_t)

#define VMSTATE_BOOL_ARRAY_V(_f, _s, _n, _v) \
    VMSTATE_ARRAY(_f, _s, _n, _v, vmstate_info_bool, bool)
#define VMSTATE_INT8_ARRAY_V(_f, _s, _n, _v) \
    VMSTATE_ARRAY(_f, _s, _n, _v, vmstate_info_int8, int8_t)
#define VMSTATE_INT16_ARRAY_V(_f, _s, _n, _v) \
    VMSTATE_ARRAY(_f, _s, _n, _v, vmstate_info_int16, int16_t)
#define VMSTATE_INT32_ARRAY_V(_f, _s, _n, _v) \
    VMSTATE_ARRAY(_f, _s, _n, _v, vmstate_info_int32, int32_t)
#define VMSTATE_INT64_ARRAY_V(_f, _s, _n, _v) \
    VMSTATE_ARRAY(_f, _s, _n, _v, vmstate_info_int64, int64_t)
#define VMSTATE_UINT8_ARRAY_V(_f, _s, _n, _v) \
    VMSTATE_ARRAY(_f, _s, _n, _v, vmstate_info_uint8, uint8_t)
#define VMSTATE_UINT16_ARRAY_V(_f, _s, _n, _v) \
    VMSTATE_ARRAY(_f, _s, _n, _v, vmstate_info_uint16, uint16_t)
#define VMSTATE_UINT32_ARRAY_V(_f, _s, _n, _v) \
    VMSTATE_ARRAY(_f, _s, _n, _v, vmstate_info_uint32, uint32_t)
#define VMSTATE_UINT64_ARRAY_V(_f, _s, _n, _v) \
    VMSTATE_ARRAY(_f, _s, _n, _v, vmstate_info_uint64, uint64_t)
#define VMSTATE_FLOAT64_ARRAY_V(_f, _s, _n, _v) \
    VMSTATE_ARRAY(_f, _s, _n, _v, vmstate_info_float64, double)

#define VMSTATE_BOOL_ARRAY(_f, _s, _n)   VMSTATE_BOOL_ARRAY_V(_f, _s, _n, 0)
#define VMSTATE_INT8_ARRAY(_f, _s, _n)   VMSTATE_INT8_ARRAY_V(_f, _s, _n, 0)
#define VMSTATE_INT16_ARRAY(_f, _s, _n)  VMSTATE_INT16_ARRAY_V(_f, _s, _n, 0)
#define VMSTATE_INT32_ARRAY(_f, _s, _n)  VMSTATE_INT32_ARRAY_V(_f, _s, _n, 0)
#define VMSTATE_INT64_ARRAY(_f, _s, _n)  VMSTATE_INT64_ARRAY_V(_f, _s, _n, 0)
#define VMSTATE_UINT8_ARRAY(_f, _s, _n)  VMSTATE_UINT8_ARRAY_V(_f, _s, _n, 0)
#define VMSTATE_UINT16_ARRAY(_f, _s, _n) VMSTATE_UINT16_ARRAY_V(_f, _s, _n, 0)
#define VMSTATE_UINT32_ARRAY(_f, _s, _n) VMSTATE_UINT32_ARRAY_V(_f, _s, _n, 0)
#define VMSTATE_UINT64_ARRAY(_f, _s, _n) VMSTATE_UINT64_ARRAY_V(_f, _s, _n, 0)
#define VMSTATE_FLOAT64_ARRAY(_f, _s, _n) \
    VMSTATE_FLOAT64_ARRAY_V(_f, _s, _n, 0)

#define VMSTATE_UINT8_2DARRAY(_f, _s, _n1, _n2) \
    VMSTATE_2DARRAY(_f, _s, _n1, _n2, 0, vmstate_info_uint8, uint8_t)
#define VMSTATE_UINT16_2DARRAY(_f, _s, _n1, _n2) \
    VMSTATE_2DARRAY(_f, _s, _n1, _n2, 0, vmstate_info_uint16, uint16_t)
#define VMSTATE_UINT32_2DARRAY(_f, _s, _n1, _n2) \
    VMSTATE_2DARRAY(_f, _s, _n1, _n2, 0, vmstate_info_uint32, uint32_t)
#define VMSTATE_UINT64_2DARRAY(_f, _s, _n1, _n2) \
    VMSTATE_2DARRAY(_f, _s, _n1, _n2, 0, vmstate_info_uint64, uint64_t)

#define VMSTATE_UINT8_SUB_ARRAY(_f, _s, _start, _num) \
    VMSTATE_SUB_ARRAY(_f, _s, _start, _num, 0, vmstate_info_uint8, uint8_t)
#define VMSTATE_UINT16_SUB_ARRAY(_f, _s, _start, _num) \
    VMSTATE_SUB_ARRAY(_f, _s, _start, _num, 0, vmstate_info_uint16, uint16_t)
#define VMSTATE_UINT32_SUB_ARRAY(_f, _s, _start, _num) \
    VMSTATE_SUB_ARRAY(_f, _s, _start, _num, 0, vmstate_info_uint32, uint32_t)
#define VMSTATE_UINT64_SUB_ARRAY(_f, _s, _start, _num) \
    VMSTATE_SUB_ARRAY(_f, _s, _start, _num, 0, vmstate_info_uint64, uint64_t)

/* QEMUTimer member / pointer / array of pointers (facts 1.10 "timer"). */
#define VMSTATE_TIMER(_f, _s) \
    VMSTATE_SINGLE(_f, _s, 0, vmstate_info_timer, QEMUTimer)
#define VMSTATE_TIMER_PTR(_f, _s) \
    VMSTATE_POINTER(_f, _s, 0, vmstate_info_timer, QEMUTimer)
#define VMSTATE_TIMER_PTR_ARRAY(_field, _state, _num) { \
    .name = #_field,                                    \
    .num = (_num),                                      \
    .size = sizeof(QEMUTimer *),                        \
    .info = &vmstate_info_timer,                        \
    .flags = VMS_ARRAY | VMS_ARRAY_OF_POINTER,          \
    .offset = offsetof(_state, _field) +                \
              vmstate_check_array(QEMUTimer *, _state, _field, _num), \
}

/* --- the engine -------------------------------------------------------- */

/*
 * Write vmsd's body (fields, then needed subsections) for opaque.  vmdesc,
 * if not NULL, receives the description for the JSON trailer.
 */
bool vmstate_save_state(QEMUFile *f, const VMStateDescription *vmsd,
                        void *opaque, JsonWriter *vmdesc, Error **errp);
/*
 * Read a body written at version_id (the sender's version, from the section
 * header or subsection record) into opaque.  Refusals name the field (and
 * subsection) and the values; the caller adds section and instance.
 */
bool vmstate_load_state(QEMUFile *f, const VMStateDescription *vmsd,
                        void *opaque, int version_id, Error **errp);

/* Does field exist in a body of version_id?  (facts 2.2) */
bool vmstate_field_exists(const VMStateField *field, void *opaque,
                          int version_id);

/*
 * Register state to be migrated as section idstr (NULL: vmsd->name),
 * instance instance_id (VMSTATE_INSTANCE_ID_ANY: next free for idstr).
 * Returns the section id (>= 0), or -1 if (idstr, instance) is taken.
 */
#define VMSTATE_INSTANCE_ID_ANY (-1)
int vmstate_register(const char *idstr, int instance_id,
                     const VMStateDescription *vmsd, void *opaque);
void vmstate_unregister(const VMStateDescription *vmsd, void *opaque);
/* Forget every registered section; ids restart at 0 (unit tests). */
void vmstate_unregister_all(void);

#endif
