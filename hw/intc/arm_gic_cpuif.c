/*
 * Emulated GICv2 CPU interface, GICC_* (IHI 0048B 4.4), banked per vCPU.
 *
 * Active priorities (4.4.14, QEMU's layout): one bit per preemption level
 * (group priority >> 1) in GICC_APRn for Group 0 and GICC_NSAPRn for
 * Group 1; the running priority is the lowest level set in either.
 */
#include "qemu/osdep.h"
#include "gic_internal.h"
#include "hw/intc/arm_intc_cpu.h"
#include "qemu/log.h"

enum {
    GICC_CTLR = 0x00,
    GICC_PMR = 0x04,
    GICC_BPR = 0x08,
    GICC_IAR = 0x0c,
    GICC_EOIR = 0x10,
    GICC_RPR = 0x14,
    GICC_HPPIR = 0x18,
    GICC_ABPR = 0x1c,
    GICC_APR = 0xd0,
    GICC_NSAPR = 0xe0,
    GICC_IIDR = 0xfc,
    GICC_DIR = 0x1000,
};

static unsigned prio_from_aprs(GICState *s, unsigned cpu)
{
    for (unsigned r = 0; r < GIC_NR_APRS; r++) {
        uint32_t bits = s->apr[r][cpu] | s->nsapr[r][cpu];
        if (bits) {
            return (r * 32 + __builtin_ctz(bits)) << 1;
        }
    }
    return GIC_IDLE_PRIO;
}

/* Value of GICC_IAR for an SGI carries the source CPU in [12:10]. */
static uint32_t gic_acknowledge(GICState *s, unsigned cpu)
{
    unsigned irq = s->current_pending[cpu];
    uint8_t cm = 1u << cpu;
    uint32_t ret;

    if (irq == GIC_SPURIOUS || irq >= s->num_irq) {
        return GIC_SPURIOUS;
    }
    bool grp1 = gic_irq_is_grp1(s, irq, cpu);
    uint8_t gprio = gic_group_prio(s, cpu, gic_irq_prio(s, cpu, irq), grp1);
    if (gprio >= s->running_priority[cpu] ||
        !(s->cpu_ctlr[cpu] & (grp1 ? GICC_CTLR_EN_GRP1 : GICC_CTLR_EN_GRP0))) {
        return GIC_SPURIOUS;
    }
    if (grp1 && !(s->cpu_ctlr[cpu] & GICC_CTLR_ACKCTL)) {
        return 1022;             /* Group 1 seen through the Group 0 IAR */
    }
    ret = irq;
    if (irq < GIC_NR_SGIS) {
        uint8_t *src = &s->sgi_pending[irq][cpu];
        unsigned from = *src ? __builtin_ctz(*src) : 0;
        *src &= ~(1u << from);
        if (!*src) {
            s->irq_state[irq].pending &= ~cm;
        }
        ret |= from << 10;
    } else if (irq < GIC_INTERNAL) {
        s->irq_state[irq].pending &= ~cm;
    } else {
        s->irq_state[irq].pending = 0;   /* an SPI goes to one CPU only */
    }
    s->irq_state[irq].active |= cm;
    unsigned lvl = gprio >> 1;
    if (grp1) {
        s->nsapr[lvl / 32][cpu] |= 1u << (lvl % 32);
    } else {
        s->apr[lvl / 32][cpu] |= 1u << (lvl % 32);
    }
    s->running_priority[cpu] = gprio;
    return ret;
}

static void gic_drop_prio(GICState *s, unsigned cpu)
{
    for (unsigned r = 0; r < GIC_NR_APRS; r++) {
        uint32_t bits = s->apr[r][cpu] | s->nsapr[r][cpu];
        if (bits) {
            uint32_t low = bits & -bits;
            s->apr[r][cpu] &= ~low;
            s->nsapr[r][cpu] &= ~low;
            break;
        }
    }
    s->running_priority[cpu] = prio_from_aprs(s, cpu);
}

