/*
 * Unit tests of the KVM <-> TCG reconciliation (target/arm/reconcile*.c)
 * over the real KVM register lists of tests/data/kvm-reglists: every rule
 * row reachable, kernel 6.1 <-> 6.12 both ways, KVM lists into our TCG
 * max / cortex-a57 accepted or refused by name, TCG state back into KVM,
 * the identification policy, and the cpu/kvm-only-regs subsection.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "cpregs.h"
#include "cpreg-list.h"
#include "cpu-features.h"
#include "kvm-regid.h"
#include "machine.h"
#include "reconcile.h"
#include "test-cpregs-data.h"

#define ID(NAME) ARM_SYSREG_KVM_ID(SYSREG_##NAME)
#define MAXL 512

static ARMCPU *mkcpu(const char *model, const char *props)
{
    Error *err = NULL;
    ARMCPU *cpu = arm_cpu_new(model, props, 0, &err);
    ck_assert_msg(cpu, "%s", err ? error_get_pretty(err) : "");
    return cpu;
}

static void freecpu(ARMCPU *cpu)
{
    arm_reconcile_carry_clear(cpu);
    arm_cpu_free(cpu);
}

/*
 * A captured KVM list: every group except those named in skip ("core",
 * "sve"), in file order.  Returns the count.
 */
static uint32_t load_list(const char *dir, const char *file, bool with_core,
                          uint64_t *ids, uint64_t *vals)
{
    gchar *rel = g_strdup_printf("kvm-reglists/%s/%s", dir, file);
    gchar *path = test_data_path(rel), *text = NULL;
    uint32_t n = 0;

    ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "%s", path);
    gchar **lines = g_strsplit(text, "\n", -1);
    for (unsigned i = 0; lines[i]; i++) {
        char *eq = strrchr(lines[i], '=');
        if (lines[i][0] == '#' || !eq || !strncmp(lines[i], "sve", 3) ||
            (!with_core && !strncmp(lines[i], "core", 4))) {
            continue;
        }
        char *sp = strchr(lines[i], ' ');
        ck_assert(sp && n < MAXL);
        ids[n] = g_ascii_strtoull(sp, NULL, 0);
        vals[n++] = g_ascii_strtoull(eq + 1, NULL, 0);
    }
    g_strfreev(lines);
    g_free(text);
    g_free(path);
    g_free(rel);
    return n;
}

static uint32_t load_a64(const char *dir, uint64_t *ids, uint64_t *vals)
{
    return load_list(dir, "reglist-a64.txt", false, ids, vals);
}

static uint64_t val_of(const uint64_t *ids, const uint64_t *vals, uint32_t n,
                       uint64_t id)
{
    for (uint32_t i = 0; i < n; i++) {
        if (ids[i] == id) {
            return vals[i];
        }
    }
    ck_abort_msg("id 0x%" PRIx64 " not in list", id);
    return 0;
}

static bool has_problem(const ArmReconPlan *p, const char *needle)
{
    for (unsigned i = 0; i < p->problems->len; i++) {
        if (strstr(p->problems->pdata[i], needle)) {
            return true;
        }
    }
    return false;
}

static ArmReconKind kind_of(const ArmReconPlan *p, uint64_t id)
{
    const ArmReconEntry *e = arm_recon_plan_find(p, id);
    ck_assert_msg(e, "no plan entry for 0x%016" PRIx64, id);
    return e->kind;
}

/* ---- the tables ---- */

static const struct {
    const ArmReconRule *rows;
    const unsigned *len;
    ArmReconDir dir;
} tables[] = {
    { arm_recon_kvm_to_tcg, &arm_recon_kvm_to_tcg_len, ARM_RECON_KVM_TO_TCG },
    { arm_recon_tcg_to_kvm, &arm_recon_tcg_to_kvm_len, ARM_RECON_TCG_TO_KVM },
    { arm_recon_kvm_to_kvm, &arm_recon_kvm_to_kvm_len, ARM_RECON_KVM_TO_KVM },
};

START_TEST(test_tables_well_formed)
{
    const ArmReconRule *rows = tables[_i].rows;
    unsigned n = *tables[_i].len;

    ck_assert_uint_gt(n, 5);
    /* The last row refuses anything and names why. */
    ck_assert_int_eq(rows[n - 1].kind, ARM_RECON_REFUSE);
    ck_assert_uint_eq(rows[n - 1].lo, 0);
    ck_assert(rows[n - 1].hi == UINT64_MAX);
    for (unsigned i = 0; i < n; i++) {
        ck_assert_msg(rows[i].what && rows[i].reason &&
                      strlen(rows[i].reason) > 10, "row %u without a reason", i);
        ck_assert(rows[i].lo <= rows[i].hi);
        ck_assert_str_ne(arm_recon_kind_name(rows[i].kind), "?");
    }
}
END_TEST

