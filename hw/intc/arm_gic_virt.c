/*
 * GICv2 virtualization extensions (IHI 0048B chapter 5): the hypervisor
 * interface GICH_* and the virtual CPU interface GICV_*, both banked per
 * vCPU.
 *
 * One copy of the state: GICV_CTLR/PMR/BPR/ABPR are entries 8..15 of the
 * CPU-interface arrays, GICH_VMCR is computed from them, and GICV_APR is
 * GICH_APR (h_apr).  Virtual interrupts come from the list registers: the
 * pending LR of highest priority is signalled as VIRQ (or VFIQ for Group 0
 * with VMFIQEn) when GICH_HCR.En is set and it beats the virtual priority
 * mask and running priority.  Virtual priorities have 5 bits; GICH_APR has
 * one bit per group priority >> 3.
 */
#include "qemu/osdep.h"
#include "gic_internal.h"
#include "hw/intc/arm_intc_cpu.h"
#include "qemu/log.h"
#include "target/arm/cpu.h"

enum {
    GICH_HCR = 0x00,
    GICH_VTR = 0x04,
    GICH_VMCR = 0x08,
    GICH_MISR = 0x10,
    GICH_EISR0 = 0x20,
    GICH_EISR1 = 0x24,
    GICH_ELRSR0 = 0x30,
    GICH_ELRSR1 = 0x34,
    GICH_APR = 0xf0,
    GICH_LR0 = 0x100,
};

enum {
    GICV_CTLR = 0x00,
    GICV_PMR = 0x04,
    GICV_BPR = 0x08,
    GICV_IAR = 0x0c,
    GICV_EOIR = 0x10,
    GICV_RPR = 0x14,
    GICV_HPPIR = 0x18,
    GICV_ABPR = 0x1c,
    GICV_APR = 0xd0,
    GICV_IIDR = 0xfc,
    GICV_DIR = 0x1000,
};

#define GICH_LR_WRITABLE 0xff8fffffu    /* bits [22:20] are reserved */

static unsigned vprio_from_apr(GICState *s, unsigned cpu)
{
    uint32_t a = s->h_apr[cpu];
    return a ? (unsigned)__builtin_ctz(a) << 3 : GIC_IDLE_PRIO;
}

int gic_virt_best_lr(GICState *s, unsigned cpu)
{
    uint32_t vctlr = s->cpu_ctlr[cpu + GIC_NCPU];
    int best = -1;
    unsigned best_prio = 0x100;

    for (unsigned n = 0; n < GIC_NUM_LR; n++) {
        uint32_t lr = s->h_lr[n][cpu];
        bool grp1 = lr & GICH_LR_GRP1;
        if (GICH_LR_STATE(lr) != 1 || !(vctlr & (grp1 ? 2 : 1))) {
            continue;
        }
        if (GICH_LR_PRIO(lr) < best_prio) {
            best_prio = GICH_LR_PRIO(lr);
            best = n;
        }
    }
    return best;
}

void gic_virt_update(GICState *s, unsigned cpu)
{
    unsigned v = cpu + GIC_NCPU;
    int n = gic_virt_best_lr(s, cpu);
    bool virq = false, vfiq = false;

    s->current_pending[v] = GIC_SPURIOUS;
    if (n >= 0) {
        uint32_t lr = s->h_lr[n][cpu];
        bool grp1 = lr & GICH_LR_GRP1;
        uint8_t prio = GICH_LR_PRIO(lr);
        if (prio < s->priority_mask[v]) {
            s->current_pending[v] = GICH_LR_VIRTID(lr);
            if ((s->h_hcr[cpu] & GICH_HCR_EN) &&
                gic_group_prio(s, v, prio, grp1) < s->running_priority[v]) {
                if (!grp1 && (s->cpu_ctlr[v] & GICC_CTLR_FIQEN)) {
                    vfiq = true;
                } else {
                    virq = true;
                }
            }
        }
    }
    arm_intc_set_cpu_lines(cpu, CPU_INTERRUPT_VIRQ, virq);
    arm_intc_set_cpu_lines(cpu, CPU_INTERRUPT_VFIQ, vfiq);
}

