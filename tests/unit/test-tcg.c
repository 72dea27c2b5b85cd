/*
 * Unit tests of the interpreter (issue 4): small hand-assembled programs run
 * through tcg_cpu_exec on real RAM; each ends in WFI, which halts the vCPU
 * and returns.  Covers dirty tracking on stores, self-modifying code,
 * UNDEF/SVC/ERET/IRQ exception entry, PSCI through HVC, and a stage-1 MMU
 * walk with a translation fault.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "tcg/tcg-internal.h"

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE (4 * MiB)
#define CODE     0x40001000ULL
#define VBAR     0x40008000ULL
#define DATA     0x40010000ULL

/* Encodings (checked with aarch64-linux-gnu-objdump). */
#define WFI          0xd503207fu
#define NOP          0xd503201fu
#define ERET         0xd69f03e0u
#define SVC_1        0xd4000021u
#define HVC_0        0xd4000002u
#define STR_X1_X0    0xf9000001u        /* str x1, [x0] */
#define STR_W9_X8    0xb9000109u        /* str w9, [x8] */
#define LDR_X2_X8    0xf9400102u        /* ldr x2, [x8] */
#define LDR_X3_X0    0xf9400003u        /* ldr x3, [x0] */
#define ADD_X7_1     0x910004e7u        /* add x7, x7, #1 */
#define MOVZ_X7_5    0xd28000a7u        /* mov x7, #5 */
#define MOV_X1_42    0xd2800541u        /* mov x1, #0x2a */
#define MOVZ_X0_HI(h) (0xd2a00000u | ((h) << 5))        /* x0 = h << 16 */
#define DAIFCLR_I    0xd50342ffu        /* msr daifclr, #2 */
#define DAIFCLR_A    0xd50344ffu        /* msr daifclr, #4 */
#define B_SELF       0x14000000u

static MemoryRegion *ram;
static ARMCPU *cpu;

static void put_code(uint64_t addr, const uint32_t *words, size_t n)
{
    memcpy(ram->host + (addr - RAM_BASE), words, n * 4);
}

static uint64_t ram_q(uint64_t addr)
{
    uint64_t v;
    memcpy(&v, ram->host + (addr - RAM_BASE), 8);
    return v;
}

static void ram_set_q(uint64_t addr, uint64_t v)
{
    memcpy(ram->host + (addr - RAM_BASE), &v, 8);
}

static void run_at(uint64_t pc)
{
    CPUARMState *env = &cpu->env;
    env->pc = pc;
    env->halted = 0;
    tcg_code_invalidate_all();     /* the test wrote code behind our back */
    tcg_cpu_exec(env->tcg);
}

static void setup(void)
{
    Error *err = NULL;
    static const uint32_t vectors_wfi[] = { WFI, WFI };

    cpu = arm_cpu_new("max", NULL, 0, &err);
    ck_assert_msg(cpu != NULL, "%s", err ? error_get_pretty(err) : "");
    tcg_vcpu_create(cpu);
    memset(ram->host, 0, RAM_SIZE);
    cpu->env.sys.vbar_el[1] = VBAR;
    for (unsigned off = 0; off < 0x800; off += 0x80) {
        put_code(VBAR + off, vectors_wfi, 2);
    }
}

static void teardown(void)
{
    tcg_vcpu_destroy(cpu->env.tcg);
    arm_cpu_free(cpu);
    cpu = NULL;
}

START_TEST(test_store_marks_dirty)
{
    const uint32_t prog[] = { MOVZ_X0_HI(0x4001), MOV_X1_42, STR_X1_X0, WFI };
    size_t words = memory_region_dirty_words(ram);
    unsigned long *bm = g_new0(unsigned long, words);
    const unsigned bits = sizeof(unsigned long) * 8;
    uint64_t page = (DATA - RAM_BASE) >> 12;

    put_code(CODE, prog, 4);
    memory_region_fetch_and_clear_dirty(ram, bm);
    run_at(CODE);
    ck_assert_uint_eq(ram_q(DATA), 42);
    ck_assert(cpu->env.halted);
    ck_assert_uint_eq(cpu->env.pc, CODE + 16);
    memory_region_fetch_and_clear_dirty(ram, bm);
    ck_assert(bm[page / bits] & (1UL << (page % bits)));
    /* A page nobody stored to stays clean. */
    ck_assert(!(bm[(page + 1) / bits] & (1UL << ((page + 1) % bits))));
    g_free(bm);
}
END_TEST

START_TEST(test_self_modifying_code)
{
    /* x8 = address of slot 3; x9 = "mov x7, #5" */
    const uint32_t prog[] = { STR_W9_X8, NOP, NOP, ADD_X7_1, WFI };
    CPUARMState *env = &cpu->env;

    put_code(CODE, prog, 5);
    env->xregs[7] = 0;
    env->xregs[8] = CODE + 12;
    env->xregs[9] = ADD_X7_1;
    run_at(CODE);                   /* decodes slot 3 as ADD */
    ck_assert_uint_eq(env->xregs[7], 1);
    env->xregs[9] = MOVZ_X7_5;
    env->pc = CODE;
    env->halted = 0;
    tcg_cpu_exec(env->tcg);         /* no invalidation by the test */
    ck_assert_uint_eq(env->xregs[7], 5);
}
END_TEST