/* Every row is the first match for some id: no dead rows. */
START_TEST(test_every_row_reachable)
{
    const ArmReconRule *rows = tables[_i].rows;
    unsigned n = *tables[_i].len;

    for (unsigned i = 0; i < n; i++) {
        const ArmReconRule *r = &rows[i];
        unsigned pres = r->presence ? r->presence :
                        ARM_RECON_IN_SRC | ARM_RECON_IN_DST;
        unsigned kern = r->min_kernel ? r->min_kernel : 601;
        uint64_t base = r->lo, probes[8];
        bool hit = false;

        if (r->mask) {
            /* a class row: any size, any index within the class */
            base = r->lo | ARM_KVM_REG_SIZE_U64;
        }
        probes[0] = base;
        probes[1] = base + 1;
        probes[2] = base + 5;
        probes[3] = r->mask ? base + 0x1234 : r->hi;
        probes[4] = r->mask ? base + 0x1c0c0 : r->lo + (r->hi - r->lo) / 2;
        probes[5] = base + 0x11;
        probes[6] = base + 0x35;
        probes[7] = 0x6030000000150000ULL + i;   /* odd class for catch-alls */
        for (unsigned k = 0; k < 8 && !hit; k++) {
            if (k == 7 && i != n - 1) {
                continue;
            }
            hit = arm_recon_lookup(tables[_i].dir, probes[k], pres, kern) == r;
        }
        /* catch-all of kvm_to_kvm: the DST row before it takes presence
         * DST, the refusal takes the rest */
        if (!hit && i == n - 1) {
            hit = arm_recon_lookup(tables[_i].dir, 0x7000000000000000ULL,
                                   ARM_RECON_IN_SRC, 601) == r;
        }
        ck_assert_msg(hit, "table %d row %u (%s, %s) is never the first match",
                      _i, i, r->what, arm_recon_kind_name(r->kind));
    }
}
END_TEST

START_TEST(test_lookup_examples)
{
    /* Kernel gates: ID registers writable from 6.7. */
    ck_assert_int_eq(arm_recon_lookup(ARM_RECON_TCG_TO_KVM, ID(ID_AA64PFR0_EL1),
                     ARM_RECON_IN_SRC | ARM_RECON_IN_DST, 601)->kind,
                     ARM_RECON_MUST_MATCH);
    ck_assert_int_eq(arm_recon_lookup(ARM_RECON_TCG_TO_KVM, ID(ID_AA64PFR0_EL1),
                     ARM_RECON_IN_SRC | ARM_RECON_IN_DST, 612)->kind,
                     ARM_RECON_TAKE);
    ck_assert_int_eq(arm_recon_lookup(ARM_RECON_KVM_TO_TCG, ARM_KVM_TIMER_CNT,
                     ARM_RECON_IN_SRC, 0)->kind, ARM_RECON_TRANSLATE);
    ck_assert_int_eq(arm_recon_lookup(ARM_RECON_KVM_TO_TCG,
                     0x6030000000140000ULL, ARM_RECON_IN_SRC, 0)->kind,
                     ARM_RECON_CARRY);
    ck_assert_int_eq(arm_recon_lookup(ARM_RECON_KVM_TO_TCG,
                     0x6040000000150000ULL, ARM_RECON_IN_SRC, 0)->kind,
                     ARM_RECON_REFUSE);
    ck_assert_int_eq(arm_recon_lookup(ARM_RECON_TCG_TO_KVM,
                     0x40200000200e0298ULL, ARM_RECON_IN_SRC, 601)->kind,
                     ARM_RECON_DROP);
    ck_assert_int_eq(arm_recon_lookup(ARM_RECON_KVM_TO_TCG, ID(MPIDR_EL1),
                     ARM_RECON_IN_SRC | ARM_RECON_IN_DST, 0)->kind,
                     ARM_RECON_MUST_MATCH);
}
END_TEST

/* ---- identification policy ---- */

