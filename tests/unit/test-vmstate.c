/*
 * The VMState engine (migration/vmstate.c, vmstate-types.c): the exact
 * bytes written for each field kind, loading them back, version gating,
 * subsections present/absent/unknown, hooks, and refusals of hostile input
 * (oversize counts, failed checks, truncation) with messages that name the
 * field and the values.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "migration/vmstate.h"
#include "migration/json-writer.h"

static uint8_t *save_bytes(const VMStateDescription *vmsd, void *opaque,
                           size_t *len)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    Error *err = NULL;
    uint8_t *data;

    ck_assert_msg(vmstate_save_state(f, vmsd, opaque, NULL, &err), "%s",
                  err ? error_get_pretty(err) : "");
    data = qemu_file_mem_steal(f, len);
    qemu_fclose(f);
    return data;
}

/* Load; on failure return the message (caller frees), else NULL. */
static char *load_bytes(const VMStateDescription *vmsd, void *opaque,
                        int version, const void *buf, size_t len,
                        size_t *left)
{
    QEMUFile *f = qemu_file_new_mem_reader(buf, len);
    Error *err = NULL;
    char *msg = NULL;

    if (!vmstate_load_state(f, vmsd, opaque, version, &err)) {
        ck_assert_ptr_nonnull(err);
        msg = g_strdup(error_get_pretty(err));
        error_free(err);
    }
    if (left) {
        *left = 0;
        while (qemu_peek_byte(f, *left) >= 0) {
            (*left)++;
        }
    }
    qemu_fclose(f);
    return msg;
}

#define ck_assert_bytes(data, len, ...) do {                         \
    static const uint8_t expect_[] = { __VA_ARGS__ };                \
    ck_assert_uint_eq((len), sizeof(expect_));                       \
    ck_assert_mem_eq((data), expect_, sizeof(expect_));              \
} while (0)

#define ck_assert_msg_has(msg, needle) \
    ck_assert_msg((msg) && strstr((msg), (needle)), "message '%s' lacks '%s'", \
                  (msg) ? (msg) : "(none)", (needle))

/* --- scalars ----------------------------------------------------------- */

typedef struct Scalars {
    bool b;
    int8_t i8;
    int16_t i16;
    int32_t i32;
    int64_t i64;
    uint8_t u8;
    uint16_t u16;
    uint32_t u32;
    uint64_t u64;
    double d;
} Scalars;

static const VMStateDescription vmstate_scalars = {
    .name = "scalars",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_BOOL(b, Scalars),
        VMSTATE_INT8(i8, Scalars),
        VMSTATE_INT16(i16, Scalars),
        VMSTATE_INT32(i32, Scalars),
        VMSTATE_INT64(i64, Scalars),
        VMSTATE_UINT8(u8, Scalars),
        VMSTATE_UINT16(u16, Scalars),
        VMSTATE_UINT32(u32, Scalars),
        VMSTATE_UINT64(u64, Scalars),
        VMSTATE_FLOAT64(d, Scalars),
        VMSTATE_END_OF_LIST()
    },
};

START_TEST(test_scalars)
{
    Scalars s = {
        .b = true, .i8 = -2, .i16 = -3, .i32 = -4, .i64 = -5,
        .u8 = 0x12, .u16 = 0x3456, .u32 = 0x789abcde,
        .u64 = 0x0102030405060708ULL, .d = 1.0,
    };
    Scalars back = { 0 };
    size_t len;
    g_autofree uint8_t *data = save_bytes(&vmstate_scalars, &s, &len);

    ck_assert_bytes(data, len,
        0x01, 0xfe, 0xff, 0xfd, 0xff, 0xff, 0xff, 0xfc,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfb,
        0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde,
        0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
        0x3f, 0xf0, 0, 0, 0, 0, 0, 0);
    ck_assert_ptr_null(load_bytes(&vmstate_scalars, &back, 1, data, len,
                                  NULL));
    ck_assert(back.b == s.b && back.i8 == s.i8 && back.i16 == s.i16);
    ck_assert(back.i32 == s.i32 && back.i64 == s.i64 && back.u8 == s.u8);
    ck_assert(back.u16 == s.u16 && back.u32 == s.u32 && back.u64 == s.u64);
    ck_assert(back.d == 1.0);
}
END_TEST

