/*
 * System instructions in the op0 = 1 space (Arm ARM C5.3, C5.5):
 * cache maintenance (DC, IC), address translation (AT) and TLB
 * maintenance (TLBI) for the EL1&0 regime.
 *
 * They have no state (ARM_CP_SYS_INSN: never migrated, MRS is UNDEF).
 * Their effects belong to the accelerator, reached through cpu->hooks;
 * NULL hooks (qtest, KVM) make them no-ops.  We model no data cache, so DC
 * operations other than ZVA are NOPs after their access checks; DC ZVA is
 * performed by the interpreter, which still calls arm_cpreg_msr first for
 * the SCTLR_EL1.DZE check.
 */
#include "qemu/osdep.h"
#include "cpregs.h"
#include "cpu-features.h"

#define SCTLR_DZE (1ULL << 14)
#define SCTLR_UCI (1ULL << 26)

/* EL0 cache maintenance by VA needs SCTLR_EL1.UCI (D19.2.118). */
static int uci_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    if (arm_current_el(&cpu->env) == 0 &&
        !(cpu->env.sys.sctlr_el[1] & SCTLR_UCI)) {
        return ARM_CP_EXC_TRAP_EL1;
    }
    return ARM_CP_EXC_NONE;
}

static int dze_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    if (arm_current_el(&cpu->env) == 0 &&
        !(cpu->env.sys.sctlr_el[1] & SCTLR_DZE)) {
        return ARM_CP_EXC_TRAP_EL1;
    }
    return ARM_CP_EXC_NONE;
}

static void nop_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
}

static void ic_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    if (cpu->hooks && cpu->hooks->icache_inval) {
        cpu->hooks->icache_inval(cpu);
    }
}

static void tlbi_all_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    if (cpu->hooks && cpu->hooks->tlb_flush) {
        cpu->hooks->tlb_flush(cpu);
    }
}

/*
 * TLBI by VA: Xt[43:0] = VA[55:12]; bit 55 selects the upper or lower
 * range, so sign-extend from it (C5.5 "TLBI VAE1").
 */
static void tlbi_va_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    uint64_t va = (v & ((1ULL << 44) - 1)) << 12;

    if (va & (1ULL << 55)) {
        va |= 0xffULL << 56;
    }
    if (cpu->hooks && cpu->hooks->tlb_flush_page) {
        cpu->hooks->tlb_flush_page(cpu, va);
    } else if (cpu->hooks && cpu->hooks->tlb_flush) {
        cpu->hooks->tlb_flush(cpu);
    }
}

/*
 * AT S1E{0,1}{R,W}[P]: the accelerator translates and returns PAR_EL1.
 * Without one, report a fault (PAR_EL1.F = 1) rather than a made-up PA.
 */
static void at_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    unsigned op2 = ARM_SYSREG_OP2(ri->enc);
    unsigned el = (ARM_SYSREG_CRM(ri->enc) == 8 && op2 >= 2) ? 0 : 1;
    bool is_write = op2 & 1;

    if (cpu->hooks && cpu->hooks->at) {
        cpu->env.sys.par_el1 = cpu->hooks->at(cpu, v, is_write, el);
    } else {
        cpu->env.sys.par_el1 = 1;
    }
}

#define INSN(NAME, acc, fn, ...) \
    { ARM_SYSREG(NAME), .access = (acc), .flags = ARM_CP_SYS_INSN | \
      ARM_CP_NO_RAW, ARM_NO_FIELD, .writefn = (fn), __VA_ARGS__ }

static const ArmCPRegDesc cache_insns[] = {
    INSN(IC_IALLUIS, PL1_W, ic_write),
    INSN(IC_IALLU, PL1_W, ic_write),
    INSN(IC_IVAU, PL0_W, ic_write, .accessfn = uci_access),
    INSN(DC_IVAC, PL1_W, nop_write),
    INSN(DC_ISW, PL1_W, nop_write),
    INSN(DC_CSW, PL1_W, nop_write),
    INSN(DC_CISW, PL1_W, nop_write),
    INSN(DC_ZVA, PL0_W, nop_write, .accessfn = dze_access),
    INSN(DC_CVAC, PL0_W, nop_write, .accessfn = uci_access),
    INSN(DC_CVAU, PL0_W, nop_write, .accessfn = uci_access),
    INSN(DC_CIVAC, PL0_W, nop_write, .accessfn = uci_access),
    INSN(AT_S1E1R, PL1_W, at_write),
    INSN(AT_S1E1W, PL1_W, at_write),
    INSN(AT_S1E0R, PL1_W, at_write),
    INSN(AT_S1E0W, PL1_W, at_write),
};

