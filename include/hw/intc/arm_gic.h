/*
 * The emulated GICv2 (used under tcg and qtest), optionally with the
 * virtualization extensions.
 *
 * Interface:
 *   MMIO   GICD 64 KiB (virt: 0x08000000), GICC 64 KiB (0x08010000);
 *          with the extensions GICH 64 KiB (0x08030000) and GICV 64 KiB
 *          (0x08040000).  GICC, GICH, GICV and GICD's SGI/PPI words are
 *          banked: the accessing vCPU is arm_intc_current_cpu().
 *   lines  gic_get_spi(s, n) -> INTID 32 + n; gic_get_ppi(s, cpu, intid)
 *          outputs: CPU_INTERRUPT_HARD/FIQ, and VIRQ/VFIQ for the virtual
 *          CPU interface; maintenance interrupt on PPI 9 (INTID 25).
 *   state  section "arm_gic" (hw/intc/arm_gic_common.c)
 * Spec: Arm IHI 0048B.  No Security Extensions (one register view);
 * 8-bit priorities on the physical side, 5 bits on the virtual side;
 * GIC_NUM_LR list registers.
 */
#ifndef HW_INTC_ARM_GIC_H
#define HW_INTC_ARM_GIC_H

#include "hw/intc/arm_gic_common.h"
#include "system/memory.h"

/* Base addresses of the four blocks (hyp/vcpu ignored without virt_extn). */
typedef struct GICMap {
    hwaddr dist, cpu, hyp, vcpu;
} GICMap;

GICState *gic_create(uint32_t num_cpu, uint32_t num_irq, bool virt_extn,
                     const GICMap *map, Error **errp);
void gic_destroy(GICState *s);
void gic_reset(GICState *s);

qemu_irq gic_get_spi(GICState *s, unsigned spi);
qemu_irq gic_get_ppi(GICState *s, unsigned cpu, unsigned intid);

/* MMIO of each block (exported for unit tests). */
uint64_t gic_dist_read(void *opaque, hwaddr off, unsigned size);
void gic_dist_write(void *opaque, hwaddr off, uint64_t val, unsigned size);
uint64_t gic_cpu_read(void *opaque, hwaddr off, unsigned size);
void gic_cpu_write(void *opaque, hwaddr off, uint64_t val, unsigned size);
uint64_t gic_hyp_read(void *opaque, hwaddr off, unsigned size);
void gic_hyp_write(void *opaque, hwaddr off, uint64_t val, unsigned size);
uint64_t gic_vcpu_read(void *opaque, hwaddr off, unsigned size);
void gic_vcpu_write(void *opaque, hwaddr off, uint64_t val, unsigned size);

#endif