START_TEST(test_id_policy)
{
    ARMCPU *max = mkcpu("max", NULL);
    ARMCPU *a57 = mkcpu("cortex-a57", NULL);
    ARMCPU *pauth = mkcpu("max", "pauth=on");
    GPtrArray *pr = g_ptr_array_new_with_free_func(g_free);
    uint64_t id = ID(ID_AA64PFR0_EL1), v;

    /* max advertises LSE now (the interpreter implements it). */
    ck_assert_uint_eq(ARM_IDF(max, ID_AA64ISAR0_EL1, Atomic), 2);
    ck_assert_uint_eq(ARM_IDF(a57, ID_AA64ISAR0_EL1, Atomic), 0);
    /* ... and cortex-a57 may take it: EMULATED raises the model's level. */
    ck_assert_int_eq(arm_recon_id_limit(a57, IDF_ID_AA64ISAR0_EL1_Atomic), 2);
    ck_assert_int_eq(arm_recon_id_limit(a57, IDF_ID_AA64PFR0_EL1_DIT), 1);
    ck_assert_int_eq(arm_recon_id_limit(a57, IDF_ID_AA64MMFR1_EL1_PAN), 1);
    /* SVE: never raised above the model; the reason is the table's. */
    v = arm_idfield_set(arm_idreg(max, SYSREG_ID_AA64PFR0_EL1),
                        IDF_ID_AA64PFR0_EL1_SVE, 1);
    ck_assert_uint_eq(arm_recon_id_check_take(max, &id, &v, 1, pr), 1);
    ck_assert_str_eq(pr->pdata[0], "ID_AA64PFR0_EL1.SVE 1 (this CPU offers "
                     "0): SVE is not emulated");
    /* Pointer authentication: only with pauth=on. */
    id = ID(ID_AA64ISAR1_EL1);
    v = 0x10;                                       /* APA = 1 */
    ck_assert_uint_eq(arm_recon_id_check_take(max, &id, &v, 1, pr), 1);
    ck_assert_ptr_nonnull(strstr(pr->pdata[1], "pauth=on"));
    ck_assert_uint_eq(arm_recon_id_check_take(pauth, &id, &v, 1, NULL), 0);
    /* Platform fields are never compared (GIC, EL2, CSV2). */
    id = ID(ID_AA64PFR0_EL1);
    v = arm_idfield_set(arm_idreg(max, SYSREG_ID_AA64PFR0_EL1),
                        IDF_ID_AA64PFR0_EL1_EL2, 1);
    v = arm_idfield_set(v, IDF_ID_AA64PFR0_EL1_GIC, 3);
    ck_assert_uint_eq(arm_recon_id_check_take(max, &id, &v, 1, NULL), 0);
    ck_assert_int_eq(arm_recon_id_rule(IDF_ID_AA64PFR0_EL1_GIC).kind,
                     ARM_RECON_ID_PLATFORM);
    /* Keeping the destination's value: lower guest-usable field refused,
     * lenient DebugVer and platform GIC accepted. */
    ck_assert_uint_eq(arm_recon_id_check_keep(SYSREG_ID_AA64ISAR0_EL1,
                      0x211120, 0x11120, "host", NULL), 1);
    ck_assert_uint_eq(arm_recon_id_check_keep(SYSREG_ID_AA64ISAR0_EL1,
                      0x11120, 0x211120, "host", NULL), 0);
    ck_assert_uint_eq(arm_recon_id_check_keep(SYSREG_ID_AA64DFR0_EL1,
                      0x10305109, 0x10305106, "host", NULL), 0);
    ck_assert_uint_eq(arm_recon_id_check_keep(SYSREG_ID_PFR1_EL1,
                      0x00011001, 0x10010001, "host", NULL), 0);
    ck_assert_uint_eq(arm_recon_id_check_keep(SYSREG_ID_PFR1_EL1,
                      0x00011001, 0x00001001, "host", NULL), 1);
    /* Every row of the policy table has a reason and a field, and is the
     * rule of its field (no row shadowed by a duplicate). */
    for (unsigned i = 0; i < arm_recon_id_rules_len; i++) {
        const ArmReconIdRule *r = &arm_recon_id_rules[i];
        ck_assert_uint_lt(r->field, IDF__COUNT);
        ck_assert(strlen(r->reason) > 5);
        ck_assert_str_eq(arm_recon_id_rule(r->field).reason, r->reason);
        ck_assert_int_eq(arm_recon_id_rule(r->field).kind, r->kind);
        /* a field the interpreter does is never below the model */
        if (r->kind == ARM_RECON_ID_EMULATED) {
            ck_assert_int_ge(arm_recon_id_limit(a57, r->field), r->emul_max);
        }
    }
    /* Fields not in the table: the model's level, "not emulated". */
    ck_assert_int_eq(arm_recon_id_rule(IDF_ID_AA64ISAR0_EL1_RDM).kind,
                     ARM_RECON_ID_MODEL);
    ck_assert_int_eq(arm_recon_id_limit(max, IDF_ID_AA64ISAR0_EL1_RDM), 0);
    g_ptr_array_free(pr, true);
    freecpu(max);
    freecpu(a57);
    freecpu(pauth);
}
END_TEST

/* ---- KVM -> TCG over the real lists ---- */

static const struct {
    const char *dir, *file, *model, *props;
    bool ok;
    const char *why;          /* a refusal that must be named */
} k2t[] = {
    { "k61-a57-gic3", "reglist-a64.txt", "cortex-a57", NULL, true, NULL },
    { "k612-a57-gic3", "reglist-a64.txt", "cortex-a57", NULL, true, NULL },
    { "k61-a57-gic3", "reglist-a64full.txt", "cortex-a57", NULL, true, NULL },
    { "k612-a57-gic3", "reglist-a64full.txt", "cortex-a57", NULL, true, NULL },
    { "k61-a57-gic3", "reglist-a64.txt", "max", NULL, true, NULL },
    { "k612-a57-gic3", "reglist-a64.txt", "max", NULL, true, NULL },
    { "k61-max-gic3", "reglist-a64.txt", "max", NULL, false,
      "ID_AA64ISAR0_EL1.RDM 1" },
    { "k612-max-gic3", "reglist-a64.txt", "max", NULL, false,
      "ID_AA64ISAR0_EL1.SHA3 1" },
    { "k61-max-gic3", "reglist-a64full.txt", "max", "pauth=on", false,
      "SVE is not emulated" },
    { "k612-max-gic3", "reglist-a64full.txt", "max", "pauth=on", false,
      "SVE is not emulated" },
    { "k61-max-gic3", "reglist-a64.txt", "cortex-a57", NULL, false,
      "ID_AA64ISAR0_EL1.RDM 1 (this CPU offers 0)" },
    { "k61-a57-gic3", "reglist-a64.txt", "cortex-a72", NULL, false,
      "MIDR_EL1: the incoming cortex-a57 r1p0 (MIDR 0x411fd070) is a "
      "different CPU from this cortex-a72" },
};