static const ArmCPRegDesc dpb_insns[] = {       /* FEAT_DPB */
    INSN(DC_CVAP, PL0_W, nop_write, .accessfn = uci_access),
};
static const ArmCPRegDesc dpb2_insns[] = {      /* FEAT_DPB2 */
    INSN(DC_CVADP, PL0_W, nop_write, .accessfn = uci_access),
};
static const ArmCPRegDesc pan2_insns[] = {      /* FEAT_PAN2 */
    INSN(AT_S1E1RP, PL1_W, at_write),
    INSN(AT_S1E1WP, PL1_W, at_write),
};

static const ArmCPRegDesc tlbi_insns[] = {
    INSN(TLBI_VMALLE1IS, PL1_W, tlbi_all_write),
    INSN(TLBI_VAE1IS, PL1_W, tlbi_va_write),
    INSN(TLBI_ASIDE1IS, PL1_W, tlbi_all_write),
    INSN(TLBI_VAAE1IS, PL1_W, tlbi_va_write),
    INSN(TLBI_VALE1IS, PL1_W, tlbi_va_write),
    INSN(TLBI_VAALE1IS, PL1_W, tlbi_va_write),
    INSN(TLBI_VMALLE1, PL1_W, tlbi_all_write),
    INSN(TLBI_VAE1, PL1_W, tlbi_va_write),
    INSN(TLBI_ASIDE1, PL1_W, tlbi_all_write),
    INSN(TLBI_VAAE1, PL1_W, tlbi_va_write),
    INSN(TLBI_VALE1, PL1_W, tlbi_va_write),
    INSN(TLBI_VAALE1, PL1_W, tlbi_va_write),
};

static const ArmCPRegDesc tlbios_insns[] = {    /* FEAT_TLBIOS */
    INSN(TLBI_VMALLE1OS, PL1_W, tlbi_all_write),
    INSN(TLBI_VAE1OS, PL1_W, tlbi_va_write),
    INSN(TLBI_ASIDE1OS, PL1_W, tlbi_all_write),
    INSN(TLBI_VAAE1OS, PL1_W, tlbi_va_write),
    INSN(TLBI_VALE1OS, PL1_W, tlbi_va_write),
    INSN(TLBI_VAALE1OS, PL1_W, tlbi_va_write),
};

/* FEAT_TLBIRANGE: a range is flushed as everything (always correct). */
static const ArmCPRegDesc tlbirange_insns[] = {
    INSN(TLBI_RVAE1IS, PL1_W, tlbi_all_write),
    INSN(TLBI_RVAAE1IS, PL1_W, tlbi_all_write),
    INSN(TLBI_RVALE1IS, PL1_W, tlbi_all_write),
    INSN(TLBI_RVAALE1IS, PL1_W, tlbi_all_write),
    INSN(TLBI_RVAE1OS, PL1_W, tlbi_all_write),
    INSN(TLBI_RVAAE1OS, PL1_W, tlbi_all_write),
    INSN(TLBI_RVALE1OS, PL1_W, tlbi_all_write),
    INSN(TLBI_RVAALE1OS, PL1_W, tlbi_all_write),
    INSN(TLBI_RVAE1, PL1_W, tlbi_all_write),
    INSN(TLBI_RVAAE1, PL1_W, tlbi_all_write),
    INSN(TLBI_RVALE1, PL1_W, tlbi_all_write),
    INSN(TLBI_RVAALE1, PL1_W, tlbi_all_write),
};

void arm_cpregs_define_sysinsn(ArmCPRegBuilder *b, ARMCPU *cpu)
{
    ARM_CPREGS_ADD(b, cache_insns);
    ARM_CPREGS_ADD(b, tlbi_insns);
    if (arm_feat_dpb(cpu)) {
        ARM_CPREGS_ADD(b, dpb_insns);
    }
    if (arm_feat_dpb2(cpu)) {
        ARM_CPREGS_ADD(b, dpb2_insns);
    }
    if (arm_feat_ats1e1(cpu)) {
        ARM_CPREGS_ADD(b, pan2_insns);
    }
    if (arm_feat_tlbios(cpu)) {
        ARM_CPREGS_ADD(b, tlbios_insns);
    }
    if (arm_feat_tlbirange(cpu)) {
        ARM_CPREGS_ADD(b, tlbirange_insns);
    }
}