/* GICV_IAR: the best LR goes pending -> active (5.4). */
static uint32_t vcpu_acknowledge(GICState *s, unsigned cpu)
{
    unsigned v = cpu + GIC_NCPU;
    int n = gic_virt_best_lr(s, cpu);
    uint32_t *lr, ret;

    if (n < 0) {
        return GIC_SPURIOUS;
    }
    lr = &s->h_lr[n][cpu];
    bool grp1 = *lr & GICH_LR_GRP1;
    uint8_t prio = GICH_LR_PRIO(*lr);
    uint8_t gprio = gic_group_prio(s, v, prio, grp1);
    if (prio >= s->priority_mask[v] || gprio >= s->running_priority[v]) {
        return GIC_SPURIOUS;
    }
    if (grp1 && !(s->cpu_ctlr[v] & GICC_CTLR_ACKCTL)) {
        return 1022;
    }
    ret = GICH_LR_VIRTID(*lr);
    if (ret < GIC_NR_SGIS && !(*lr & GICH_LR_HW)) {
        ret |= GICH_LR_CPUID(*lr) << 10;
    }
    *lr = (*lr & ~GICH_LR_PENDING) | GICH_LR_ACTIVE;
    s->h_apr[cpu] |= 1u << (gprio >> 3);
    s->running_priority[v] = gprio;
    return ret;
}

/* Virtual deactivation; HW LRs deactivate the physical interrupt (5.4.1). */
static void vcpu_deactivate(GICState *s, unsigned cpu, unsigned irq)
{
    for (unsigned n = 0; n < GIC_NUM_LR; n++) {
        uint32_t *lr = &s->h_lr[n][cpu];
        if (GICH_LR_VIRTID(*lr) != irq || !(*lr & GICH_LR_ACTIVE)) {
            continue;
        }
        *lr &= ~GICH_LR_ACTIVE;
        if (*lr & GICH_LR_HW) {
            gic_deactivate(s, cpu, GICH_LR_PHYSID(*lr));
        }
        return;
    }
    /* No LR holds it: count it for the hypervisor (GICH_HCR.EOICount). */
    uint32_t count = (s->h_hcr[cpu] >> GICH_HCR_EOICOUNT_SHIFT) + 1;
    s->h_hcr[cpu] = (s->h_hcr[cpu] & ((1u << GICH_HCR_EOICOUNT_SHIFT) - 1)) |
                    ((count & 0x1f) << GICH_HCR_EOICOUNT_SHIFT);
}

static uint64_t vcpu_read_locked(GICState *s, unsigned cpu, hwaddr off)
{
    unsigned v = cpu + GIC_NCPU;

    switch (off) {
    case GICV_CTLR:
        return s->cpu_ctlr[v];
    case GICV_PMR:
        return s->priority_mask[v];
    case GICV_BPR:
        return s->bpr[v];
    case GICV_ABPR:
        return s->abpr[v];
    case GICV_IAR:
        return vcpu_acknowledge(s, cpu);
    case GICV_RPR:
        return s->running_priority[v] == GIC_IDLE_PRIO ? 0xff :
               s->running_priority[v];
    case GICV_HPPIR:
        return s->current_pending[v];
    case GICV_APR:
        return s->h_apr[cpu];
    case GICV_IIDR:
        return 0x0202143b;
    default:
        return 0;
    }
}

static void vcpu_write_locked(GICState *s, unsigned cpu, hwaddr off,
                              uint32_t val)
{
    unsigned v = cpu + GIC_NCPU;

    switch (off) {
    case GICV_CTLR:
        s->cpu_ctlr[v] = val & 0x21f;
        break;
    case GICV_PMR:
        s->priority_mask[v] = val & 0xf8;
        break;
    case GICV_BPR:
        s->bpr[v] = MAX(val & 7, GIC_VIRT_MIN_BPR);
        break;
    case GICV_ABPR:
        s->abpr[v] = MAX(val & 7, GIC_VIRT_MIN_ABPR);
        break;
    case GICV_EOIR:
        if ((val & 0x3ff) >= 1020) {
            break;
        }
        s->h_apr[cpu] &= s->h_apr[cpu] - 1;      /* drop the highest */
        s->running_priority[v] = vprio_from_apr(s, cpu);
        if (!(s->cpu_ctlr[v] & GICC_CTLR_EOIMODE)) {
            vcpu_deactivate(s, cpu, val & 0x3ff);
        }
        break;
    case GICV_DIR:
        vcpu_deactivate(s, cpu, val & 0x3ff);
        break;
    case GICV_APR:
        s->h_apr[cpu] = val;
        s->running_priority[v] = vprio_from_apr(s, cpu);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "gic: write to GICV 0x%" HWADDR_PRIx
                      " ignored\n", off);
        break;
    }
}

