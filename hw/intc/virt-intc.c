/*
 * GIC + generic timer construction for the virt board (see
 * include/hw/intc/virt-intc.h).  Addresses: include/hw/arm/virt.h.
 */
#include "qemu/osdep.h"
#include "hw/intc/virt-intc.h"
#include "target/arm/cpregs.h"
#include "hw/arm/virt.h"
#include "hw/timer/arm-gtimer.h"
#include "target/arm/cpu.h"

static GICState *gicv2;
static GICv3State *gicv3;

bool virt_intc_create(MachineState *ms, int version, bool virt_ext,
                      Error **errp)
{
    unsigned ncpu = ms->smp_cpus ? ms->smp_cpus : 1;

    if (version == 0) {
        version = 3;
    }
    if (version != 2 && version != 3) {
        error_setg(errp, "gic-version=%d: supported are 2, 3 and max",
                   version);
        return false;
    }
    if (virt_ext && ms->accel && !strcmp(ms->accel, "kvm")) {
        error_setg(errp, "GICv2 virtualization extensions are not available "
                   "with the in-kernel vGIC (accel=kvm); use accel=tcg");
        return false;
    }
    if (virt_ext && version != 2) {
        error_setg(errp, "has-virtualization-extensions is a GICv2 property "
                   "(gic-version=2)");
        return false;
    }
    if (version == 2) {
        GICMap map = {
            VIRT_GIC_DIST_BASE, VIRT_GIC_CPU_BASE,
            VIRT_GIC_HYP_BASE, VIRT_GIC_VCPU_BASE,
        };
        gicv2 = gic_create(ncpu, VIRT_NUM_IRQS, virt_ext, &map, errp);
        if (!gicv2) {
            return false;
        }
    } else {
        gicv3 = gicv3_create(ncpu, VIRT_NUM_IRQS, VIRT_GIC_DIST_BASE,
                             VIRT_GIC_REDIST_BASE, errp);
        if (!gicv3) {
            return false;
        }
        /* The CPUs' ICC_* registers now reach this GIC (cpregs-gic.c). */
        arm_icc_read_hook = gicv3_icc_sysreg_read;
        arm_icc_write_hook = gicv3_icc_sysreg_write;
    }
    if (!arm_gtimer_init(errp)) {
        return false;
    }
    for (unsigned c = 0; c < arm_cpu_count; c++) {
        unsigned virt_id = 16 + VIRT_TIMER_VIRT_PPI;
        unsigned phys_id = 16 + VIRT_TIMER_NS_EL1_PPI;
        arm_gtimer_connect(c, GTIMER_VIRT,
                           gicv2 ? gic_get_ppi(gicv2, c, virt_id)
                                 : gicv3_get_ppi(gicv3, c, virt_id));
        arm_gtimer_connect(c, GTIMER_PHYS,
                           gicv2 ? gic_get_ppi(gicv2, c, phys_id)
                                 : gicv3_get_ppi(gicv3, c, phys_id));
    }
    return true;
}

qemu_irq virt_intc_spi(unsigned n)
{
    if (gicv2) {
        return gic_get_spi(gicv2, n);
    }
    return gicv3 ? gicv3_get_spi(gicv3, n) : NULL;
}

void virt_intc_reset(void)
{
    if (gicv2) {
        gic_reset(gicv2);
    }
    if (gicv3) {
        gicv3_reset(gicv3);
    }
    arm_gtimer_update_all();
}

GICState *virt_intc_gicv2(void)
{
    return gicv2;
}

GICv3State *virt_intc_gicv3(void)
{
    return gicv3;
}