/* Any non-zero byte is true on load. */
START_TEST(test_bool_nonzero)
{
    static const uint8_t in[] = {
        0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    };
    Scalars s = { 0 };

    ck_assert_ptr_null(load_bytes(&vmstate_scalars, &s, 1, in, sizeof(in),
                                  NULL));
    ck_assert(s.b);
}
END_TEST

/* --- fixed, 2-D and sub-arrays ------------------------------------------ */

typedef struct Arrays {
    uint16_t a16[3];
    uint8_t m[2][3];
    uint32_t sub[4];
    bool bools[2];
    int32_t i32[2];
} Arrays;

static const VMStateDescription vmstate_arrays = {
    .name = "arrays",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT16_ARRAY(a16, Arrays, 3),
        VMSTATE_UINT8_2DARRAY(m, Arrays, 2, 3),
        VMSTATE_UINT32_SUB_ARRAY(sub, Arrays, 1, 2),
        VMSTATE_BOOL_ARRAY(bools, Arrays, 2),
        VMSTATE_INT32_ARRAY(i32, Arrays, 2),
        VMSTATE_END_OF_LIST()
    },
};

START_TEST(test_arrays)
{
    Arrays a = {
        .a16 = { 1, 0x203, 0xffff },
        .m = { { 1, 2, 3 }, { 4, 5, 6 } },
        .sub = { 0xaaaaaaaa, 0x11, 0x22, 0xbbbbbbbb },
        .bools = { false, true },
        .i32 = { -1, 2 },
    };
    Arrays back = { .sub = { 7, 0, 0, 9 } };
    size_t len;
    g_autofree uint8_t *data = save_bytes(&vmstate_arrays, &a, &len);

    ck_assert_bytes(data, len,
        0x00, 0x01, 0x02, 0x03, 0xff, 0xff,
        1, 2, 3, 4, 5, 6,
        0, 0, 0, 0x11, 0, 0, 0, 0x22,
        0, 1,
        0xff, 0xff, 0xff, 0xff, 0, 0, 0, 2);
    ck_assert_ptr_null(load_bytes(&vmstate_arrays, &back, 1, data, len,
                                  NULL));
    ck_assert_mem_eq(back.a16, a.a16, sizeof(a.a16));
    ck_assert_mem_eq(back.m, a.m, sizeof(a.m));
    /* A sub-array leaves the elements outside it alone. */
    ck_assert_uint_eq(back.sub[0], 7);
    ck_assert_uint_eq(back.sub[1], 0x11);
    ck_assert_uint_eq(back.sub[2], 0x22);
    ck_assert_uint_eq(back.sub[3], 9);
    ck_assert(back.bools[1] && !back.bools[0]);
    ck_assert_int_eq(back.i32[0], -1);
}
END_TEST

/* --- variable arrays ---------------------------------------------------- */

typedef struct Var {
    uint8_t n8;
    uint16_t n16;
    int32_t n32;
    uint32_t nu32;
    uint8_t v8[4];
    uint16_t v16[4];
    uint64_t v32[4];
    uint32_t vu32[4];
} Var;

static const VMStateDescription vmstate_var = {
    .name = "var",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8(n8, Var),
        VMSTATE_UINT16(n16, Var),
        VMSTATE_INT32(n32, Var),
        VMSTATE_UINT32(nu32, Var),
        VMSTATE_VARRAY_UINT8(v8, Var, n8, 0, vmstate_info_uint8, uint8_t),
        VMSTATE_VARRAY_UINT16(v16, Var, n16, 0, vmstate_info_uint16,
                              uint16_t),
        VMSTATE_VARRAY_INT32(v32, Var, n32, 0, vmstate_info_uint64,
                             uint64_t),
        VMSTATE_VARRAY_UINT32(vu32, Var, nu32, 0, vmstate_info_uint32,
                              uint32_t),
        VMSTATE_END_OF_LIST()
    },
};

