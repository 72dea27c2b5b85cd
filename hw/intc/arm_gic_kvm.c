/*
 * The in-kernel vGICv2 as the GICv2 of a KVM machine (the GICv2
 * counterpart of arm_gicv3_kvm.c; Documentation/virt/kvm/devices/
 * arm-vgic.rst).  Only a GICv2 host (or a GICv3 host with the GICv2
 * compatibility interface) offers it.
 *
 * kvm_arm_gic_connect() creates KVM_DEV_TYPE_ARM_VGIC_V2 at the board's
 * distributor and CPU-interface addresses, initialises it, retargets the
 * SPI lines to KVM_IRQ_LINE and installs pre_save/post_load hooks that
 * fill the common "arm_gic" state (facts 3.8) from the kernel through
 * DIST_REGS and CPU_REGS, and write it back.  Per-interrupt flags in
 * GICState are CPU masks: one bit per CPU for SGIs/PPIs, 0xff for SPIs.
 * The virtualization extensions cannot be asked for under KVM (the board
 * refuses them before we get here).
 */
#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/intc/arm_gic.h"
#include "hw/intc/arm_gic_common.h"
#include "hw/arm/virt.h"
#include "target/arm/kvm-regid.h"
#include "accel/kvm/kvm-int.h"
#include <sys/ioctl.h>

typedef struct KvmGic {
    int dev_fd;
    int vm_fd;
} KvmGic;

/* GICD offsets (Arm IHI 0048B 4.1.2) and GICC offsets (4.1.3). */
#define GICD_CTLR        0x000
#define GICD_IGROUPR     0x080
#define GICD_ISENABLER   0x100
#define GICD_ICENABLER   0x180
#define GICD_ISPENDR     0x200
#define GICD_ICPENDR     0x280
#define GICD_ISACTIVER   0x300
#define GICD_ICACTIVER   0x380
#define GICD_IPRIORITYR  0x400
#define GICD_ITARGETSR   0x800
#define GICD_ICFGR       0xc00
#define GICD_CPENDSGIR   0xf10
#define GICD_SPENDSGIR   0xf20
#define GICC_CTLR        0x00
#define GICC_PMR         0x04
#define GICC_BPR         0x08
#define GICC_ABPR        0x1c
#define GICC_APR         0xd0

static bool reg(KvmGic *k, uint32_t group, unsigned cpu, uint32_t off,
                uint32_t *val, bool write, Error **errp)
{
    struct kvm_device_attr a = {
        .group = group, .attr = arm_kvm_vgic_v2_attr(cpu, off),
        .addr = (uintptr_t)val,
    };
    int ret = kvm_ioctl_fd(k->dev_fd, write ? KVM_SET_DEVICE_ATTR :
                           KVM_GET_DEVICE_ATTR, &a);

    if (ret < 0) {
        error_setg(errp, "vGICv2: %s %s register 0x%x of CPU %u: %s",
                   write ? "writing" : "reading",
                   group == ARM_KVM_VGIC_GRP_DIST_REGS ? "distributor" :
                   "CPU interface", off, cpu, strerror(-ret));
        return false;
    }
    return true;
}

/* The 1-bit-per-INTID registers, as views of GICIrqState fields. */
typedef enum { F_GROUP, F_ENABLED, F_PENDING, F_ACTIVE } IrqField;

static uint8_t *irq_field(GICIrqState *q, IrqField f)
{
    switch (f) {
    case F_GROUP:   return &q->group;
    case F_ENABLED: return &q->enabled;
    case F_PENDING: return &q->pending;
    default:        return &q->active;
    }
}

/* Word of 32 INTIDs from base, as CPU cpu sees them. */
static uint32_t bits_get(GICState *s, IrqField f, unsigned base, unsigned cpu)
{
    uint32_t v = 0;

    for (unsigned i = 0; i < 32 && base + i < s->num_irq; i++) {
        if (*irq_field(&s->irq_state[base + i], f) & (1u << cpu)) {
            v |= 1u << i;
        }
    }
    return v;
}

static void bits_set(GICState *s, IrqField f, unsigned base, unsigned cpu,
                     uint32_t v)
{
    for (unsigned i = 0; i < 32 && base + i < s->num_irq; i++) {
        uint8_t *p = irq_field(&s->irq_state[base + i], f);
        uint8_t cm = base < GIC_INTERNAL ? 1u << cpu : GIC_ALL_CPUS;
        *p = (v >> i) & 1 ? (*p | cm) : (*p & ~cm);
    }
}

static bool xfer_bits(KvmGic *k, GICState *s, IrqField f, uint32_t set_off,
                      uint32_t clear_off, unsigned base, unsigned cpu, bool w,
                      Error **errp)
{
    uint32_t v = bits_get(s, f, base, cpu), all = ~0u;

    if (w) {
        /* Clear every bit, then set the saved ones (set/clear pairs). */
        return (!clear_off ||
                reg(k, ARM_KVM_VGIC_GRP_DIST_REGS, cpu, clear_off + base / 8,
                    &all, true, errp)) &&
               reg(k, ARM_KVM_VGIC_GRP_DIST_REGS, cpu, set_off + base / 8,
                   &v, true, errp);
    }
    if (!reg(k, ARM_KVM_VGIC_GRP_DIST_REGS, cpu, set_off + base / 8, &v,
             false, errp)) {
        return false;
    }
    bits_set(s, f, base, cpu, v);
    return true;
}

