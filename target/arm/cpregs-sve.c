/*
 * SVE control (FEAT_SVE, Arm ARM D19.2.160 ZCR_EL1), present with the CPU
 * property sve=on.  ZCR_EL1.LEN (bits 3:0) selects the vector length; only
 * LEN is writable.  Access is trapped by CPACR_EL1.ZEN like SVE
 * instructions: that check belongs to the interpreter's SVE decode.
 */
#include "qemu/osdep.h"
#include "cpregs.h"
#include "cpu-features.h"

static void zcr_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    cpu->env.sys.zcr_el[1] = v & 0xf;
}

static const ArmCPRegDesc sve_regs[] = {
    { ARM_SYSREG(ZCR_EL1), .access = PL1_RW, ARM_FIELD(sys.zcr_el[1]),
      .writefn = zcr_write },
};

void arm_cpregs_define_sve(ArmCPRegBuilder *b, ARMCPU *cpu)
{
    if (arm_feat_sve(cpu)) {
        ARM_CPREGS_ADD(b, sve_regs);
    }
}
