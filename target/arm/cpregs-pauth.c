/*
 * Pointer authentication key registers (FEAT_PAuth, Arm ARM D8.8,
 * D19.2.1-10), present when ID_AA64ISAR1/2 advertise an algorithm
 * (CPU property pauth=on).  Keys reset to UNKNOWN: the poison value makes
 * a key the guest never set visible in x-query-cpregs.
 */
#include "qemu/osdep.h"
#include "cpregs.h"
#include "cpu-features.h"

#define KEY(NAME, k, half) \
    { ARM_SYSREG(NAME), .access = PL1_RW, .flags = ARM_CP_RESET_UNKNOWN, \
      ARM_FIELD(sys.apkey[k][half]) }

static const ArmCPRegDesc pauth_regs[] = {
    KEY(APIAKEYLO_EL1, 0, 0), KEY(APIAKEYHI_EL1, 0, 1),
    KEY(APIBKEYLO_EL1, 1, 0), KEY(APIBKEYHI_EL1, 1, 1),
    KEY(APDAKEYLO_EL1, 2, 0), KEY(APDAKEYHI_EL1, 2, 1),
    KEY(APDBKEYLO_EL1, 3, 0), KEY(APDBKEYHI_EL1, 3, 1),
    KEY(APGAKEYLO_EL1, 4, 0), KEY(APGAKEYHI_EL1, 4, 1),
};

void arm_cpregs_define_pauth(ArmCPRegBuilder *b, ARMCPU *cpu)
{
    if (arm_feat_pauth(cpu)) {
        ARM_CPREGS_ADD(b, pauth_regs);
    }
}