START_TEST(test_undef_exception)
{
    const uint32_t prog[] = { NOP, 0x00000000u /* UDF #0 */, WFI };
    CPUARMState *env = &cpu->env;

    put_code(CODE, prog, 3);
    run_at(CODE);
    ck_assert_uint_eq(env->elr_el[1], CODE + 4);
    ck_assert_uint_eq(env->sys.esr_el[1] >> 26, EC_UNKNOWN);
    ck_assert_uint_eq(env->pc, VBAR + 0x200 + 4);  /* current EL, SPx */
    ck_assert_uint_eq(arm_current_el(env), 1);
}
END_TEST

START_TEST(test_svc_and_eret)
{
    const uint32_t prog[] = { SVC_1, WFI };
    const uint32_t handler[] = { ADD_X7_1, ERET };
    CPUARMState *env = &cpu->env;

    put_code(CODE, prog, 2);
    put_code(VBAR + 0x200, handler, 2);
    env->xregs[7] = 0;
    env->pstate = (env->pstate & ~PSTATE_NZCV) | PSTATE_Z;
    run_at(CODE);
    ck_assert_uint_eq(env->xregs[7], 1);
    ck_assert_uint_eq(env->sys.esr_el[1], (EC_SVC64 << 26) | ESR_IL | 1);
    ck_assert_uint_eq(env->elr_el[1], CODE + 4);
    ck_assert_uint_eq(env->pc, CODE + 8);
    ck_assert(env->pstate & PSTATE_Z);              /* SPSR restored */
}
END_TEST

