/*
 * The VMState engine: walks a VMStateDescription to save or load a body
 * (facts 1.10, 1.11, 2.1-2.3) and describes what it wrote for the JSON
 * trailer (facts 1.12).
 *
 * Loading treats the stream as hostile (BRIEF 5): counts and sizes that
 * come from the stream are checked against the destination's capacity
 * before any element is stored, and every refusal names the field.
 */
#include "qemu/osdep.h"
#include "migration/vmstate.h"
#include "migration/json-writer.h"
#include "migration/savevm.h"


bool vmstate_field_exists(const VMStateField *field, void *opaque,
                          int version_id)
{
    if (field->field_exists) {
        return field->field_exists(opaque, version_id);
    }
    return field->version_id <= version_id;
}

/* Element count read from the count field the stream already filled. */
static int64_t varray_count(const VMStateField *field, void *opaque)
{
    const uint8_t *p = (const uint8_t *)opaque + field->num_offset;

    if (field->flags & VMS_VARRAY_INT32) {
        return *(const int32_t *)p;
    } else if (field->flags & VMS_VARRAY_UINT32) {
        return *(const uint32_t *)p;
    } else if (field->flags & VMS_VARRAY_UINT16) {
        return *(const uint16_t *)p;
    } else {
        return *(const uint8_t *)p;
    }
}

/* Largest count the destination has room for. */
static int64_t varray_capacity(const VMStateField *field, void *opaque)
{
    if (field->flags & VMS_CAP_FIELD) {
        return *(const uint32_t *)((const uint8_t *)opaque + field->cap_offset);
    }
    return field->num;
}

/*
 * Number of elements and element size of field in opaque, checked against
 * capacity (on save too: a count beyond the buffer is a local bug that must
 * not read out of bounds).
 */
static bool field_geometry(const VMStateField *field, void *opaque,
                           int64_t *n_elems, size_t *size, Error **errp)
{
    *size = field->size;
    *n_elems = 1;
    if (field->flags & VMS_ARRAY) {
        *n_elems = field->num;
    } else if (field->flags & VMS_VARRAY_ANY) {
        int64_t n = varray_count(field, opaque);
        int64_t cap = varray_capacity(field, opaque);
        if (n < 0) {
            error_setg(errp, "count %" PRId64 " (from %s) is negative", n,
                       field->count_name);
            return false;
        }
        if (n > cap) {
            error_setg(errp, "count %" PRId64 " (from %s) exceeds the "
                       "capacity %" PRId64, n, field->count_name, cap);
            return false;
        }
        *n_elems = n;
    }
    if (field->flags & VMS_VBUFFER) {
        uint64_t sz = *(const uint32_t *)((const uint8_t *)opaque +
                                          field->size_offset);
        if (field->flags & VMS_MULTIPLY) {
            sz *= field->size;
        }
        if (sz > (uint64_t)field->num) {
            error_setg(errp, "size %" PRIu64 " (from %s) exceeds the limit %d",
                       sz, field->count_name, field->num);
            return false;
        }
        *size = sz;
    }
    return true;
}

/* A hook said no: name it, with its reason if it gave one. */
static void hook_failed(Error **errp, Error *local, const char *hook,
                        const VMStateDescription *vmsd, int version_id)
{
    if (local) {
        error_prepend(&local, "%s hook of %s (version %d) failed: ", hook,
                      vmsd->name, version_id);
        error_propagate(errp, local);
    } else {
        error_setg(errp, "%s hook of %s (version %d) failed", hook,
                   vmsd->name, version_id);
    }
}

/* --- description for the JSON trailer ----------------------------------- */

/* Can an array of this field be described by its first element? */
static bool vmdesc_can_compress(const VMStateField *field)
{
    if (field->field_exists) {
        return false;
    }
    if (field->flags & VMS_STRUCT) {
        const VMStateField *sf = field->vmsd->fields;
        if (field->vmsd->subsections && field->vmsd->subsections[0]) {
            return false;
        }
        for (; sf && !(sf->flags & VMS_END); sf++) {
            if (!vmdesc_can_compress(sf)) {
                return false;
            }
        }
    }
    return true;
}

