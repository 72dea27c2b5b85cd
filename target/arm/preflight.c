/*
 * Migration pre-flight (issue 8 item 3; BRIEF section 1: "be told before
 * migrating whether it will work, and why not").
 *
 *   source:      x-query-migration-source
 *     -> {"accel": "kvm", "kernel": "6.12", "gic-version": 3,
 *         "gic-virt-ext": false,
 *         "cpu": {"model": "host", "props": "", "midr": "0x411fd070",
 *                 "regs": [["0x603000000013c000", "0x411fd070"], ...],
 *                 "kvm-only": [[id, value], ...],
 *                 "kvm-list": [[id, value], ...]}}      (KVM only)
 *   destination: x-query-migration-compat {"source": <that object>}
 *     -> {"compatible": false,
 *         "problems": [{"area": "gic", "reason": "..."}, ...]}
 *
 * "problems" is empty exactly when the migration will go ahead.  The
 * destination judges with the functions its incoming load uses
 * (arm_cpu_load_incoming_list on a scratch vCPU, arm_reconcile_for_kvm,
 * arm_reconcile_kvm_to_kvm), so a refused load names the same reasons.
 * 64-bit values are hex strings: JSON integers do not hold a u64.
 */
#include "qemu/osdep.h"
#include <sys/utsname.h>
#include "qapi/qmp-registry.h"
#include "hw/boards.h"
#include "preflight.h"
#include "reconcile.h"
#include "cpreg-list.h"
#include "cpregs.h"
#include "cpu-models.h"

bool (*arm_preflight_kvm_list_hook)(unsigned cpu_index, uint64_t **ids,
                                    uint64_t **vals, uint32_t *n,
                                    Error **errp);

void arm_preflight_side_free(ArmPreflightSide *s)
{
    g_free(s->accel);
    g_free(s->cpu_model);
    g_free(s->cpu_props);
    g_free(s->ids);
    g_free(s->vals);
    g_free(s->carry_ids);
    g_free(s->carry_vals);
    g_free(s->kvm_ids);
    g_free(s->kvm_vals);
    memset(s, 0, sizeof(*s));
}

