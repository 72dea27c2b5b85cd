/*
 * Unit tests of the system-register table and the migrated register list:
 * table invariants, approved lists, coverage of real KVM lists, guest
 * access rules, save/load round trip and every merge case.
 *
 * Approved lists: tests/data/approved-<model>.txt pin each model's
 * migrated ids.  After a deliberate change, regenerate them with
 *   ARMVM_BLESS=1 build/tests/unit/test-cpregs
 * and commit the diff together with the change.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "cpregs.h"
#include "cpreg-list.h"
#include "cpu-features.h"
#include "test-cpregs-data.h"

#define ID(NAME) ARM_SYSREG_KVM_ID(SYSREG_##NAME)

static ARMCPU *mkcpu(const char *model, const char *props)
{
    Error *err = NULL;
    ARMCPU *cpu = arm_cpu_new(model, props, 0, &err);
    if (!cpu) {
        ck_abort_msg("arm_cpu_new(%s, %s): %s", model, props ? props : "",
                     error_get_pretty(err));
    }
    return cpu;
}

static uint64_t raw(ARMCPU *cpu, uint64_t id)
{
    const ArmCPReg *ri = arm_cpreg_find(cpu, id);
    ck_assert_msg(ri, "no register 0x%" PRIx64, id);
    return arm_cpreg_raw_read(cpu, ri);
}

static void set_el(ARMCPU *cpu, unsigned el)
{
    cpu->env.pstate = (cpu->env.pstate & ~PSTATE_EL_MASK) |
                      (el << PSTATE_EL_SHIFT);
}

/* ---- table invariants ---- */

static const char *const configs[][2] = {
    { "max", NULL }, { "max", "pauth=on,sve=on" }, { "max", "pmu=off" },
    { "cortex-a57", NULL }, { "cortex-a57", "crypto=off,pmu=off" },
    { "cortex-a72", NULL },
};

START_TEST(test_table_invariants)
{
    ARMCPU *cpu = mkcpu(configs[_i][0], configs[_i][1]);
    Error *err = NULL;
    unsigned idspace = 0;

    ck_assert_msg(arm_cpregs_check(cpu, &err), "%s",
                  err ? error_get_pretty(err) : "");
    for (unsigned i = 0; i < arm_cpreg_count(cpu); i++) {
        const ArmCPReg *ri = arm_cpreg_at(cpu, i);
        if (i) {
            ck_assert_uint_lt(arm_cpreg_at(cpu, i - 1)->id, ri->id);
        }
        ck_assert(ri->name[0]);
        if (arm_cpreg_is_migrated(ri)) {
            ck_assert_msg(arm_cpreg_has_raw(ri), "%s", ri->name);
        }
        /* Every stateful, non-alias register resets to something defined:
         * reset twice from different garbage gives the same value. */
        if (arm_cpreg_is_migrated(ri) && !(ri->flags & ARM_CP_CONST)) {
            arm_cpreg_raw_write(cpu, ri, 0x5555);
            arm_cpreg_reset_one(cpu, ri);
            uint64_t a = arm_cpreg_raw_read(cpu, ri);
            arm_cpreg_raw_write(cpu, ri, 0xaaaa);
            arm_cpreg_reset_one(cpu, ri);
            ck_assert_msg(a == arm_cpreg_raw_read(cpu, ri), "%s reset",
                          ri->name);
        }
        uint32_t e = ri->enc;
        if (ri->view == ARM_CP_VIEW_FULL && !ri->aa32_enc) {
            ck_assert(ARM_KVM_ID_IS_SYSREG(ri->id));
        } else {
            /* AArch32 entries: views are aliases of their AArch64 owner. */
            ck_assert((ri->id >> 56) == 0x40);
            ck_assert(!arm_cpreg_is_migrated(ri) || ri->enc == 0);
            if (ri->enc) {
                ck_assert_ptr_nonnull(arm_cpreg_find(cpu, ri->generator_id));
            }
            continue;
        }
        if (ARM_SYSREG_OP0(e) == 3 && ARM_SYSREG_OP1(e) == 0 &&
            ARM_SYSREG_CRN(e) == 0 && ARM_SYSREG_CRM(e) >= 1 &&
            ARM_SYSREG_CRM(e) <= 7) {
            idspace++;
            ck_assert(ri->flags & ARM_CP_CONST);
            ck_assert(arm_cpreg_is_migrated(ri));
        }
    }
    ck_assert_uint_eq(idspace, 56);
    /* The migrated list is sorted and only holds migrated entries. */
    for (uint32_t i = 0; i < cpu->cpreg_array_len; i++) {
        if (i) {
            ck_assert_uint_lt(cpu->cpreg_indexes[i - 1],
                              cpu->cpreg_indexes[i]);
        }
        ck_assert(arm_cpreg_is_migrated(arm_cpreg_find(cpu,
                                                cpu->cpreg_indexes[i])));
    }
    arm_cpu_free(cpu);
}
END_TEST