static uint64_t cpu_read_locked(GICState *s, unsigned cpu, hwaddr off)
{
    unsigned irq;

    if (off >= GICC_APR && off < GICC_APR + 16) {
        return s->apr[(off - GICC_APR) / 4][cpu];
    }
    if (off >= GICC_NSAPR && off < GICC_NSAPR + 16) {
        return s->nsapr[(off - GICC_NSAPR) / 4][cpu];
    }
    switch (off) {
    case GICC_CTLR:
        return s->cpu_ctlr[cpu];
    case GICC_PMR:
        return s->priority_mask[cpu];
    case GICC_BPR:
        return s->bpr[cpu];
    case GICC_ABPR:
        return s->abpr[cpu];
    case GICC_IAR:
        return gic_acknowledge(s, cpu);
    case GICC_RPR:
        return s->running_priority[cpu] == GIC_IDLE_PRIO ? 0xff :
               s->running_priority[cpu];
    case GICC_HPPIR:
        irq = s->current_pending[cpu];
        if (irq < GIC_NR_SGIS && s->sgi_pending[irq][cpu]) {
            return irq | (__builtin_ctz(s->sgi_pending[irq][cpu]) << 10);
        }
        return irq;
    case GICC_IIDR:
        return 0x0202143b;
    default:
        return 0;
    }
}

static void cpu_write_locked(GICState *s, unsigned cpu, hwaddr off,
                             uint32_t val)
{
    if (off >= GICC_APR && off < GICC_APR + 16) {
        s->apr[(off - GICC_APR) / 4][cpu] = val;
        s->running_priority[cpu] = prio_from_aprs(s, cpu);
        return;
    }
    if (off >= GICC_NSAPR && off < GICC_NSAPR + 16) {
        s->nsapr[(off - GICC_NSAPR) / 4][cpu] = val;
        s->running_priority[cpu] = prio_from_aprs(s, cpu);
        return;
    }
    switch (off) {
    case GICC_CTLR:
        s->cpu_ctlr[cpu] = val & 0x7ff;
        break;
    case GICC_PMR:
        s->priority_mask[cpu] = val & 0xff;
        break;
    case GICC_BPR:
        s->bpr[cpu] = MAX(val & 7, GIC_MIN_BPR);
        break;
    case GICC_ABPR:
        s->abpr[cpu] = MAX(val & 7, GIC_MIN_ABPR);
        break;
    case GICC_EOIR:
        if ((val & 0x3ff) >= s->num_irq) {
            break;               /* spurious ids: nothing to complete */
        }
        gic_drop_prio(s, cpu);
        if (!(s->cpu_ctlr[cpu] & GICC_CTLR_EOIMODE)) {
            gic_deactivate(s, cpu, val & 0x3ff);
        }
        break;
    case GICC_DIR:
        gic_deactivate(s, cpu, val & 0x3ff);
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "gic: write to GICC 0x%" HWADDR_PRIx
                      " ignored\n", off);
        break;
    }
}

uint64_t gic_cpu_read(void *opaque, hwaddr off, unsigned size)
{
    GICState *s = opaque;
    GICEmu *e = gic_emu(s);
    unsigned cpu = arm_intc_current_cpu() % s->num_cpu;
    uint64_t v;

    g_rec_mutex_lock(&e->lock);
    v = cpu_read_locked(s, cpu, off);
    if (off == GICC_IAR) {
        gic_update(s);
    }
    g_rec_mutex_unlock(&e->lock);
    return v;
}

void gic_cpu_write(void *opaque, hwaddr off, uint64_t val, unsigned size)
{
    GICState *s = opaque;
    GICEmu *e = gic_emu(s);
    unsigned cpu = arm_intc_current_cpu() % s->num_cpu;

    g_rec_mutex_lock(&e->lock);
    cpu_write_locked(s, cpu, off, val);
    gic_update(s);
    g_rec_mutex_unlock(&e->lock);
}
