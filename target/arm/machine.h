/*
 * Migration sections of an ARM vCPU ("cpu_common" v1 and "cpu" v22, laid
 * out as QEMU's: facts 3.1).  See machine.c.
 */
#ifndef TARGET_ARM_MACHINE_H
#define TARGET_ARM_MACHINE_H

#include "cpu.h"
#include "migration/vmstate.h"

extern const VMStateDescription vmstate_arm_cpu_common;
extern const VMStateDescription vmstate_arm_cpu;

/* Register both sections for cpu with instance id = cpu->cpu_index. */
void arm_cpu_register_vmstate(ARMCPU *cpu);

#endif