START_TEST(test_kvm_to_tcg_real)
{
    static uint64_t ids[MAXL], vals[MAXL];
    uint32_t n = load_list(k2t[_i].dir, k2t[_i].file, true, ids, vals);
    ARMCPU *cpu = mkcpu(k2t[_i].model, k2t[_i].props);
    ArmReconPlan plan;
    Error *err = NULL;
    bool ok;

    arm_recon_plan_init(&plan);
    ok = arm_reconcile_kvm_to_tcg(cpu, ids, vals, n, &plan, &err);
    if (ok) {
        /* The machine.c path: apply for real, then the merge. */
        ok = arm_reconcile_apply_to_tcg(cpu, &plan, &err);
    }
    if (k2t[_i].ok) {
        ck_assert_msg(ok, "%s/%s -> %s: %s", k2t[_i].dir, k2t[_i].file,
                      k2t[_i].model, err ? error_get_pretty(err) : "");
        /* The guest keeps its CPU: MIDR and features from the stream. */
        ck_assert_uint_eq(arm_idreg(cpu, SYSREG_MIDR_EL1),
                          val_of(ids, vals, n, ID(MIDR_EL1)));
        ck_assert_uint_eq(cpu->id.clidr, val_of(ids, vals, n, ID(CLIDR_EL1)));
        ck_assert_uint_eq(cpu->id.ccsidr[0],
                          (uint32_t)val_of(ids, vals, n, 0x6020000000110000ULL));
        /* Swapped timer ids: TIMER_CVAL became CNTV_CVAL_EL0, TIMER_CNT the
         * count. */
        ck_assert(plan.has_vcount);
        ck_assert_uint_eq(plan.vcount, val_of(ids, vals, n, ARM_KVM_TIMER_CNT));
        ck_assert_uint_eq(arm_cpreg_raw_read(cpu,
                          arm_cpreg_find(cpu, ID(CNTV_CVAL_EL0))),
                          val_of(ids, vals, n, ARM_KVM_TIMER_CVAL));
        ck_assert_int_eq(kind_of(&plan, ARM_KVM_TIMER_CVAL),
                         ARM_RECON_TRANSLATE);
        /* Firmware ids and bitmaps carried unchanged, demux too. */
        const uint64_t *cids, *cvals;
        uint32_t cn = arm_reconcile_carry_get(cpu, &cids, &cvals);
        ck_assert_uint_eq(cn, plan.carry_ids->len);
        ck_assert_uint_ge(cn, 10);
        ck_assert_uint_eq(cids[0], 0x6020000000110000ULL);
        ck_assert_int_eq(kind_of(&plan, 0x6030000000140000ULL), ARM_RECON_CARRY);
        ck_assert_int_eq(kind_of(&plan, 0x6030000000160002ULL), ARM_RECON_CARRY);
        ck_assert_int_eq(kind_of(&plan, ID(ID_AA64PFR0_EL1)), ARM_RECON_TAKE);
        ck_assert_int_eq(kind_of(&plan, arm_kvm_core_id(ARM_KVM_CORE_PC, 64)),
                         ARM_RECON_DROP);
        ck_assert_uint_eq(plan.problems->len, 0);
    } else {
        ck_assert_msg(!ok, "%s/%s -> %s accepted", k2t[_i].dir, k2t[_i].file,
                      k2t[_i].model);
        ck_assert_msg(strstr(error_get_pretty(err), k2t[_i].why),
                      "expected '%s' in: %s", k2t[_i].why,
                      error_get_pretty(err));
    }
    if (err) {
        error_free(err);
    }
    arm_recon_plan_free(&plan);
    freecpu(cpu);
}
END_TEST

/* 6.12 lists TCR2/PIRE0/PIR: dropped by rule, with the reason. */
START_TEST(test_kvm_to_tcg_612_quirk_rows)
{
    static uint64_t ids[MAXL], vals[MAXL];
    uint32_t n = load_a64("k612-a57-gic3", ids, vals);
    ARMCPU *cpu = mkcpu("cortex-a57", NULL);
    ArmReconPlan plan;

    arm_recon_plan_init(&plan);
    ck_assert(arm_reconcile_kvm_to_tcg(cpu, ids, vals, n, &plan, NULL));
    ck_assert_int_eq(kind_of(&plan, ID(TCR2_EL1)), ARM_RECON_DROP);
    ck_assert_int_eq(kind_of(&plan, ID(PIR_EL1)), ARM_RECON_DROP);
    ck_assert_ptr_nonnull(strstr(arm_recon_plan_find(&plan, ID(PIRE0_EL1))->
                                 rule->reason, "6.13"));
    ck_assert_int_eq(kind_of(&plan, ARM_KVM_PTIMER_CNT), ARM_RECON_DROP);
    ck_assert_int_eq(kind_of(&plan, ID(MPIDR_EL1)), ARM_RECON_MUST_MATCH);
    /* The plan changes nothing until applied. */
    ck_assert_uint_eq(cpu->id.clidr, 0x0a200023);
    /* MIDR, REVIDR, the 56 feature-ID slots, CLIDR, AIDR, CTR */
    ck_assert_uint_eq(plan.id_ids->len, 61);
    arm_recon_plan_free(&plan);
    freecpu(cpu);
}
END_TEST

/* The machine.c load path detects a KVM-form list by its firmware ids. */
START_TEST(test_incoming_list_kvm_form)
{
    static uint64_t ids[MAXL], vals[MAXL];
    uint32_t n = load_a64("k61-a57-gic3", ids, vals);
    ARMCPU *cpu = mkcpu("cortex-a57", NULL);
    Error *err = NULL;

    ck_assert(arm_reconcile_list_is_kvm_form(ids, n));
    ck_assert(!arm_reconcile_list_is_kvm_form(cpu->cpreg_indexes,
                                              cpu->cpreg_array_len));
    ck_assert_msg(arm_cpu_load_incoming_list(cpu, ids, vals, n, &err), "%s",
                  err ? error_get_pretty(err) : "");
    /* KVM sanitised ID_AA64DFR0 (PMUVer 0): the guest keeps seeing it. */
    ck_assert_uint_eq(arm_idreg(cpu, SYSREG_ID_AA64DFR0_EL1),
                      val_of(ids, vals, n, ID(ID_AA64DFR0_EL1)));
    freecpu(cpu);
}
END_TEST

/* ---- TCG -> KVM ---- */

static uint32_t kvm_only_ids(const uint64_t *ids, const uint64_t *vals,
                             uint32_t n, uint64_t *oids, uint64_t *ovals)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!ARM_KVM_ID_IS_SYSREG(ids[i]) &&
            arm_kvm_timer_reg(ids[i]) == ARM_KVM_TIMER_NONE) {
            uint32_t j = k++;
            while (j > 0 && oids[j - 1] > ids[i]) {     /* keep sorted */
                oids[j] = oids[j - 1];
                ovals[j] = ovals[j - 1];
                j--;
            }
            oids[j] = ids[i];
            ovals[j] = vals[i];
        }
    }
    return k;
}

