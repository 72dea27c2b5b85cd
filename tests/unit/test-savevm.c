/*
 * The stream as a whole (migration/savevm.c, savevm-config.c,
 * vmstate-dump.c): header and configuration bytes, sections and footers,
 * the JSON trailer, section registration, and the loader's refusals
 * (wrong magic, version, machine, unknown section, footer, truncation at
 * every byte) with messages naming section, instance and field.
 */
#include "qemu/osdep.h"
#include <check.h>
#include <json-glib/json-glib.h>
#include "migration/vmstate.h"
#include "migration/register.h"
#include "migration/savevm.h"
#include "migration/ram.h"
#include "system/memory.h"
#include <sys/mman.h>
#include <fcntl.h>

/* --- a device, a CPU-like section and an iterative handler --------------- */

typedef struct Dev {
    uint32_t a;
    uint32_t extra;
    bool need_extra;
} Dev;

static bool dev_extra_needed(void *opaque)
{
    return ((Dev *)opaque)->need_extra;
}

static const VMStateDescription vmstate_dev_extra = {
    .name = "dev/extra",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = dev_extra_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(extra, Dev),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_dev = {
    .name = "dev",
    .version_id = 2,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(a, Dev),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription *const []) {
        &vmstate_dev_extra, NULL
    },
};

static const VMStateDescription vmstate_dev_v1 = {
    .name = "dev",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(a, Dev),
        VMSTATE_END_OF_LIST()
    },
};

static const VMStateDescription vmstate_gic = {
    .name = "gic",
    .version_id = 1,
    .minimum_version_id = 1,
    .priority = MIG_PRI_GICV3,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(a, Dev),
        VMSTATE_END_OF_LIST()
    },
};

typedef struct FakeCpu {
    int32_t cpreg_vmstate_array_len;
    uint32_t capacity;
    uint64_t *cpreg_vmstate_indexes;
} FakeCpu;

static bool fake_cpu_pre_load(void *opaque, Error **errp)
{
    FakeCpu *c = opaque;
    c->cpreg_vmstate_array_len = c->capacity;
    return true;
}

static const VMStateDescription vmstate_fake_cpu = {
    .name = "cpu",
    .version_id = 22,
    .minimum_version_id = 22,
    .pre_load = fake_cpu_pre_load,
    .fields = (const VMStateField[]) {
        VMSTATE_INT32_POSITIVE_LE(cpreg_vmstate_array_len, FakeCpu),
        VMSTATE_VARRAY_INT32_PTR_CAP(cpreg_vmstate_indexes, FakeCpu,
                                     cpreg_vmstate_array_len, capacity,
                                     0, vmstate_info_uint64, uint64_t),
        VMSTATE_END_OF_LIST()
    },
};

/* Iterative handler: START and END carry one word, PARTs count down. */
typedef struct Live {
    int parts_left;
    GArray *got;     /* words loaded */
} Live;

static bool live_setup(QEMUFile *f, void *opaque, Error **errp)
{
    qemu_put_be32(f, 0x5e);
    return true;
}

static int live_iterate(QEMUFile *f, void *opaque, Error **errp)
{
    Live *l = opaque;

    qemu_put_be32(f, 0x100 + l->parts_left);
    return --l->parts_left <= 0 ? 1 : 0;
}

static bool live_complete(QEMUFile *f, void *opaque, Error **errp)
{
    qemu_put_be32(f, 0xed);
    return true;
}

static bool live_load(QEMUFile *f, void *opaque, int version_id, Error **errp)
{
    Live *l = opaque;
    uint32_t v = qemu_get_be32(f);

    g_array_append_val(l->got, v);
    return true;
}

static const SaveVMHandlers live_ops = {
    .save_setup = live_setup,
    .save_live_iterate = live_iterate,
    .save_live_complete = live_complete,
    .load_state = live_load,
};

static Dev dev0, dev1, gic;
static Live live;

static void setup(void)
{
    vmstate_unregister_all();
    savevm_set_machine_type("virt-test");
    memset(&dev0, 0, sizeof(dev0));
    memset(&dev1, 0, sizeof(dev1));
    memset(&gic, 0, sizeof(gic));
    if (live.got) {
        g_array_free(live.got, true);
    }
    live.got = g_array_new(false, false, sizeof(uint32_t));
    live.parts_left = 2;
}

static void teardown(void)
{
    vmstate_unregister_all();
}