START_TEST(test_varrays)
{
    Var v = {
        .n8 = 1, .n16 = 2, .n32 = 1, .nu32 = 0,
        .v8 = { 0xa1, 0xa2 }, .v16 = { 0x0102, 0x0304, 0x0506 },
        .v32 = { 0x1122334455667788ULL }, .vu32 = { 5 },
    };
    Var back;
    size_t len;
    g_autofree uint8_t *data = save_bytes(&vmstate_var, &v, &len);

    ck_assert_bytes(data, len,
        0x01, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 0,
        0xa1,
        0x01, 0x02, 0x03, 0x04,
        0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88);
    memset(&back, 0x5a, sizeof(back));
    ck_assert_ptr_null(load_bytes(&vmstate_var, &back, 1, data, len, NULL));
    ck_assert_uint_eq(back.v8[0], 0xa1);
    ck_assert_uint_eq(back.v8[1], 0x5a);     /* beyond the count: untouched */
    ck_assert_uint_eq(back.v16[1], 0x0304);
    ck_assert_uint_eq(back.v32[0], 0x1122334455667788ULL);
    ck_assert_uint_eq(back.vu32[0], 0x5a5a5a5a);
}
END_TEST

/* A count beyond the array is refused before any element is stored. */
START_TEST(test_varray_oversize)
{
    uint8_t in[11 + 8 * 5] = {
        0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0,
    };
    Var back;
    g_autofree char *msg = NULL;
    g_autofree char *msg2 = NULL;

    memset(in + 11, 0xee, sizeof(in) - 11);
    memset(&back, 0x5a, sizeof(back));
    msg = load_bytes(&vmstate_var, &back, 1, in, sizeof(in), NULL);
    ck_assert_msg_has(msg, "field v32: count 5 (from n32) exceeds the "
                      "capacity 4");
    ck_assert_uint_eq(back.v32[0], 0x5a5a5a5a5a5a5a5aULL);
    ck_assert_uint_eq(back.v32[3], 0x5a5a5a5a5a5a5a5aULL);

    /* Negative int32 count. */
    in[3] = 0xff; in[4] = 0xff; in[5] = 0xff; in[6] = 0xff;
    msg2 = load_bytes(&vmstate_var, &back, 1, in, sizeof(in), NULL);
    ck_assert_msg_has(msg2, "field v32: count -1 (from n32) is negative");
}
END_TEST

/*
 * The CPU's register list: an "int32 le" length bounded by the local value
 * (set to the capacity in pre_load), then a pointer array whose capacity is
 * a run-time field.
 */
typedef struct FakeCpu {
    int32_t cpreg_vmstate_array_len;
    uint32_t cpreg_capacity;
    uint64_t *cpreg_vmstate_indexes;
} FakeCpu;

static bool fake_cpu_pre_load(void *opaque, Error **errp)
{
    FakeCpu *c = opaque;
    c->cpreg_vmstate_array_len = c->cpreg_capacity;
    return true;
}

static const VMStateDescription vmstate_fake_cpu = {
    .name = "cpu",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_load = fake_cpu_pre_load,
    .fields = (const VMStateField[]) {
        VMSTATE_INT32_POSITIVE_LE(cpreg_vmstate_array_len, FakeCpu),
        VMSTATE_VARRAY_INT32_PTR_CAP(cpreg_vmstate_indexes, FakeCpu,
                                     cpreg_vmstate_array_len, cpreg_capacity,
                                     0, vmstate_info_uint64, uint64_t),
        VMSTATE_END_OF_LIST()
    },
};

START_TEST(test_int32_le)
{
    uint64_t idx[3] = { 0x6030000000138010ULL, 2, 3 };
    uint64_t back_idx[3] = { 0 };
    FakeCpu c = { 2, 3, idx };
    FakeCpu back = { 0, 3, back_idx };
    uint8_t big[4 + 8 * 4] = { 0, 0, 0, 4 };
    size_t len;
    g_autofree uint8_t *data = save_bytes(&vmstate_fake_cpu, &c, &len);
    g_autofree char *msg = NULL;

    ck_assert_bytes(data, len,
        0, 0, 0, 2,
        0x60, 0x30, 0, 0, 0, 0x13, 0x80, 0x10,
        0, 0, 0, 0, 0, 0, 0, 2);
    ck_assert_ptr_null(load_bytes(&vmstate_fake_cpu, &back, 1, data, len,
                                  NULL));
    ck_assert_int_eq(back.cpreg_vmstate_array_len, 2);
    ck_assert_uint_eq(back_idx[0], idx[0]);

    /* 4 > capacity 3: refused by the le check, array untouched. */
    memset(back_idx, 0, sizeof(back_idx));
    msg = load_bytes(&vmstate_fake_cpu, &back, 1, big, sizeof(big), NULL);
    ck_assert_msg_has(msg, "field cpreg_vmstate_array_len: 4 exceeds the "
                      "limit 3");
    ck_assert_uint_eq(back_idx[0], 0);
}
END_TEST

