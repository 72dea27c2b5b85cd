/*
 * The in-kernel vGICv3 as the GICv3 of a KVM machine.
 *
 * The board builds the emulated GICv3 (hw/intc/arm_gicv3.c) as usual; once
 * the vCPUs exist, the kvm accelerator calls kvm_arm_gicv3_connect(), which
 *   - creates KVM_DEV_TYPE_ARM_VGIC_V3 at the board's distributor and
 *     redistributor addresses (KVM then serves those MMIO ranges itself,
 *     so the emulated regions are never reached), sets the number of
 *     INTIDs and initialises it (Documentation/virt/kvm/devices/
 *     arm-vgic-v3.rst);
 *   - retargets the SPI input lines devices were given (the same IRQState
 *     objects) to KVM_IRQ_LINE;
 *   - installs pre_save/post_load backend hooks, so the common
 *     "arm_gicv3" section is filled from and written to the kernel through
 *     the device attributes (DIST_REGS, REDIST_REGS, CPU_SYSREGS,
 *     LEVEL_INFO): the same section the emulated GIC produces (facts 3.8).
 * The arch timer PPIs (virtual 27, physical 30) are the kernel defaults and
 * match the board's device tree.
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/intc/arm_gicv3.h"
#include "hw/intc/arm_gicv3_common.h"
#include "hw/arm/virt.h"
#include "target/arm/kvm-regid.h"
#include "accel/kvm/kvm-int.h"
#include <sys/ioctl.h>

typedef struct KvmGicv3 {
    int dev_fd;
    int vm_fd;
} KvmGicv3;

static int attr_access(int fd, uint32_t group, uint64_t attr, void *val,
                       bool write)
{
    struct kvm_device_attr a = {
        .group = group, .attr = attr, .addr = (uintptr_t)val,
    };

    return kvm_ioctl_fd(fd, write ? KVM_SET_DEVICE_ATTR : KVM_GET_DEVICE_ATTR,
                        &a);
}

/* One 32-bit distributor register (mpidr 0) or redistributor register. */
static bool reg32(KvmGicv3 *k, uint32_t group, uint64_t mpidr, uint32_t off,
                  uint32_t *val, bool write, Error **errp)
{
    int ret = attr_access(k->dev_fd, group,
                          arm_kvm_vgic_v3_attr(mpidr, off), val, write);
    if (ret < 0) {
        error_setg(errp, "vGICv3: %s %s register 0x%x: %s",
                   write ? "writing" : "reading",
                   group == ARM_KVM_VGIC_GRP_DIST_REGS ? "distributor" :
                   "redistributor", off, strerror(-ret));
        return false;
    }
    return true;
}

/* A 64-bit register as two 32-bit halves (arm-vgic-v3.rst). */
static bool reg64(KvmGicv3 *k, uint32_t group, uint64_t mpidr, uint32_t off,
                  uint64_t *val, bool write, Error **errp)
{
    uint32_t lo = *val, hi = *val >> 32;

    if (!reg32(k, group, mpidr, off, &lo, write, errp) ||
        !reg32(k, group, mpidr, off + 4, &hi, write, errp)) {
        return false;
    }
    *val = ((uint64_t)hi << 32) | lo;
    return true;
}

static bool icc(KvmGicv3 *k, uint64_t mpidr, uint32_t enc, uint64_t *val,
                bool write, Error **errp)
{
    uint64_t attr = arm_kvm_vgic_v3_sysreg_attr(mpidr, ARM_SYSREG_OP0(enc),
                                                ARM_SYSREG_OP1(enc),
                                                ARM_SYSREG_CRN(enc),
                                                ARM_SYSREG_CRM(enc),
                                                ARM_SYSREG_OP2(enc));
    int ret = attr_access(k->dev_fd, ARM_KVM_VGIC_GRP_CPU_SYSREGS, attr, val,
                          write);
    if (ret < 0) {
        error_setg(errp, "vGICv3: %s ICC register (%u,%u,%u,%u,%u): %s",
                   write ? "writing" : "reading", ARM_SYSREG_OP0(enc),
                   ARM_SYSREG_OP1(enc), ARM_SYSREG_CRN(enc),
                   ARM_SYSREG_CRM(enc), ARM_SYSREG_OP2(enc), strerror(-ret));
        return false;
    }
    return true;
}