/* The source's sections: live "live", "dev" 0 and 1, "gic". */
static void register_source(void)
{
    ck_assert_int_eq(register_savevm_live("live", 0, 4, &live_ops, &live), 0);
    ck_assert_int_eq(vmstate_register(NULL, VMSTATE_INSTANCE_ID_ANY,
                                      &vmstate_dev, &dev0), 1);
    ck_assert_int_eq(vmstate_register(NULL, VMSTATE_INSTANCE_ID_ANY,
                                      &vmstate_dev, &dev1), 2);
    ck_assert_int_eq(vmstate_register(NULL, 0, &vmstate_dev, &dev1), -1);
    ck_assert_int_eq(vmstate_register(NULL, 0, &vmstate_gic, &gic), 3);
}

static uint8_t *save_stream(size_t *len)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    Error *err = NULL;
    uint8_t *data;

    ck_assert_msg(qemu_savevm_state(f, &err), "%s",
                  err ? error_get_pretty(err) : "");
    data = qemu_file_mem_steal(f, len);
    qemu_fclose(f);
    return data;
}

static char *load_stream(const uint8_t *data, size_t len)
{
    QEMUFile *f = qemu_file_new_mem_reader(data, len);
    Error *err = NULL;
    char *msg = NULL;

    if (!qemu_loadvm_state(f, &err)) {
        ck_assert_ptr_nonnull(err);
        msg = g_strdup(error_get_pretty(err));
        error_free(err);
    }
    qemu_fclose(f);
    return msg;
}

#define ck_assert_msg_has(msg, needle) \
    ck_assert_msg((msg) && strstr((msg), (needle)), "message '%s' lacks '%s'", \
                  (msg) ? (msg) : "(none)", (needle))

/* Offset of the EOF byte: just before the 0x06 trailer record. */
static size_t eof_offset(const uint8_t *data, size_t len)
{
    for (size_t i = len - 5; i > 0; i--) {
        if (data[i] == QEMU_VM_EOF && data[i + 1] == QEMU_VM_VMDESCRIPTION) {
            uint32_t jl = (uint32_t)data[i + 2] << 24 | data[i + 3] << 16 |
                          data[i + 4] << 8 | data[i + 5];
            if (i + 6 + jl == len) {
                return i;
            }
        }
    }
    ck_abort_msg("no EOF before the trailer");
    return 0;
}

START_TEST(test_stream_bytes)
{
    static const uint8_t head[] = {
        0x51, 0x45, 0x56, 0x4d, 0, 0, 0, 3,
        0x07, 0, 0, 0, 9, 'v', 'i', 'r', 't', '-', 't', 'e', 's', 't',
        0x05, 30, 'c', 'o', 'n', 'f', 'i', 'g', 'u', 'r', 'a', 't', 'i', 'o',
        'n', '/', 't', 'a', 'r', 'g', 'e', 't', '-', 'p', 'a', 'g', 'e', '-',
        'b', 'i', 't', 's', 0, 0, 0, 1, 0, 0, 0, 12,
        /* START live: id 0, "live", instance 0, version 4 */
        0x01, 0, 0, 0, 0, 4, 'l', 'i', 'v', 'e', 0, 0, 0, 0, 0, 0, 0, 4,
        0, 0, 0, 0x5e, 0x7e, 0, 0, 0, 0,
        /* two PARTs, then END */
        0x02, 0, 0, 0, 0, 0, 0, 0x01, 0x02, 0x7e, 0, 0, 0, 0,
        0x02, 0, 0, 0, 0, 0, 0, 0x01, 0x01, 0x7e, 0, 0, 0, 0,
        0x03, 0, 0, 0, 0, 0, 0, 0, 0xed, 0x7e, 0, 0, 0, 0,
        /* FULL gic (priority first): id 3, instance 0, version 1 */
        0x04, 0, 0, 0, 3, 3, 'g', 'i', 'c', 0, 0, 0, 0, 0, 0, 0, 1,
        0, 0, 0, 0x47, 0x7e, 0, 0, 0, 3,
        /* FULL dev 0 with its subsection, then dev 1 */
        0x04, 0, 0, 0, 1, 3, 'd', 'e', 'v', 0, 0, 0, 0, 0, 0, 0, 2,
        0, 0, 0, 0x10, 0x05, 9, 'd', 'e', 'v', '/', 'e', 'x', 't', 'r', 'a',
        0, 0, 0, 1, 0, 0, 0, 0x11, 0x7e, 0, 0, 0, 1,
        0x04, 0, 0, 0, 2, 3, 'd', 'e', 'v', 0, 0, 0, 1, 0, 0, 0, 2,
        0, 0, 0, 0x20, 0x7e, 0, 0, 0, 2,
        0x00, 0x06,
    };
    static const char json_head[] =
        "{\"configuration\": {\"vmsd_name\": \"configuration\", "
        "\"version\": 1, "
        "\"fields\": [{\"name\": \"len\", \"type\": \"uint32\", \"size\": 4}, "
        "{\"name\": \"name\", \"type\": \"buffer\", \"size\": 9}], "
        "\"subsections\": [{\"vmsd_name\": \"configuration/target-page-bits\", "
        "\"version\": 1, \"fields\": [{\"name\": \"target_page_bits\", "
        "\"type\": \"uint32\", \"size\": 4}]}]}, \"page_size\": 4096, "
        "\"devices\": [{\"name\": \"gic\", \"instance_id\": 0, "
        "\"vmsd_name\": \"gic\", \"version\": 1, \"fields\": [{\"name\": "
        "\"a\", \"type\": \"uint32\", \"size\": 4}]}, {\"name\": \"dev\", "
        "\"instance_id\": 0, \"vmsd_name\": \"dev\", \"version\": 2, "
        "\"fields\": [{\"name\": \"a\", \"type\": \"uint32\", \"size\": 4}], "
        "\"subsections\": [{\"vmsd_name\": \"dev/extra\", \"version\": 1, "
        "\"fields\": [{\"name\": \"extra\", \"type\": \"uint32\", "
        "\"size\": 4}]}]}, {\"name\": \"dev\", \"instance_id\": 1, ";
    size_t len, jlen;
    g_autofree uint8_t *data = NULL;

    register_source();
    dev0.a = 0x10;
    dev0.extra = 0x11;
    dev0.need_extra = true;
    dev1.a = 0x20;
    gic.a = 0x47;
    data = save_stream(&len);
    ck_assert_uint_ge(len, sizeof(head) + 4);
    ck_assert_mem_eq(data, head, sizeof(head));
    jlen = (size_t)data[sizeof(head)] << 24 | data[sizeof(head) + 1] << 16 |
           data[sizeof(head) + 2] << 8 | data[sizeof(head) + 3];
    ck_assert_uint_eq(sizeof(head) + 4 + jlen, len);
    ck_assert_mem_eq(data + sizeof(head) + 4, json_head,
                     sizeof(json_head) - 1);
    /* No NUL in the trailer, so QEMU's analyzer finds it (facts 1.17). */
    ck_assert_ptr_null(memchr(data + sizeof(head) + 4, 0, jlen));
}
END_TEST