/* Without the le check the capacity field alone still protects memory. */
static const VMStateDescription vmstate_fake_cpu_nole = {
    .name = "cpu",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_INT32(cpreg_vmstate_array_len, FakeCpu),
        VMSTATE_VARRAY_INT32_PTR_CAP(cpreg_vmstate_indexes, FakeCpu,
                                     cpreg_vmstate_array_len, cpreg_capacity,
                                     0, vmstate_info_uint64, uint64_t),
        VMSTATE_END_OF_LIST()
    },
};

START_TEST(test_varray_capacity_field)
{
    uint64_t back_idx[3] = { 0 };
    FakeCpu back = { 0, 3, back_idx };
    uint8_t big[4 + 8 * 400] = { 0, 0, 0x01, 0x90 };
    g_autofree char *msg = load_bytes(&vmstate_fake_cpu_nole, &back, 1, big,
                                      sizeof(big), NULL);

    ck_assert_msg_has(msg, "field cpreg_vmstate_indexes: count 400 (from "
                      "cpreg_vmstate_array_len) exceeds the capacity 3");
}
END_TEST

/* --- equality checks ---------------------------------------------------- */

typedef struct Eq {
    uint32_t num_irq;
    uint8_t rev;
} Eq;

static const VMStateDescription vmstate_eq = {
    .name = "eq",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_EQUAL(num_irq, Eq),
        VMSTATE_UINT8_EQUAL(rev, Eq),
        VMSTATE_END_OF_LIST()
    },
};

START_TEST(test_equal)
{
    Eq e = { 96, 2 };
    static const uint8_t bad[] = { 0, 0, 0, 0x40, 2 };
    size_t len;
    g_autofree uint8_t *data = save_bytes(&vmstate_eq, &e, &len);
    g_autofree char *msg = NULL;

    ck_assert_bytes(data, len, 0, 0, 0, 96, 2);
    ck_assert_ptr_null(load_bytes(&vmstate_eq, &e, 1, data, len, NULL));
    msg = load_bytes(&vmstate_eq, &e, 1, bad, sizeof(bad), NULL);
    ck_assert_msg_has(msg, "field num_irq: received 0x40 but this side has "
                      "0x60");
    ck_assert_uint_eq(e.num_irq, 96);
}
END_TEST

/* --- structs and pointers ----------------------------------------------- */

typedef struct Inner {
    uint32_t a;
    uint16_t b;
} Inner;

static const VMStateDescription vmstate_inner = {
    .name = "inner",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(a, Inner),
        VMSTATE_UINT16(b, Inner),
        VMSTATE_END_OF_LIST()
    },
};

typedef struct Outer {
    Inner one;
    Inner many[2];
    Inner *ptr;
    uint32_t *word;
    uint8_t nitems;
    Inner items[3];
    uint32_t nalloc;
    uint16_t *alloc;
} Outer;

static const VMStateDescription vmstate_outer = {
    .name = "outer",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT(one, Outer, 0, vmstate_inner, Inner),
        VMSTATE_STRUCT_ARRAY(many, Outer, 2, 0, vmstate_inner, Inner),
        VMSTATE_STRUCT_POINTER(ptr, Outer, 0, vmstate_inner, Inner),
        VMSTATE_POINTER(word, Outer, 0, vmstate_info_uint32, uint32_t),
        VMSTATE_UINT8(nitems, Outer),
        VMSTATE_STRUCT_VARRAY_UINT8(items, Outer, nitems, 0, vmstate_inner,
                                    Inner),
        VMSTATE_UINT32(nalloc, Outer),
        VMSTATE_VARRAY_UINT32_ALLOC(alloc, Outer, nalloc, 16, 0,
                                    vmstate_info_uint16, uint16_t),
        VMSTATE_END_OF_LIST()
    },
};

