/*
 * Performance Monitors Extension registers (Arm ARM D13, D24.5), present
 * when ID_AA64DFR0_EL1.PMUVer says so (CPU property pmu=on|off).
 *
 * The counters hold state but do not count yet: the architecture allows
 * implementations with no countable events beyond the cycle counter, and
 * what matters here is that the state is complete and migrates.  The
 * SET/CLR pairs share one storage: the SET form carries it in the list,
 * the CLR form is an ALIAS - but KVM lists both, so the merge accepts the
 * CLR ids as views (cpreg-list.c).  The 31 PMEVCNTR/PMEVTYPER instances all
 * exist, as KVM lists all 31; those >= PMCR_EL0.N UNDEF for the guest.
 */
#include "qemu/osdep.h"
#include "cpregs.h"
#include "cpu-features.h"

/* PMUSERENR_EL0 (D13.3.14): EN, SW, CR, ER enable EL0 accesses. */
#define PMUSERENR_EN 1u
#define PMUSERENR_SW 2u
#define PMUSERENR_CR 4u
#define PMUSERENR_ER 8u
/* PMCR_EL0 writable bits E, P, C, D, X, DP, LC (D13.3.7); N is RO. */
#define PMCR_WRITABLE 0x7fULL
#define PMCR_P (1u << 1)
#define PMCR_C (1u << 2)

static uint64_t counter_mask(ARMCPU *cpu)
{
    return (1ULL << 31) | ((1ULL << arm_pmu_num_counters(cpu)) - 1);
}

static int el0_gate(ARMCPU *cpu, uint32_t alt)
{
    if (arm_current_el(&cpu->env) == 0 &&
        !(cpu->env.sys.pmuserenr_el0 & (PMUSERENR_EN | alt))) {
        return ARM_CP_EXC_TRAP_EL1;
    }
    return ARM_CP_EXC_NONE;
}
static int pmu_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    return el0_gate(cpu, 0);
}
static int swinc_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    return el0_gate(cpu, PMUSERENR_SW);
}
static int ccnt_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    return el0_gate(cpu, isread ? PMUSERENR_CR : 0);
}
/* Event counter n must be < PMCR_EL0.N, else UNDEF (D13.3.4). */
static int evcnt_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    if (ri->n >= arm_pmu_num_counters(cpu)) {
        return ARM_CP_EXC_UNDEF;
    }
    return el0_gate(cpu, isread ? PMUSERENR_ER : 0);
}

static void pmcr_reset(ARMCPU *cpu, const ArmCPReg *ri)
{
    cpu->env.sys.pmcr_el0 = cpu->id.pmcr & ~PMCR_WRITABLE;
}
static void pmcr_raw_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    /* N and IDCODE are the model's: a differing incoming value fails the
     * read-back check instead of silently changing the counter count. */
    cpu->env.sys.pmcr_el0 = (v & PMCR_WRITABLE) |
                            (cpu->id.pmcr & ~PMCR_WRITABLE);
}
static uint64_t pmcr_raw_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->env.sys.pmcr_el0;
}
static void pmcr_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    ArmSysRegs *s = &cpu->env.sys;

    if (v & PMCR_C) {
        s->pmccntr_el0 = 0;
    }
    if (v & PMCR_P) {
        memset(s->pmevcntr_el0, 0, sizeof(s->pmevcntr_el0));
    }
    pmcr_raw_write(cpu, ri, v & ~(uint64_t)(PMCR_P | PMCR_C));
}

/* SET/CLR pairs: ri->desc->fieldoffset is the shared storage. */
static void set_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    *arm_cpreg_ptr(cpu, ri) |= v & counter_mask(cpu);
}
static void clr_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    *arm_cpreg_ptr(cpu, ri) &= ~(v & counter_mask(cpu));
}
static void swinc_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    /* No software-increment events are counted (event 0x00 not set up). */
}

/* PMXEVCNTR/PMXEVTYPER select through PMSELR_EL0.SEL (D13.3.21). */
static int xev_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    unsigned sel = cpu->env.sys.pmselr_el0 & 0x1f;
    if (sel != 31 && sel >= arm_pmu_num_counters(cpu)) {
        return ARM_CP_EXC_UNDEF;
    }
    return el0_gate(cpu, 0);
}
static uint64_t *xev_slot(ARMCPU *cpu, const ArmCPReg *ri)
{
    unsigned sel = cpu->env.sys.pmselr_el0 & 0x1f;
    bool type = ri->enc == SYSREG_PMXEVTYPER_EL0;

    if (sel == 31) {
        return type ? &cpu->env.sys.pmccfiltr_el0 : &cpu->env.sys.pmccntr_el0;
    }
    return type ? &cpu->env.sys.pmevtyper_el0[sel] :
                  &cpu->env.sys.pmevcntr_el0[sel];
}
static uint64_t xev_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return *xev_slot(cpu, ri);
}
static void xev_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    *xev_slot(cpu, ri) = v;
}
static uint64_t pmceid_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->id.pmceid[ri->enc == SYSREG_PMCEID1_EL0];
}

