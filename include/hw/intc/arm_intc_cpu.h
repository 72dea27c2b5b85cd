/*
 * How an interrupt controller signals the vCPUs (GICv2 and GICv3 alike).
 *
 * The CPU-side lines are bits of CPUARMState.interrupt_request (target/arm/
 * cpu.h): HARD (IRQ), FIQ, VIRQ, VFIQ.  The interpreter polls them between
 * instructions; KVM's vCPU loop forwards them with KVM_IRQ_LINE.  Setting a
 * bit also kicks the vCPUs so one halted in WFI wakes up (Arm ARM D1.16,
 * "WFI wake-up events": an interrupt that would be taken if unmasked).
 */
#ifndef HW_INTC_ARM_INTC_CPU_H
#define HW_INTC_ARM_INTC_CPU_H

#include "qemu/osdep.h"

/*
 * Raise (level true) or lower the interrupt_request bits in mask of vCPU
 * cpu_index.  Unknown vCPUs (not created yet, or a unit test's machine) are
 * ignored.  Safe from any thread: the bits are updated atomically.
 */
void arm_intc_set_cpu_lines(unsigned cpu_index, uint32_t mask, bool level);

/*
 * The vCPU whose thread is running, for banked memory-mapped registers
 * (GICv2 GICD banked words, GICC, GICH, GICV: one address, one copy per
 * CPU; IHI 0048B 4.1.4).  Each vCPU thread of an accelerator that runs
 * guest code calls arm_intc_set_current_cpu(cpu_index) when it starts;
 * other threads (main loop, qtest) see CPU 0.
 */
extern __thread unsigned arm_intc_cur_cpu;
static inline void arm_intc_set_current_cpu(unsigned cpu_index)
{
    arm_intc_cur_cpu = cpu_index;
}
static inline unsigned arm_intc_current_cpu(void)
{
    return arm_intc_cur_cpu;
}

#endif