START_TEST(test_structs_pointers)
{
    Inner pointee = { 0x33, 0x44 };
    uint32_t word = 0xcafe;
    uint16_t alloc[2] = { 0xabcd, 0x0102 };
    Outer o = {
        .one = { 1, 2 }, .many = { { 3, 4 }, { 5, 6 } }, .ptr = &pointee,
        .word = &word, .nitems = 1, .items = { { 7, 8 } },
        .nalloc = 2, .alloc = alloc,
    };
    Inner back_pointee = { 0 };
    uint32_t back_word = 0;
    Outer back = { .ptr = &back_pointee, .word = &back_word };
    size_t len;
    g_autofree uint8_t *data = save_bytes(&vmstate_outer, &o, &len);

    ck_assert_bytes(data, len,
        0, 0, 0, 1, 0, 2,
        0, 0, 0, 3, 0, 4, 0, 0, 0, 5, 0, 6,
        0, 0, 0, 0x33, 0, 0x44,
        0, 0, 0xca, 0xfe,
        1, 0, 0, 0, 7, 0, 8,
        0, 0, 0, 2, 0xab, 0xcd, 0x01, 0x02);
    ck_assert_ptr_null(load_bytes(&vmstate_outer, &back, 1, data, len,
                                  NULL));
    ck_assert_uint_eq(back.many[1].b, 6);
    ck_assert_uint_eq(back_pointee.b, 0x44);
    ck_assert_uint_eq(back_word, 0xcafe);
    ck_assert_uint_eq(back.items[0].a, 7);
    ck_assert_ptr_nonnull(back.alloc);
    ck_assert_uint_eq(back.alloc[1], 0x0102);
    g_free(back.alloc);
}
END_TEST

/* The JSON description of what was written (facts 1.12). */
START_TEST(test_vmdesc_json)
{
    Inner pointee = { 0 };
    uint32_t word = 0;
    uint16_t alloc[1] = { 0 };
    Outer o = { .ptr = &pointee, .word = &word, .nitems = 0, .nalloc = 1,
                .alloc = alloc };
    QEMUFile *f = qemu_file_new_mem_writer();
    JsonWriter *w = json_writer_new(false);

    json_writer_start_object(w, NULL);
    ck_assert(vmstate_save_state(f, &vmstate_outer, &o, w, NULL));
    json_writer_end_object(w);
    ck_assert_str_eq(json_writer_get(w),
        "{\"vmsd_name\": \"outer\", \"version\": 1, \"fields\": ["
        "{\"name\": \"one\", \"type\": \"struct\", \"struct\": "
        "{\"vmsd_name\": \"inner\", \"version\": 1, \"fields\": ["
        "{\"name\": \"a\", \"type\": \"uint32\", \"size\": 4}, "
        "{\"name\": \"b\", \"type\": \"uint16\", \"size\": 2}]}, "
        "\"size\": 6}, "
        "{\"name\": \"many\", \"array_len\": 2, \"type\": \"struct\", "
        "\"struct\": {\"vmsd_name\": \"inner\", \"version\": 1, \"fields\": ["
        "{\"name\": \"a\", \"type\": \"uint32\", \"size\": 4}, "
        "{\"name\": \"b\", \"type\": \"uint16\", \"size\": 2}]}, "
        "\"size\": 6}, "
        "{\"name\": \"ptr\", \"type\": \"struct\", \"struct\": "
        "{\"vmsd_name\": \"inner\", \"version\": 1, \"fields\": ["
        "{\"name\": \"a\", \"type\": \"uint32\", \"size\": 4}, "
        "{\"name\": \"b\", \"type\": \"uint16\", \"size\": 2}]}, "
        "\"size\": 6}, "
        "{\"name\": \"word\", \"type\": \"uint32\", \"size\": 4}, "
        "{\"name\": \"nitems\", \"type\": \"uint8\", \"size\": 1}, "
        "{\"name\": \"nalloc\", \"type\": \"uint32\", \"size\": 4}, "
        "{\"name\": \"alloc\", \"type\": \"uint16\", \"size\": 2}]}");
    json_writer_free(w);
    qemu_fclose(f);
}
END_TEST

/* --- buffers and placeholders ------------------------------------------- */

typedef struct Bufs {
    uint8_t raw[4];
    uint8_t part[6];
    uint32_t len;
    uint8_t *name;
} Bufs;

static const VMStateDescription vmstate_bufs = {
    .name = "bufs",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_BUFFER(raw, Bufs),
        VMSTATE_UNUSED(3),
        VMSTATE_PARTIAL_BUFFER(part, Bufs, 2),
        VMSTATE_UINT32(len, Bufs),
        VMSTATE_VBUFFER_ALLOC_UINT32(name, Bufs, 0, len, 8),
        VMSTATE_END_OF_LIST()
    },
};