static bool xfer_dist(KvmGic *k, GICState *s, bool w, Error **errp)
{
    const uint32_t D = ARM_KVM_VGIC_GRP_DIST_REGS;

    if (!reg(k, D, 0, GICD_CTLR, &s->ctlr, w, errp)) {
        return false;
    }
    for (unsigned base = 0; base < s->num_irq; base += 32) {
        /* Banked words (INTIDs 0-31) once per CPU, shared ones once. */
        unsigned ncpu = base < GIC_INTERNAL ? s->num_cpu : 1;
        for (unsigned c = 0; c < ncpu; c++) {
            if (!xfer_bits(k, s, F_GROUP, GICD_IGROUPR, 0, base, c, w, errp) ||
                !xfer_bits(k, s, F_ENABLED, GICD_ISENABLER, GICD_ICENABLER,
                           base, c, w, errp) ||
                !xfer_bits(k, s, F_PENDING, GICD_ISPENDR, GICD_ICPENDR, base,
                           c, w, errp) ||
                !xfer_bits(k, s, F_ACTIVE, GICD_ISACTIVER, GICD_ICACTIVER,
                           base, c, w, errp)) {
                return false;
            }
        }
    }
    for (unsigned irq = 0; irq < s->num_irq; irq += 4) {
        unsigned ncpu = irq < GIC_INTERNAL ? s->num_cpu : 1;
        for (unsigned c = 0; c < ncpu; c++) {
            uint8_t *prio = irq < GIC_INTERNAL ? NULL :
                            &s->priority2[irq - GIC_INTERNAL];
            uint32_t v = 0;
            for (unsigned i = 0; i < 4; i++) {
                v |= (uint32_t)(prio ? prio[i] : s->priority1[irq + i][c])
                     << (8 * i);
            }
            if (!reg(k, D, c, GICD_IPRIORITYR + irq, &v, w, errp)) {
                return false;
            }
            for (unsigned i = 0; !w && i < 4; i++) {
                if (prio) {
                    prio[i] = v >> (8 * i);
                } else {
                    s->priority1[irq + i][c] = v >> (8 * i);
                }
            }
        }
        /* Targets of SPIs (the banked ones read as the CPU itself). */
        if (irq >= GIC_INTERNAL) {
            uint32_t v;
            memcpy(&v, &s->irq_target[irq], 4);
            if (!reg(k, D, 0, GICD_ITARGETSR + irq, &v, w, errp)) {
                return false;
            }
            memcpy(&s->irq_target[irq], &v, 4);
        }
    }
    /* ICFGR: bit 1 of each 2-bit field = edge; SGIs are fixed. */
    for (unsigned irq = GIC_NR_SGIS; irq < s->num_irq; irq += 16) {
        uint32_t v = 0;
        for (unsigned i = 0; i < 16 && irq + i < s->num_irq; i++) {
            v |= (uint32_t)s->irq_state[irq + i].edge_trigger << (2 * i + 1);
        }
        if (!reg(k, D, 0, GICD_ICFGR + irq / 4, &v, w, errp)) {
            return false;
        }
        for (unsigned i = 0; !w && i < 16 && irq + i < s->num_irq; i++) {
            s->irq_state[irq + i].edge_trigger = (v >> (2 * i + 1)) & 1;
        }
    }
    /* SGI pending: one byte of source CPUs per SGI and target CPU. */
    for (unsigned c = 0; c < s->num_cpu; c++) {
        for (unsigned sgi = 0; sgi < GIC_NR_SGIS; sgi += 4) {
            uint32_t v = 0, all = ~0u;
            for (unsigned i = 0; i < 4; i++) {
                v |= (uint32_t)s->sgi_pending[sgi + i][c] << (8 * i);
            }
            if (w) {
                if (!reg(k, D, c, GICD_CPENDSGIR + sgi, &all, true, errp) ||
                    !reg(k, D, c, GICD_SPENDSGIR + sgi, &v, true, errp)) {
                    return false;
                }
                continue;
            }
            if (!reg(k, D, c, GICD_SPENDSGIR + sgi, &v, false, errp)) {
                return false;
            }
            for (unsigned i = 0; i < 4; i++) {
                s->sgi_pending[sgi + i][c] = v >> (8 * i);
            }
        }
    }
    return true;
}

