/*
 * Unit tests of the migration pre-flight (target/arm/preflight.c): the
 * check between two described sides, the JSON description and its
 * bounded parser, and the QMP handlers x-query-migration-source and
 * x-query-migration-compat called directly with json-glib objects.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "hw/boards.h"
#include "qapi/qmp-registry.h"
#include "cpregs.h"
#include "cpreg-list.h"
#include "cpu-features.h"
#include "kvm-regid.h"
#include "preflight.h"
#include "reconcile.h"
#include "test-cpregs-data.h"
#include "migration/qemu-file.h"
#include "migration/savevm.h"
#include "migration/vmstate.h"

#define MAXL 512

static ARMCPU *mkcpu(const char *model, const char *props)
{
    Error *err = NULL;
    ARMCPU *cpu = arm_cpu_new(model, props, 0, &err);
    ck_assert_msg(cpu, "%s", err ? error_get_pretty(err) : "");
    return cpu;
}

/* A side described from a vCPU of ours. */
static void tcg_side(ArmPreflightSide *s, const char *model,
                     const char *props, int gic, bool virt_ext)
{
    ARMCPU *cpu = mkcpu(model, props);

    memset(s, 0, sizeof(*s));
    s->accel = g_strdup("tcg");
    s->gic_version = gic;
    s->gic_virt_ext = virt_ext;
    s->cpu_model = g_strdup(model);
    s->cpu_props = g_strdup(props);
    s->midr = cpu->id.idspace[0];
    s->ids = g_new(uint64_t, cpu->cpreg_array_len);
    s->vals = g_new(uint64_t, cpu->cpreg_array_len);
    s->n = arm_cpreg_list_save(cpu, s->ids, s->vals);
    arm_cpu_free(cpu);
}

/* A KVM side from a captured list (core/SVE ids left out). */
static void kvm_side(ArmPreflightSide *s, const char *dir, unsigned kernel,
                     int gic)
{
    gchar *rel = g_strdup_printf("kvm-reglists/%s/reglist-a64.txt", dir);
    gchar *path = test_data_path(rel), *text = NULL;

    memset(s, 0, sizeof(*s));
    s->accel = g_strdup("kvm");
    s->kernel = kernel;
    s->gic_version = gic;
    s->cpu_model = g_strdup("host");
    s->kvm_ids = g_new(uint64_t, MAXL);
    s->kvm_vals = g_new(uint64_t, MAXL);
    ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "%s", path);
    gchar **lines = g_strsplit(text, "\n", -1);
    for (unsigned i = 0; lines[i]; i++) {
        char *eq = strrchr(lines[i], '=');
        if (lines[i][0] == '#' || !eq || !strncmp(lines[i], "core", 4)) {
            continue;
        }
        s->kvm_ids[s->kvm_n] = g_ascii_strtoull(strchr(lines[i], ' '), NULL, 0);
        s->kvm_vals[s->kvm_n++] = g_ascii_strtoull(eq + 1, NULL, 0);
    }
    g_strfreev(lines);
    g_free(text);
    g_free(path);
    g_free(rel);
}

static char *joined(GPtrArray *p)
{
    GString *s = g_string_new("");
    for (unsigned i = 0; i < p->len; i++) {
        g_string_append_printf(s, "%s\n", (char *)p->pdata[i]);
    }
    return g_string_free(s, false);
}

static GPtrArray *check(const ArmPreflightSide *a, const ArmPreflightSide *b)
{
    GPtrArray *p = g_ptr_array_new_with_free_func(g_free);
    unsigned n = arm_preflight_check(a, b, p);
    ck_assert_uint_eq(n, p->len);
    return p;
}

static void expect(GPtrArray *p, const char *needle)
{
    g_autofree char *all = joined(p);
    ck_assert_msg(strstr(all, needle), "expected '%s' in:\n%s", needle, all);
}

/* ---- the check ---- */