START_TEST(test_encodings_and_names)
{
    char buf[ARM_SYSREG_NAME_LEN];

    ck_assert_uint_eq(ID(SCTLR_EL1), 0x603000000013c080ULL);
    ck_assert_uint_eq(ID(MIDR_EL1), 0x603000000013c000ULL);
    ck_assert_uint_eq(ID(CNTV_CTL_EL0), 0x603000000013df19ULL);
    ck_assert_str_eq(arm_sysreg_enc_name(arm_sysreg_family_enc(
                         SYSREGN_DBGWCR, 15), buf), "DBGWCR15_EL1");
    ck_assert_uint_eq(arm_sysreg_family_enc(SYSREGN_PMEVTYPER, 30), 0xdf7e);
    ck_assert_str_eq(arm_sysreg_enc_name(0xc01b, buf), "S3_0_C0_C3_3");
    ck_assert_int_eq(arm_sysreg_enc_from_name("tcr_el1"), SYSREG_TCR_EL1);
    ck_assert_int_eq(arm_sysreg_enc_from_name("PMEVCNTR7_EL0"), 0xdf47);
    ck_assert_int_eq(arm_sysreg_enc_from_name("S3_0_C0_C3_3"), 0xc01b);
    ck_assert_int_eq(arm_sysreg_enc_from_name("NOPE_EL1"), -1);
}
END_TEST

/* Wildcard expansion: one generator, ALIAS children sharing its storage. */
static const ArmCPRegDesc wild_table[] = {
    { .name = "TEST_WILD", .enc = ARM_SYSREG_ENC(3, 0, 15, 0, 0),
      .wild_mask = 7, .access = PL1_RW, ARM_FIELD(sys.actlr_el[2]),
      .resetvalue = 0x1234 },
};

START_TEST(test_wildcard)
{
    arm_cpregs_set_test_table(wild_table, ARRAY_SIZE(wild_table));
    ARMCPU *cpu = mkcpu("cortex-a57", NULL);
    arm_cpregs_set_test_table(NULL, 0);
    uint64_t gen = ARM_SYSREG_KVM_ID(ARM_SYSREG_ENC(3, 0, 15, 0, 0));
    unsigned children = 0, listed = 0;
    uint64_t v;

    for (unsigned op2 = 0; op2 < 8; op2++) {
        const ArmCPReg *ri = arm_cpreg_find(cpu, gen + op2);
        ck_assert(ri);
        ck_assert_uint_eq(ri->generator_id, gen);
        children += !!(ri->flags & ARM_CP_ALIAS);
    }
    ck_assert_uint_eq(children, 7);
    for (uint32_t i = 0; i < cpu->cpreg_array_len; i++) {
        listed += (cpu->cpreg_indexes[i] & ~7ULL) == gen;
    }
    ck_assert_uint_eq(listed, 1);
    ck_assert_uint_eq(raw(cpu, gen), 0x1234);
    /* A child's write lands in the generator's state. */
    ck_assert_int_eq(arm_cpreg_msr(cpu, ARM_SYSREG_ENC(3, 0, 15, 0, 5), 77), 0);
    ck_assert_uint_eq(raw(cpu, gen), 77);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, ARM_SYSREG_ENC(3, 0, 15, 0, 3), &v), 0);
    ck_assert_uint_eq(v, 77);
    arm_cpu_free(cpu);
}
END_TEST

/* A duplicate encoding is caught by the start-up check. */
static const ArmCPRegDesc dup_table[] = {
    { .name = "DUP_SCTLR", .enc = SYSREG_SCTLR_EL1, .access = PL1_RW,
      ARM_FIELD(sys.actlr_el[2]) },
};