START_TEST(test_buffers)
{
    Bufs b = { .raw = "abc", .part = "xyzzy", .len = 4,
               .name = (uint8_t *)"virt" };
    Bufs back = { .part = "......" };
    static const uint8_t toolong[] = {
        'a', 'b', 'c', 0, 9, 9, 9, 'x', 'y', 0, 0, 0, 9,
        '1', '2', '3', '4', '5', '6', '7', '8', '9',
    };
    size_t len;
    g_autofree uint8_t *data = save_bytes(&vmstate_bufs, &b, &len);
    g_autofree char *msg = NULL;

    ck_assert_bytes(data, len,
        'a', 'b', 'c', 0, 0, 0, 0, 'x', 'y', 0, 0, 0, 4, 'v', 'i', 'r', 't');
    ck_assert_ptr_null(load_bytes(&vmstate_bufs, &back, 1, data, len, NULL));
    ck_assert_str_eq((char *)back.raw, "abc");
    ck_assert_mem_eq(back.part, "xy....", 6);
    ck_assert_mem_eq(back.name, "virt", 4);
    g_free(back.name);
    back.name = NULL;
    msg = load_bytes(&vmstate_bufs, &back, 1, toolong, sizeof(toolong), NULL);
    ck_assert_msg_has(msg, "field name: size 9 (from len) exceeds the limit 8");
    g_free(back.name);
}
END_TEST

/* --- versions, tests, validation ---------------------------------------- */

typedef struct Versioned {
    uint32_t old;
    uint32_t added_v2;
    uint16_t opt;
    bool has_opt;
} Versioned;

static bool opt_exists(void *opaque, int version_id)
{
    return ((Versioned *)opaque)->has_opt;
}

static bool versioned_valid(void *opaque, int version_id)
{
    return ((Versioned *)opaque)->old != 0xbad;
}

static const VMStateDescription vmstate_versioned = {
    .name = "versioned",
    .version_id = 2,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(old, Versioned),
        VMSTATE_UINT32_V(added_v2, Versioned, 2),
        VMSTATE_UINT16_TEST(opt, Versioned, opt_exists),
        VMSTATE_VALIDATE("old is sane", versioned_valid),
        VMSTATE_END_OF_LIST()
    },
};

START_TEST(test_version_gating)
{
    Versioned v = { 1, 2, 3, false };
    Versioned back = { .added_v2 = 77 };
    static const uint8_t v1[] = { 0, 0, 0, 9 };
    static const uint8_t bad[] = { 0, 0, 0x0b, 0xad, 0, 0, 0, 0 };
    size_t len;
    g_autofree uint8_t *data = save_bytes(&vmstate_versioned, &v, &len);
    g_autofree uint8_t *data2 = NULL;
    g_autofree char *m1 = NULL, *m2 = NULL, *m3 = NULL;

    ck_assert_bytes(data, len, 0, 0, 0, 1, 0, 0, 0, 2);
    v.has_opt = true;
    data2 = save_bytes(&vmstate_versioned, &v, &len);
    ck_assert_bytes(data2, len, 0, 0, 0, 1, 0, 0, 0, 2, 0, 3);

    /* A version-1 body lacks added_v2: it keeps its value. */
    ck_assert_ptr_null(load_bytes(&vmstate_versioned, &back, 1, v1,
                                  sizeof(v1), NULL));
    ck_assert_uint_eq(back.old, 9);
    ck_assert_uint_eq(back.added_v2, 77);

    m1 = load_bytes(&vmstate_versioned, &back, 3, v1, sizeof(v1), NULL);
    ck_assert_msg_has(m1, "versioned: incoming version_id 3 is too new for "
                      "local version_id 2");
    m2 = load_bytes(&vmstate_versioned, &back, 0, v1, sizeof(v1), NULL);
    ck_assert_msg_has(m2, "too old for local minimum version_id 1");
    m3 = load_bytes(&vmstate_versioned, &back, 2, bad, sizeof(bad), NULL);
    ck_assert_msg_has(m3, "Input validation failed: versioned/old is sane");
}
END_TEST

/* --- subsections and hooks ---------------------------------------------- */

typedef struct Dev {
    uint32_t a;
    uint32_t extra;
    uint32_t deep;
    bool need_extra;
    bool need_deep;
    int pre_save, post_save, pre_load, post_load;
    int post_load_version;
    bool fail_post_load;
} Dev;

