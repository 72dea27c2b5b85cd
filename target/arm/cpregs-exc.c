/*
 * Exception-handling, special-purpose and thread-ID registers:
 * ESR/FAR/AFSR/VBAR/DISR/ISR (Arm ARM D1, D19.2), the PSTATE-access
 * registers NZCV, DAIF, SPSel, CurrentEL, PAN, UAO, DIT, SSBS (C5.2), SP_EL0,
 * ELR_EL1, SPSR_EL1, FPCR, FPSR, TPIDR*, and the EL2 registers that hold
 * AArch32 EL1 state (DACR32_EL2, IFSR32_EL2, FPEXC32_EL2).
 *
 * The special-purpose registers are views of core state that the "cpu"
 * section migrates field by field (facts 3.1), so they are NO_RAW here:
 * they never appear in the register list, as in KVM's list.
 */
#include "qemu/osdep.h"
#include "cpregs.h"
#include "cpu-features.h"

#define SCTLR_UMA (1ULL << 9)

/* ---- PSTATE fields ---- */

static uint64_t nzcv_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->env.pstate & PSTATE_NZCV;
}
static void nzcv_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    cpu->env.pstate = (cpu->env.pstate & ~PSTATE_NZCV) | (v & PSTATE_NZCV);
}

/* EL0 access to DAIF needs SCTLR_EL1.UMA (C5.2.2). */
static int daif_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    if (arm_current_el(&cpu->env) == 0 &&
        !(cpu->env.sys.sctlr_el[1] & SCTLR_UMA)) {
        return ARM_CP_EXC_TRAP_EL1;
    }
    return ARM_CP_EXC_NONE;
}
static uint64_t daif_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->env.pstate & PSTATE_DAIF;
}
static void daif_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    cpu->env.pstate = (cpu->env.pstate & ~PSTATE_DAIF) | (v & PSTATE_DAIF);
}

static uint64_t spsel_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->env.pstate & PSTATE_SP;
}
static void spsel_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    cpu->env.pstate = (cpu->env.pstate & ~PSTATE_SP) | (v & PSTATE_SP);
}

static uint64_t currentel_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->env.pstate & PSTATE_EL_MASK;
}

/* One PSTATE bit exposed as a register at the same bit position. */
static uint64_t pstate_bit(const ArmCPReg *ri)
{
    switch (ri->enc) {
    case SYSREG_PAN:  return PSTATE_PAN;
    case SYSREG_UAO:  return PSTATE_UAO;
    case SYSREG_DIT:  return PSTATE_DIT;
    default:          return PSTATE_SSBS;
    }
}
static uint64_t pbit_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->env.pstate & pstate_bit(ri);
}
static void pbit_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    uint32_t bit = pstate_bit(ri);
    cpu->env.pstate = (cpu->env.pstate & ~bit) | (v & bit);
}

/* MSR/MRS SP_EL0 while SP_EL0 is the current SP is UNDEFINED (C5.2.16). */
static int sp_el0_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    return (cpu->env.pstate & PSTATE_SP) ? ARM_CP_EXC_NONE : ARM_CP_EXC_UNDEF;
}
static uint64_t sp_el0_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->env.sp_el[0];
}
static void sp_el0_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    cpu->env.sp_el[0] = v;
}
static uint64_t elr_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->env.elr_el[1];
}
static void elr_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    cpu->env.elr_el[1] = v;
}
static uint64_t spsr_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->env.spsr_el[1];
}
static void spsr_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    cpu->env.spsr_el[1] = v;
}

/*
 * FPCR/FPSR: CPACR_EL1.FPEN (bits 21:20) 0b01 traps EL0 only, 0b00/0b10
 * trap EL0 and EL1 (D19.2.30).
 */