START_TEST(test_compatible_pairs_empty)
{
    ArmPreflightSide a, b, k61, k612;
    GPtrArray *p;

    tcg_side(&a, "max", NULL, 3, false);
    tcg_side(&b, "max", NULL, 3, false);
    p = check(&a, &b);
    ck_assert_msg(p->len == 0, "%s", joined(p));
    g_ptr_array_free(p, true);
    arm_preflight_side_free(&a);
    arm_preflight_side_free(&b);

    tcg_side(&a, "cortex-a57", NULL, 2, true);
    tcg_side(&b, "cortex-a57", NULL, 2, true);
    p = check(&a, &b);
    ck_assert_uint_eq(p->len, 0);
    g_ptr_array_free(p, true);
    arm_preflight_side_free(&a);
    arm_preflight_side_free(&b);

    /* KVM 6.1 <-> 6.12, same host: by rule, both ways. */
    kvm_side(&k61, "k61-a57-gic3", 601, 3);
    kvm_side(&k612, "k612-a57-gic3", 612, 3);
    p = check(&k61, &k612);
    ck_assert_msg(p->len == 0, "%s", joined(p));
    g_ptr_array_free(p, true);
    p = check(&k612, &k61);
    ck_assert_msg(p->len == 0, "%s", joined(p));
    g_ptr_array_free(p, true);
    arm_preflight_side_free(&k61);
    arm_preflight_side_free(&k612);
}
END_TEST

START_TEST(test_gicv2_virt_ext_into_kvm)
{
    ArmPreflightSide src, dst;
    GPtrArray *p;

    tcg_side(&src, "cortex-a57", "pmu=off", 2, true);
    kvm_side(&dst, "k612-a57-gic3", 612, 2);
    p = check(&src, &dst);
    expect(p, "gic: GICv2 virtualization extensions are on in the source: "
           "the in-kernel vGIC (KVM) cannot emulate them");
    g_ptr_array_free(p, true);
    /* ... and into a TCG machine without them. */
    arm_preflight_side_free(&dst);
    tcg_side(&dst, "cortex-a57", NULL, 2, false);
    p = check(&src, &dst);
    expect(p, "has-virtualization-extensions=on");
    g_ptr_array_free(p, true);
    /* GIC version mismatch. */
    dst.gic_version = 3;
    p = check(&src, &dst);
    expect(p, "gic: the source has a GICv2, this machine a GICv3");
    g_ptr_array_free(p, true);
    arm_preflight_side_free(&src);
    arm_preflight_side_free(&dst);
}
END_TEST

static const struct {
    const char *props, *dir;
    unsigned kernel;
    const char *why;
} tcg_into_kvm[] = {
    { "pauth=on,pmu=off", "k61-a57-gic3", 601,
      "cpu: ID_AA64ISAR0_EL1.Atomic 2 (the KVM host (Linux 6.1) offers 0)" },
    { "pauth=on,pmu=off", "k61-a57-gic3", 601, "ID_AA64ISAR1_EL1.APA 1 (the "
      "KVM host (Linux 6.1) offers 0): the guest may already use it" },
    { "pauth=on,pmu=off", "k612-a57-gic3", 612, "ID_AA64ISAR1_EL1.GPA 1" },
    { NULL, "k612-a57-gic3", 612, "ID_AA64DFR0_EL1.PMUVer 1" },
    { "sve=on,pmu=off", "k61-a57-gic3", 601, "ID_AA64PFR0_EL1.SVE 1" },
};

/* A TCG source with a feature the KVM host lacks. */
START_TEST(test_tcg_feature_host_lacks)
{
    ArmPreflightSide src, dst;
    GPtrArray *p;

    tcg_side(&src, "max", tcg_into_kvm[_i].props, 3, false);
    kvm_side(&dst, tcg_into_kvm[_i].dir, tcg_into_kvm[_i].kernel, 3);
    p = check(&src, &dst);
    expect(p, tcg_into_kvm[_i].why);
    g_ptr_array_free(p, true);
    arm_preflight_side_free(&src);
    arm_preflight_side_free(&dst);
}
END_TEST