START_TEST(test_trailer_is_json)
{
    size_t len, at;
    g_autofree uint8_t *data = NULL;
    JsonParser *p = json_parser_new();
    JsonObject *root, *dev;
    JsonArray *devices;

    register_source();
    data = save_stream(&len);
    at = eof_offset(data, len) + 6;
    ck_assert(json_parser_load_from_data(p, (const char *)data + at,
                                         len - at, NULL));
    root = json_node_get_object(json_parser_get_root(p));
    ck_assert_int_eq(json_object_get_int_member(root, "page_size"), 4096);
    ck_assert_str_eq(json_object_get_string_member(
        json_object_get_object_member(root, "configuration"), "vmsd_name"),
        "configuration");
    devices = json_object_get_array_member(root, "devices");
    /* Iterative handlers are not described; FULL sections are. */
    ck_assert_uint_eq(json_array_get_length(devices), 3);
    dev = json_array_get_object_element(devices, 2);
    ck_assert_str_eq(json_object_get_string_member(dev, "name"), "dev");
    ck_assert_int_eq(json_object_get_int_member(dev, "instance_id"), 1);
    ck_assert(!json_object_has_member(dev, "subsections"));
    g_object_unref(p);
}
END_TEST

START_TEST(test_roundtrip)
{
    size_t len;
    g_autofree uint8_t *data = NULL;
    g_autofree char *msg = NULL;

    register_source();
    dev0.a = 1;
    dev0.extra = 2;
    dev0.need_extra = true;
    dev1.a = 3;
    gic.a = 4;
    data = save_stream(&len);
    memset(&dev0, 0, sizeof(dev0));
    memset(&dev1, 0, sizeof(dev1));
    memset(&gic, 0, sizeof(gic));
    msg = load_stream(data, len);
    ck_assert_msg(msg == NULL, "%s", msg);
    ck_assert_uint_eq(dev0.a, 1);
    ck_assert_uint_eq(dev0.extra, 2);
    ck_assert_uint_eq(dev1.a, 3);
    ck_assert_uint_eq(gic.a, 4);
    ck_assert_uint_eq(live.got->len, 4);
    ck_assert_uint_eq(g_array_index(live.got, uint32_t, 0), 0x5e);
    ck_assert_uint_eq(g_array_index(live.got, uint32_t, 3), 0xed);
}
END_TEST