/* GICD/GICR offsets (Arm IHI 0069, 12.9 and 12.11). */
#define GICD_CTLR        0x0000
#define GICD_IGROUPR     0x0080
#define GICD_ISENABLER   0x0100
#define GICD_ICENABLER   0x0180
#define GICD_ISPENDR     0x0200
#define GICD_ICPENDR     0x0280
#define GICD_ISACTIVER   0x0300
#define GICD_ICACTIVER   0x0380
#define GICD_IPRIORITYR  0x0400
#define GICD_ICFGR       0x0c00
#define GICD_IGRPMODR    0x0d00
#define GICD_IROUTER     0x6000
#define GICR_CTLR        0x0000
#define GICR_WAKER       0x0014
#define GICR_PROPBASER   0x0070
#define GICR_PENDBASER   0x0078
#define GICR_SGI         0x10000   /* SGI_base frame: same layout as GICD */

/*
 * Set-register with a clear twin (ISENABLER/ICENABLER, ...): clear every
 * bit, then set the saved ones, so the kernel ends with exactly them.
 */
static bool put_set_clear(KvmGicv3 *k, uint32_t group, uint64_t mpidr,
                          uint32_t set_off, uint32_t clear_off, uint32_t v,
                          Error **errp)
{
    uint32_t all = ~0u;

    return reg32(k, group, mpidr, clear_off, &all, true, errp) &&
           reg32(k, group, mpidr, set_off, &v, true, errp);
}

/* ICFGR: two bits per INTID, bit 1 = edge (IHI 0069 12.9.9). */
static uint32_t icfgr_to_edge(uint32_t icfgr)
{
    uint32_t edge = 0;

    for (unsigned i = 0; i < 16; i++) {
        edge |= ((icfgr >> (2 * i + 1)) & 1) << i;
    }
    return edge;
}

static uint32_t edge_to_icfgr(uint32_t edge16)
{
    uint32_t icfgr = 0;

    for (unsigned i = 0; i < 16; i++) {
        icfgr |= ((edge16 >> i) & 1) << (2 * i + 1);
    }
    return icfgr;
}

/* Number of ICC_AP{0,1}R<n> registers for the priority bits in ICC_CTLR. */
static unsigned nr_aprs(uint64_t ctlr)
{
    unsigned pribits = ((ctlr >> ICC_CTLR_PRIBITS_SHIFT) & 7) + 1;

    return pribits >= 7 ? 4 : pribits == 6 ? 2 : 1;
}