/* KVM -> TCG -> KVM: the round trip restores everything, by rule. */
START_TEST(test_round_trip_kvm_tcg_kvm)
{
    static uint64_t ids[MAXL], vals[MAXL];
    const char *dir = _i ? "k612-a57-gic3" : "k61-a57-gic3";
    int minor = _i ? 12 : 1;
    uint32_t n = load_a64(dir, ids, vals);
    ARMCPU *cpu = mkcpu("cortex-a57", NULL);
    ArmReconPlan plan;
    Error *err = NULL;

    ck_assert(arm_cpu_load_incoming_list(cpu, ids, vals, n, &err));
    arm_recon_plan_init(&plan);
    ck_assert_msg(arm_reconcile_for_kvm(cpu, ids, vals, n, 6, minor, &plan,
                                        &err), "%s",
                  err ? error_get_pretty(err) : "");
    /* Carried values go back unchanged. */
    ck_assert_int_eq(kind_of(&plan, 0x6030000000140001ULL), ARM_RECON_CARRY);
    ck_assert_uint_eq(arm_recon_plan_find(&plan, 0x6030000000140001ULL)->value,
                      val_of(ids, vals, n, 0x6030000000140001ULL));
    ck_assert_uint_eq(arm_recon_plan_find(&plan, 0x6020000000110001ULL)->value,
                      val_of(ids, vals, n, 0x6020000000110001ULL));
    /* Timer: TIMER_CVAL written from CNTV_CVAL_EL0. */
    ck_assert_int_eq(kind_of(&plan, ARM_KVM_TIMER_CVAL), ARM_RECON_TRANSLATE);
    ck_assert_uint_eq(arm_recon_plan_find(&plan, ARM_KVM_TIMER_CVAL)->value,
                      val_of(ids, vals, n, ARM_KVM_TIMER_CVAL));
    ck_assert_int_eq(kind_of(&plan, ARM_KVM_TIMER_CNT), ARM_RECON_TRANSLATE);
    /* Identification: written on 6.12, kept (and equal) on 6.1. */
    ck_assert_int_eq(kind_of(&plan, ID(ID_AA64PFR0_EL1)),
                     _i ? ARM_RECON_TAKE : ARM_RECON_MUST_MATCH);
    ck_assert_int_eq(kind_of(&plan, ID(SCTLR_EL1)), ARM_RECON_SAME);
    ck_assert_int_eq(kind_of(&plan, ID(MIDR_EL1)), ARM_RECON_KEEP_DEST);
    ck_assert_int_eq(kind_of(&plan, ID(CLIDR_EL1)),
                     _i ? ARM_RECON_TAKE : ARM_RECON_KEEP_DEST);
    ck_assert_uint_eq(plan.problems->len, 0);
    arm_recon_plan_free(&plan);
    freecpu(cpu);
}
END_TEST

/* A fresh TCG vCPU (nothing carried): KVM-only ids keep the kernel's. */
START_TEST(test_tcg_to_kvm_fresh)
{
    static uint64_t ids[MAXL], vals[MAXL];
    uint32_t n = load_a64("k612-a57-gic3", ids, vals);
    ARMCPU *cpu = mkcpu("cortex-a57", "pmu=off");
    ArmReconPlan plan;
    Error *err = NULL;

    arm_recon_plan_init(&plan);
    ck_assert_msg(arm_reconcile_for_kvm(cpu, ids, vals, n, 6, 12, &plan, &err),
                  "%s", err ? error_get_pretty(err) : "");
    ck_assert_int_eq(kind_of(&plan, 0x6030000000140000ULL),
                     ARM_RECON_KEEP_DEST);
    /* Registers the kernel lists and we lack (6.12's TCR2_EL1). */
    ck_assert_int_eq(kind_of(&plan, ID(TCR2_EL1)), ARM_RECON_KEEP_DEST);
    /* AArch32-free TCG lists: nothing dropped; ID regs written (6.12). */
    ck_assert_uint_gt(plan.count[ARM_RECON_TAKE], 50);
    arm_recon_plan_free(&plan);
    freecpu(cpu);
}
END_TEST

static const struct {
    const char *model, *props, *dir;
    int minor;
    const char *why;
} t2k_refused[] = {
    /* A TCG max with pointer authentication into a host without. */
    { "max", "pauth=on,pmu=off", "k61-a57-gic3", 1, "ID_AA64ISAR1_EL1.APA 1" },
    { "max", "pauth=on,pmu=off", "k612-a57-gic3", 12, "ID_AA64ISAR1_EL1.APA 1" },
    /* A TCG max with a PMU into a vCPU configuration without one. */
    { "max", NULL, "k61-a57-gic3", 1, "ID_AA64DFR0_EL1.PMUVer 1" },
    /* SVE. */
    { "max", "sve=on,pmu=off", "k612-a57-gic3", 12, "ID_AA64PFR0_EL1.SVE 1" },
    /* LSE that a Cortex-A57 host lacks. */
    { "max", "pmu=off", "k61-a57-gic3", 1, "ID_AA64ISAR0_EL1.Atomic 2" },
};