/* SVE into our emulator: named, and the incoming load says the same. */
START_TEST(test_sve_into_tcg_same_as_load)
{
    ArmPreflightSide src, dst;
    ARMCPU *cpu = mkcpu("max", NULL);
    Error *err = NULL;
    GPtrArray *p;

    tcg_side(&src, "max", "sve=on", 3, false);
    tcg_side(&dst, "max", NULL, 3, false);
    p = check(&src, &dst);
    ck_assert_uint_eq(p->len, 1);
    expect(p, "ID_AA64PFR0_EL1.SVE 1 > 0 (SVE is not emulated)");
    /* The incoming load of the same list is refused with the same line. */
    ck_assert(!arm_cpu_load_incoming_list(cpu, src.ids, src.vals, src.n,
                                          &err));
    const char *e = error_get_pretty(err);
    g_autofree char *want = g_str_has_prefix(e, "cpu: ") ? g_strdup(e) :
                            g_strdup_printf("cpu: %s", e);
    ck_assert_str_eq(p->pdata[0], want);
    error_free(err);
    g_ptr_array_free(p, true);
    arm_preflight_side_free(&src);
    arm_preflight_side_free(&dst);
    arm_cpu_free(cpu);
}
END_TEST

/* A KVM-born guest (its list came through TCG) goes back to KVM. */
START_TEST(test_kvm_guest_back_to_kvm)
{
    ArmPreflightSide k, src;
    ARMCPU *cpu = mkcpu("cortex-a57", NULL);
    GPtrArray *p;

    kvm_side(&k, "k61-a57-gic3", 601, 3);
    ck_assert(arm_cpu_load_incoming_list(cpu, k.kvm_ids, k.kvm_vals, k.kvm_n,
                                         NULL));
    memset(&src, 0, sizeof(src));
    src.accel = g_strdup("tcg");
    src.gic_version = 3;
    src.cpu_model = g_strdup("cortex-a57");
    src.ids = g_new(uint64_t, cpu->cpreg_array_len);
    src.vals = g_new(uint64_t, cpu->cpreg_array_len);
    src.n = arm_cpreg_list_save(cpu, src.ids, src.vals);
    const uint64_t *ci, *cv;
    src.carry_n = arm_reconcile_carry_get(cpu, &ci, &cv);
    src.carry_ids = g_memdup2(ci, src.carry_n * sizeof(uint64_t));
    src.carry_vals = g_memdup2(cv, src.carry_n * sizeof(uint64_t));
    ck_assert_uint_eq(src.carry_n, 10);
    p = check(&src, &k);
    ck_assert_msg(p->len == 0, "%s", joined(p));
    g_ptr_array_free(p, true);
    arm_preflight_side_free(&src);
    arm_preflight_side_free(&k);
    arm_reconcile_carry_clear(cpu);
    arm_cpu_free(cpu);
}
END_TEST

/* ---- JSON ---- */

START_TEST(test_json_round_trip)
{
    ArmPreflightSide a, b, k;
    Error *err = NULL;

    tcg_side(&a, "max", "pauth=on", 3, false);
    JsonObject *o = arm_preflight_side_to_json(&a);
    ck_assert(arm_preflight_side_from_json(o, &b, &err));
    ck_assert_str_eq(b.accel, "tcg");
    ck_assert_str_eq(b.cpu_model, "max");
    ck_assert_str_eq(b.cpu_props, "pauth=on");
    ck_assert_int_eq(b.gic_version, 3);
    ck_assert_uint_eq(b.midr, a.midr);
    ck_assert_uint_eq(b.n, a.n);
    ck_assert(!memcmp(a.ids, b.ids, a.n * 8) && !memcmp(a.vals, b.vals, a.n * 8));
    json_object_unref(o);
    arm_preflight_side_free(&a);
    arm_preflight_side_free(&b);

    kvm_side(&k, "k612-max-gic3", 612, 3);
    o = arm_preflight_side_to_json(&k);
    ck_assert_str_eq(json_object_get_string_member(o, "kernel"), "6.12");
    ck_assert(arm_preflight_side_from_json(o, &b, &err));
    ck_assert_uint_eq(b.kernel, 612);
    ck_assert_uint_eq(b.kvm_n, k.kvm_n);
    ck_assert(!memcmp(k.kvm_vals, b.kvm_vals, k.kvm_n * 8));
    json_object_unref(o);
    arm_preflight_side_free(&k);
    arm_preflight_side_free(&b);
}
END_TEST

