/*
 * Interrupts and time for the virt board: builds the emulated GIC of the
 * requested version, the generic timers of every vCPU, and wires each
 * timer to its PPI (virtual timer INTID 27, EL1 physical timer INTID 30,
 * as the device tree says).
 *
 * Call order in the board: CPUs first (arm_cpus[] filled), then
 * virt_intc_create(), then devices that need SPIs (virt_intc_spi()).
 */
#ifndef HW_INTC_VIRT_INTC_H
#define HW_INTC_VIRT_INTC_H

#include "hw/boards.h"
#include "hw/irq.h"
#include "hw/intc/arm_gic.h"
#include "hw/intc/arm_gicv3.h"

#define VIRT_NUM_IRQS 288        /* 256 SPIs + 32, as QEMU's virt */

/*
 * version: 2 or 3 (0 = the highest we emulate, 3).  virt_ext: the GICv2
 * property has-virtualization-extensions (virt: virtualization=on); it
 * exists only on the emulated GICv2 - the in-kernel vGIC cannot do it,
 * so asking for it with accel=kvm, or with GICv3, fails with a reason.
 */
bool virt_intc_create(MachineState *ms, int version, bool virt_ext,
                      Error **errp);
/* Input line of SPI n (INTID 32 + n), e.g. n = 1 for the PL011. */
qemu_irq virt_intc_spi(unsigned n);
/* System reset: GIC to reset state, timers re-evaluated. */
void virt_intc_reset(void);
/* The created device (NULL if the other version, or none). */
GICState *virt_intc_gicv2(void);
GICv3State *virt_intc_gicv3(void);

#endif