START_TEST(test_duplicate_rejected)
{
    Error *err = NULL;
    arm_cpregs_set_test_table(dup_table, ARRAY_SIZE(dup_table));
    ARMCPU *cpu = arm_cpu_new("max", NULL, 0, &err);
    arm_cpregs_set_test_table(NULL, 0);
    ck_assert_ptr_null(cpu);
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "0x603000000013c080"));
    error_free(err);
}
END_TEST

/* ---- approved lists ---- */

static const char *const approved[][3] = {
    { "max", NULL, "approved-max.txt" },
    { "max", "pauth=on,sve=on", "approved-max-pauth-sve.txt" },
    { "cortex-a57", NULL, "approved-cortex-a57.txt" },
    { "cortex-a72", NULL, "approved-cortex-a72.txt" },
};

START_TEST(test_approved_list)
{
    ARMCPU *cpu = mkcpu(approved[_i][0], approved[_i][1]);
    GString *now = g_string_new("");
    gchar *path = test_data_path(approved[_i][2]);
    gchar *want = NULL;

    g_string_append_printf(now, "# migrated registers of -cpu %s%s%s; "
                           "regenerate with ARMVM_BLESS=1 (see "
                           "test-cpregs.c)\n", approved[_i][0],
                           approved[_i][1] ? "," : "",
                           approved[_i][1] ? approved[_i][1] : "");
    for (uint32_t i = 0; i < cpu->cpreg_array_len; i++) {
        g_string_append_printf(now, "0x%016" PRIx64 " %s\n",
                               cpu->cpreg_indexes[i],
                               arm_cpreg_find(cpu, cpu->cpreg_indexes[i])->name);
    }
    if (getenv("ARMVM_BLESS")) {
        ck_assert(g_file_set_contents(path, now->str, -1, NULL));
    }
    ck_assert_msg(g_file_get_contents(path, &want, NULL, NULL),
                  "missing %s", path);
    ck_assert_msg(!strcmp(want, now->str),
                  "migrated list of %s changed; if deliberate, regenerate %s "
                  "with ARMVM_BLESS=1", approved[_i][0], path);
    g_free(want);
    g_free(path);
    g_string_free(now, true);
    arm_cpu_free(cpu);
}
END_TEST

/* ---- real KVM lists: every sysreg id is ours or accepted ---- */

static const char *const kvm_cases[][3] = {
    { "k61-max-gic3/reglist-a64.txt", "max", NULL },
    { "k612-max-gic3/reglist-a64.txt", "max", NULL },
    { "k61-max-gic3/reglist-a64full.txt", "max", "pauth=on,sve=on" },
    { "k612-max-gic3/reglist-a64full.txt", "max", "pauth=on,sve=on" },
    { "k61-a57-gic3/reglist-a64.txt", "cortex-a57", NULL },
    { "k612-a57-gic3/reglist-a64.txt", "cortex-a57", NULL },
    { "k61-a57-gic3/reglist-a64full.txt", "cortex-a57", NULL },
    { "k612-a57-gic3/reglist-a64full.txt", "cortex-a57", NULL },
};

START_TEST(test_kvm_lists_accepted)
{
    gchar *rel = g_strdup_printf("kvm-reglists/%s", kvm_cases[_i][0]);
    gchar *path = test_data_path(rel);
    ARMCPU *cpu = mkcpu(kvm_cases[_i][1], kvm_cases[_i][2]);
    gchar *text = NULL;
    gchar **lines;
    unsigned seen = 0;

    ck_assert_msg(g_file_get_contents(path, &text, NULL, NULL), "%s", path);
    lines = g_strsplit(text, "\n", -1);
    for (unsigned i = 0; lines[i]; i++) {
        uint64_t id, val;
        char *eq;
        if (strncmp(lines[i], "sysreg ", 7)) {
            continue;
        }
        id = g_ascii_strtoull(lines[i] + 7, NULL, 0);
        eq = strrchr(lines[i], '=');
        ck_assert(eq);
        val = g_ascii_strtoull(eq + 1, NULL, 0);
        ArmCPRegIncoming k = arm_cpreg_incoming_kind(cpu, id, val);
        ck_assert_msg(k != ARM_CPREG_IN_UNKNOWN, "%s: %s not accepted by %s",
                      kvm_cases[_i][0], lines[i], kvm_cases[_i][1]);
        seen++;
    }
    ck_assert_uint_gt(seen, 150);
    g_strfreev(lines);
    g_free(text);
    g_free(path);
    g_free(rel);
    arm_cpu_free(cpu);
}
END_TEST