static bool xfer_cpu(KvmGicv3 *k, GICv3State *s, unsigned c, bool w,
                     Error **errp)
{
    GICv3CPUState *cs = &s->cpu[c];
    uint64_t mp = s->cpu_affinity[c];
    const uint32_t R = ARM_KVM_VGIC_GRP_REDIST_REGS;
    uint32_t v, edge;

    /* Redistributor control and LPI tables. */
    if (!reg32(k, R, mp, GICR_CTLR, &cs->gicr_ctlr, w, errp) ||
        !reg32(k, R, mp, GICR_WAKER, &cs->gicr_waker, w, errp) ||
        !reg64(k, R, mp, GICR_PROPBASER, &cs->gicr_propbaser, w, errp) ||
        !reg64(k, R, mp, GICR_PENDBASER, &cs->gicr_pendbaser, w, errp) ||
        !reg32(k, R, mp, GICR_SGI + GICD_IGROUPR, &cs->gicr_igroupr0, w,
               errp) ||
        !reg32(k, R, mp, GICR_SGI + GICD_IGRPMODR, &cs->gicr_igrpmodr0, w,
               errp)) {
        return false;
    }
    /* SGIs are always edge; ICFGR1 holds the PPIs (16..31). */
    edge = edge_to_icfgr(cs->edge_trigger >> 16);
    if (!reg32(k, R, mp, GICR_SGI + GICD_ICFGR + 4, &edge, w, errp)) {
        return false;
    }
    if (!w) {
        cs->edge_trigger = 0xffff | (icfgr_to_edge(edge) << 16);
    }
    {
        uint64_t attr = arm_kvm_vgic_v3_level_attr(mp, 0);
        int ret = attr_access(k->dev_fd, ARM_KVM_VGIC_GRP_LEVEL_INFO, attr,
                              &cs->level, w);
        if (ret < 0) {
            error_setg(errp, "vGICv3: line levels of vCPU %u: %s", c,
                       strerror(-ret));
            return false;
        }
    }
    if (w) {
        if (!put_set_clear(k, R, mp, GICR_SGI + GICD_ISENABLER,
                           GICR_SGI + GICD_ICENABLER, cs->gicr_ienabler0,
                           errp) ||
            !put_set_clear(k, R, mp, GICR_SGI + GICD_ISPENDR,
                           GICR_SGI + GICD_ICPENDR, cs->gicr_ipendr0, errp) ||
            !put_set_clear(k, R, mp, GICR_SGI + GICD_ISACTIVER,
                           GICR_SGI + GICD_ICACTIVER, cs->gicr_iactiver0,
                           errp)) {
            return false;
        }
    } else if (!reg32(k, R, mp, GICR_SGI + GICD_ISENABLER,
                      &cs->gicr_ienabler0, false, errp) ||
               !reg32(k, R, mp, GICR_SGI + GICD_ISPENDR, &cs->gicr_ipendr0,
                      false, errp) ||
               !reg32(k, R, mp, GICR_SGI + GICD_ISACTIVER,
                      &cs->gicr_iactiver0, false, errp)) {
        return false;
    }
    for (unsigned i = 0; i < GIC_INTERNAL_V3; i += 4) {
        memcpy(&v, &cs->gicr_ipriorityr[i], 4);
        if (!reg32(k, R, mp, GICR_SGI + GICD_IPRIORITYR + i, &v, w, errp)) {
            return false;
        }
        memcpy(&cs->gicr_ipriorityr[i], &v, 4);
    }
    return true;
}

static bool xfer_icc(KvmGicv3 *k, GICv3State *s, unsigned c, bool w,
                     Error **errp)
{
    GICv3CPUState *cs = &s->cpu[c];
    uint64_t mp = s->cpu_affinity[c];
    unsigned n;

    /* SRE and CTLR first: they decide what the others mean. */
    if (!icc(k, mp, ICC_SRE_EL1, &cs->icc_sre_el1, w, errp) ||
        !icc(k, mp, ICC_CTLR_EL1, &cs->icc_ctlr_el1[GICV3_NS], w, errp) ||
        !icc(k, mp, ICC_PMR_EL1, &cs->icc_pmr_el1, w, errp) ||
        !icc(k, mp, ICC_BPR0_EL1, &cs->icc_bpr[GICV3_G0], w, errp) ||
        !icc(k, mp, ICC_BPR1_EL1, &cs->icc_bpr[GICV3_G1NS], w, errp) ||
        !icc(k, mp, ICC_IGRPEN0_EL1, &cs->icc_igrpen[GICV3_G0], w, errp) ||
        !icc(k, mp, ICC_IGRPEN1_EL1, &cs->icc_igrpen[GICV3_G1NS], w, errp)) {
        return false;
    }
    n = nr_aprs(cs->icc_ctlr_el1[GICV3_NS]);
    for (unsigned i = 0; i < n; i++) {
        if (!icc(k, mp, ARM_SYSREG_ENC(3, 0, 12, 8, 4 + i),
                 &cs->icc_apr[GICV3_G0][i], w, errp) ||
            !icc(k, mp, ARM_SYSREG_ENC(3, 0, 12, 9, i),
                 &cs->icc_apr[GICV3_G1NS][i], w, errp)) {
            return false;
        }
    }
    return true;
}