static const char *field_type_name(const VMStateField *field)
{
    if (field->flags & (VMS_STRUCT | VMS_VSTRUCT)) {
        return "struct";
    }
    return field->info->name;
}

static void vmdesc_field_start(JsonWriter *vmdesc, const VMStateField *field,
                               int64_t i, int64_t n_elems, bool null_elem)
{
    if (!vmdesc) {
        return;
    }
    json_writer_start_object(vmdesc, NULL);
    json_writer_str(vmdesc, "name", field->name);
    if (n_elems > 1) {
        if (vmdesc_can_compress(field)) {
            json_writer_int64(vmdesc, "array_len", n_elems);
        } else {
            json_writer_int64(vmdesc, "index", i);
        }
    }
    if (null_elem) {
        json_writer_str(vmdesc, "type", "nullptr");
        return;
    }
    json_writer_str(vmdesc, "type", field_type_name(field));
    if (field->flags & VMS_STRUCT) {
        json_writer_start_object(vmdesc, "struct");
    }
}

static void vmdesc_field_end(JsonWriter *vmdesc, const VMStateField *field,
                             uint64_t size, bool null_elem)
{
    if (!vmdesc) {
        return;
    }
    if ((field->flags & VMS_STRUCT) && !null_elem) {
        json_writer_end_object(vmdesc);
    }
    json_writer_int64(vmdesc, "size", size);
    json_writer_end_object(vmdesc);
}

/* --- saving ------------------------------------------------------------ */

static bool save_body(QEMUFile *f, const VMStateDescription *vmsd,
                      void *opaque, JsonWriter *vmdesc, Error **errp);

/* The struct's local version, or struct_version_id for VSTRUCT. */
static int struct_version(const VMStateField *field)
{
    return (field->flags & VMS_VSTRUCT) ? field->struct_version_id
                                        : field->vmsd->version_id;
}

static bool save_field(QEMUFile *f, const VMStateField *field, void *opaque,
                       JsonWriter *vmdesc, Error **errp)
{
    int64_t n_elems;
    size_t size;
    uint8_t *first = (uint8_t *)opaque + field->offset;
    JsonWriter *loop_desc = vmdesc;

    if (!field_geometry(field, opaque, &n_elems, &size, errp)) {
        return false;
    }
    if (field->flags & VMS_POINTER) {
        first = *(uint8_t **)first;
        if (!first && n_elems > 0 && size > 0) {
            error_setg(errp, "pointer is NULL");
            return false;
        }
    }
    for (int64_t i = 0; i < n_elems; i++) {
        size_t step = (field->flags & VMS_ARRAY_OF_POINTER) ? sizeof(void *)
                                                           : size;
        void *elem = first + step * i;
        uint64_t before;
        bool null_elem = false;

        if (field->flags & VMS_ARRAY_OF_POINTER) {
            elem = *(void **)elem;
            null_elem = elem == NULL;
        }
        vmdesc_field_start(loop_desc, field, i, n_elems, null_elem);
        before = qemu_file_transferred(f);
        if (null_elem) {
            qemu_put_byte(f, VMS_NULLPTR_MARKER);
        } else if (field->flags & VMS_STRUCT) {
            if (!save_body(f, field->vmsd, elem, loop_desc, errp)) {
                return false;
            }
        } else if (!field->info->put(f, elem, size, field, errp)) {
            return false;
        }
        vmdesc_field_end(loop_desc, field, qemu_file_transferred(f) - before,
                         null_elem);
        /* A compressed array is described by its first element only. */
        if (loop_desc && vmdesc_can_compress(field)) {
            loop_desc = NULL;
        }
    }
    return true;
}

static bool save_subsections(QEMUFile *f, const VMStateDescription *vmsd,
                             void *opaque, JsonWriter *vmdesc, Error **errp)
{
    const VMStateDescription *const *sub = vmsd->subsections;
    bool any = false;

    for (; sub && *sub; sub++) {
        const VMStateDescription *s = *sub;
        bool ok;

        if (s->needed && !s->needed(opaque)) {
            continue;
        }
        if (vmdesc) {
            if (!any) {
                json_writer_start_array(vmdesc, "subsections");
            }
            json_writer_start_object(vmdesc, NULL);
        }
        any = true;
        qemu_put_byte(f, QEMU_VM_SUBSECTION);
        qemu_put_counted_string(f, s->name);
        qemu_put_be32(f, s->version_id);
        ok = save_body(f, s, opaque, vmdesc, errp);
        if (vmdesc) {
            json_writer_end_object(vmdesc);
        }
        if (!ok) {
            error_prepend(errp, "subsection %s: ", s->name);
            return false;
        }
    }
    if (vmdesc && any) {
        json_writer_end_array(vmdesc);
    }
    return true;
}

