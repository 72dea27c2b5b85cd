/*
 * CPU compatibility check on arrival (BRIEF idea 5): may a vCPU described
 * by an incoming register list continue on this vCPU?
 */
#ifndef TARGET_ARM_CPU_COMPAT_H
#define TARGET_ARM_CPU_COMPAT_H

#include "cpu.h"

/*
 * Compare the incoming ID-register feature fields and MIDR (ids/vals as in
 * the migrated list) with this vCPU.  Fails with one line naming the
 * incoming CPU, this model and up to 10 offending fields.
 */
bool arm_cpu_check_incoming(ARMCPU *cpu, const uint64_t *ids,
                            const uint64_t *vals, uint32_t len, Error **errp);
/* "cortex-a72 r0p3 (MIDR 0x410fd083)" */
void arm_cpu_describe_midr(uint64_t midr, char *buf, size_t len);

#endif
