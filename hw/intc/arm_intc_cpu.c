/*
 * Interrupt controller -> vCPU signalling (see include/hw/intc/arm_intc_cpu.h).
 */
#include "qemu/osdep.h"
#include "hw/intc/arm_intc_cpu.h"
#include "system/cpus.h"
#include "target/arm/cpu.h"

__thread unsigned arm_intc_cur_cpu;

void arm_intc_set_cpu_lines(unsigned cpu_index, uint32_t mask, bool level)
{
    ARMCPU *cpu;
    uint32_t old;

    if (cpu_index >= ARM_MAX_CPUS || cpu_index >= arm_cpu_count) {
        return;
    }
    cpu = arm_cpus[cpu_index];
    if (!cpu) {
        return;
    }
    if (level) {
        old = __atomic_fetch_or(&cpu->env.interrupt_request, mask,
                                __ATOMIC_SEQ_CST);
        /* Only a newly raised line can wake a vCPU halted in WFI. */
        if ((old & mask) != mask) {
            const AccelOps *ops = current_accel();
            if (ops && ops->kick_all) {
                ops->kick_all();
            }
        }
    } else {
        __atomic_fetch_and(&cpu->env.interrupt_request, ~mask,
                           __ATOMIC_SEQ_CST);
    }
}