static bool save_body(QEMUFile *f, const VMStateDescription *vmsd,
                      void *opaque, JsonWriter *vmdesc, Error **errp)
{
    const VMStateField *field;
    bool ok = true;

    if (vmsd->pre_save) {
        Error *local = NULL;
        if (!vmsd->pre_save(opaque, &local)) {
            hook_failed(errp, local, "pre_save", vmsd, vmsd->version_id);
            return false;
        }
    }
    if (vmdesc) {
        json_writer_str(vmdesc, "vmsd_name", vmsd->name);
        json_writer_int64(vmdesc, "version", vmsd->version_id);
        json_writer_start_array(vmdesc, "fields");
    }
    for (field = vmsd->fields; field && !(field->flags & VMS_END); field++) {
        if (!vmstate_field_exists(field, opaque, vmsd->version_id)) {
            continue;
        }
        if (!save_field(f, field, opaque, vmdesc, errp)) {
            error_prepend(errp, "field %s: ", field->name);
            ok = false;
            break;
        }
    }
    if (vmdesc) {
        json_writer_end_array(vmdesc);
    }
    if (ok) {
        ok = save_subsections(f, vmsd, opaque, vmdesc, errp);
    }
    if (vmsd->post_save) {
        vmsd->post_save(opaque);
    }
    if (ok && qemu_file_get_error_obj(f, errp)) {
        ok = false;
    }
    return ok;
}

bool vmstate_save_state(QEMUFile *f, const VMStateDescription *vmsd,
                        void *opaque, JsonWriter *vmdesc, Error **errp)
{
    return save_body(f, vmsd, opaque, vmdesc, errp);
}

/* --- loading ----------------------------------------------------------- */

static bool load_field(QEMUFile *f, const VMStateField *field, void *opaque,
                       Error **errp)
{
    int64_t n_elems;
    size_t size;
    uint8_t *slot = (uint8_t *)opaque + field->offset;
    uint8_t *first = slot;

    /* Capacity check first: nothing is stored before it passes. */
    if (!field_geometry(field, opaque, &n_elems, &size, errp)) {
        return false;
    }
    if (field->flags & VMS_POINTER) {
        if (field->flags & VMS_ALLOC) {
            g_free(*(void **)slot);
            *(void **)slot = (n_elems > 0 && size > 0)
                             ? g_malloc0(n_elems * size) : NULL;
        }
        first = *(uint8_t **)slot;
        if (!first && n_elems > 0 && size > 0) {
            error_setg(errp, "destination buffer is NULL");
            return false;
        }
    }
    for (int64_t i = 0; i < n_elems; i++) {
        size_t step = (field->flags & VMS_ARRAY_OF_POINTER) ? sizeof(void *)
                                                           : size;
        void *elem = first + step * i;
        bool ok;

        if (field->flags & VMS_ARRAY_OF_POINTER) {
            elem = *(void **)elem;
            if (!elem) {
                int m = qemu_get_byte(f);
                if (m != VMS_NULLPTR_MARKER) {
                    error_setg(errp, "element %" PRId64 ": expected the null "
                               "marker 0x%02x, got 0x%02x", i,
                               VMS_NULLPTR_MARKER, m);
                    return false;
                }
                continue;
            }
        }
        if (field->flags & VMS_STRUCT) {
            ok = vmstate_load_state(f, field->vmsd, elem, struct_version(field),
                                    errp);
        } else {
            ok = field->info->get(f, elem, size, field, errp);
        }
        if (ok && qemu_file_get_error_obj(f, errp)) {
            ok = false;
        }
        if (!ok) {
            if (n_elems > 1) {
                error_prepend(errp, "element %" PRId64 ": ", i);
            }
            return false;
        }
    }
    return true;
}