/* Every prefix of a stream is refused, except the one ending at EOF. */
START_TEST(test_every_truncation)
{
    size_t len, eof;
    g_autofree uint8_t *data = NULL;

    register_source();
    dev0.need_extra = true;
    data = save_stream(&len);
    eof = eof_offset(data, len);
    for (size_t cut = 0; cut < len; cut++) {
        g_autofree char *msg = NULL;

        live.parts_left = 2;
        msg = load_stream(data, cut);
        if (cut == eof + 1) {
            /* A stream without the (optional) trailer is complete. */
            ck_assert_msg(msg == NULL, "cut %zu: %s", cut, msg);
            continue;
        }
        ck_assert_msg(msg != NULL, "prefix of %zu/%zu bytes accepted", cut,
                      len);
        /*
         * Cut just before a subsection, the body looks complete without it
         * (subsections are optional); the refusal then comes from a check
         * (page bits) or the missing footer rather than the stream end.
         */
        if (data[cut] != QEMU_VM_SUBSECTION) {
            ck_assert_msg(strstr(msg, "end of migration stream") != NULL,
                          "cut %zu: %s", cut, msg);
        }
    }
}
END_TEST

START_TEST(test_bad_header)
{
    static const uint8_t not_mig[] = { 'h', 'e', 'l', 'l', 'o', 0, 0, 3 };
    static const uint8_t v2[] = { 0x51, 0x45, 0x56, 0x4d, 0, 0, 0, 2 };
    static const uint8_t v4[] = { 0x51, 0x45, 0x56, 0x4d, 0, 0, 0, 4 };
    static const uint8_t noconf[] = { 0x51, 0x45, 0x56, 0x4d, 0, 0, 0, 3, 0 };
    g_autofree char *m1 = load_stream(not_mig, sizeof(not_mig));
    g_autofree char *m2 = load_stream(v2, sizeof(v2));
    g_autofree char *m3 = load_stream(v4, sizeof(v4));
    g_autofree char *m4 = load_stream(noconf, sizeof(noconf));

    ck_assert_msg_has(m1, "Not a migration stream (magic 0x68656c6c");
    ck_assert_msg_has(m2, "v2 format is obsolete");
    ck_assert_msg_has(m3, "Unsupported migration stream version 4");
    ck_assert_msg_has(m4, "Configuration section missing");
}
END_TEST

START_TEST(test_machine_mismatch)
{
    size_t len;
    g_autofree uint8_t *data = NULL;
    g_autofree char *msg = NULL;

    register_source();
    data = save_stream(&len);
    savevm_set_machine_type("virt-7.2");
    msg = load_stream(data, len);
    ck_assert_msg_has(msg, "Machine type received is 'virt-test' and local "
                      "is 'virt-7.2'");
}
END_TEST

/* QEMU 7.2's own header and configuration parse (facts 1.5 bytes). */
START_TEST(test_qemu72_header)
{
    static const uint8_t q72[] = {
        0x51, 0x45, 0x56, 0x4d, 0, 0, 0, 3,
        0x07, 0, 0, 0, 8, 'v', 'i', 'r', 't', '-', '7', '.', '2',
        0x05, 0x1e, 'c', 'o', 'n', 'f', 'i', 'g', 'u', 'r', 'a', 't', 'i', 'o',
        'n', '/', 't', 'a', 'r', 'g', 'e', 't', '-', 'p', 'a', 'g', 'e', '-',
        'b', 'i', 't', 's', 0, 0, 0, 1, 0, 0, 0, 0x0c,
        0x01, 0, 0, 0, 2, 3, 'r', 'a', 'm', 0, 0, 0, 0, 0, 0, 0, 4,
    };
    g_autofree char *msg = NULL;

    savevm_set_machine_type("virt-7.2");
    msg = load_stream(q72, sizeof(q72));
    ck_assert_msg_has(msg, "Unknown section or instance 'ram' 0");
}
END_TEST

START_TEST(test_unknown_section)
{
    size_t len;
    g_autofree uint8_t *data = NULL;
    g_autofree char *msg = NULL;

    register_source();
    data = save_stream(&len);
    vmstate_unregister(&vmstate_dev, &dev1);
    msg = load_stream(data, len);
    ck_assert_msg_has(msg, "Unknown section or instance 'dev' 1");
}
END_TEST

START_TEST(test_section_too_new)
{
    size_t len;
    g_autofree uint8_t *data = NULL;
    g_autofree char *msg = NULL;

    register_source();
    data = save_stream(&len);
    vmstate_unregister(&vmstate_dev, &dev0);
    vmstate_register(NULL, 0, &vmstate_dev_v1, &dev0);
    msg = load_stream(data, len);
    ck_assert_msg_has(msg, "dev, instance 0: unsupported version 2");
}
END_TEST