static bool extra_needed(void *opaque)
{
    return ((Dev *)opaque)->need_extra;
}

static bool deep_needed(void *opaque)
{
    return ((Dev *)opaque)->need_deep;
}

static const VMStateDescription vmstate_dev_deep = {
    .name = "dev/extra/deep",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = deep_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(deep, Dev),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_dev_extra = {
    .name = "dev/extra",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = extra_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(extra, Dev),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription *const []) {
        &vmstate_dev_deep, NULL
    },
};

static bool dev_pre_save(void *opaque, Error **errp)
{
    ((Dev *)opaque)->pre_save++;
    return true;
}

static void dev_post_save(void *opaque)
{
    ((Dev *)opaque)->post_save++;
}

/* The default an absent subsection leaves behind. */
static bool dev_pre_load(void *opaque, Error **errp)
{
    Dev *d = opaque;
    d->pre_load++;
    d->extra = 0xdefa;
    return true;
}

static bool dev_post_load(void *opaque, int version_id, Error **errp)
{
    Dev *d = opaque;
    d->post_load++;
    d->post_load_version = version_id;
    if (d->fail_post_load) {
        error_setg(errp, "a is %u", d->a);
        return false;
    }
    return true;
}

static const VMStateDescription vmstate_dev = {
    .name = "dev",
    .version_id = 3,
    .minimum_version_id = 1,
    .pre_save = dev_pre_save,
    .post_save = dev_post_save,
    .pre_load = dev_pre_load,
    .post_load = dev_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(a, Dev),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription *const []) {
        &vmstate_dev_extra, NULL
    },
};

START_TEST(test_subsection_absent)
{
    Dev d = { .a = 5 };
    Dev back = { 0 };
    size_t len;
    g_autofree uint8_t *data = save_bytes(&vmstate_dev, &d, &len);

    ck_assert_bytes(data, len, 0, 0, 0, 5);
    ck_assert_int_eq(d.pre_save, 1);
    ck_assert_int_eq(d.post_save, 1);
    /* A source without the optional subsection: load keeps the default. */
    ck_assert_ptr_null(load_bytes(&vmstate_dev, &back, 2, data, len, NULL));
    ck_assert_uint_eq(back.a, 5);
    ck_assert_uint_eq(back.extra, 0xdefa);
    ck_assert_int_eq(back.pre_load, 1);
    ck_assert_int_eq(back.post_load, 1);
    ck_assert_int_eq(back.post_load_version, 2);
}
END_TEST

START_TEST(test_subsection_present_nested)
{
    Dev d = { .a = 5, .extra = 6, .deep = 7, .need_extra = true,
              .need_deep = true };
    Dev back = { 0 };
    size_t len;
    g_autofree uint8_t *data = save_bytes(&vmstate_dev, &d, &len);

    ck_assert_bytes(data, len,
        0, 0, 0, 5,
        0x05, 9, 'd', 'e', 'v', '/', 'e', 'x', 't', 'r', 'a', 0, 0, 0, 1,
        0, 0, 0, 6,
        0x05, 14, 'd', 'e', 'v', '/', 'e', 'x', 't', 'r', 'a', '/', 'd', 'e',
        'e', 'p', 0, 0, 0, 1,
        0, 0, 0, 7);
    ck_assert_ptr_null(load_bytes(&vmstate_dev, &back, 3, data, len, NULL));
    ck_assert_uint_eq(back.extra, 6);
    ck_assert_uint_eq(back.deep, 7);
}
END_TEST

START_TEST(test_subsection_unknown)
{
    static const uint8_t in[] = {
        0, 0, 0, 5,
        0x05, 9, 'd', 'e', 'v', '/', 'b', 'o', 'g', 'u', 's', 0, 0, 0, 1,
        0, 0, 0, 6,
    };
    Dev back = { 0 };
    g_autofree char *msg = load_bytes(&vmstate_dev, &back, 3, in, sizeof(in),
                                      NULL);

    ck_assert_msg_has(msg, "subsection 'dev/bogus' in 'dev' does not exist");
    ck_assert_int_eq(back.post_load, 0);
}
END_TEST