static JsonObject *parse(const char *text)
{
    JsonParser *jp = json_parser_new();
    ck_assert(json_parser_load_from_data(jp, text, -1, NULL));
    JsonObject *o = json_object_ref(json_node_get_object(
                                    json_parser_get_root(jp)));
    g_object_unref(jp);
    return o;
}

static const struct {
    const char *json, *err;
} bad_json[] = {
    { "{\"cpu\": {}}", "source.accel" },
    { "{\"accel\": \"xen\", \"cpu\": {}}", "source.accel" },
    { "{\"accel\": \"tcg\"}", "source.cpu: expected an object" },
    { "{\"accel\": \"tcg\", \"cpu\": {\"regs\": 5}}", "expected an array" },
    { "{\"accel\": \"tcg\", \"cpu\": {\"regs\": [[\"0x1\"]]}}", "regs[0]" },
    { "{\"accel\": \"tcg\", \"cpu\": {\"regs\": [[\"12\", \"0x1\"]]}}",
      "regs[0]" },
    { "{\"accel\": \"tcg\", \"cpu\": {\"regs\": [[\"0x1zz\", \"0x1\"]]}}",
      "regs[0]" },
    { "{\"accel\": \"tcg\", \"cpu\": {\"regs\": [[\"0x10000000000000000\", "
      "\"0x1\"]]}}", "regs[0]" },
    { "{\"accel\": \"tcg\", \"cpu\": {\"regs\": [[\"0x2\", \"0x1\"], "
      "[\"0x1\", \"0x1\"]]}}", "not sorted" },
    { "{\"accel\": \"tcg\", \"cpu\": {\"midr\": 7}}", "source.cpu.midr" },
    { "{\"accel\": \"tcg\", \"cpu\": {\"kvm-only\": [[1, 2]]}}",
      "kvm-only[0]" },
};

START_TEST(test_json_hostile)
{
    JsonObject *o = parse(bad_json[_i].json);
    ArmPreflightSide s;
    Error *err = NULL;

    ck_assert(!arm_preflight_side_from_json(o, &s, &err));
    ck_assert_msg(strstr(error_get_pretty(err), bad_json[_i].err),
                  "'%s' not in: %s", bad_json[_i].err, error_get_pretty(err));
    error_free(err);
    json_object_unref(o);
}
END_TEST

START_TEST(test_json_too_long)
{
    JsonObject *o = json_object_new(), *c = json_object_new();
    JsonArray *a = json_array_new();
    ArmPreflightSide s;
    Error *err = NULL;

    for (unsigned i = 0; i < ARM_CPREG_LIST_MAX + 1; i++) {
        JsonArray *p = json_array_new();
        json_array_add_string_element(p, "0x1");
        json_array_add_string_element(p, "0x1");
        json_array_add_array_element(a, p);
    }
    json_object_set_array_member(c, "regs", a);
    json_object_set_string_member(o, "accel", "tcg");
    json_object_set_object_member(o, "cpu", c);
    ck_assert(!arm_preflight_side_from_json(o, &s, &err));
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "4097 entries"));
    error_free(err);
    json_object_unref(o);
}
END_TEST

/* ---- the QMP handlers ---- */

static MachineState fake_ms;
static uint64_t *hook_ids, *hook_vals;
static uint32_t hook_n;