/* ---- guest access ---- */

static unsigned flushes, page_flushes, icache;
static uint64_t last_page;
static void h_flush(ARMCPU *cpu) { flushes++; }
static void h_page(ARMCPU *cpu, uint64_t va) { page_flushes++; last_page = va; }
static void h_ic(ARMCPU *cpu) { icache++; }
static uint64_t h_at(ARMCPU *cpu, uint64_t va, bool w, unsigned el)
{
    return (va & ~0xfffULL) | (w ? 0x80 : 0) | el << 1;
}
static const ArmAccelHooks hooks = { h_flush, h_page, h_ic, h_at };

START_TEST(test_guest_access)
{
    ARMCPU *cpu = mkcpu("cortex-a57", NULL);
    uint64_t v = 0;

    /* Identification and RAZ space. */
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_MIDR_EL1, &v), 0);
    ck_assert_uint_eq(v, 0x411fd070);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, ARM_SYSREG_ENC(3, 0, 0, 3, 3), &v), 0);
    ck_assert_uint_eq(v, 0);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_MPIDR_EL1, &v), 0);
    ck_assert_uint_eq(v, 0x80000000);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_MIDR_EL1, 1), ARM_CP_EXC_UNDEF);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_CTR_EL0, &v), 0);
    ck_assert_uint_eq(v, 0x8444c004);
    /* Unknown encodings and SYS instructions read as MRS: UNDEF. */
    ck_assert_int_eq(arm_cpreg_mrs(cpu, ARM_SYSREG_ENC(3, 7, 15, 15, 7), &v),
                     ARM_CP_EXC_UNDEF);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_TLBI_VMALLE1, &v),
                     ARM_CP_EXC_UNDEF);
    /* Reset values: UNKNOWN -> poison, defined ones as the Arm ARM says. */
    ck_assert_uint_eq(raw(cpu, ID(TTBR0_EL1)), ARM_CP_POISON);
    ck_assert_uint_eq(raw(cpu, ID(SCTLR_EL1)), 0x30d00800);
    ck_assert_uint_eq(raw(cpu, ID(OSLSR_EL1)), 0xa);
    ck_assert_uint_eq(raw(cpu, ID(PMCR_EL0)) >> 11 & 0x1f, 6);

    /* EL0 rules. */
    set_el(cpu, 0);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_MIDR_EL1, &v), ARM_CP_EXC_UNDEF);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_CTR_EL0, &v),
                     ARM_CP_EXC_TRAP_EL1);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_DC_ZVA, 0), ARM_CP_EXC_TRAP_EL1);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_CNTVCT_EL0, &v),
                     ARM_CP_EXC_TRAP_EL1);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_TPIDR_EL0, &v), 0);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_TPIDRRO_EL0, 1),
                     ARM_CP_EXC_UNDEF);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_TLBI_VMALLE1, 0),
                     ARM_CP_EXC_UNDEF);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_FPCR, &v), ARM_CP_EXC_FP_TRAP);
    set_el(cpu, 1);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_SCTLR_EL1,
                                   (1ULL << 15) | (1ULL << 14)), 0);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_CNTKCTL_EL1, 3), 0);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_CPACR_EL1, 3u << 20), 0);
    set_el(cpu, 0);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_CTR_EL0, &v), 0);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_DC_ZVA, 0), 0);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_CNTVCT_EL0, &v), 0);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_FPCR, &v), 0);
    set_el(cpu, 1);

    /* Implemented breakpoints/counters only; EL2 registers UNDEF at EL1. */
    ck_assert_int_eq(arm_cpreg_msr(cpu, arm_sysreg_family_enc(SYSREGN_DBGBVR,
                                                              5), 8), 0);
    ck_assert_int_eq(arm_cpreg_msr(cpu, arm_sysreg_family_enc(SYSREGN_DBGBVR,
                                                              6), 8),
                     ARM_CP_EXC_UNDEF);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, arm_sysreg_family_enc(SYSREGN_PMEVCNTR,
                                                              6), &v),
                     ARM_CP_EXC_UNDEF);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_DACR32_EL2, &v),
                     ARM_CP_EXC_UNDEF);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_DISR_EL1, &v),
                     ARM_CP_EXC_UNDEF);       /* no FEAT_RAS on the A57 */

    /* Special-purpose registers are views of PSTATE and core state. */
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_CurrentEL, &v), 0);
    ck_assert_uint_eq(v, 1 << 2);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_NZCV, 0xf0000000), 0);
    ck_assert_uint_eq(cpu->env.pstate & PSTATE_NZCV, PSTATE_NZCV);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_ELR_EL1, 0x1234), 0);
    ck_assert_uint_eq(cpu->env.elr_el[1], 0x1234);

    /* PMU SET/CLR pairs share one storage. */
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_PMCNTENSET_EL0, 0x80000005), 0);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_PMCNTENCLR_EL0, 0x4), 0);
    ck_assert_uint_eq(raw(cpu, ID(PMCNTENSET_EL0)), 0x80000001);

    /* CCSIDR follows CSSELR. */
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_CSSELR_EL1, 1), 0);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_CCSIDR_EL1, &v), 0);
    ck_assert_uint_eq(v, 0x201fe012);

    /* Side effects go through the accelerator hooks. */
    flushes = page_flushes = icache = 0;
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_AT_S1E1R, 0x4000), 0);
    ck_assert_uint_eq(raw(cpu, ID(PAR_EL1)), 1);     /* no hook: fault */
    cpu->hooks = &hooks;
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_TLBI_VMALLE1IS, 0), 0);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_TLBI_VAE1, 0xfffffffffffULL), 0);
    ck_assert_uint_eq(last_page, 0xfffffffffffff000ULL);   /* VA[55] set */
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_TLBI_VAE1, 0x12345ULL), 0);
    ck_assert_uint_eq(last_page, 0x12345000ULL);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_IC_IALLU, 0), 0);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_TTBR0_EL1, 0x1000), 0);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_TTBR0_EL1, 0x1000), 0);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_AT_S1E0W, 0x5123), 0);
    ck_assert_uint_eq(raw(cpu, ID(PAR_EL1)), 0x5080);
    ck_assert_uint_eq(flushes, 2);         /* TLBI + the one TTBR0 change */
    ck_assert_uint_eq(page_flushes, 2);
    ck_assert_uint_eq(icache, 1);
    arm_cpu_free(cpu);
}
END_TEST