static int fp_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    unsigned fpen = (cpu->env.sys.cpacr_el1 >> 20) & 3;
    unsigned el = arm_current_el(&cpu->env);

    if (el <= 1 && (fpen == 0 || fpen == 2 || (fpen == 1 && el == 0))) {
        return ARM_CP_EXC_FP_TRAP;
    }
    return ARM_CP_EXC_NONE;
}
/* Writable FPCR bits: AHP, DN, FZ, RMode, Stride/Len (RES0 in AArch64),
 * FZ16, trap enables. */
#define FPCR_MASK 0x07ff9f00u
#define FPSR_MASK 0xf800009fu
static uint64_t fpcr_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->env.fpcr;
}
static void fpcr_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    cpu->env.fpcr = v & FPCR_MASK;
}
static uint64_t fpsr_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->env.fpsr;
}
static void fpsr_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    cpu->env.fpsr = v & FPSR_MASK;
}

/* ISR_EL1: pending IRQ (I), FIQ (F), SError (A) as the GIC signals them. */
static uint64_t isr_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    uint32_t irq = cpu->env.interrupt_request;
    uint64_t v = 0;

    if (irq & (CPU_INTERRUPT_HARD | CPU_INTERRUPT_VIRQ)) {
        v |= 1u << 7;
    }
    if (irq & (CPU_INTERRUPT_FIQ | CPU_INTERRUPT_VFIQ)) {
        v |= 1u << 6;
    }
    if (irq & CPU_INTERRUPT_VSERR) {
        v |= 1u << 8;
    }
    return v;
}

/*
 * DISR_EL1 exists only with FEAT_RAS, but KVM lists it for every vCPU
 * (it stores the deferred SError syndrome), so it has storage and is
 * migrated either way; the guest sees it only when RAS is advertised.
 */
static int ras_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    return arm_feat_ras(cpu) ? ARM_CP_EXC_NONE : ARM_CP_EXC_UNDEF;
}

#define SPECIAL(NAME, acc, rd, wr, ...) \
    { ARM_SYSREG(NAME), .access = (acc), .flags = ARM_CP_NO_RAW, \
      ARM_NO_FIELD, .readfn = (rd), .writefn = (wr), __VA_ARGS__ }

static const ArmCPRegDesc special_regs[] = {
    SPECIAL(NZCV, PL0_RW, nzcv_read, nzcv_write),
    SPECIAL(DAIF, PL0_RW, daif_read, daif_write, .accessfn = daif_access),
    SPECIAL(SPSel, PL1_RW, spsel_read, spsel_write),
    SPECIAL(CurrentEL, PL1_R, currentel_read, NULL),
    SPECIAL(SP_EL0, PL1_RW, sp_el0_read, sp_el0_write,
            .accessfn = sp_el0_access),
    SPECIAL(ELR_EL1, PL1_RW, elr_read, elr_write),
    SPECIAL(SPSR_EL1, PL1_RW, spsr_read, spsr_write),
    SPECIAL(FPCR, PL0_RW, fpcr_read, fpcr_write, .accessfn = fp_access),
    SPECIAL(FPSR, PL0_RW, fpsr_read, fpsr_write, .accessfn = fp_access),
    SPECIAL(ISR_EL1, PL1_R, isr_read, NULL),
};
static const ArmCPRegDesc pan_regs[] = {
    SPECIAL(PAN, PL1_RW, pbit_read, pbit_write),
};
static const ArmCPRegDesc uao_regs[] = {
    SPECIAL(UAO, PL1_RW, pbit_read, pbit_write),
};
static const ArmCPRegDesc dit_regs[] = {
    SPECIAL(DIT, PL0_RW, pbit_read, pbit_write),
};
static const ArmCPRegDesc ssbs_regs[] = {
    SPECIAL(SSBS, PL0_RW, pbit_read, pbit_write),
};