static bool xfer_dist(KvmGicv3 *k, GICv3State *s, bool w, Error **errp)
{
    const uint32_t D = ARM_KVM_VGIC_GRP_DIST_REGS;

    for (unsigned irq = GIC_INTERNAL_V3; irq < s->num_irq; irq += 32) {
        unsigned b = irq / 32;
        uint32_t off = irq / 8;

        if (!reg32(k, D, 0, GICD_IGROUPR + off, &s->group[b], w, errp) ||
            !reg32(k, D, 0, GICD_IGRPMODR + off, &s->grpmod[b], w, errp)) {
            return false;
        }
        for (unsigned h = 0; h < 2; h++) {
            uint32_t edge = (s->edge_trigger[b] >> (16 * h)) & 0xffff;
            uint32_t icfgr = edge_to_icfgr(edge);
            if (!reg32(k, D, 0, GICD_ICFGR + irq / 4 + 4 * h, &icfgr, w,
                       errp)) {
                return false;
            }
            if (!w) {
                s->edge_trigger[b] = (s->edge_trigger[b] &
                                      ~(0xffffu << (16 * h))) |
                                     (icfgr_to_edge(icfgr) << (16 * h));
            }
        }
        {
            uint64_t attr = arm_kvm_vgic_v3_level_attr(0, irq);
            int ret = attr_access(k->dev_fd, ARM_KVM_VGIC_GRP_LEVEL_INFO,
                                  attr, &s->level[b], w);
            if (ret < 0) {
                error_setg(errp, "vGICv3: line levels of INTIDs %u-%u: %s",
                           irq, irq + 31, strerror(-ret));
                return false;
            }
        }
        if (w) {
            if (!put_set_clear(k, D, 0, GICD_ISENABLER + off,
                               GICD_ICENABLER + off, s->enabled[b], errp) ||
                !put_set_clear(k, D, 0, GICD_ISPENDR + off,
                               GICD_ICPENDR + off, s->pending[b], errp) ||
                !put_set_clear(k, D, 0, GICD_ISACTIVER + off,
                               GICD_ICACTIVER + off, s->active[b], errp)) {
                return false;
            }
        } else if (!reg32(k, D, 0, GICD_ISENABLER + off, &s->enabled[b],
                          false, errp) ||
                   !reg32(k, D, 0, GICD_ISPENDR + off, &s->pending[b], false,
                          errp) ||
                   !reg32(k, D, 0, GICD_ISACTIVER + off, &s->active[b], false,
                          errp)) {
            return false;
        }
        for (unsigned i = 0; i < 32; i += 4) {
            uint32_t v;
            memcpy(&v, &s->gicd_ipriority[irq + i], 4);
            if (!reg32(k, D, 0, GICD_IPRIORITYR + irq + i, &v, w, errp)) {
                return false;
            }
            memcpy(&s->gicd_ipriority[irq + i], &v, 4);
        }
        for (unsigned i = 0; i < 32; i++) {
            if (!reg64(k, D, 0, GICD_IROUTER + 8 * (irq + i),
                       &s->gicd_irouter[irq + i], w, errp)) {
                return false;
            }
        }
    }
    return true;
}

static bool kvm_gicv3_pre_save(GICv3State *s, Error **errp)
{
    KvmGicv3 *k = s->backend;

    if (!reg32(k, ARM_KVM_VGIC_GRP_DIST_REGS, 0, GICD_CTLR, &s->gicd_ctlr,
               false, errp) || !xfer_dist(k, s, false, errp)) {
        return false;
    }
    for (unsigned c = 0; c < s->num_cpu; c++) {
        if (!xfer_cpu(k, s, c, false, errp) ||
            !xfer_icc(k, s, c, false, errp)) {
            return false;
        }
    }
    return true;
}

/* The order QEMU's KVM GICv3 uses: control, redistributors, distributor,
 * then the CPU interfaces. */