static bool xfer_cpu(KvmGic *k, GICState *s, unsigned c, bool w,
                     Error **errp)
{
    const uint32_t C = ARM_KVM_VGIC_GRP_CPU_REGS;
    uint32_t pmr = s->priority_mask[c], bpr = s->bpr[c], abpr = s->abpr[c];

    if (!reg(k, C, c, GICC_CTLR, &s->cpu_ctlr[c], w, errp) ||
        !reg(k, C, c, GICC_PMR, &pmr, w, errp) ||
        !reg(k, C, c, GICC_BPR, &bpr, w, errp) ||
        !reg(k, C, c, GICC_ABPR, &abpr, w, errp)) {
        return false;
    }
    s->priority_mask[c] = pmr & 0xff;
    s->bpr[c] = bpr & 7;
    s->abpr[c] = abpr & 7;
    for (unsigned n = 0; n < GIC_NR_APRS; n++) {
        if (!reg(k, C, c, GICC_APR + 4 * n, &s->apr[n][c], w, errp)) {
            return false;
        }
    }
    return true;
}

static bool kvm_gic_pre_save(GICState *s, Error **errp)
{
    KvmGic *k = s->backend;

    if (!xfer_dist(k, s, false, errp)) {
        return false;
    }
    for (unsigned c = 0; c < s->num_cpu; c++) {
        if (!xfer_cpu(k, s, c, false, errp)) {
            return false;
        }
    }
    return true;
}

static bool kvm_gic_post_load(GICState *s, Error **errp)
{
    KvmGic *k = s->backend;

    /* The "cpu" sections came first: refuse here a vCPU state this kernel
     * cannot take, while the load can still fail (target/arm/kvm.c). */
    if (!kvm_arm_check_incoming(errp)) {
        return false;
    }
    if (!xfer_dist(k, s, true, errp)) {
        return false;
    }
    for (unsigned c = 0; c < s->num_cpu; c++) {
        if (!xfer_cpu(k, s, c, true, errp)) {
            return false;
        }
    }
    return true;
}

static const GICBackendOps kvm_gic_ops = {
    .name = "kvm-arm-gic",
    .pre_save = kvm_gic_pre_save,
    .post_load = kvm_gic_post_load,
};

static void kvm_gic_set_spi(void *opaque, int n, int level)
{
    KvmGic *k = opaque;
    struct kvm_irq_level irq = {
        .irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) |
               (GIC_INTERNAL + n),
        .level = level,
    };

    kvm_ioctl_fd(k->vm_fd, KVM_IRQ_LINE, &irq);
}

bool kvm_arm_gic_connect(GICState *s, int vm_fd, Error **errp)
{
    struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V2 };
    uint64_t dist = VIRT_GIC_DIST_BASE, cpu = VIRT_GIC_CPU_BASE;
    uint32_t nr_irqs = s->num_irq;
    struct kvm_device_attr a;
    KvmGic *k;
    int ret;

    if (s->virt_extn) {
        error_setg(errp, "kvm: the in-kernel GICv2 has no virtualization "
                   "extensions");
        return false;
    }
    ret = kvm_ioctl_fd(vm_fd, KVM_CREATE_DEVICE, &cd);
    if (ret < 0) {
        error_setg(errp, "kvm: this host cannot create an in-kernel GICv2 "
                   "(%s); try gic-version=3", strerror(-ret));
        return false;
    }
    k = g_new0(KvmGic, 1);
    k->dev_fd = cd.fd;
    k->vm_fd = vm_fd;
    a = (struct kvm_device_attr){ .group = ARM_KVM_VGIC_GRP_ADDR,
        .attr = ARM_KVM_VGIC_V2_ADDR_DIST, .addr = (uintptr_t)&dist };
    ret = kvm_ioctl_fd(k->dev_fd, KVM_SET_DEVICE_ATTR, &a);
    if (ret == 0) {
        a.attr = ARM_KVM_VGIC_V2_ADDR_CPU;
        a.addr = (uintptr_t)&cpu;
        ret = kvm_ioctl_fd(k->dev_fd, KVM_SET_DEVICE_ATTR, &a);
    }
    if (ret == 0) {
        a = (struct kvm_device_attr){ .group = ARM_KVM_VGIC_GRP_NR_IRQS,
            .addr = (uintptr_t)&nr_irqs };
        ret = kvm_ioctl_fd(k->dev_fd, KVM_SET_DEVICE_ATTR, &a);
    }
    if (ret == 0) {
        a = (struct kvm_device_attr){ .group = ARM_KVM_VGIC_GRP_CTRL,
            .attr = ARM_KVM_VGIC_CTRL_INIT };
        ret = kvm_ioctl_fd(k->dev_fd, KVM_SET_DEVICE_ATTR, &a);
    }
    if (ret < 0) {
        error_setg(errp, "kvm: setting up the in-kernel GICv2: %s",
                   strerror(-ret));
        close(k->dev_fd);
        g_free(k);
        return false;
    }
    for (unsigned n = 0; n + GIC_INTERNAL < s->num_irq; n++) {
        qemu_irq irq = gic_get_spi(s, n);
        if (irq) {
            irq->handler = kvm_gic_set_spi;
            irq->opaque = k;
            irq->n = n;
        }
    }
    s->backend = k;
    s->ops = &kvm_gic_ops;
    return true;
}
