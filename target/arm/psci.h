/*
 * PSCI 1.1 over SMCCC (Arm DEN0022, DEN0028), answered by the VMM when the
 * guest issues HVC/SMC and no EL2/EL3 firmware exists: the interpreter calls
 * arm_psci_call() for every HVC/SMC at EL1.
 */
#ifndef TARGET_ARM_PSCI_H
#define TARGET_ARM_PSCI_H

#include "cpu.h"

/* Function ids (SMC32 0x84.., SMC64 0xC4..). */
#define PSCI_0_2_FN_BASE          0x84000000u
#define PSCI_0_2_64BIT            0x40000000u
#define PSCI_FN_PSCI_VERSION      0x84000000u
#define PSCI_FN_CPU_SUSPEND       0x84000001u
#define PSCI_FN_CPU_OFF           0x84000002u
#define PSCI_FN_CPU_ON            0x84000003u
#define PSCI_FN_AFFINITY_INFO     0x84000004u
#define PSCI_FN_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_FN_SYSTEM_OFF        0x84000008u
#define PSCI_FN_SYSTEM_RESET      0x84000009u
#define PSCI_FN_FEATURES          0x8400000au

/* Return codes (DEN0022 5.2.2). */
#define PSCI_RET_SUCCESS            0
#define PSCI_RET_NOT_SUPPORTED      (-1)
#define PSCI_RET_INVALID_PARAMS     (-2)
#define PSCI_RET_DENIED             (-3)
#define PSCI_RET_ALREADY_ON         (-4)
#define PSCI_RET_ON_PENDING         (-5)
#define PSCI_RET_INTERNAL_FAILURE   (-6)
#define PSCI_RET_NOT_PRESENT        (-7)
#define PSCI_RET_DISABLED           (-8)
#define PSCI_RET_INVALID_ADDRESS    (-9)

#define PSCI_VERSION_1_1 0x00010001u

/*
 * Handle the call in x0 (arguments x1-x3) for cpu; the result goes to x0.
 * Unknown function ids return NOT_SUPPORTED (SMCCC 1.1).  CPU_OFF and the
 * SYSTEM_* calls stop the calling vCPU (power_state / halted) so the
 * accelerator's run loop parks it.  Returns true if x0 was a PSCI id.
 */
bool arm_psci_call(ARMCPU *cpu);

#endif