START_TEST(test_tcg_to_kvm_refused)
{
    static uint64_t ids[MAXL], vals[MAXL];
    uint32_t n = load_a64(t2k_refused[_i].dir, ids, vals);
    ARMCPU *cpu = mkcpu(t2k_refused[_i].model, t2k_refused[_i].props);
    ArmReconPlan plan;
    Error *err = NULL;

    arm_recon_plan_init(&plan);
    ck_assert(!arm_reconcile_for_kvm(cpu, ids, vals, n, 6,
                                     t2k_refused[_i].minor, &plan, &err));
    ck_assert_msg(strstr(error_get_pretty(err), t2k_refused[_i].why),
                  "expected '%s' in: %s", t2k_refused[_i].why,
                  error_get_pretty(err));
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "TCG to KVM"));
    error_free(err);
    arm_recon_plan_free(&plan);
    freecpu(cpu);
}
END_TEST

/* A register we emulate that the kernel lacks: accepted at its reset value,
 * refused by name once the guest changed it. */
START_TEST(test_tcg_to_kvm_emulated_only)
{
    static uint64_t ids[MAXL], vals[MAXL], kids[MAXL], kvals[MAXL];
    uint32_t n = load_a64("k61-a57-gic3", ids, vals), kn = 0;
    ARMCPU *cpu = mkcpu("cortex-a57", "pmu=off");
    const ArmCPReg *ri;
    ArmReconPlan plan;
    Error *err = NULL;

    ck_assert(arm_cpu_load_incoming_list(cpu, ids, vals, n, &err));
    /* The kernel's list without CONTEXTIDR_EL1 (as if it lacked it). */
    for (uint32_t i = 0; i < n; i++) {
        if (ids[i] != ID(CONTEXTIDR_EL1)) {
            kids[kn] = ids[i];
            kvals[kn++] = vals[i];
        }
    }
    ri = arm_cpreg_find(cpu, ID(CONTEXTIDR_EL1));
    arm_cpreg_raw_write(cpu, ri, 0);
    arm_recon_plan_init(&plan);
    ck_assert(arm_reconcile_for_kvm(cpu, kids, kvals, kn, 6, 1, &plan, NULL));
    ck_assert_int_eq(kind_of(&plan, ID(CONTEXTIDR_EL1)), ARM_RECON_DROP);
    arm_recon_plan_free(&plan);
    arm_cpreg_raw_write(cpu, ri, 0x42);
    arm_recon_plan_init(&plan);
    ck_assert(!arm_reconcile_for_kvm(cpu, kids, kvals, kn, 6, 1, &plan, &err));
    ck_assert_msg(strstr(error_get_pretty(err), "CONTEXTIDR_EL1 = 0x42"), "%s",
                  error_get_pretty(err));
    ck_assert(has_problem(&plan, "must hold its reset value"));
    error_free(err);
    arm_recon_plan_free(&plan);
    freecpu(cpu);
}
END_TEST

/* ---- kernel to kernel ---- */

static const char *const k2k_hosts[] = { "a57", "max" };

START_TEST(test_kernel_to_kernel)
{
    static uint64_t a[MAXL], av[MAXL], b[MAXL], bv[MAXL];
    gchar *d61 = g_strdup_printf("k61-%s-gic3", k2k_hosts[_i / 2]);
    gchar *d612 = g_strdup_printf("k612-%s-gic3", k2k_hosts[_i / 2]);
    const char *file = _i % 2 ? "reglist-a64full.txt" : "reglist-a64.txt";
    uint32_t na = load_list(d61, file, false, a, av);
    uint32_t nb = load_list(d612, file, false, b, bv);
    ArmReconPlan plan;
    Error *err = NULL;

    /* 6.1 -> 6.12 */
    arm_recon_plan_init(&plan);
    ck_assert_msg(arm_reconcile_kvm_to_kvm(a, av, na, 601, b, bv, nb, 612,
                                           &plan, &err), "6.1->6.12 %s: %s",
                  d61, err ? error_get_pretty(err) : "");
    ck_assert_int_eq(kind_of(&plan, ID(ID_AA64PFR0_EL1)), ARM_RECON_TAKE);
    ck_assert_uint_eq(arm_recon_plan_find(&plan, ID(ID_AA64PFR0_EL1))->value,
                      val_of(a, av, na, ID(ID_AA64PFR0_EL1)));
    ck_assert_int_eq(kind_of(&plan, ARM_KVM_PTIMER_CTL), ARM_RECON_KEEP_DEST);
    ck_assert_int_eq(kind_of(&plan, ID(TCR2_EL1)), ARM_RECON_KEEP_DEST);
    ck_assert_int_eq(kind_of(&plan, 0x6020000000110002ULL), ARM_RECON_TAKE);
    ck_assert_int_eq(kind_of(&plan, 0x602000000011000dULL),
                     ARM_RECON_KEEP_DEST);
    ck_assert_int_eq(kind_of(&plan, 0x6030000000140000ULL), ARM_RECON_SAME);
    ck_assert_int_eq(kind_of(&plan, ID(SCTLR_EL1)), ARM_RECON_SAME);
    ck_assert_int_eq(kind_of(&plan, ID(MIDR_EL1)), ARM_RECON_MUST_MATCH);

    /*
     * A guest that came from 6.1 runs on 6.12 with 6.1's identification
     * (the TAKE entries above were written): that is what 6.12 reports
     * now, and what goes back.
     */
    for (uint32_t i = 0; i < nb; i++) {
        const ArmReconEntry *e = arm_recon_plan_find(&plan, b[i]);
        if (e && e->kind == ARM_RECON_TAKE) {
            bv[i] = e->value;
        }
    }
    arm_recon_plan_free(&plan);

    /* 6.12 -> 6.1 */
    arm_recon_plan_init(&plan);
    ck_assert_msg(arm_reconcile_kvm_to_kvm(b, bv, nb, 612, a, av, na, 601,
                                           &plan, &err), "6.12->6.1 %s: %s",
                  d612, err ? error_get_pretty(err) : "");
    ck_assert_int_eq(kind_of(&plan, ID(ID_AA64PFR0_EL1)), ARM_RECON_MUST_MATCH);
    ck_assert_int_eq(kind_of(&plan, ID(TCR2_EL1)), ARM_RECON_DROP);
    ck_assert_int_eq(kind_of(&plan, ID(PIR_EL1)), ARM_RECON_DROP);
    ck_assert_int_eq(kind_of(&plan, ARM_KVM_PTIMER_CNT), ARM_RECON_DROP);
    ck_assert_int_eq(kind_of(&plan, ARM_KVM_PTIMER_CTL),
                     ARM_RECON_ACCEPT_IF_RAZ);
    ck_assert_int_eq(kind_of(&plan, ARM_KVM_PTIMER_CVAL), ARM_RECON_DROP);
    ck_assert_int_eq(kind_of(&plan, 0x6020000000110005ULL), ARM_RECON_DROP);
    ck_assert_int_eq(kind_of(&plan, 0x6020000000110000ULL),
                     ARM_RECON_KEEP_DEST);
    ck_assert_int_eq(kind_of(&plan, ID(CLIDR_EL1)), ARM_RECON_KEEP_DEST);
    ck_assert_uint_eq(plan.count[ARM_RECON_REFUSE], 0);
    arm_recon_plan_free(&plan);
    g_free(d61);
    g_free(d612);
}
END_TEST

