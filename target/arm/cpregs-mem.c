/*
 * Memory-system control registers of the EL1&0 translation regime
 * (Arm ARM D8 "The AArch64 Virtual Memory System Architecture"; register
 * descriptions D19.2): SCTLR, ACTLR, CPACR, TTBR0/1, TCR, MAIR, AMAIR,
 * PAR, CONTEXTIDR.
 *
 * Writes that change translation are flagged ARM_CP_TLB_SENSITIVE: a
 * changed value makes arm_cpreg_msr call cpu->hooks->tlb_flush, because
 * the interpreter's TLB caches walks made under the old value.
 */
#include "qemu/osdep.h"
#include "cpregs.h"

/*
 * SCTLR_EL1 reset: the RES1 bits of the ARMv8.0-v8.2 layout (11, 20, 22,
 * 23, 28, 29); MMU and caches off (D19.2.118).
 */
#define SCTLR_EL1_RESET 0x30d00800ULL

static const ArmCPRegDesc mem_regs[] = {
    { ARM_SYSREG(SCTLR_EL1), ARM_AA32(SCTLR), .access = PL1_RW,
      .flags = ARM_CP_TLB_SENSITIVE, ARM_FIELD(sys.sctlr_el[1]),
      .resetvalue = SCTLR_EL1_RESET },
    { ARM_SYSREG(ACTLR_EL1), ARM_AA32(ACTLR), .access = PL1_RW, ARM_FIELD(sys.actlr_el[1]) },
    { ARM_SYSREG(CPACR_EL1), ARM_AA32(CPACR), .access = PL1_RW, ARM_FIELD(sys.cpacr_el1) },
    { ARM_SYSREG(TTBR0_EL1), ARM_AA32(TTBR0), ARM_AA32_64(TTBR0_64),
      .access = PL1_RW,
      .flags = ARM_CP_TLB_SENSITIVE | ARM_CP_RESET_UNKNOWN,
      ARM_FIELD(sys.ttbr0_el[1]) },
    { ARM_SYSREG(TTBR1_EL1), ARM_AA32(TTBR1), ARM_AA32_64(TTBR1_64),
      .access = PL1_RW,
      .flags = ARM_CP_TLB_SENSITIVE | ARM_CP_RESET_UNKNOWN,
      ARM_FIELD(sys.ttbr1_el[1]) },
    { ARM_SYSREG(TCR_EL1), ARM_AA32(TTBCR), .access = PL1_RW, .flags = ARM_CP_TLB_SENSITIVE,
      ARM_FIELD(sys.tcr_el[1]) },
    { ARM_SYSREG(MAIR_EL1), ARM_AA32(MAIR0), ARM_AA32_HI(MAIR1),
      .access = PL1_RW,
      .flags = ARM_CP_TLB_SENSITIVE | ARM_CP_RESET_UNKNOWN,
      ARM_FIELD(sys.mair_el[1]) },
    { ARM_SYSREG(AMAIR_EL1), ARM_AA32(AMAIR0), ARM_AA32_HI(AMAIR1),
      .access = PL1_RW, ARM_FIELD(sys.amair_el[1]) },
    { ARM_SYSREG(PAR_EL1), ARM_AA32(PAR), ARM_AA32_64(PAR_64), .access = PL1_RW, .flags = ARM_CP_RESET_UNKNOWN,
      ARM_FIELD(sys.par_el1) },
    /* CONTEXTIDR_EL1 tags TLB entries on some implementations; the issue
     * asks for a flush so a later tagged TLB stays correct. */
    { ARM_SYSREG(CONTEXTIDR_EL1), ARM_AA32(CONTEXTIDR), .access = PL1_RW,
      .flags = ARM_CP_TLB_SENSITIVE, ARM_FIELD(sys.contextidr_el1) },
};

void arm_cpregs_define_mem(ArmCPRegBuilder *b, ARMCPU *cpu)
{
    ARM_CPREGS_ADD(b, mem_regs);
}