/* A subsection marker for another section ends ours without consuming it. */
START_TEST(test_subsection_other_prefix)
{
    static const uint8_t in[] = {
        0, 0, 0, 5,
        0x05, 5, 'o', 't', 'h', 'e', 'r',
    };
    Dev back = { 0 };
    size_t left;

    ck_assert_ptr_null(load_bytes(&vmstate_dev, &back, 3, in, sizeof(in),
                                  &left));
    ck_assert_uint_eq(left, 7);
}
END_TEST

START_TEST(test_post_load_failure)
{
    static const uint8_t in[] = { 0, 0, 0, 5 };
    Dev back = { .fail_post_load = true };
    g_autofree char *msg = load_bytes(&vmstate_dev, &back, 3, in, sizeof(in),
                                      NULL);

    ck_assert_msg_has(msg, "post_load hook of dev (version 3) failed: a is 5");
}
END_TEST

/* Every strict prefix of a body is refused with a message. */
START_TEST(test_body_truncation)
{
    Dev d = { .a = 5, .extra = 6, .deep = 7, .need_extra = true,
              .need_deep = true };
    size_t len;
    g_autofree uint8_t *data = save_bytes(&vmstate_dev, &d, &len);

    for (size_t cut = 0; cut < len; cut++) {
        Dev back = { 0 };
        g_autofree char *msg = load_bytes(&vmstate_dev, &back, 3, data, cut,
                                          NULL);
        /*
         * Cutting exactly before a subsection marker leaves a valid body
         * without that (optional) subsection.
         */
        if (cut == 4 || cut == 23) {
            ck_assert_msg(msg == NULL, "cut %zu: %s", cut, msg);
            continue;
        }
        ck_assert_msg(msg != NULL, "prefix of %zu bytes accepted", cut);
        ck_assert_msg(strstr(msg, "end of migration stream") != NULL,
                      "cut %zu: %s", cut, msg);
    }
}
END_TEST

/* --- timers -------------------------------------------------------------- */

typedef struct WithTimer {
    QEMUTimer *t;
} WithTimer;

static const VMStateDescription vmstate_with_timer = {
    .name = "with-timer",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_TIMER_PTR(t, WithTimer),
        VMSTATE_END_OF_LIST()
    },
};

static void timer_cb(void *opaque)
{
}

START_TEST(test_timer)
{
    WithTimer w = { timer_new_ns(QEMU_CLOCK_VIRTUAL, timer_cb, NULL) };
    size_t len;
    g_autofree uint8_t *idle = save_bytes(&vmstate_with_timer, &w, &len);
    g_autofree uint8_t *armed = NULL;

    ck_assert_bytes(idle, len, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
    timer_mod_ns(w.t, 0x123456789aLL);
    armed = save_bytes(&vmstate_with_timer, &w, &len);
    ck_assert_bytes(armed, len, 0, 0, 0, 0x12, 0x34, 0x56, 0x78, 0x9a);
    ck_assert_ptr_null(load_bytes(&vmstate_with_timer, &w, 1, idle, 8, NULL));
    ck_assert(!timer_pending(w.t));
    ck_assert_ptr_null(load_bytes(&vmstate_with_timer, &w, 1, armed, 8, NULL));
    ck_assert(timer_pending(w.t));
    ck_assert_int_eq(w.t->expire_ns, 0x123456789aLL);
    timer_del(w.t);
    timer_free(w.t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vmstate");
    TCase *tc = tcase_create("engine");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_scalars);
    tcase_add_test(tc, test_bool_nonzero);
    tcase_add_test(tc, test_arrays);
    tcase_add_test(tc, test_varrays);
    tcase_add_test(tc, test_varray_oversize);
    tcase_add_test(tc, test_int32_le);
    tcase_add_test(tc, test_varray_capacity_field);
    tcase_add_test(tc, test_equal);
    tcase_add_test(tc, test_structs_pointers);
    tcase_add_test(tc, test_vmdesc_json);
    tcase_add_test(tc, test_buffers);
    tcase_add_test(tc, test_version_gating);
    tcase_add_test(tc, test_subsection_absent);
    tcase_add_test(tc, test_subsection_present_nested);
    tcase_add_test(tc, test_subsection_unknown);
    tcase_add_test(tc, test_subsection_other_prefix);
    tcase_add_test(tc, test_post_load_failure);
    tcase_add_test(tc, test_body_truncation);
    tcase_add_test(tc, test_timer);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