static bool fake_kvm_list(unsigned cpu_index, uint64_t **ids, uint64_t **vals,
                          uint32_t *n, Error **errp)
{
    *ids = g_memdup2(hook_ids, hook_n * 8);
    *vals = g_memdup2(hook_vals, hook_n * 8);
    *n = hook_n;
    return true;
}

static void set_machine(ARMCPU *cpu, const char *accel, int gic, bool ve,
                        char *props)
{
    fake_ms.accel = accel;
    fake_ms.gic_version = gic;
    fake_ms.gic_virt_ext = ve;
    fake_ms.cpu_props = props;
    current_machine = &fake_ms;
    arm_cpus[0] = cpu;
    arm_cpu_count = 1;
}

static JsonObject *call(QmpCommandFunc *fn, JsonObject *args, Error **errp)
{
    JsonNode *ret = NULL;

    fn(args, &ret, errp);
    if (!ret) {
        return NULL;
    }
    JsonObject *o = json_object_ref(json_node_get_object(ret));
    json_node_unref(ret);
    return o;
}

START_TEST(test_qmp_handlers)
{
    ARMCPU *src = mkcpu("max", "sve=on");
    ARMCPU *dst = mkcpu("max", NULL);
    JsonObject *args = json_object_new(), *desc, *ans;
    Error *err = NULL;

    arm_preflight_qmp_register();
    ck_assert_ptr_nonnull(qmp_find_command("x-query-migration-source"));
    ck_assert_ptr_nonnull(qmp_find_command("x-query-migration-compat"));

    /* Source side. */
    set_machine(src, "tcg", 3, false, (char *)"sve=on");
    desc = call(qmp_x_query_migration_source, args, &err);
    ck_assert_msg(desc, "%s", err ? error_get_pretty(err) : "");
    ck_assert_str_eq(json_object_get_string_member(desc, "accel"), "tcg");
    ck_assert_int_eq(json_object_get_int_member(desc, "gic-version"), 3);
    JsonObject *c = json_object_get_object_member(desc, "cpu");
    ck_assert_str_eq(json_object_get_string_member(c, "model"), "max");
    ck_assert_uint_eq(json_array_get_length(json_object_get_array_member(c,
                      "regs")), src->cpreg_array_len);

    /* Destination: the same machine is compatible with itself. */
    json_object_set_object_member(args, "source", json_object_ref(desc));
    ans = call(qmp_x_query_migration_compat, args, &err);
    ck_assert(ans);
    ck_assert(json_object_get_boolean_member(ans, "compatible"));
    ck_assert_uint_eq(json_array_get_length(json_object_get_array_member(ans,
                      "problems")), 0);
    json_object_unref(ans);

    /* A max without SVE: one problem, area "cpu", naming SVE. */
    set_machine(dst, "tcg", 3, false, NULL);
    ans = call(qmp_x_query_migration_compat, args, &err);
    ck_assert(ans);
    ck_assert(!json_object_get_boolean_member(ans, "compatible"));
    JsonArray *pr = json_object_get_array_member(ans, "problems");
    ck_assert_uint_eq(json_array_get_length(pr), 1);
    JsonObject *p0 = json_array_get_object_element(pr, 0);
    ck_assert_str_eq(json_object_get_string_member(p0, "area"), "cpu");
    ck_assert_ptr_nonnull(strstr(json_object_get_string_member(p0, "reason"),
                                 "SVE is not emulated"));
    json_object_unref(ans);

    /* A KVM destination whose kernel list comes from the KVM hook; the
     * source has GICv2 virtualization extensions. */
    ArmPreflightSide k;
    kvm_side(&k, "k612-a57-gic3", 612, 3);
    hook_ids = k.kvm_ids;
    hook_vals = k.kvm_vals;
    hook_n = k.kvm_n;
    arm_preflight_kvm_list_hook = fake_kvm_list;
    set_machine(dst, "kvm", 2, false, NULL);
    json_object_set_int_member(desc, "gic-version", 2);
    json_object_set_boolean_member(desc, "gic-virt-ext", true);
    ans = call(qmp_x_query_migration_compat, args, &err);
    ck_assert(ans);
    pr = json_object_get_array_member(ans, "problems");
    ck_assert_uint_ge(json_array_get_length(pr), 2);
    p0 = json_array_get_object_element(pr, 0);
    ck_assert_str_eq(json_object_get_string_member(p0, "area"), "gic");
    json_object_unref(ans);
    arm_preflight_kvm_list_hook = NULL;
    arm_preflight_side_free(&k);

    /* Bad arguments. */
    JsonObject *none = json_object_new();
    ck_assert_ptr_null(call(qmp_x_query_migration_compat, none, &err));
    ck_assert_str_eq(error_get_pretty(err), "Parameter 'source' is missing");
    error_free(err);
    err = NULL;
    json_object_set_int_member(none, "source", 1);
    ck_assert_ptr_null(call(qmp_x_query_migration_compat, none, &err));
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "expected: object"));
    error_free(err);
    err = NULL;
    /* No machine yet. */
    current_machine = NULL;
    ck_assert_ptr_null(call(qmp_x_query_migration_source, none, &err));
    error_free(err);
    json_object_unref(none);

    arm_cpus[0] = NULL;
    arm_cpu_count = 0;
    json_object_unref(desc);
    json_object_unref(args);
    arm_cpu_free(src);
    arm_cpu_free(dst);
}
END_TEST