static const ArmCPRegDesc pmu_regs[] = {
    { ARM_SYSREG(PMCR_EL0), .access = PL0_RW, ARM_FIELD(sys.pmcr_el0),
      .accessfn = pmu_access, .writefn = pmcr_write, .resetfn = pmcr_reset,
      .raw_readfn = pmcr_raw_read, .raw_writefn = pmcr_raw_write },
    { ARM_SYSREG(PMCNTENSET_EL0), .access = PL0_RW,
      ARM_FIELD(sys.pmcntenset_el0), .accessfn = pmu_access,
      .writefn = set_write },
    { ARM_SYSREG(PMCNTENCLR_EL0), .access = PL0_RW, .flags = ARM_CP_ALIAS,
      ARM_FIELD(sys.pmcntenset_el0), .accessfn = pmu_access,
      .writefn = clr_write },
    { ARM_SYSREG(PMOVSSET_EL0), .access = PL0_RW,
      ARM_FIELD(sys.pmovsset_el0), .accessfn = pmu_access,
      .writefn = set_write },
    { ARM_SYSREG(PMOVSCLR_EL0), .access = PL0_RW, .flags = ARM_CP_ALIAS,
      ARM_FIELD(sys.pmovsset_el0), .accessfn = pmu_access,
      .writefn = clr_write },
    { ARM_SYSREG(PMINTENSET_EL1), .access = PL1_RW,
      ARM_FIELD(sys.pmintenset_el1), .writefn = set_write },
    { ARM_SYSREG(PMINTENCLR_EL1), .access = PL1_RW, .flags = ARM_CP_ALIAS,
      ARM_FIELD(sys.pmintenset_el1), .writefn = clr_write },
    { ARM_SYSREG(PMSWINC_EL0), .access = PL0_W, .flags = ARM_CP_NO_RAW,
      ARM_NO_FIELD, .accessfn = swinc_access, .writefn = swinc_write },
    { ARM_SYSREG(PMSELR_EL0), .access = PL0_RW, ARM_FIELD(sys.pmselr_el0),
      .accessfn = pmu_access },
    { ARM_SYSREG(PMCEID0_EL0), .access = PL0_R,
      .flags = ARM_CP_CONST | ARM_CP_NO_RAW, ARM_NO_FIELD,
      .readfn = pmceid_read, .accessfn = pmu_access },
    { ARM_SYSREG(PMCEID1_EL0), .access = PL0_R,
      .flags = ARM_CP_CONST | ARM_CP_NO_RAW, ARM_NO_FIELD,
      .readfn = pmceid_read, .accessfn = pmu_access },
    { ARM_SYSREG(PMCCNTR_EL0), .access = PL0_RW, ARM_FIELD(sys.pmccntr_el0),
      .accessfn = ccnt_access },
    { ARM_SYSREG(PMCCFILTR_EL0), .access = PL0_RW,
      ARM_FIELD(sys.pmccfiltr_el0), .accessfn = pmu_access },
    { ARM_SYSREG(PMXEVTYPER_EL0), .access = PL0_RW, .flags = ARM_CP_NO_RAW,
      ARM_NO_FIELD, .accessfn = xev_access, .readfn = xev_read,
      .writefn = xev_write },
    { ARM_SYSREG(PMXEVCNTR_EL0), .access = PL0_RW, .flags = ARM_CP_NO_RAW,
      ARM_NO_FIELD, .accessfn = xev_access, .readfn = xev_read,
      .writefn = xev_write },
    { ARM_SYSREG(PMUSERENR_EL0), .access = PL0_R | PL1_W,
      ARM_FIELD(sys.pmuserenr_el0) },
    { ARM_SYSREG_FAMILY(PMEVCNTR), .access = PL0_RW,
      ARM_FIELD(sys.pmevcntr_el0[0]), .accessfn = evcnt_access },
    { ARM_SYSREG_FAMILY(PMEVTYPER), .access = PL0_RW,
      ARM_FIELD(sys.pmevtyper_el0[0]), .accessfn = evcnt_access },
};

void arm_cpregs_define_pmu(ArmCPRegBuilder *b, ARMCPU *cpu)
{
    if (arm_feat_pmu(cpu)) {
        ARM_CPREGS_ADD(b, pmu_regs);
    }
}