/*
 * Is the next record a subsection of vmsd?  1: yes (name filled), 0: no,
 * -1: the stream ends inside the marker (truncated; error set on f).
 * A subsection marker whose name does not start with vmsd's name belongs
 * to a parent (facts 1.11), so it ends our list rather than being an error.
 */
static int peek_subsection(QEMUFile *f, const VMStateDescription *vmsd,
                           char *name)
{
    const uint8_t *p;
    size_t plen = strlen(vmsd->name);
    size_t len;

    if (qemu_peek_byte(f, 0) != QEMU_VM_SUBSECTION) {
        return 0;
    }
    if (qemu_peek_buffer(f, &p, 1, 1) != 1) {
        goto truncated;
    }
    len = p[0];
    if (qemu_peek_buffer(f, &p, len, 2) != len) {
        goto truncated;
    }
    if (len < plen + 1) {
        return 0;
    }
    memcpy(name, p, len);
    name[len] = 0;
    return strncmp(name, vmsd->name, plen) == 0;

truncated:
    /* Consume what is there so the stream reports the end. */
    qemu_file_skip(f, 2 + QEMU_FILE_IDSTR_MAX);
    return -1;
}

static bool load_subsections(QEMUFile *f, const VMStateDescription *vmsd,
                             void *opaque, Error **errp)
{
    char name[QEMU_FILE_IDSTR_MAX + 1];
    int r;

    while ((r = peek_subsection(f, vmsd, name)) != 0) {
        const VMStateDescription *const *sub = vmsd->subsections;
        const VMStateDescription *s = NULL;
        int version;

        if (r < 0) {
            return !qemu_file_get_error_obj(f, errp);
        }
        for (; sub && *sub; sub++) {
            if (strcmp((*sub)->name, name) == 0) {
                s = *sub;
                break;
            }
        }
        if (!s) {
            g_autofree char *esc = g_strescape(name, NULL);
            error_setg(errp, "subsection '%s' in '%s' does not exist here "
                       "(the source has state this version does not know)",
                       esc, vmsd->name);
            return false;
        }
        qemu_get_byte(f);
        qemu_get_counted_string(f, name);
        version = qemu_get_be32(f);
        if (qemu_file_get_error_obj(f, errp) ||
            !vmstate_load_state(f, s, opaque, version, errp)) {
            error_prepend(errp, "subsection %s: ", s->name);
            return false;
        }
    }
    return true;
}

bool vmstate_load_state(QEMUFile *f, const VMStateDescription *vmsd,
                        void *opaque, int version_id, Error **errp)
{
    const VMStateField *field;

    if (version_id > vmsd->version_id) {
        error_setg(errp, "%s: incoming version_id %d is too new for local "
                   "version_id %d", vmsd->name, version_id, vmsd->version_id);
        return false;
    }
    if (version_id < vmsd->minimum_version_id) {
        error_setg(errp, "%s: incoming version_id %d is too old for local "
                   "minimum version_id %d", vmsd->name, version_id,
                   vmsd->minimum_version_id);
        return false;
    }
    if (vmsd->pre_load) {
        Error *local = NULL;
        if (!vmsd->pre_load(opaque, &local)) {
            hook_failed(errp, local, "pre_load", vmsd, version_id);
            return false;
        }
    }
    for (field = vmsd->fields; field && !(field->flags & VMS_END); field++) {
        if (!vmstate_field_exists(field, opaque, version_id)) {
            if (field->flags & VMS_MUST_EXIST) {
                error_setg(errp, "Input validation failed: %s/%s version_id: "
                           "%d", vmsd->name, field->name, version_id);
                return false;
            }
            continue;
        }
        if (!load_field(f, field, opaque, errp)) {
            error_prepend(errp, "field %s: ", field->name);
            return false;
        }
    }
    if (!load_subsections(f, vmsd, opaque, errp)) {
        return false;
    }
    if (qemu_file_get_error_obj(f, errp)) {
        return false;
    }
    if (vmsd->post_load) {
        Error *local = NULL;
        if (!vmsd->post_load(opaque, version_id, &local)) {
            hook_failed(errp, local, "post_load", vmsd, version_id);
            return false;
        }
    }
    return true;
}