static uint64_t hyp_read_locked(GICState *s, unsigned cpu, hwaddr off)
{
    if (off >= GICH_LR0 && off < GICH_LR0 + 4 * GIC_MAX_LR) {
        unsigned n = (off - GICH_LR0) / 4;
        return n < GIC_NUM_LR ? s->h_lr[n][cpu] : 0;
    }
    switch (off) {
    case GICH_HCR:
        return s->h_hcr[cpu];
    case GICH_VTR:
        /* PRIbits and PREbits: 5 bits; ListRegs: GIC_NUM_LR - 1 (5.3.2). */
        return (4u << 29) | (4u << 26) | (GIC_NUM_LR - 1);
    case GICH_VMCR:
        return gic_vmcr_read(s, cpu);
    case GICH_MISR:
        return s->h_misr[cpu];
    case GICH_EISR0:
        return (uint32_t)s->h_eisr[cpu];
    case GICH_EISR1:
        return (uint32_t)(s->h_eisr[cpu] >> 32);
    case GICH_ELRSR0:
        return (uint32_t)s->h_elrsr[cpu];
    case GICH_ELRSR1:
        return (uint32_t)(s->h_elrsr[cpu] >> 32);
    case GICH_APR:
        return s->h_apr[cpu];
    default:
        return 0;
    }
}

static void hyp_write_locked(GICState *s, unsigned cpu, hwaddr off,
                             uint32_t val)
{
    unsigned v = cpu + GIC_NCPU;

    if (off >= GICH_LR0 && off < GICH_LR0 + 4 * GIC_MAX_LR) {
        unsigned n = (off - GICH_LR0) / 4;
        if (n < GIC_NUM_LR) {
            s->h_lr[n][cpu] = val & GICH_LR_WRITABLE;
        }
        return;
    }
    switch (off) {
    case GICH_HCR:
        s->h_hcr[cpu] = val & (0xf8000000u | 0xff);
        break;
    case GICH_VMCR:
        gic_vmcr_write(s, cpu, val);
        break;
    case GICH_APR:
        s->h_apr[cpu] = val;
        s->running_priority[v] = vprio_from_apr(s, cpu);
        break;
    default:
        break;                   /* VTR, MISR, EISR, ELRSR: read-only */
    }
}

uint64_t gic_hyp_read(void *opaque, hwaddr off, unsigned size)
{
    GICState *s = opaque;
    GICEmu *e = gic_emu(s);
    uint64_t v;

    g_rec_mutex_lock(&e->lock);
    v = hyp_read_locked(s, arm_intc_current_cpu() % s->num_cpu, off);
    g_rec_mutex_unlock(&e->lock);
    return v;
}

void gic_hyp_write(void *opaque, hwaddr off, uint64_t val, unsigned size)
{
    GICState *s = opaque;
    GICEmu *e = gic_emu(s);

    g_rec_mutex_lock(&e->lock);
    hyp_write_locked(s, arm_intc_current_cpu() % s->num_cpu, off, val);
    gic_update(s);
    g_rec_mutex_unlock(&e->lock);
}

uint64_t gic_vcpu_read(void *opaque, hwaddr off, unsigned size)
{
    GICState *s = opaque;
    GICEmu *e = gic_emu(s);
    uint64_t v;

    g_rec_mutex_lock(&e->lock);
    v = vcpu_read_locked(s, arm_intc_current_cpu() % s->num_cpu, off);
    if (off == GICV_IAR) {
        gic_update(s);
    }
    g_rec_mutex_unlock(&e->lock);
    return v;
}

void gic_vcpu_write(void *opaque, hwaddr off, uint64_t val, unsigned size)
{
    GICState *s = opaque;
    GICEmu *e = gic_emu(s);

    g_rec_mutex_lock(&e->lock);
    vcpu_write_locked(s, arm_intc_current_cpu() % s->num_cpu, off, val);
    gic_update(s);
    g_rec_mutex_unlock(&e->lock);
}