/* A body of the wrong length is caught by the footer. */
START_TEST(test_footer_mismatch)
{
    static const uint8_t footer[] = { 0x7e, 0, 0, 0, 3 };
    size_t len;
    g_autofree uint8_t *data = NULL;
    g_autofree char *msg = NULL;
    g_autofree char *msg2 = NULL;
    uint8_t *p;

    register_source();
    data = save_stream(&len);
    p = memmem(data, len, footer, sizeof(footer));
    ck_assert_ptr_nonnull(p);
    p[0] = 0x55;
    msg = load_stream(data, len);
    ck_assert_msg_has(msg, "Missing section footer for gic, instance 0");
    p[0] = 0x7e;
    p[4] = 9;
    msg2 = load_stream(data, len);
    ck_assert_msg_has(msg2, "Mismatched section id in footer for gic");
}
END_TEST

START_TEST(test_unknown_record)
{
    size_t len, eof;
    g_autofree uint8_t *data = NULL;
    g_autofree char *msg = NULL;

    register_source();
    data = save_stream(&len);
    eof = eof_offset(data, len);
    data[eof] = 0x42;
    msg = load_stream(data, len);
    ck_assert_msg_has(msg, "Unknown section type 66");
}
END_TEST

/* The CVE-2013-4531 shape: a register list longer than ours. */
START_TEST(test_cpu_list_too_long)
{
    uint64_t src_idx[400] = { 0 };
    uint64_t dst_idx[300] = { 0 };
    FakeCpu src = { 400, 400, src_idx };
    FakeCpu dst = { 0, 300, dst_idx };
    size_t len;
    g_autofree uint8_t *data = NULL;
    g_autofree char *msg = NULL;

    vmstate_register(NULL, 0, &vmstate_fake_cpu, &src);
    data = save_stream(&len);
    vmstate_unregister_all();
    vmstate_register(NULL, 0, &vmstate_fake_cpu, &dst);
    msg = load_stream(data, len);
    ck_assert_msg_has(msg, "cpu, instance 0: field cpreg_vmstate_array_len: "
                      "400 exceeds the limit 300");
}
END_TEST

START_TEST(test_commands)
{
    size_t len, eof;
    g_autofree uint8_t *data = NULL;
    g_autofree uint8_t *with = NULL;
    static const uint8_t cmds[] = {
        0x08, 0, 1, 0, 0,                   /* OPEN_RETURN_PATH */
        0x08, 0, 2, 0, 4, 0, 0, 0, 1,       /* PING 1 */
        0x08, 0, 0x0b, 0, 0,                /* SWITCHOVER_START */
    };
    static const uint8_t bad[] = { 0x08, 0, 0x2a, 0, 0 };
    g_autofree char *msg = NULL;
    g_autofree char *msg2 = NULL;

    vmstate_register(NULL, 0, &vmstate_dev, &dev0);
    data = save_stream(&len);
    eof = eof_offset(data, len);
    with = g_malloc(len + sizeof(cmds));
    memcpy(with, data, eof);
    memcpy(with + eof, cmds, sizeof(cmds));
    memcpy(with + eof + sizeof(cmds), data + eof, len - eof);
    msg = load_stream(with, len + sizeof(cmds));
    ck_assert_msg(msg == NULL, "%s", msg);
    /* The destination must answer the source (SHUT) after this stream. */
    ck_assert(qemu_loadvm_return_path_requested());
    g_free(load_stream(data, len));
    ck_assert(!qemu_loadvm_return_path_requested());
    memcpy(with + eof, bad, sizeof(bad));
    msg2 = load_stream(with, len + sizeof(cmds));
    ck_assert_msg_has(msg2, "Unsupported migration command 0x2a");
}
END_TEST

START_TEST(test_unmigratable)
{
    static const VMStateDescription blocker = {
        .name = "blocker", .unmigratable = true,
    };
    QEMUFile *f = qemu_file_new_mem_writer();
    Error *err = NULL;

    vmstate_register(NULL, 0, &blocker, &dev0);
    ck_assert(!qemu_savevm_state(f, &err));
    ck_assert_msg_has(error_get_pretty(err), "non-migratable device "
                      "'blocker'");
    error_free(err);
    qemu_fclose(f);
}
END_TEST