/* AArch32 views share their AArch64 register's storage (BRIEF idea 1). */
START_TEST(test_aarch32_views)
{
    ARMCPU *cpu = mkcpu("cortex-a57", NULL);
    uint64_t v;

    cpu->env.sys.tpidr_el[0] = 0x1111222233334444ULL;
    ck_assert_int_eq(arm_cpreg_cp_read(cpu, 15, false, 0, 13, 0, 2, &v), 0);
    ck_assert_uint_eq(v, 0x33334444);                       /* TPIDRURW */
    ck_assert_int_eq(arm_cpreg_cp_write(cpu, 15, false, 0, 13, 0, 2, 0xabcd),
                     0);
    ck_assert_uint_eq(cpu->env.sys.tpidr_el[0], 0x111122220000abcdULL);
    /* IFAR is FAR_EL1[63:32], DFAR FAR_EL1[31:0]. */
    ck_assert_int_eq(arm_cpreg_cp_write(cpu, 15, false, 0, 6, 0, 2, 0x1234),
                     0);
    ck_assert_int_eq(arm_cpreg_cp_write(cpu, 15, false, 0, 6, 0, 0, 0x5678),
                     0);
    ck_assert_uint_eq(cpu->env.sys.far_el[1], 0x0000123400005678ULL);
    /* MCRR TTBR0 is all 64 bits. */
    ck_assert_int_eq(arm_cpreg_cp_write(cpu, 15, true, 0, 0, 2, 0,
                                        0x00ab000012345000ULL), 0);
    ck_assert_uint_eq(cpu->env.sys.ttbr0_el[1], 0x00ab000012345000ULL);
    ck_assert_int_eq(arm_cpreg_cp_read(cpu, 15, false, 0, 2, 0, 0, &v), 0);
    ck_assert_uint_eq(v, 0x12345000);
    /* DACR: AArch32 EL1 reaches DACR32_EL2's state; AArch64 EL1 cannot. */
    ck_assert_int_eq(arm_cpreg_cp_write(cpu, 15, false, 0, 3, 0, 0, 0x55), 0);
    ck_assert_uint_eq((uint32_t)cpu->env.sys.dacr32_el2, 0x55);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_DACR32_EL2, &v),
                     ARM_CP_EXC_UNDEF);
    /* ID registers, timers and unknown encodings. */
    ck_assert_int_eq(arm_cpreg_cp_read(cpu, 15, false, 0, 0, 2, 0, &v), 0);
    ck_assert_uint_eq(v, 0x02101110);                       /* ID_ISAR0 */
    ck_assert_int_eq(arm_cpreg_cp_read(cpu, 15, false, 0, 0, 0, 0, &v), 0);
    ck_assert_uint_eq(v, 0x411fd070);                       /* MIDR */
    ck_assert_int_eq(arm_cpreg_cp_write(cpu, 15, true, 3, 0, 14, 0, 777), 0);
    ck_assert_uint_eq(cpu->env.sys.cnt_cval[ARM_GT_VIRT], 777);
    ck_assert_int_eq(arm_cpreg_cp_read(cpu, 15, false, 7, 15, 15, 7, &v),
                     ARM_CP_EXC_UNDEF);
    /* Views never travel: they are not in the migrated list. */
    ck_assert_ptr_nonnull(arm_cpreg_find(cpu, 0x40200000200f6802ULL));
    for (uint32_t i = 0; i < cpu->cpreg_array_len; i++) {
        ck_assert(ARM_KVM_ID_IS_SYSREG(cpu->cpreg_indexes[i]));
    }
    arm_cpu_free(cpu);
}
END_TEST

