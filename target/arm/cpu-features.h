/*
 * Feature tests derived from a vCPU's ID register values.
 *
 * The ID registers are the single source of truth for what a CPU has
 * (Arm ARM D19.2): models and CPU properties set them, and the register
 * tables, the interpreter and the compatibility check ask these helpers.
 */
#ifndef TARGET_ARM_CPU_FEATURES_H
#define TARGET_ARM_CPU_FEATURES_H

#include "cpu.h"
#include "sysreg-enc.h"

static inline uint64_t arm_idreg(const ARMCPU *cpu, uint32_t enc)
{
    return cpu->id.idspace[ARM_IDSPACE_IDX(ARM_SYSREG_CRM(enc),
                                           ARM_SYSREG_OP2(enc))];
}

#define ARM_IDF(cpu, reg, f) \
    arm_idfield_get(arm_idreg((cpu), SYSREG_##reg), IDF_##reg##_##f)

/* PMUVer: 0 = none, 0xf = IMPLEMENTATION DEFINED (not architected). */
static inline bool arm_feat_pmu(const ARMCPU *cpu)
{
    uint64_t v = ARM_IDF(cpu, ID_AA64DFR0_EL1, PMUVer);
    return v != 0 && v != 0xf;
}
static inline bool arm_feat_sve(const ARMCPU *cpu)
{
    return ARM_IDF(cpu, ID_AA64PFR0_EL1, SVE) != 0;
}
static inline bool arm_feat_pauth(const ARMCPU *cpu)
{
    return ARM_IDF(cpu, ID_AA64ISAR1_EL1, APA) ||
           ARM_IDF(cpu, ID_AA64ISAR1_EL1, API) ||
           ARM_IDF(cpu, ID_AA64ISAR1_EL1, GPA) ||
           ARM_IDF(cpu, ID_AA64ISAR1_EL1, GPI) ||
           ARM_IDF(cpu, ID_AA64ISAR2_EL1, APA3) ||
           ARM_IDF(cpu, ID_AA64ISAR2_EL1, GPA3);
}
static inline bool arm_feat_ras(const ARMCPU *cpu)
{
    return ARM_IDF(cpu, ID_AA64PFR0_EL1, RAS) != 0;
}
static inline bool arm_feat_pan(const ARMCPU *cpu)
{
    return ARM_IDF(cpu, ID_AA64MMFR1_EL1, PAN) != 0;
}
static inline bool arm_feat_ats1e1(const ARMCPU *cpu)   /* FEAT_PAN2 */
{
    return ARM_IDF(cpu, ID_AA64MMFR1_EL1, PAN) >= 2;
}
static inline bool arm_feat_uao(const ARMCPU *cpu)
{
    return ARM_IDF(cpu, ID_AA64MMFR2_EL1, UAO) != 0;
}
static inline bool arm_feat_dit(const ARMCPU *cpu)
{
    return ARM_IDF(cpu, ID_AA64PFR0_EL1, DIT) != 0;
}
static inline bool arm_feat_ssbs(const ARMCPU *cpu)
{
    return ARM_IDF(cpu, ID_AA64PFR1_EL1, SSBS) != 0;
}
static inline bool arm_feat_tlbios(const ARMCPU *cpu)
{
    return ARM_IDF(cpu, ID_AA64ISAR0_EL1, TLB) >= 1;
}
static inline bool arm_feat_tlbirange(const ARMCPU *cpu)
{
    return ARM_IDF(cpu, ID_AA64ISAR0_EL1, TLB) >= 2;
}
static inline bool arm_feat_dpb(const ARMCPU *cpu)
{
    return ARM_IDF(cpu, ID_AA64ISAR1_EL1, DPB) >= 1;
}
static inline bool arm_feat_dpb2(const ARMCPU *cpu)
{
    return ARM_IDF(cpu, ID_AA64ISAR1_EL1, DPB) >= 2;
}
static inline bool arm_feat_aa32_el1(const ARMCPU *cpu)
{
    return ARM_IDF(cpu, ID_AA64PFR0_EL1, EL1) >= 2;
}
/* Breakpoint / watchpoint counts (field + 1, Arm ARM D19.2.31). */
static inline unsigned arm_num_brps(const ARMCPU *cpu)
{
    return ARM_IDF(cpu, ID_AA64DFR0_EL1, BRPs) + 1;
}
static inline unsigned arm_num_wrps(const ARMCPU *cpu)
{
    return ARM_IDF(cpu, ID_AA64DFR0_EL1, WRPs) + 1;
}
/* Event counters implemented: PMCR_EL0.N (bits 15:11). */
static inline unsigned arm_pmu_num_counters(const ARMCPU *cpu)
{
    return arm_feat_pmu(cpu) ? (cpu->id.pmcr >> 11) & 0x1f : 0;
}

#endif