/* The "arm-preflight" section: a refusal before any RAM, same reasons. */
static uint8_t *save_stream(size_t *len)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    Error *err = NULL;

    ck_assert_msg(qemu_savevm_state(f, &err), "%s",
                  err ? error_get_pretty(err) : "");
    qemu_fflush(f);
    uint8_t *buf = qemu_file_mem_steal(f, len);
    qemu_fclose(f);
    return buf;
}

static bool load_stream(const uint8_t *buf, size_t len, Error **errp)
{
    QEMUFile *f = qemu_file_new_mem_reader(buf, len);
    bool ok = qemu_loadvm_state(f, errp);
    qemu_fclose(f);
    return ok;
}

START_TEST(test_preflight_section)
{
    ARMCPU *src = mkcpu("max", "sve=on");
    ARMCPU *dst = mkcpu("max", NULL);
    ARMCPU *dst2 = mkcpu("max", "sve=on");
    JsonObject *args = json_object_new();
    Error *err = NULL;
    uint8_t *buf;
    size_t len;

    fake_ms.type = "virt-7.2";
    arm_preflight_section_register();
    /* A plain TCG stream does not carry it. */
    set_machine(src, "tcg", 3, false, (char *)"sve=on");
    buf = save_stream(&len);
    ck_assert_ptr_null(memmem(buf, len, "arm-preflight", 13));
    g_free(buf);
    /* Asked for: sent in the setup phase. */
    json_object_set_boolean_member(args, "enable", true);
    const QmpCommand *cmd = qmp_find_command("x-migration-preflight-section");
    ck_assert_ptr_nonnull(cmd);
    JsonNode *ret = NULL;
    cmd->fn(args, &ret, &err);
    ck_assert_ptr_null(err);
    buf = save_stream(&len);
    ck_assert_ptr_nonnull(memmem(buf, len, "arm-preflight", 13));
    /* A destination without SVE refuses at the start, naming SVE. */
    set_machine(dst, "tcg", 3, false, NULL);
    ck_assert(!load_stream(buf, len, &err));
    ck_assert_msg(strstr(error_get_pretty(err), "migration refused before "
                         "RAM: cpu: ") &&
                  strstr(error_get_pretty(err), "SVE is not emulated"), "%s",
                  error_get_pretty(err));
    error_free(err);
    err = NULL;
    /* A compatible one goes on. */
    set_machine(dst2, "tcg", 3, false, (char *)"sve=on");
    ck_assert_msg(load_stream(buf, len, &err), "%s",
                  err ? error_get_pretty(err) : "");
    /* A truncated description is refused by name. */
    uint8_t *p = memmem(buf, len, "arm-preflight", 13);
    size_t cut = (p - buf) + 13 + 8 + 4 + 10;
    ck_assert(!load_stream(buf, cut, &err));
    error_free(err);
    g_free(buf);
    json_object_set_boolean_member(args, "enable", false);
    cmd->fn(args, &ret, &err);
    json_object_unref(args);
    arm_cpus[0] = NULL;
    arm_cpu_count = 0;
    current_machine = NULL;
    arm_cpu_free(src);
    arm_cpu_free(dst);
    arm_cpu_free(dst2);
}
END_TEST