/* A PMU guest booted on 6.12 saw PMUv3p5 (6.1 offers v3p4): refused by
 * name; the 6.1-born guest of test_kernel_to_kernel goes back fine. */
START_TEST(test_kernel_to_kernel_612_born)
{
    static uint64_t a[MAXL], av[MAXL], b[MAXL], bv[MAXL];
    uint32_t na = load_list("k61-max-gic3", "reglist-a64full.txt", false, a, av);
    uint32_t nb = load_list("k612-max-gic3", "reglist-a64full.txt", false, b,
                            bv);
    ArmReconPlan plan;
    Error *err = NULL;

    arm_recon_plan_init(&plan);
    ck_assert(!arm_reconcile_kvm_to_kvm(b, bv, nb, 612, a, av, na, 601, &plan,
                                        &err));
    ck_assert_msg(strstr(error_get_pretty(err), "ID_AA64DFR0_EL1.PMUVer 6 "
                         "(Linux 6.1 offers 5)"), "%s", error_get_pretty(err));
    error_free(err);
    arm_recon_plan_free(&plan);
}
END_TEST

/* What 6.12 -> 6.1 must refuse: a running physical timer, a feature the
 * old kernel's vCPU lacks, an unknown class, an offered service. */
START_TEST(test_kernel_to_kernel_refusals)
{
    static uint64_t a[MAXL], av[MAXL], b[MAXL], bv[MAXL];
    uint32_t na = load_a64("k61-a57-gic3", a, av);
    uint32_t nb = load_a64("k612-a57-gic3", b, bv);
    ArmReconPlan plan;
    Error *err = NULL;

    for (uint32_t i = 0; i < nb; i++) {
        if (b[i] == ARM_KVM_PTIMER_CTL) {
            bv[i] = 1;                              /* ENABLE */
        } else if (b[i] == ID(ID_AA64ISAR0_EL1)) {
            bv[i] |= 2 << 20;                       /* LSE */
        }
    }
    b[nb] = 0x6030000000160003ULL;                  /* VENDOR_HYP_BMAP_2 */
    bv[nb++] = 1;
    b[nb] = 0x6030000000170000ULL;                  /* unknown class */
    bv[nb++] = 0;
    arm_recon_plan_init(&plan);
    ck_assert(!arm_reconcile_kvm_to_kvm(b, bv, nb, 612, a, av, na, 601, &plan,
                                        &err));
    ck_assert(has_problem(&plan, "CNTP_CTL_EL0 (0x603000000013df11) = 0x1"));
    ck_assert(has_problem(&plan, "ID_AA64ISAR0_EL1.Atomic 2 (Linux 6.1 offers 0)"));
    ck_assert(has_problem(&plan, "0x6030000000160003"));
    ck_assert(has_problem(&plan, "no rule covers this id"));
    ck_assert_uint_eq(plan.problems->len, 4);
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "KVM to KVM: 4 problems"));
    error_free(err);
    arm_recon_plan_free(&plan);
}
END_TEST

/* ---- cpu/kvm-only-regs ---- */

static uint8_t *save_cpu(ARMCPU *cpu, size_t *len)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    Error *err = NULL;

    ck_assert_msg(vmstate_save_state(f, &vmstate_arm_cpu, cpu, NULL, &err),
                  "%s", err ? error_get_pretty(err) : "");
    qemu_fflush(f);
    uint8_t *buf = qemu_file_mem_steal(f, len);
    qemu_fclose(f);
    return buf;
}

static bool load_cpu(ARMCPU *cpu, const uint8_t *buf, size_t len,
                     Error **errp)
{
    QEMUFile *f = qemu_file_new_mem_reader(buf, len);
    bool ok = vmstate_load_state(f, &vmstate_arm_cpu, cpu, 22, errp);
    qemu_fclose(f);
    return ok;
}

static bool contains(const uint8_t *buf, size_t len, const char *s)
{
    return memmem(buf, len, s, strlen(s)) != NULL;
}