START_TEST(test_psci_version_hvc)
{
    const uint32_t prog[] = { HVC_0, WFI };
    CPUARMState *env = &cpu->env;

    put_code(CODE, prog, 2);
    env->xregs[0] = PSCI_FN_PSCI_VERSION;
    run_at(CODE);
    ck_assert_uint_eq(env->xregs[0], PSCI_VERSION_1_1);
    env->xregs[0] = 0xc4000077;                     /* unknown id */
    run_at(CODE);
    ck_assert_uint_eq(env->xregs[0], (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED);
}
END_TEST

START_TEST(test_irq_entry)
{
    const uint32_t prog[] = { DAIFCLR_I, B_SELF };
    /* The line stays asserted (WFI would not sleep): power off instead. */
    const uint32_t handler[] = { MOVZ_X0_HI(0x8400), 0xf2800040u /* movk
                                 x0, #2: CPU_OFF */, HVC_0, B_SELF };
    CPUARMState *env = &cpu->env;

    put_code(CODE, prog, 2);
    put_code(VBAR + 0x280, handler, 4);
    env->interrupt_request = CPU_INTERRUPT_HARD;
    run_at(CODE);
    ck_assert_int_eq(env->power_state, PSCI_OFF);
    /* Taken right after DAIFClr: ELR = the B ., vector = current EL IRQ. */
    ck_assert_uint_eq(env->elr_el[1], CODE + 4);
    ck_assert_uint_eq(env->pc, VBAR + 0x280 + 12);
    ck_assert(env->pstate & PSTATE_I);
    ck_assert(!(env->spsr_el[1] & PSTATE_I));
}
END_TEST

/* A pending SError waits for PSTATE.A, then enters at VBAR + 0x380. */
START_TEST(test_serror_entry)
{
    const uint32_t prog[] = { DAIFCLR_I, DAIFCLR_A, B_SELF };
    const uint32_t handler[] = { MOVZ_X0_HI(0x8400), 0xf2800040u /* movk
                                 x0, #2: CPU_OFF */, HVC_0, B_SELF };
    CPUARMState *env = &cpu->env;

    put_code(CODE, prog, 3);
    put_code(VBAR + 0x380, handler, 4);
    arm_cpu_set_serror(cpu, true, 0x1234);
    run_at(CODE);
    ck_assert_int_eq(env->power_state, PSCI_OFF);
    /* Masked by A until the second DAIFClr: ELR = the B . after it. */
    ck_assert_uint_eq(env->elr_el[1], CODE + 8);
    ck_assert_uint_eq(env->sys.esr_el[1], (0x2fu << 26) | (1u << 25) | 0x1234);
    ck_assert(env->pstate & PSTATE_A);
    ck_assert(!env->serror.pending);
    ck_assert_uint_eq(env->interrupt_request & CPU_INTERRUPT_SERROR, 0);
}
END_TEST

/*
 * 4 KiB granule, T0SZ = 25 (39-bit VA, walk starts at level 1):
 * L1[1] -> L2 table; L2[0] = 2 MiB block VA 0x40000000 -> PA 0x40000000.
 * VA 0x40400000 (L2[2]) is unmapped: translation fault, level 2.
 */
START_TEST(test_mmu_translation_fault)
{
    const uint32_t prog[] = { LDR_X3_X0, LDR_X2_X8, WFI };
    CPUARMState *env = &cpu->env;
    const uint64_t l1 = 0x40020000, l2 = 0x40021000;

    put_code(CODE, prog, 3);
    ram_set_q(l1 + 1 * 8, l2 | 3);                          /* table */
    ram_set_q(l2 + 0 * 8, 0x40000000 | (1u << 10) | 1);     /* block, AF */
    ram_set_q(DATA, 0x1122334455667788ULL);
    env->sys.mair_el[1] = 0xff;
    env->sys.tcr_el[1] = 25 | (1u << 23);                   /* EPD1 */
    env->sys.ttbr0_el[1] = l1;
    env->sys.sctlr_el[1] |= 1;
    tcg_tlb_flush(env->tcg);
    env->xregs[0] = DATA;
    env->xregs[8] = 0x40400000;
    run_at(CODE);
    ck_assert_uint_eq(env->xregs[3], 0x1122334455667788ULL);
    ck_assert_uint_eq(env->sys.esr_el[1] >> 26, EC_DATA_ABORT);
    ck_assert_uint_eq(env->sys.esr_el[1] & 0x3f, 0x06);    /* L2 transl. */
    ck_assert_uint_eq(env->sys.far_el[1], 0x40400000);
    ck_assert_uint_eq(env->elr_el[1], CODE + 4);
    /* AT S1E1R through the hook agrees: PAR_EL1.F set for the hole. */
    ck_assert_uint_eq(tcg_mmu_at(cpu, 0x40400000, false, 1) & 1, 1);
    ck_assert_uint_eq(tcg_mmu_at(cpu, DATA, false, 1) & 0xfffffffff000ULL,
                      DATA);
}
END_TEST

/*
 * 64 KiB granule, T0SZ = 25: the walk starts at level 2 (10 index bits);
 * L2[2] -> L3 table; L3[1] = 64 KiB page VA 0x40010000 -> PA 0x40010000.
 */
START_TEST(test_mmu_64k_granule)
{
    CPUARMState *env = &cpu->env;
    const uint64_t l2 = 0x40200000, l3 = 0x40210000;
    uint64_t par;

    ram_set_q(l2 + 2 * 8, l3 | 3);                          /* table */
    ram_set_q(l3 + 1 * 8, 0x40010000 | (1u << 10) | 3);     /* page, AF */
    env->sys.mair_el[1] = 0xff;
    env->sys.tcr_el[1] = 25 | (1u << 14) | (1u << 23);      /* TG0 = 64K */
    env->sys.ttbr0_el[1] = l2;
    env->sys.sctlr_el[1] |= 1;
    par = tcg_mmu_at(cpu, 0x4001fff8, false, 1);
    ck_assert_uint_eq(par & 1, 0);
    ck_assert_uint_eq(par & 0xfffffffff000ULL, 0x4001f000);
    /* L3[2] is empty: translation fault, level 3 (FST = 0x07). */
    par = tcg_mmu_at(cpu, 0x40020000, false, 1);
    ck_assert_uint_eq(par & 1, 1);
    ck_assert_uint_eq((par >> 1) & 0x3f, 0x07);
    /* EL0 has no access (AP[1] = 0): permission fault at level 3. */
    par = tcg_mmu_at(cpu, 0x40010000, false, 0);
    ck_assert_uint_eq((par >> 1) & 0x3f, 0x0f);
}
END_TEST

/* AUTIASP strips the PAC field (we never sign; see decode-branch-sys.c). */
START_TEST(test_autiasp_strips_pac)
{
    const uint32_t prog[] = { 0xd50323bfu /* autiasp */, WFI };
    CPUARMState *env = &cpu->env;

    put_code(CODE, prog, 2);
    env->xregs[30] = 0x1234000040080040ULL;
    run_at(CODE);
    ck_assert_uint_eq(env->xregs[30], 0x40080040ULL);
    env->xregs[30] = 0x0034ffffc0080040ULL | (1ULL << 55);  /* high half */
    run_at(CODE);
    ck_assert_uint_eq(env->xregs[30], 0xffffffffc0080040ULL);
}
END_TEST

static Suite *tcg_suite(void)
{
    Suite *s = suite_create("tcg");
    TCase *tc = tcase_create("exec");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_store_marks_dirty);
    tcase_add_test(tc, test_self_modifying_code);
    tcase_add_test(tc, test_undef_exception);
    tcase_add_test(tc, test_svc_and_eret);
    tcase_add_test(tc, test_psci_version_hvc);
    tcase_add_test(tc, test_irq_entry);
    tcase_add_test(tc, test_serror_entry);
    tcase_add_test(tc, test_mmu_translation_fault);
    tcase_add_test(tc, test_mmu_64k_granule);
    tcase_add_test(tc, test_autiasp_strips_pac);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    Error *err = NULL;
    SRunner *r;
    int failed;

    ram = memory_region_new_ram("tcg-test.ram", RAM_SIZE, &err);
    if (!ram || !address_space_map_region(&address_space_memory, ram,
                                          RAM_BASE, &err)) {
        fprintf(stderr, "test-tcg: %s\n", error_get_pretty(err));
        return 1;
    }
    r = srunner_create(tcg_suite());
    srunner_run_all(r, CK_NORMAL);
    failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? 1 : 0;
}