static const ArmCPRegDesc exc_regs[] = {
    { ARM_SYSREG(ESR_EL1), ARM_AA32(DFSR), .access = PL1_RW, .flags = ARM_CP_RESET_UNKNOWN,
      ARM_FIELD(sys.esr_el[1]) },
    { ARM_SYSREG(FAR_EL1), ARM_AA32(DFAR), ARM_AA32_HI(IFAR), .access = PL1_RW, .flags = ARM_CP_RESET_UNKNOWN,
      ARM_FIELD(sys.far_el[1]) },
    { ARM_SYSREG(AFSR0_EL1), ARM_AA32(ADFSR), .access = PL1_RW, ARM_FIELD(sys.afsr0_el[1]) },
    { ARM_SYSREG(AFSR1_EL1), ARM_AA32(AIFSR), .access = PL1_RW, ARM_FIELD(sys.afsr1_el[1]) },
    { ARM_SYSREG(VBAR_EL1), ARM_AA32(VBAR), .access = PL1_RW, ARM_FIELD(sys.vbar_el[1]) },
    { ARM_SYSREG(DISR_EL1), .access = PL1_RW, ARM_FIELD(sys.disr_el1),
      .accessfn = ras_access },
    /* Thread ID registers (D19.2.141-144). */
    { ARM_SYSREG(TPIDR_EL0), ARM_AA32(TPIDRURW), .access = PL0_RW, .flags = ARM_CP_RESET_UNKNOWN,
      ARM_FIELD(sys.tpidr_el[0]) },
    { ARM_SYSREG(TPIDRRO_EL0), ARM_AA32(TPIDRURO), .access = PL0_R | PL1_W,
      .flags = ARM_CP_RESET_UNKNOWN, ARM_FIELD(sys.tpidrro_el0) },
    { ARM_SYSREG(TPIDR_EL1), ARM_AA32(TPIDRPRW), .access = PL1_RW, .flags = ARM_CP_RESET_UNKNOWN,
      ARM_FIELD(sys.tpidr_el[1]) },
    /*
     * AArch32 EL1 state kept in EL2 registers (D19.2.26, .62, .29): KVM
     * lists them for every vCPU, so they are migrated; only EL2 may access
     * them, which our vCPUs do not have.  FPEXC32 resets as KVM's does.
     */
    { ARM_SYSREG(DACR32_EL2), .access = PL2_RW, .flags = ARM_CP_RESET_UNKNOWN,
      ARM_FIELD(sys.dacr32_el2) },
    { ARM_SYSREG(IFSR32_EL2), .access = PL2_RW, .flags = ARM_CP_RESET_UNKNOWN,
      ARM_FIELD(sys.ifsr32_el2) },
    { ARM_SYSREG(FPEXC32_EL2), .access = PL2_RW, ARM_FIELD(sys.fpexc32_el2),
      .resetvalue = 0x700 },
    /* ... which AArch32 EL1 sees as DACR and IFSR (G8.2.33, G8.2.94). */
    { .state = ARM_CP_STATE_AA32, ARM_AA32(DACR), .access = PL1_RW,
      .flags = ARM_CP_ALIAS, ARM_FIELD(sys.dacr32_el2) },
    { .state = ARM_CP_STATE_AA32, ARM_AA32(IFSR), .access = PL1_RW,
      .flags = ARM_CP_ALIAS, ARM_FIELD(sys.ifsr32_el2) },
};

void arm_cpregs_define_exc(ArmCPRegBuilder *b, ARMCPU *cpu)
{
    ARM_CPREGS_ADD(b, special_regs);
    ARM_CPREGS_ADD(b, exc_regs);
    if (arm_feat_pan(cpu)) {
        ARM_CPREGS_ADD(b, pan_regs);
    }
    if (arm_feat_uao(cpu)) {
        ARM_CPREGS_ADD(b, uao_regs);
    }
    if (arm_feat_dit(cpu)) {
        ARM_CPREGS_ADD(b, dit_regs);
    }
    if (arm_feat_ssbs(cpu)) {
        ARM_CPREGS_ADD(b, ssbs_regs);
    }
}