static void add(GPtrArray *problems, const char *area, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
static void add(GPtrArray *problems, const char *area, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_ptr_array_add(problems, g_strdup_printf("%s: %s", area, msg));
}

static void add_err(GPtrArray *problems, const char *area, Error *err)
{
    const char *msg = error_get_pretty(err);
    size_t n = strlen(area);

    /* "cpu: incoming ..." already names the area: do not repeat it. */
    if (!strncmp(msg, area, n) && !strncmp(msg + n, ": ", 2)) {
        msg += n + 2;
    }
    add(problems, area, "%s", msg);
    error_free(err);
}

/* One line per refusal of a plan (rather than the joined error). */
static void add_plan(GPtrArray *problems, const ArmReconPlan *plan,
                     Error *err)
{
    for (unsigned i = 0; i < plan->problems->len; i++) {
        add(problems, "cpu", "%s", (const char *)plan->problems->pdata[i]);
    }
    if (!plan->problems->len && err) {
        add(problems, "cpu", "%s", error_get_pretty(err));
    }
    error_free(err);
}

static bool is_kvm(const ArmPreflightSide *s)
{
    return s->accel && !strcmp(s->accel, "kvm");
}

/*
 * A vCPU standing for one side, built from its model and properties with
 * the identification that side's vCPU really has: taken from its list, or
 * from the kernel's list where only that is known.  "host" is the model
 * the KVM code fills with what KVM reports (arm_cpu_import_id_regs), as
 * here; a vCPU that took an incoming identification earlier shows that
 * one.  The model table alone is never the reference: a -cpu host
 * destination offers what its host offers.
 */
static ARMCPU *side_cpu(const ArmPreflightSide *s, GPtrArray *problems)
{
    Error *err = NULL;
    const char *model = s->cpu_model ? s->cpu_model : "max";
    const uint64_t *ids = s->n ? s->ids : s->kvm_ids;
    const uint64_t *vals = s->n ? s->vals : s->kvm_vals;
    uint32_t n = s->n ? s->n : s->kvm_n;
    g_autofree uint64_t *tids = g_new(uint64_t, n ? n : 1);
    g_autofree uint64_t *tvals = g_new(uint64_t, n ? n : 1);
    uint32_t k = 0;
    ARMCPU *cpu;

    /* Index 0 like the source's vCPU 0 (MPIDR must match); never
     * registered anywhere, freed by free_scratch. */
    cpu = arm_cpu_new(model, s->cpu_props && *s->cpu_props ? s->cpu_props :
                      NULL, 0, &err);
    if (!cpu) {
        add_err(problems, "cpu", err);
        return NULL;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (arm_recon_is_ident(ids[i])) {
            tids[k] = ids[i];
            tvals[k++] = vals[i];
        }
    }
    if (k && !arm_cpu_import_id_regs(cpu, tids, tvals, k, &err)) {
        add_err(problems, "cpu", err);
        arm_cpu_free(cpu);
        return NULL;
    }
    return cpu;
}

/* A vCPU standing for one side after loading list (ids, vals, n). */
static ARMCPU *scratch_cpu(const ArmPreflightSide *s, const uint64_t *ids,
                           const uint64_t *vals, uint32_t n,
                           GPtrArray *problems)
{
    Error *err = NULL;
    ARMCPU *cpu = side_cpu(s, problems);

    if (cpu && !arm_cpu_load_incoming_list(cpu, ids, vals, n, &err)) {
        add_err(problems, "cpu", err);
        arm_cpu_free(cpu);
        return NULL;
    }
    return cpu;
}

static void free_scratch(ARMCPU *cpu)
{
    if (cpu) {
        arm_reconcile_carry_clear(cpu);
        arm_cpu_free(cpu);
    }
}

static void check_gic(const ArmPreflightSide *src, const ArmPreflightSide *dst,
                      GPtrArray *problems)
{
    if (src->gic_version && dst->gic_version &&
        src->gic_version != dst->gic_version) {
        add(problems, "gic", "the source has a GICv%d, this machine a GICv%d: "
            "the interrupt controller's state has no home here",
            src->gic_version, dst->gic_version);
    }
    if (src->gic_virt_ext && is_kvm(dst)) {
        add(problems, "gic", "GICv2 virtualization extensions are on in the "
            "source: the in-kernel vGIC (KVM) cannot emulate them");
    } else if (src->gic_virt_ext && !dst->gic_virt_ext) {
        add(problems, "gic", "GICv2 virtualization extensions are on in the "
            "source but off here (-global arm_gic.has-virtualization-"
            "extensions=on)");
    }
}

unsigned arm_preflight_check(const ArmPreflightSide *src,
                             const ArmPreflightSide *dst,
                             GPtrArray *problems)
{
    unsigned before = problems->len;
    Error *err = NULL;

    check_gic(src, dst, problems);
    if (src->n > ARM_CPREG_LIST_MAX || src->kvm_n > ARM_CPREG_LIST_MAX ||
        src->carry_n > ARM_RECON_CARRY_MAX) {
        add(problems, "cpu", "the source's register lists are too long");
        return problems->len - before;
    }

    /*
     * The incoming load itself (machine.c: arrival check, identification
     * taken, merge), on a vCPU like this destination's vCPU 0: the same
     * function, so a refused load names the same reasons.
     */
    if (src->n || !is_kvm(dst)) {
        free_scratch(scratch_cpu(dst, src->ids, src->vals, src->n, problems));
    }
    if (is_kvm(src) && is_kvm(dst) && src->kvm_n && dst->kvm_n) {
        /* Kernel to kernel: the two KVM lists, by rule. */
        ArmReconPlan plan;
        arm_recon_plan_init(&plan);
        if (!arm_reconcile_kvm_to_kvm(src->kvm_ids, src->kvm_vals, src->kvm_n,
                                      src->kernel, dst->kvm_ids, dst->kvm_vals,
                                      dst->kvm_n, dst->kernel, &plan, &err)) {
            add_plan(problems, &plan, err);
        }
        arm_recon_plan_free(&plan);
    } else if (is_kvm(dst) && dst->kvm_n) {
        /* Then our state (from any source) into the kernel's list: the
         * source's vCPU as it will be written to KVM. */
        GPtrArray *quiet = g_ptr_array_new_with_free_func(g_free);
        ARMCPU *cpu = scratch_cpu(src, src->ids, src->vals, src->n, quiet);
        ArmReconPlan plan;

        g_ptr_array_free(quiet, true);  /* the load above named those */
        if (cpu && src->carry_n &&
            !arm_reconcile_carry_set(cpu, src->carry_ids, src->carry_vals,
                                     src->carry_n, &err)) {
            add_err(problems, "cpu", err);
            err = NULL;
        }
        if (cpu) {
            arm_recon_plan_init(&plan);
            if (!arm_reconcile_for_kvm(cpu, dst->kvm_ids, dst->kvm_vals,
                                       dst->kvm_n, dst->kernel / 100,
                                       dst->kernel % 100, &plan, &err)) {
                add_plan(problems, &plan, err);
            }
            arm_recon_plan_free(&plan);
        }
        free_scratch(cpu);
    }
    return problems->len - before;
}

/* ---- JSON ---- */

static JsonArray *pairs_to_json(const uint64_t *ids, const uint64_t *vals,
                                uint32_t n)
{
    JsonArray *a = json_array_new();
    char buf[24];

    for (uint32_t i = 0; i < n; i++) {
        JsonArray *p = json_array_new();
        snprintf(buf, sizeof(buf), "0x%016" PRIx64, ids[i]);
        json_array_add_string_element(p, buf);
        snprintf(buf, sizeof(buf), "0x%" PRIx64, vals[i]);
        json_array_add_string_element(p, buf);
        json_array_add_array_element(a, p);
    }
    return a;
}

JsonObject *arm_preflight_side_to_json(const ArmPreflightSide *s)
{
    JsonObject *o = json_object_new(), *c = json_object_new();
    char buf[24];

    json_object_set_string_member(o, "accel", s->accel ? s->accel : "tcg");
    if (s->kernel) {
        snprintf(buf, sizeof(buf), "%u.%u", s->kernel / 100, s->kernel % 100);
        json_object_set_string_member(o, "kernel", buf);
    }
    json_object_set_int_member(o, "gic-version", s->gic_version);
    json_object_set_boolean_member(o, "gic-virt-ext", s->gic_virt_ext);
    json_object_set_string_member(c, "model",
                                  s->cpu_model ? s->cpu_model : "max");
    json_object_set_string_member(c, "props", s->cpu_props ? s->cpu_props : "");
    snprintf(buf, sizeof(buf), "0x%" PRIx64, s->midr);
    json_object_set_string_member(c, "midr", buf);
    json_object_set_array_member(c, "regs", pairs_to_json(s->ids, s->vals,
                                                          s->n));
    json_object_set_array_member(c, "kvm-only",
                                 pairs_to_json(s->carry_ids, s->carry_vals,
                                               s->carry_n));
    if (s->kvm_n) {
        json_object_set_array_member(c, "kvm-list",
                                     pairs_to_json(s->kvm_ids, s->kvm_vals,
                                                   s->kvm_n));
    }
    json_object_set_object_member(o, "cpu", c);
    return o;
}

static bool parse_u64(JsonNode *n, uint64_t *out)
{
    const char *s;
    char *end;

    if (!n || !JSON_NODE_HOLDS_VALUE(n) ||
        json_node_get_value_type(n) != G_TYPE_STRING) {
        return false;
    }
    s = json_node_get_string(n);
    if (strncmp(s, "0x", 2) || !g_ascii_isxdigit(s[2]) || strlen(s) > 18) {
        return false;
    }
    errno = 0;
    *out = g_ascii_strtoull(s + 2, &end, 16);
    return !errno && *end == '\0';
}

static bool pairs_from_json(JsonObject *c, const char *name, uint32_t max,
                            uint64_t **ids, uint64_t **vals, uint32_t *n,
                            Error **errp)
{
    JsonNode *node = json_object_get_member(c, name);
    JsonArray *a;
    uint32_t len;

    *n = 0;
    if (!node) {
        return true;
    }
    if (!JSON_NODE_HOLDS_ARRAY(node)) {
        error_setg(errp, "source.cpu.%s: expected an array", name);
        return false;
    }
    a = json_node_get_array(node);
    len = json_array_get_length(a);
    if (len > max) {
        error_setg(errp, "source.cpu.%s: %u entries, more than %u", name, len,
                   max);
        return false;
    }
    *ids = g_new(uint64_t, len ? len : 1);
    *vals = g_new(uint64_t, len ? len : 1);
    for (uint32_t i = 0; i < len; i++) {
        JsonNode *e = json_array_get_element(a, i);
        JsonArray *p = JSON_NODE_HOLDS_ARRAY(e) ? json_node_get_array(e) : NULL;
        if (!p || json_array_get_length(p) != 2 ||
            !parse_u64(json_array_get_element(p, 0), &(*ids)[i]) ||
            !parse_u64(json_array_get_element(p, 1), &(*vals)[i])) {
            error_setg(errp, "source.cpu.%s[%u]: expected [\"0x<id>\", "
                       "\"0x<value>\"]", name, i);
            return false;
        }
        if (i && (*ids)[i] <= (*ids)[i - 1] && strcmp(name, "kvm-list")) {
            error_setg(errp, "source.cpu.%s[%u]: ids not sorted", name, i);
            return false;
        }
    }
    *n = len;
    return true;
}

static const char *str_member(JsonObject *o, const char *name)
{
    JsonNode *n = json_object_get_member(o, name);

    if (n && JSON_NODE_HOLDS_VALUE(n) &&
        json_node_get_value_type(n) == G_TYPE_STRING) {
        return json_node_get_string(n);
    }
    return NULL;
}

static unsigned parse_kernel(const char *s)
{
    unsigned maj = 0, min = 0;

    if (!s || sscanf(s, "%u.%u", &maj, &min) != 2 || maj > 99 || min > 99) {
        return 0;
    }
    return ARM_RECON_KERNEL(maj, min);
}

bool arm_preflight_side_from_json(JsonObject *o, ArmPreflightSide *s,
                                  Error **errp)
{
    JsonNode *cn = json_object_get_member(o, "cpu");
    JsonObject *c;
    const char *accel = str_member(o, "accel");
    uint64_t midr = 0;

    memset(s, 0, sizeof(*s));
    if (!accel || (strcmp(accel, "tcg") && strcmp(accel, "kvm") &&
                   strcmp(accel, "qtest"))) {
        error_setg(errp, "source.accel: expected \"tcg\", \"kvm\" or "
                   "\"qtest\"");
        return false;
    }
    if (!cn || !JSON_NODE_HOLDS_OBJECT(cn)) {
        error_setg(errp, "source.cpu: expected an object");
        return false;
    }
    c = json_node_get_object(cn);
    s->accel = g_strdup(accel);
    s->kernel = parse_kernel(str_member(o, "kernel"));
    JsonNode *gv = json_object_get_member(o, "gic-version");
    JsonNode *ge = json_object_get_member(o, "gic-virt-ext");
    if (gv && JSON_NODE_HOLDS_VALUE(gv) &&
        json_node_get_value_type(gv) == G_TYPE_INT64) {
        int64_t v = json_node_get_int(gv);
        s->gic_version = (v == 2 || v == 3) ? (int)v : 0;
    }
    if (ge && JSON_NODE_HOLDS_VALUE(ge) &&
        json_node_get_value_type(ge) == G_TYPE_BOOLEAN) {
        s->gic_virt_ext = json_node_get_boolean(ge);
    }
    s->cpu_model = g_strdup(str_member(c, "model") ? str_member(c, "model") :
                            "max");
    if (strlen(s->cpu_model) > 64) {
        error_setg(errp, "source.cpu.model: too long");
        goto fail;
    }
    s->cpu_props = g_strdup(str_member(c, "props"));
    if (json_object_has_member(c, "midr") &&
        !parse_u64(json_object_get_member(c, "midr"), &midr)) {
        error_setg(errp, "source.cpu.midr: expected a hex string");
        goto fail;
    }
    s->midr = midr;
    if (!pairs_from_json(c, "regs", ARM_CPREG_LIST_MAX, &s->ids, &s->vals,
                         &s->n, errp) ||
        !pairs_from_json(c, "kvm-only", ARM_RECON_CARRY_MAX, &s->carry_ids,
                         &s->carry_vals, &s->carry_n, errp) ||
        !pairs_from_json(c, "kvm-list", ARM_CPREG_LIST_MAX, &s->kvm_ids,
                         &s->kvm_vals, &s->kvm_n, errp)) {
        goto fail;
    }
    return true;
fail:
    arm_preflight_side_free(s);
    return false;
}

/* ---- this process ---- */

static unsigned host_kernel(void)
{
    struct utsname u;

    return uname(&u) == 0 ? parse_kernel(u.release) : 0;
}

bool arm_preflight_describe_self(ArmPreflightSide *s, Error **errp)
{
    MachineState *ms = current_machine;
    ARMCPU *cpu = arm_cpu_count ? arm_cpus[0] : NULL;
    const uint64_t *cids, *cvals;

    memset(s, 0, sizeof(*s));
    if (!ms || !cpu) {
        error_setg(errp, "no machine yet");
        return false;
    }
    s->accel = g_strdup(ms->accel ? ms->accel : "tcg");
    s->kernel = is_kvm(s) ? host_kernel() : 0;
    s->gic_version = ms->gic_version;
    s->gic_virt_ext = ms->gic_virt_ext;
    s->cpu_model = g_strdup(cpu->model ? cpu->model->name : "max");
    s->cpu_props = g_strdup(ms->cpu_props);
    s->midr = cpu->id.idspace[0];
    s->ids = g_new(uint64_t, cpu->cpreg_array_len ? cpu->cpreg_array_len : 1);
    s->vals = g_new(uint64_t, cpu->cpreg_array_len ? cpu->cpreg_array_len : 1);
    s->n = arm_cpreg_list_save(cpu, s->ids, s->vals);
    s->carry_n = arm_reconcile_carry_get(cpu, &cids, &cvals);
    s->carry_ids = g_memdup2(cids, s->carry_n * sizeof(uint64_t));
    s->carry_vals = g_memdup2(cvals, s->carry_n * sizeof(uint64_t));
    if (is_kvm(s) && arm_preflight_kvm_list_hook &&
        !arm_preflight_kvm_list_hook(0, &s->kvm_ids, &s->kvm_vals, &s->kvm_n,
                                     errp)) {
        arm_preflight_side_free(s);
        return false;
    }
    return true;
}

/* ---- QMP ---- */

void qmp_x_query_migration_source(JsonObject *args, JsonNode **ret,
                                  Error **errp)
{
    ArmPreflightSide self;

    if (!arm_preflight_describe_self(&self, errp)) {
        return;
    }
    *ret = json_node_alloc();
    json_node_init_object(*ret, arm_preflight_side_to_json(&self));
    json_object_unref(json_node_get_object(*ret));
    arm_preflight_side_free(&self);
}

/* Problems as [{"area": ..., "reason": ...}]: "area: reason" split once. */
static JsonNode *answer(GPtrArray *problems)
{
    JsonObject *o = json_object_new();
    JsonArray *a = json_array_new();
    JsonNode *n = json_node_alloc();

    for (unsigned i = 0; i < problems->len; i++) {
        const char *p = problems->pdata[i];
        const char *colon = strstr(p, ": ");
        JsonObject *e = json_object_new();
        g_autofree char *area = colon ? g_strndup(p, colon - p) : g_strdup("");
        json_object_set_string_member(e, "area", area);
        json_object_set_string_member(e, "reason", colon ? colon + 2 : p);
        json_array_add_object_element(a, e);
    }
    json_object_set_boolean_member(o, "compatible", problems->len == 0);
    json_object_set_array_member(o, "problems", a);
    json_node_init_object(n, o);
    json_object_unref(o);
    return n;
}

void qmp_x_query_migration_compat(JsonObject *args, JsonNode **ret,
                                  Error **errp)
{
    JsonNode *sn = json_object_get_member(args, "source");
    ArmPreflightSide src, self;
    GPtrArray *problems;

    if (!sn) {
        error_setg(errp, "Parameter 'source' is missing");
        return;
    }
    if (!JSON_NODE_HOLDS_OBJECT(sn)) {
        error_setg(errp, "Invalid parameter type for 'source', expected: "
                   "object (the answer of x-query-migration-source)");
        return;
    }
    if (!arm_preflight_side_from_json(json_node_get_object(sn), &src, errp)) {
        return;
    }
    if (!arm_preflight_describe_self(&self, errp)) {
        arm_preflight_side_free(&src);
        return;
    }
    problems = g_ptr_array_new_with_free_func(g_free);
    arm_preflight_check(&src, &self, problems);
    *ret = answer(problems);
    g_ptr_array_free(problems, true);
    arm_preflight_side_free(&src);
    arm_preflight_side_free(&self);
}

void arm_preflight_qmp_register(void)
{
    static const char *const src_args[] = { NULL };
    static const char *const compat_args[] = { "source", NULL };

    if (qmp_find_command("x-query-migration-compat")) {
        return;
    }
    qmp_register_command("x-query-migration-source",
                         qmp_x_query_migration_source, src_args,
                         QCO_NO_OPTIONS);
    qmp_register_command("x-query-migration-compat",
                         qmp_x_query_migration_compat, compat_args,
                         QCO_NO_OPTIONS);
}