/*
 * A KVM destination described as x-query-migration-source does when the
 * kernel's list is not at hand: its vCPU's own list.  The pre-flight must
 * refuse with exactly the load's line (one function for both).
 */
START_TEST(test_pauth_into_kvm_a72_same_as_load)
{
    ArmPreflightSide src, dst;
    ARMCPU *cpu = mkcpu("cortex-a72", NULL);
    Error *err = NULL;
    GPtrArray *p;

    tcg_side(&src, "max", "pauth=on", 3, false);
    tcg_side(&dst, "cortex-a72", NULL, 3, false);
    g_free(dst.accel);
    dst.accel = g_strdup("kvm");
    p = check(&src, &dst);
    ck_assert_msg(p->len >= 1, "pre-flight said compatible");
    ck_assert(!arm_cpu_load_incoming_list(cpu, src.ids, src.vals, src.n,
                                          &err));
    const char *e = error_get_pretty(err);
    g_autofree char *want = g_str_has_prefix(e, "cpu: ") ? g_strdup(e) :
                            g_strdup_printf("cpu: %s", e);
    ck_assert_str_eq(p->pdata[0], want);
    error_free(err);
    g_ptr_array_free(p, true);
    /* The same source and a destination that has pauth: nothing. */
    arm_preflight_side_free(&dst);
    tcg_side(&dst, "max", "pauth=on", 3, false);
    g_free(dst.accel);
    dst.accel = g_strdup("kvm");
    p = check(&src, &dst);
    ck_assert_msg(p->len == 0, "%s", joined(p));
    g_ptr_array_free(p, true);
    arm_preflight_side_free(&src);
    arm_preflight_side_free(&dst);
    arm_cpu_free(cpu);
}
END_TEST

/*
 * -cpu host on a host whose identification is above the max model's
 * (here FP/AdvSIMD 1, half precision): KVM -> KVM on the same host has
 * nothing to report; the reference is the destination vCPU's own
 * identification, not the model table.
 */
static void host_side(ArmPreflightSide *s)
{
    ARMCPU *cpu = mkcpu("max", NULL);
    uint64_t id = ARM_SYSREG_KVM_ID(SYSREG_ID_AA64PFR0_EL1);
    uint64_t v = arm_idreg(cpu, SYSREG_ID_AA64PFR0_EL1);
    Error *err = NULL;

    v = arm_idfield_set(v, IDF_ID_AA64PFR0_EL1_FP, 1);
    v = arm_idfield_set(v, IDF_ID_AA64PFR0_EL1_AdvSIMD, 1);
    ck_assert_msg(arm_cpu_import_id_regs(cpu, &id, &v, 1, &err), "%s",
                  err ? error_get_pretty(err) : "");
    memset(s, 0, sizeof(*s));
    s->accel = g_strdup("kvm");
    s->kernel = 612;
    s->gic_version = 3;
    s->cpu_model = g_strdup("host");
    s->midr = cpu->id.idspace[0];
    s->ids = g_new(uint64_t, cpu->cpreg_array_len);
    s->vals = g_new(uint64_t, cpu->cpreg_array_len);
    s->n = arm_cpreg_list_save(cpu, s->ids, s->vals);
    arm_cpu_free(cpu);
}