static bool kvm_gicv3_post_load(GICv3State *s, Error **errp)
{
    KvmGicv3 *k = s->backend;

    /* The "cpu" sections came first: refuse here a vCPU state this kernel
     * cannot take, while the load can still fail (target/arm/kvm.c). */
    if (!kvm_arm_check_incoming(errp)) {
        return false;
    }
    if (!reg32(k, ARM_KVM_VGIC_GRP_DIST_REGS, 0, GICD_CTLR, &s->gicd_ctlr,
               true, errp)) {
        return false;
    }
    for (unsigned c = 0; c < s->num_cpu; c++) {
        if (!xfer_cpu(k, s, c, true, errp)) {
            return false;
        }
    }
    if (!xfer_dist(k, s, true, errp)) {
        return false;
    }
    for (unsigned c = 0; c < s->num_cpu; c++) {
        if (!xfer_icc(k, s, c, true, errp)) {
            return false;
        }
    }
    return true;
}

static const GICv3BackendOps kvm_gicv3_ops = {
    .name = "kvm-arm-gicv3",
    /* Streams without the marker subsection come from pre-2.12 QEMU. */
    .fix_shift_bug = true,
    .pre_save = kvm_gicv3_pre_save,
    .post_load = kvm_gicv3_post_load,
};

/* An SPI from one of our devices goes to the kernel (api.rst KVM_IRQ_LINE,
 * irq_type 1 = SPI, INTID in the low 16 bits). */
static void kvm_gicv3_set_spi(void *opaque, int n, int level)
{
    KvmGicv3 *k = opaque;
    struct kvm_irq_level irq = {
        .irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) |
               (GIC_INTERNAL_V3 + n),
        .level = level,
    };

    kvm_ioctl_fd(k->vm_fd, KVM_IRQ_LINE, &irq);
}

bool kvm_arm_gicv3_connect(GICv3State *s, int vm_fd, Error **errp)
{
    struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
    uint64_t dist = VIRT_GIC_DIST_BASE, redist = VIRT_GIC_REDIST_BASE;
    uint32_t nr_irqs = s->num_irq;
    KvmGicv3 *k;
    int ret;

    ret = kvm_ioctl_fd(vm_fd, KVM_CREATE_DEVICE, &cd);
    if (ret < 0) {
        error_setg(errp, "kvm: this host cannot create an in-kernel GICv3 "
                   "(%s); try gic-version=2", strerror(-ret));
        return false;
    }
    k = g_new0(KvmGicv3, 1);
    k->dev_fd = cd.fd;
    k->vm_fd = vm_fd;
    if ((ret = attr_access(k->dev_fd, ARM_KVM_VGIC_GRP_ADDR,
                           ARM_KVM_VGIC_V3_ADDR_DIST, &dist, true)) < 0 ||
        (ret = attr_access(k->dev_fd, ARM_KVM_VGIC_GRP_ADDR,
                           ARM_KVM_VGIC_V3_ADDR_REDIST, &redist, true)) < 0 ||
        (ret = attr_access(k->dev_fd, ARM_KVM_VGIC_GRP_NR_IRQS, 0, &nr_irqs,
                           true)) < 0 ||
        (ret = attr_access(k->dev_fd, ARM_KVM_VGIC_GRP_CTRL,
                           ARM_KVM_VGIC_CTRL_INIT, NULL, true)) < 0) {
        error_setg(errp, "kvm: setting up the in-kernel GICv3: %s",
                   strerror(-ret));
        close(k->dev_fd);
        g_free(k);
        return false;
    }
    for (unsigned n = 0; n + GIC_INTERNAL_V3 < s->num_irq; n++) {
        qemu_irq irq = gicv3_get_spi(s, n);
        if (irq) {
            irq->handler = kvm_gicv3_set_spi;
            irq->opaque = k;
            irq->n = n;
        }
    }
    s->backend = k;
    s->ops = &kvm_gicv3_ops;
    return true;
}