START_TEST(test_kvm_only_subsection)
{
    static uint64_t ids[MAXL], vals[MAXL], kid[MAXL], kval[MAXL];
    uint32_t n = load_a64("k612-a57-gic3", ids, vals);
    uint32_t kn = kvm_only_ids(ids, vals, n, kid, kval);
    ARMCPU *src = mkcpu("cortex-a57", NULL), *dst = mkcpu("cortex-a57", NULL);
    const uint64_t *cids, *cvals;
    Error *err = NULL;
    uint8_t *buf;
    size_t len;

    /* Empty: not sent, so older destinations load the stream. */
    buf = save_cpu(src, &len);
    ck_assert(!contains(buf, len, "cpu/kvm-only-regs"));
    g_free(buf);
    /* The KVM get path captures the KVM-only ids (21 on 6.12). */
    arm_reconcile_capture_kvm_only(src, ids, vals, n);
    ck_assert_uint_eq(arm_reconcile_carry_get(src, &cids, &cvals), kn);
    ck_assert_uint_eq(kn, 4 + 3 + 14);
    buf = save_cpu(src, &len);
    ck_assert(contains(buf, len, "cpu/kvm-only-regs"));
    ck_assert_msg(load_cpu(dst, buf, len, &err), "%s",
                  err ? error_get_pretty(err) : "");
    ck_assert_uint_eq(arm_reconcile_carry_get(dst, &cids, &cvals), kn);
    ck_assert(!memcmp(cids, kid, kn * sizeof(uint64_t)));
    ck_assert(!memcmp(cvals, kval, kn * sizeof(uint64_t)));
    /* A hostile count is refused by name. */
    uint8_t *p = memmem(buf, len, "cpu/kvm-only-regs", 17);
    ck_assert_ptr_nonnull(p);
    p += 17 + 4;                 /* name, then version_id (be32) */
    p[0] = 0x00; p[1] = 0x00; p[2] = 0x10; p[3] = 0x01;   /* 4097 */
    ck_assert(!load_cpu(dst, buf, len, &err));
    ck_assert_msg(strstr(error_get_pretty(err), "count 4097 exceeds 256"),
                  "%s", error_get_pretty(err));
    error_free(err);
    err = NULL;
    /* Only KVM-only classes may be carried. */
    uint64_t bad = ID(SCTLR_EL1), v = 0;
    ck_assert(!arm_reconcile_carry_set(dst, &bad, &v, 1, &err));
    error_free(err);
    g_free(buf);
    freecpu(src);
    freecpu(dst);
}
END_TEST

/*
 * PMCR_EL0's IMP/IDCODE/N identify the PMU: an arch-form list (our KVM
 * source, or TCG) carrying another IDCODE is taken, not refused by the
 * merge's read-back (host IDCODE 1 <-> cortex-a72 model 2, both ways).
 */
START_TEST(test_pmcr_idcode_taken)
{
    static const uint32_t src_id[2] = { 0x41013000, 0x41023000 };
    static const uint32_t dst_id[2] = { 0x41023000, 0x41013000 };
    ARMCPU *src = mkcpu("cortex-a72", NULL);
    ARMCPU *dst = mkcpu("cortex-a72", NULL);
    const ArmCPReg *ri = arm_cpreg_find(src, ID(PMCR_EL0));
    uint64_t ids[MAXL], vals[MAXL];
    Error *err = NULL;
    uint32_t n;

    src->id.pmcr = src_id[_i];
    dst->id.pmcr = dst_id[_i];
    ck_assert_ptr_nonnull(ri);
    arm_cpreg_raw_write(src, ri, 0x2c);             /* C, D, DP */
    ck_assert_uint_eq(arm_cpreg_raw_read(src, ri), src_id[_i] | 0x2c);
    ck_assert_uint_le(src->cpreg_array_len, MAXL);
    n = arm_cpreg_list_save(src, ids, vals);
    ck_assert_msg(arm_cpu_load_incoming_list(dst, ids, vals, n, &err), "%s",
                  err ? error_get_pretty(err) : "");
    ri = arm_cpreg_find(dst, ID(PMCR_EL0));
    ck_assert_uint_eq(arm_cpreg_raw_read(dst, ri), src_id[_i] | 0x2c);
    ck_assert_uint_eq(dst->id.pmcr, src_id[_i]);
    ck_assert_uint_eq(arm_pmu_num_counters(dst), 6);
    freecpu(src);
    freecpu(dst);
}
END_TEST

static Suite *reconcile_suite(void)
{
    Suite *s = suite_create("reconcile");
    TCase *tc = tcase_create("rules");

    tcase_add_loop_test(tc, test_tables_well_formed, 0, 3);
    tcase_add_loop_test(tc, test_every_row_reachable, 0, 3);
    tcase_add_test(tc, test_lookup_examples);
    tcase_add_test(tc, test_id_policy);
    tcase_add_loop_test(tc, test_kvm_to_tcg_real, 0, ARRAY_SIZE(k2t));
    tcase_add_test(tc, test_kvm_to_tcg_612_quirk_rows);
    tcase_add_test(tc, test_incoming_list_kvm_form);
    tcase_add_loop_test(tc, test_round_trip_kvm_tcg_kvm, 0, 2);
    tcase_add_test(tc, test_tcg_to_kvm_fresh);
    tcase_add_loop_test(tc, test_tcg_to_kvm_refused, 0,
                        ARRAY_SIZE(t2k_refused));
    tcase_add_test(tc, test_tcg_to_kvm_emulated_only);
    tcase_add_loop_test(tc, test_kernel_to_kernel, 0, 4);
    tcase_add_test(tc, test_kernel_to_kernel_612_born);
    tcase_add_test(tc, test_kernel_to_kernel_refusals);
    tcase_add_test(tc, test_kvm_only_subsection);
    tcase_add_loop_test(tc, test_pmcr_idcode_taken, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(reconcile_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