START_TEST(test_kvm_host_to_same_host)
{
    ArmPreflightSide src, dst;
    GPtrArray *p;

    host_side(&src);
    host_side(&dst);
    p = check(&src, &dst);
    ck_assert_msg(p->len == 0, "%s", joined(p));
    g_ptr_array_free(p, true);
    /* A plain max destination still lacks FP16: named. */
    arm_preflight_side_free(&dst);
    tcg_side(&dst, "max", NULL, 3, false);
    p = check(&src, &dst);
    expect(p, "ID_AA64PFR0_EL1.FP 1 > 0");
    g_ptr_array_free(p, true);
    arm_preflight_side_free(&src);
    arm_preflight_side_free(&dst);
}
END_TEST

/*
 * The interrupt-controller configuration rides in "arm-preflight": a GICv2
 * with virtualization extensions is refused before RAM by a KVM machine or
 * one without them, with the pre-flight's line; a GICv3 machine names the
 * version.
 */
START_TEST(test_preflight_section_gic)
{
    ARMCPU *src = mkcpu("max", NULL);
    ARMCPU *dst = mkcpu("max", NULL);
    Error *err = NULL;
    uint8_t *buf;
    size_t len;

    fake_ms.type = "virt-7.2";
    arm_preflight_section_register();
    set_machine(src, "tcg", 2, true, NULL);
    buf = save_stream(&len);
    ck_assert_ptr_nonnull(memmem(buf, len, "arm-preflight", 13));

    set_machine(dst, "kvm", 2, false, NULL);
    ck_assert(!load_stream(buf, len, &err));
    ck_assert_msg(strstr(error_get_pretty(err), "migration refused before "
                         "RAM: gic: GICv2 virtualization extensions are on "
                         "in the source: the in-kernel vGIC (KVM) cannot "
                         "emulate them"), "%s", error_get_pretty(err));
    error_free(err);
    err = NULL;
    set_machine(dst, "tcg", 2, false, NULL);
    ck_assert(!load_stream(buf, len, &err));
    ck_assert_msg(strstr(error_get_pretty(err), "migration refused before "
                         "RAM: gic: GICv2 virtualization extensions are on "
                         "in the source but off here"), "%s",
                  error_get_pretty(err));
    error_free(err);
    err = NULL;
    set_machine(dst, "tcg", 3, true, NULL);
    ck_assert(!load_stream(buf, len, &err));
    ck_assert_msg(strstr(error_get_pretty(err), "gic: the source has a GICv2, "
                         "this machine a GICv3"), "%s", error_get_pretty(err));
    error_free(err);
    err = NULL;
    set_machine(dst, "tcg", 2, true, NULL);
    ck_assert_msg(load_stream(buf, len, &err), "%s",
                  err ? error_get_pretty(err) : "");
    g_free(buf);
    arm_cpus[0] = NULL;
    arm_cpu_count = 0;
    current_machine = NULL;
    arm_cpu_free(src);
    arm_cpu_free(dst);
}
END_TEST

static Suite *preflight_suite(void)
{
    Suite *s = suite_create("preflight");
    TCase *tc = tcase_create("preflight");

    tcase_add_test(tc, test_compatible_pairs_empty);
    tcase_add_test(tc, test_gicv2_virt_ext_into_kvm);
    tcase_add_loop_test(tc, test_tcg_feature_host_lacks, 0,
                        ARRAY_SIZE(tcg_into_kvm));
    tcase_add_test(tc, test_sve_into_tcg_same_as_load);
    tcase_add_test(tc, test_kvm_guest_back_to_kvm);
    tcase_add_test(tc, test_json_round_trip);
    tcase_add_loop_test(tc, test_json_hostile, 0, ARRAY_SIZE(bad_json));
    tcase_add_test(tc, test_json_too_long);
    tcase_add_test(tc, test_qmp_handlers);
    tcase_add_test(tc, test_preflight_section);
    tcase_add_test(tc, test_pauth_into_kvm_a72_same_as_load);
    tcase_add_test(tc, test_kvm_host_to_same_host);
    tcase_add_test(tc, test_preflight_section_gic);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(preflight_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