START_TEST(test_dump_schema)
{
    g_autofree char *dir = g_dir_make_tmp("dump-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "schema.json", NULL);
    JsonParser *p = json_parser_new();
    JsonObject *root, *dev, *desc, *field;
    Error *err = NULL;

    register_source();
    ck_assert(vmstate_dump_schema(path, &err));
    ck_assert(json_parser_load_from_file(p, path, NULL));
    root = json_node_get_object(json_parser_get_root(p));
    ck_assert_str_eq(json_object_get_string_member(
        json_object_get_object_member(root, "vmschkmachine"), "Name"),
        "virt-test");
    dev = json_object_get_object_member(root, "dev");
    ck_assert_int_eq(json_object_get_int_member(dev, "version_id"), 2);
    desc = json_object_get_object_member(dev, "Description");
    field = json_array_get_object_element(
        json_object_get_array_member(desc, "Fields"), 0);
    ck_assert_str_eq(json_object_get_string_member(field, "field"), "a");
    ck_assert_int_eq(json_object_get_int_member(field, "size"), 4);
    ck_assert(!json_object_get_boolean_member(field, "field_exists"));
    ck_assert_uint_eq(json_array_get_length(
        json_object_get_array_member(desc, "Subsections")), 1);
    /* Iterative handlers have no schema. */
    ck_assert(!json_object_has_member(root, "live"));
    g_object_unref(p);
    unlink(path);
    rmdir(dir);
}
END_TEST


/* --- RAM (migration/ram.c) ------------------------------------------------ */

#define RAM_SIZE (8 * MiB)
static MemoryRegion *test_ram;

static void ram_setup(void)
{
    setup();
    if (!test_ram) {
        test_ram = memory_region_new_ram("test.ram", RAM_SIZE, &error_abort);
        ck_assert(address_space_map_region(&address_space_memory, test_ram,
                                           0x40000000, &error_abort));
    }
    /* Drop the contents: every page is zero and untouched again. */
    madvise(test_ram->host, RAM_SIZE, MADV_DONTNEED);
    savevm_set_machine_type("virt-test");
    ram_mig_init();
}

/* Has the host ever faulted in this page?  (pagemap bits 63/62) */
static bool host_page_touched(const void *p)
{
    int fd = open("/proc/self/pagemap", O_RDONLY);
    uint64_t e = 0;

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(pread(fd, &e, 8, (uintptr_t)p / 4096 * 8), 8);
    close(fd);
    return (e >> 62) & 3;
}

START_TEST(test_ram_roundtrip)
{
    size_t len;
    g_autofree uint8_t *data = NULL;
    g_autofree char *msg = NULL;
    RamStats st;
    uint8_t *h = test_ram->host;

    /* Three non-zero pages, one touched zero page, the rest untouched. */
    h[0] = 1;
    h[5 * 4096 + 17] = 0x55;
    memset(h + RAM_SIZE - 4096, 0xaa, 4096);
    h[7 * 4096] = 0;
    data = save_stream(&len);
    ram_get_stats(&st);
    ck_assert_uint_eq(st.total, RAM_SIZE);
    ck_assert_uint_eq(st.normal, 3);
    ck_assert_uint_eq(st.duplicate, RAM_SIZE / 4096 - 3);
    ck_assert_uint_eq(st.remaining, 0);
    /* 3 pages of data plus ~9 bytes per zero page. */
    ck_assert_uint_lt(len, 3 * 4096 + (RAM_SIZE / 4096) * 10 + 4096);

    madvise(h, RAM_SIZE, MADV_DONTNEED);
    msg = load_stream(data, len);
    ck_assert_msg(msg == NULL, "%s", msg);
    ck_assert_uint_eq(h[0], 1);
    ck_assert_uint_eq(h[5 * 4096 + 17], 0x55);
    ck_assert_uint_eq(h[RAM_SIZE - 1], 0xaa);
    /* Zero pages were not written on the destination. */
    /* (Transparent huge pages: data in the first and last 2 MiB only.) */
    ck_assert(!host_page_touched(h + 4 * MiB));
    ck_assert(!host_page_touched(h + 2 * MiB + 7 * 4096));
}
END_TEST

/* A ZERO record must clear a page the destination has data in. */
START_TEST(test_ram_zero_clears)
{
    size_t len;
    g_autofree uint8_t *data = NULL;
    g_autofree char *msg = NULL;
    uint8_t *h = test_ram->host;

    data = save_stream(&len);
    memset(h + 8192, 0x77, 4096);     /* e.g. a kernel the destination loaded */
    msg = load_stream(data, len);
    ck_assert_msg(msg == NULL, "%s", msg);
    ck_assert_uint_eq(h[8192], 0);
    ck_assert_uint_eq(h[8192 + 4095], 0);
}
END_TEST

/* Live: pages dirtied after they were sent go again in a later pass. */
START_TEST(test_ram_live_passes)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    Error *err = NULL;
    uint8_t *h = test_ram->host;
    size_t len;
    g_autofree uint8_t *data = NULL;
    g_autofree char *msg = NULL;
    RamStats st;
    int r;

    h[3 * 4096] = 1;
    qemu_savevm_state_header(f);
    ck_assert(qemu_savevm_state_setup(f, &err));
    ck_assert_uint_eq(qemu_savevm_state_pending(false), RAM_SIZE);
    do {
        r = qemu_savevm_state_iterate(f, &err);
        ck_assert_int_ge(r, 0);
    } while (r == 0);
    ck_assert_uint_eq(qemu_savevm_state_pending(false), 0);
    /* The guest writes two pages (store, then dirty bit). */
    h[3 * 4096] = 2;
    h[9 * 4096 + 1] = 9;
    memory_region_set_dirty(test_ram, 3 * 4096, 1);
    memory_region_set_dirty(test_ram, 9 * 4096 + 1, 1);
    ck_assert_uint_eq(qemu_savevm_state_pending(true), 2 * 4096);
    ram_get_stats(&st);
    ck_assert_uint_eq(st.dirty_sync_count, 2);
    r = qemu_savevm_state_iterate(f, &err);
    ck_assert_int_eq(r, 1);
    h[9 * 4096 + 1] = 10;
    memory_region_set_dirty(test_ram, 9 * 4096 + 1, 1);
    ck_assert(qemu_savevm_state_complete(f, &err));
    qemu_savevm_state_cleanup();
    data = qemu_file_mem_steal(f, &len);
    qemu_fclose(f);

    madvise(h, RAM_SIZE, MADV_DONTNEED);
    msg = load_stream(data, len);
    ck_assert_msg(msg == NULL, "%s", msg);
    ck_assert_uint_eq(h[3 * 4096], 2);
    ck_assert_uint_eq(h[9 * 4096 + 1], 10);
}
END_TEST