/*
 * QEMU 7.2 lists the AArch32 views with the ids we give them (NS bit set),
 * so its stream entries for them are accepted as views.
 */
START_TEST(test_qemu72_views)
{
    gchar *path = test_data_path("qemu72-cpreg/cortex-a57.list");
    ARMCPU *cpu = mkcpu("cortex-a57", NULL);
    gchar *text = NULL;
    unsigned views = 0;
    static const uint64_t must[] = {
        0x40200000200f6802ULL,  /* TPIDRURW */
        0x40200000200f1800ULL,  /* DACR */
        0x40200000200f5101ULL,  /* MAIR1 */
        0x40200000200f0100ULL,  /* ID_ISAR0 */
        0x40200000200f7080ULL,  /* CNTKCTL */
        0x40300000200f0380ULL,  /* PAR (64-bit) */
    };

    ck_assert(g_file_get_contents(path, &text, NULL, NULL));
    gchar **lines = g_strsplit(text, "\n", -1);
    for (unsigned i = 0; lines[i]; i++) {
        if (!strncmp(lines[i], "0x40", 4)) {
            uint64_t id = g_ascii_strtoull(lines[i], NULL, 0);
            views += arm_cpreg_incoming_kind(cpu, id, 0) == ARM_CPREG_IN_VIEW;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(must); i++) {
        ck_assert_msg(arm_cpreg_incoming_kind(cpu, must[i], 0) ==
                      ARM_CPREG_IN_VIEW, "0x%" PRIx64, must[i]);
    }
    ck_assert_uint_ge(views, 30);
    g_strfreev(lines);
    g_free(text);
    g_free(path);
    arm_cpu_free(cpu);
}
END_TEST

/* "host" takes KVM's identification; the table follows its features. */
START_TEST(test_host_import)
{
    ARMCPU *cpu = mkcpu("host", "pmu=off");
    Error *err = NULL;
    const uint64_t ids[] = {
        ID(MIDR_EL1), ID(ID_AA64DFR0_EL1), ID(ID_AA64ISAR0_EL1),
        ID(CLIDR_EL1), ID(SCTLR_EL1),
    };
    const uint64_t vals[] = {
        0x411fd070, 0x10305106, 0x1221111110212120ULL, 0x9200003, 0x1234,
    };

    ck_assert(arm_cpu_model_kvm_only("host"));
    ck_assert(!arm_cpu_model_kvm_only("max"));
    cpu->env.sys.tpidr_el[1] = 99;
    ck_assert_ptr_null(arm_cpreg_find(cpu, ID(PMCR_EL0)));
    ck_assert(arm_cpu_import_id_regs(cpu, ids, vals, ARRAY_SIZE(ids), &err));
    ck_assert_uint_eq(raw(cpu, ID(MIDR_EL1)), 0x411fd070);
    ck_assert_uint_eq(raw(cpu, ID(CLIDR_EL1)), 0x9200003);
    ck_assert_uint_eq(raw(cpu, ID(TPIDR_EL1)), 99);         /* kept */
    ck_assert_uint_ne(raw(cpu, ID(SCTLR_EL1)), 0x1234);    /* not an ID */
    /* PMUv3 now advertised: the PMU table exists and starts at reset. */
    ck_assert_uint_eq(raw(cpu, ID(PMCR_EL0)) >> 11 & 0x1f, 6);
    ck_assert_ptr_nonnull(arm_cpreg_find(cpu, ID(TLBI_RVAE1IS)));
    arm_cpu_free(cpu);
}
END_TEST

START_TEST(test_properties)
{
    static const char *const bad[][3] = {
        { "cortex-a57", "sve=on", "'sve'" },
        { "cortex-a57", "frobnicate=1", "'frobnicate'" },
        { "max", "pmu=maybe", "'maybe'" },
        { "max", "cntfrq=0", "cntfrq" },
        { "max", "x-mig-hidden-regs=FOO_EL9", "FOO_EL9" },
        { "cortex-z99", NULL, "cortex-z99" },
        { "cortex-a15", NULL, "AArch32" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        Error *err = NULL;
        ck_assert_ptr_null(arm_cpu_new(bad[i][0], bad[i][1], 0, &err));
        ck_assert_msg(strstr(error_get_pretty(err), bad[i][2]), "%s",
                      error_get_pretty(err));
        error_free(err);
    }
    ARMCPU *cpu = mkcpu("cortex-a57", "pmu=off,crypto=off,cntfrq=100000000");
    ck_assert_ptr_null(arm_cpreg_find(cpu, ID(PMCR_EL0)));
    ck_assert_uint_eq(ARM_IDF(cpu, ID_AA64ISAR0_EL1, AES), 0);
    ck_assert_uint_eq(ARM_IDF(cpu, ID_AA64ISAR0_EL1, CRC32), 1);
    uint64_t v;
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_CNTFRQ_EL0, &v), 0);
    ck_assert_uint_eq(v, 100000000);
    arm_cpu_free(cpu);
    cpu = mkcpu("max", "sve=on,pauth");
    ck_assert_ptr_nonnull(arm_cpreg_find(cpu, ID(ZCR_EL1)));
    ck_assert_ptr_nonnull(arm_cpreg_find(cpu, ID(APGAKEYHI_EL1)));
    arm_cpu_free(cpu);
    cpu = mkcpu("max", NULL);
    ck_assert_ptr_null(arm_cpreg_find(cpu, ID(ZCR_EL1)));
    ck_assert_ptr_null(arm_cpreg_find(cpu, ID(APIAKEYLO_EL1)));
    arm_cpu_free(cpu);
}
END_TEST

static Suite *cpregs_suite(void)
{
    Suite *s = suite_create("cpregs");
    TCase *tc = tcase_create("table");

    tcase_add_loop_test(tc, test_table_invariants, 0, ARRAY_SIZE(configs));
    tcase_add_test(tc, test_encodings_and_names);
    tcase_add_test(tc, test_wildcard);
    tcase_add_test(tc, test_duplicate_rejected);
    tcase_add_loop_test(tc, test_approved_list, 0, ARRAY_SIZE(approved));
    tcase_add_loop_test(tc, test_kvm_lists_accepted, 0, ARRAY_SIZE(kvm_cases));
    tcase_add_test(tc, test_guest_access);
    tcase_add_test(tc, test_aarch32_views);
    tcase_add_test(tc, test_qemu72_views);
    tcase_add_test(tc, test_host_import);
    tcase_add_test(tc, test_properties);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cpregs_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
