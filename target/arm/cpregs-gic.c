/*
 * The GICv3 CPU interface system registers, ICC_*_EL1 (GICv3/v4
 * architecture specification IHI 0069, 12.2; Arm ARM C5.3).
 *
 * They are views of interrupt-controller state: the GIC owns it and
 * migrates it in its own section, so every entry is IO | NO_RAW (never in
 * the cpu section's list, as in QEMU and KVM).  The table only routes
 * guest accesses to the GIC through arm_icc_{read,write}_hook, and UNDEFs
 * them when the machine has no GICv3 (no hook installed).
 */
#include "qemu/osdep.h"
#include "cpregs.h"

bool (*arm_icc_read_hook)(ARMCPU *cpu, uint32_t enc, uint64_t *val);
bool (*arm_icc_write_hook)(ARMCPU *cpu, uint32_t enc, uint64_t val);

static int icc_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    return arm_icc_read_hook && arm_icc_write_hook ? ARM_CP_EXC_NONE :
                                                     ARM_CP_EXC_UNDEF;
}

static uint64_t icc_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    uint64_t v = 0;

    arm_icc_read_hook(cpu, ri->enc, &v);
    return v;
}

static void icc_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    arm_icc_write_hook(cpu, ri->enc, v);
}

#define ICC(NAME) \
    { ARM_SYSREG(NAME), .access = PL1_RW, .flags = ARM_CP_IO | ARM_CP_NO_RAW, \
      ARM_NO_FIELD, .accessfn = icc_access, .readfn = icc_read, \
      .writefn = icc_write }

static const ArmCPRegDesc gic_regs[] = {
    ICC(ICC_PMR_EL1), ICC(ICC_IAR0_EL1), ICC(ICC_EOIR0_EL1),
    ICC(ICC_HPPIR0_EL1), ICC(ICC_BPR0_EL1),
    ICC(ICC_AP0R0_EL1), ICC(ICC_AP0R1_EL1), ICC(ICC_AP0R2_EL1),
    ICC(ICC_AP0R3_EL1),
    ICC(ICC_AP1R0_EL1), ICC(ICC_AP1R1_EL1), ICC(ICC_AP1R2_EL1),
    ICC(ICC_AP1R3_EL1),
    ICC(ICC_DIR_EL1), ICC(ICC_RPR_EL1), ICC(ICC_SGI1R_EL1),
    ICC(ICC_ASGI1R_EL1), ICC(ICC_SGI0R_EL1),
    ICC(ICC_IAR1_EL1), ICC(ICC_EOIR1_EL1), ICC(ICC_HPPIR1_EL1),
    ICC(ICC_BPR1_EL1), ICC(ICC_CTLR_EL1), ICC(ICC_SRE_EL1),
    ICC(ICC_IGRPEN0_EL1), ICC(ICC_IGRPEN1_EL1),
};

void arm_cpregs_define_gic(ArmCPRegBuilder *b, ARMCPU *cpu)
{
    ARM_CPREGS_ADD(b, gic_regs);
}