/* The bandwidth limit stops a PART early. */
START_TEST(test_ram_rate_limit)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    Error *err = NULL;

    memset(test_ram->host, 1, RAM_SIZE);
    qemu_file_set_rate_limit(f, 100000);     /* 10 KB per 100 ms window */
    qemu_savevm_state_header(f);
    ck_assert(qemu_savevm_state_setup(f, &err));
    ck_assert_int_eq(qemu_savevm_state_iterate(f, &err), 0);
    /* About 64 pages per rate-limit check: far from all 2048. */
    ck_assert_uint_lt(qemu_file_transferred(f), 100 * 4096);
    ck_assert_uint_gt(qemu_savevm_state_pending(false), RAM_SIZE / 2);
    qemu_savevm_state_cleanup();
    qemu_fclose(f);
}
END_TEST

/* A RAM START section with the given body, after a valid header. */
static char *load_ram_body(const uint8_t *body, size_t blen)
{
    static const uint8_t head[] = {
        0x51, 0x45, 0x56, 0x4d, 0, 0, 0, 3,
        0x07, 0, 0, 0, 9, 'v', 'i', 'r', 't', '-', 't', 'e', 's', 't',
        0x05, 30, 'c', 'o', 'n', 'f', 'i', 'g', 'u', 'r', 'a', 't', 'i', 'o',
        'n', '/', 't', 'a', 'r', 'g', 'e', 't', '-', 'p', 'a', 'g', 'e', '-',
        'b', 'i', 't', 's', 0, 0, 0, 1, 0, 0, 0, 12,
        0x01, 0, 0, 0, 0, 3, 'r', 'a', 'm', 0, 0, 0, 0, 0, 0, 0, 4,
    };
    g_autofree uint8_t *buf = g_malloc(sizeof(head) + blen);

    memcpy(buf, head, sizeof(head));
    memcpy(buf + sizeof(head), body, blen);
    return load_stream(buf, sizeof(head) + blen);
}

START_TEST(test_ram_hostile)
{
    static const uint8_t unknown[] = {
        0, 0, 0, 0, 0, 0x40, 0, 0x04, 3, 'f', 'o', 'o',
        0, 0, 0, 0, 0, 0x40, 0, 0,
    };
    static const uint8_t badlen[] = {
        0, 0, 0, 0, 0, 0x40, 0, 0x04, 8, 't', 'e', 's', 't', '.', 'r', 'a',
        'm', 0, 0, 0, 0, 0, 0x40, 0, 0,
    };
    static const uint8_t outside[] = {
        0, 0, 0, 0, 0, 0x80, 0, 0x04, 8, 't', 'e', 's', 't', '.', 'r', 'a',
        'm', 0, 0, 0, 0, 0, 0x80, 0, 0,
        0, 0, 0, 0, 0x04, 0, 0, 0x02, 8, 't', 'e', 's', 't', '.', 'r', 'a',
        'm', 0,
    };
    static const uint8_t zero_val[] = {
        0, 0, 0, 0, 0, 0x80, 0, 0x04, 8, 't', 'e', 's', 't', '.', 'r', 'a',
        'm', 0, 0, 0, 0, 0, 0x80, 0, 0,
        0, 0, 0, 0, 0, 0, 0x10, 0x02, 8, 't', 'e', 's', 't', '.', 'r', 'a',
        'm', 7,
    };
    static const uint8_t xbzrle[] = {
        0, 0, 0, 0, 0, 0, 0, 0x40,
    };
    static const uint8_t cont_first[] = {
        0, 0, 0, 0, 0, 0, 0, 0x22, 0,
    };
    g_autofree char *m1 = load_ram_body(unknown, sizeof(unknown));
    g_autofree char *m2 = load_ram_body(badlen, sizeof(badlen));
    g_autofree char *m3 = load_ram_body(outside, sizeof(outside));
    g_autofree char *m4 = load_ram_body(zero_val, sizeof(zero_val));
    g_autofree char *m5 = load_ram_body(xbzrle, sizeof(xbzrle));
    g_autofree char *m6 = load_ram_body(cont_first, sizeof(cont_first));

    ck_assert_msg_has(m1, "ram, instance 0: Unknown ramblock \"foo\"");
    ck_assert_msg_has(m2, "ramblock \"test.ram\": length 0x400000 in the "
                      "stream, 0x800000 here");
    ck_assert_msg_has(m3, "page offset 0x4000000 is outside ramblock");
    ck_assert_msg_has(m4, "Found a zero page with value 7");
    ck_assert_msg_has(m5, "XBZRLE pages are not supported");
    ck_assert_msg_has(m6, "continues a block, but none was named");
}
END_TEST

/*
 * Hostile streams: random byte changes to a valid stream must never crash
 * the loader or write outside guest RAM; each load either succeeds or
 * fails with a message.  (Deterministic seed: failures reproduce.)
 */
START_TEST(test_fuzz_corrupt_streams)
{
    uint64_t idx[8] = { 1, 2, 3 };
    uint64_t didx[8];
    FakeCpu cpu = { 3, 8, idx };
    FakeCpu dcpu = { 0, 8, didx };
    size_t len;
    g_autofree uint8_t *data = NULL;
    GRand *rnd = g_rand_new_with_seed(0x5eed);
    uint8_t *buf;

    memset(test_ram->host, 0x11, 3 * 4096);
    vmstate_register(NULL, 0, &vmstate_dev, &dev0);
    vmstate_register(NULL, 0, &vmstate_fake_cpu, &cpu);
    dev0.need_extra = true;
    data = save_stream(&len);
    vmstate_unregister(&vmstate_fake_cpu, &cpu);
    vmstate_register(NULL, 0, &vmstate_fake_cpu, &dcpu);
    buf = g_malloc(len);
    for (int iter = 0; iter < 2000; iter++) {
        size_t cut = len;
        int flips = 1 + g_rand_int_range(rnd, 0, 3);
        g_autofree char *msg = NULL;

        memcpy(buf, data, len);
        for (int i = 0; i < flips; i++) {
            /* Bias towards the header, sections and trailer boundaries. */
            size_t at = g_rand_boolean(rnd)
                        ? (size_t)g_rand_int_range(rnd, 0, MIN(len, 200))
                        : (size_t)g_rand_int_range(rnd, 0, len);
            buf[at] = g_rand_boolean(rnd) ? (uint8_t)g_rand_int(rnd)
                                          : buf[at] ^ (1u << (iter % 8));
        }
        if (g_rand_int_range(rnd, 0, 4) == 0) {
            cut = g_rand_int_range(rnd, 0, len);
        }
        msg = load_stream(buf, cut);
        /* A refusal is one line. */
        ck_assert(msg == NULL || strchr(msg, '\n') == NULL);
        ck_assert_int_le(dcpu.cpreg_vmstate_array_len, 8);
    }
    g_free(buf);
    g_rand_free(rnd);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("savevm");
    TCase *tc = tcase_create("stream");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_stream_bytes);
    tcase_add_test(tc, test_trailer_is_json);
    tcase_add_test(tc, test_roundtrip);
    tcase_add_test(tc, test_every_truncation);
    tcase_add_test(tc, test_bad_header);
    tcase_add_test(tc, test_machine_mismatch);
    tcase_add_test(tc, test_qemu72_header);
    tcase_add_test(tc, test_unknown_section);
    tcase_add_test(tc, test_section_too_new);
    tcase_add_test(tc, test_footer_mismatch);
    tcase_add_test(tc, test_unknown_record);
    tcase_add_test(tc, test_cpu_list_too_long);
    tcase_add_test(tc, test_commands);
    tcase_add_test(tc, test_unmigratable);
    tcase_add_test(tc, test_dump_schema);
    suite_add_tcase(s, tc);
    tc = tcase_create("ram");
    tcase_add_checked_fixture(tc, ram_setup, teardown);
    tcase_add_test(tc, test_ram_roundtrip);
    tcase_add_test(tc, test_ram_zero_clears);
    tcase_add_test(tc, test_ram_live_passes);
    tcase_add_test(tc, test_ram_rate_limit);
    tcase_add_test(tc, test_ram_hostile);
    tcase_add_test(tc, test_fuzz_corrupt_streams);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
