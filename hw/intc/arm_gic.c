/*
 * Emulated GICv2: distributor, pending-interrupt selection, input lines
 * and creation.  CPU interface in arm_gic_cpuif.c, hypervisor and virtual
 * CPU interfaces in arm_gic_virt.c.  Interface: include/hw/intc/arm_gic.h.
 *
 * Pending (IHI 0048B 3.2.4): an edge input latches pending for the target
 * CPUs on a rising edge; a level input is pending while high, and also
 * while latched by GICD_ISPENDR.
 */
#include "qemu/osdep.h"
#include "gic_internal.h"
#include "hw/intc/arm_intc_cpu.h"
#include "qemu/log.h"
#include "target/arm/cpu.h"

enum {
    GICD_CTLR = 0x000,
    GICD_TYPER = 0x004,
    GICD_IIDR = 0x008,
    GICD_IGROUPR = 0x080,
    GICD_ISENABLER = 0x100,
    GICD_ICENABLER = 0x180,
    GICD_ISPENDR = 0x200,
    GICD_ICPENDR = 0x280,
    GICD_ISACTIVER = 0x300,
    GICD_ICACTIVER = 0x380,
    GICD_IPRIORITYR = 0x400,
    GICD_ITARGETSR = 0x800,
    GICD_ICFGR = 0xc00,
    GICD_SGIR = 0xf00,
    GICD_CPENDSGIR = 0xf10,
    GICD_SPENDSGIR = 0xf20,
    GICD_IDREGS = 0xfd0,
};

static bool irq_pending_for(GICState *s, unsigned irq, uint8_t cm)
{
    GICIrqState *q = &s->irq_state[irq];
    return (q->pending & cm) || (!q->edge_trigger && (q->level & cm));
}

uint8_t gic_group_prio(GICState *s, unsigned ci, uint8_t prio, bool grp1)
{
    unsigned bpr;

    /* Group 1 uses ABPR - 1 unless CBPR shares BPR (4.4.3). */
    if (grp1 && !(s->cpu_ctlr[ci] & GICC_CTLR_CBPR)) {
        bpr = s->abpr[ci] ? s->abpr[ci] - 1 : 0;
    } else {
        bpr = s->bpr[ci];
    }
    return prio & (0xffu << ((bpr & 7) + 1));
}

/* Highest-priority pending interrupt of cpu, for current_pending. */
static void gic_update_cpu(GICState *s, unsigned cpu)
{
    uint8_t cm = 1u << cpu;
    unsigned best = GIC_SPURIOUS;
    unsigned best_prio = 0x100;
    bool irq = false, fiq = false;

    for (unsigned n = 0; n < s->num_irq; n++) {
        GICIrqState *q = &s->irq_state[n];
        bool grp1 = gic_irq_is_grp1(s, n, cpu);
        if (!(q->enabled & cm) || !irq_pending_for(s, n, cm) ||
            !(s->ctlr & (grp1 ? 2 : 1))) {
            continue;
        }
        if (n < GIC_INTERNAL ? (q->active & cm) : q->active) {
            continue;
        }
        if (n >= GIC_INTERNAL && !(s->irq_target[n] & cm)) {
            continue;
        }
        if (gic_irq_prio(s, cpu, n) < best_prio) {
            best_prio = gic_irq_prio(s, cpu, n);
            best = n;
        }
    }
    s->current_pending[cpu] = GIC_SPURIOUS;
    if (best != GIC_SPURIOUS && best_prio < s->priority_mask[cpu]) {
        bool grp1 = gic_irq_is_grp1(s, best, cpu);
        s->current_pending[cpu] = best;
        if ((s->cpu_ctlr[cpu] & (grp1 ? GICC_CTLR_EN_GRP1 :
                                        GICC_CTLR_EN_GRP0)) &&
            gic_group_prio(s, cpu, best_prio, grp1) <
                s->running_priority[cpu]) {
            /* Group 0 is FIQ only when FIQEn asks for it (3.3.1). */
            if (!grp1 && (s->cpu_ctlr[cpu] & GICC_CTLR_FIQEN)) {
                fiq = true;
            } else {
                irq = true;
            }
        }
    }
    arm_intc_set_cpu_lines(cpu, CPU_INTERRUPT_HARD, irq);
    arm_intc_set_cpu_lines(cpu, CPU_INTERRUPT_FIQ, fiq);
}

void gic_update(GICState *s)
{
    for (unsigned cpu = 0; cpu < s->num_cpu; cpu++) {
        if (s->virt_extn) {
            /* Maintenance interrupt: a level PPI of this CPU (5.3.4). */
            uint8_t cm = 1u << cpu;
            gic_virt_recompute(s, cpu);
            bool maint = (s->h_hcr[cpu] & GICH_HCR_EN) && s->h_misr[cpu];
            GICIrqState *q = &s->irq_state[GIC_MAINT_INTID];
            q->level = maint ? q->level | cm : q->level & ~cm;
            gic_virt_update(s, cpu);
        }
        gic_update_cpu(s, cpu);
    }
}

void gic_deactivate(GICState *s, unsigned cpu, unsigned irq)
{
    if (irq >= s->num_irq) {
        return;
    }
    if (irq < GIC_INTERNAL) {
        s->irq_state[irq].active &= ~(1u << cpu);
    } else {
        s->irq_state[irq].active = 0;
    }
}

/* ---- distributor MMIO ---- */

static uint8_t banked_mask(GICState *s, unsigned irq, unsigned cpu)
{
    return irq < GIC_INTERNAL ? 1u << cpu : GIC_ALL_CPUS;
}

static uint32_t dist_bits_read(GICState *s, unsigned reg, unsigned first,
                               unsigned cpu)
{
    uint32_t v = 0;

    for (unsigned i = 0; i < 32 && first + i < s->num_irq; i++) {
        unsigned irq = first + i;
        GICIrqState *q = &s->irq_state[irq];
        uint8_t cm = irq < GIC_INTERNAL ? 1u << cpu : GIC_ALL_CPUS;
        bool bit;
        switch (reg) {
        case 1:
            bit = gic_irq_is_grp1(s, irq, cpu);
            break;
        case 2: case 3:
            bit = q->enabled & cm;
            break;
        case 4: case 5:
            bit = irq_pending_for(s, irq, cm);
            break;
        default:
            bit = q->active & cm;
            break;
        }
        v |= (uint32_t)bit << i;
    }
    return v;
}

static void dist_bits_write(GICState *s, unsigned reg, unsigned first,
                            unsigned cpu, uint32_t val)
{
    for (unsigned i = 0; i < 32 && first + i < s->num_irq; i++) {
        unsigned irq = first + i;
        GICIrqState *q = &s->irq_state[irq];
        uint8_t cm = banked_mask(s, irq, cpu);
        bool bit = (val >> i) & 1;

        if (reg == 1) {
            q->group = bit ? q->group | cm : q->group & ~cm;
            continue;
        }
        if (!bit) {
            continue;
        }
        switch (reg) {
        case 2:
            q->enabled |= cm;
            break;
        case 3:
            /* SGI enables are RAO/WI here (4.3.5: implementation choice). */
            if (irq >= GIC_NR_SGIS) {
                q->enabled &= ~cm;
            }
            break;
        case 4:
            if (irq >= GIC_NR_SGIS) {   /* SGIs: use GICD_SPENDSGIR */
                q->pending |= irq < GIC_INTERNAL ? cm : s->irq_target[irq];
            }
            break;
        case 5:
            if (irq >= GIC_NR_SGIS) {
                q->pending &= ~cm;
            }
            break;
        case 6:
            q->active |= irq < GIC_INTERNAL ? cm : 1u << cpu;
            break;
        default:
            q->active &= ~cm;
            break;
        }
    }
}

/* GICD_SGIR (4.3.15): TargetListFilter [25:24], CPUTargetList [23:16]. */
static void dist_sgir(GICState *s, unsigned cpu, uint32_t val)
{
    unsigned sgi = val & 0xf;
    uint8_t targets;
    uint8_t all = (1u << s->num_cpu) - 1;

    switch ((val >> 24) & 3) {
    case 0:
        targets = (val >> 16) & all;
        break;
    case 1:
        targets = all & ~(1u << cpu);
        break;
    case 2:
        targets = 1u << cpu;
        break;
    default:
        qemu_log_mask(LOG_GUEST_ERROR, "gic: GICD_SGIR reserved filter\n");
        return;
    }
    for (unsigned t = 0; t < s->num_cpu; t++) {
        if (targets & (1u << t)) {
            s->sgi_pending[sgi][t] |= 1u << cpu;
            s->irq_state[sgi].pending |= 1u << t;
        }
    }
}

static uint32_t dist_read32(GICState *s, hwaddr off, unsigned cpu)
{
    static const uint8_t ids[12] = {
        0x04, 0, 0, 0, 0x90, 0xb4, 0x2b, 0, 0x0d, 0xf0, 0x05, 0xb1
    };

    if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR) {
        return dist_bits_read(s, off >> 7, (off & 0x7f) * 8, cpu);
    }
    if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
        unsigned first = (off - GICD_ICFGR) * 4;
        uint32_t v = 0;
        for (unsigned i = 0; i < 16 && first + i < s->num_irq; i++) {
            if (s->irq_state[first + i].edge_trigger) {
                v |= 2u << (2 * i);
            }
        }
        return v;
    }
    if (off >= GICD_IDREGS) {
        unsigned i = (off - GICD_IDREGS) / 4;
        return i < ARRAY_SIZE(ids) ? ids[i] : 0;
    }
    switch (off) {
    case GICD_CTLR:
        return s->ctlr;
    case GICD_TYPER:
        return (s->num_irq / 32 - 1) | ((s->num_cpu - 1) << 5);
    case GICD_IIDR:
        return 0x0200043b;
    default:
        return 0;
    }
}

static uint8_t dist_read8(GICState *s, hwaddr off, unsigned cpu)
{
    if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + GIC_MAXIRQ) {
        unsigned irq = off - GICD_IPRIORITYR;
        return irq < s->num_irq ? gic_irq_prio(s, cpu, irq) : 0;
    }
    if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + GIC_MAXIRQ) {
        unsigned irq = off - GICD_ITARGETSR;
        if (irq < GIC_INTERNAL) {
            return 1u << cpu;        /* banked: reads as this CPU (4.3.12) */
        }
        return irq < s->num_irq ? s->irq_target[irq] : 0;
    }
    if (off >= GICD_CPENDSGIR && off < GICD_CPENDSGIR + 0x20) {
        return s->sgi_pending[(off - GICD_CPENDSGIR) & 0xf][cpu];
    }
    return (dist_read32(s, off & ~3ull, cpu) >> ((off & 3) * 8)) & 0xff;
}

static void dist_write8(GICState *s, hwaddr off, uint8_t val, unsigned cpu)
{
    if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + GIC_MAXIRQ) {
        unsigned irq = off - GICD_IPRIORITYR;
        if (irq < GIC_INTERNAL) {
            s->priority1[irq][cpu] = val;
        } else if (irq < s->num_irq) {
            s->priority2[irq - GIC_INTERNAL] = val;
        }
        return;
    }
    if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + GIC_MAXIRQ) {
        unsigned irq = off - GICD_ITARGETSR;
        if (irq >= GIC_INTERNAL && irq < s->num_irq) {
            s->irq_target[irq] = val & ((1u << s->num_cpu) - 1);
        }
        return;
    }
    if (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10) {
        unsigned sgi = (off - GICD_CPENDSGIR) & 0xf;
        uint8_t *src = &s->sgi_pending[sgi][cpu];
        *src = off < GICD_SPENDSGIR ? *src & ~val : *src | val;
        if (*src) {
            s->irq_state[sgi].pending |= 1u << cpu;
        } else {
            s->irq_state[sgi].pending &= ~(1u << cpu);
        }
    }
}

static void dist_write32(GICState *s, hwaddr off, uint32_t val, unsigned cpu)
{
    if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR) {
        dist_bits_write(s, off >> 7, (off & 0x7f) * 8, cpu, val);
        return;
    }
    if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100) {
        unsigned first = (off - GICD_ICFGR) * 4;
        for (unsigned i = 0; i < 16 && first + i < s->num_irq; i++) {
            if (first + i >= GIC_NR_SGIS) {
                s->irq_state[first + i].edge_trigger = (val >> (2 * i + 1)) & 1;
            }
        }
        return;
    }
    switch (off) {
    case GICD_CTLR:
        s->ctlr = val & 3;
        break;
    case GICD_SGIR:
        dist_sgir(s, cpu, val);
        break;
    default:
        for (unsigned i = 0; i < 4; i++) {
            dist_write8(s, off + i, val >> (8 * i), cpu);
        }
        break;
    }
}

uint64_t gic_dist_read(void *opaque, hwaddr off, unsigned size)
{
    GICState *s = opaque;
    GICEmu *e = gic_emu(s);
    unsigned cpu = arm_intc_current_cpu() % s->num_cpu;
    uint64_t v = 0;

    g_rec_mutex_lock(&e->lock);
    if (size == 4 && !(off & 3) && (off < GICD_IPRIORITYR ||
                                    off >= GICD_ICFGR)) {
        v = off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10 ?
            (uint32_t)dist_read8(s, off, cpu) |
            (uint32_t)dist_read8(s, off + 1, cpu) << 8 |
            (uint32_t)dist_read8(s, off + 2, cpu) << 16 |
            (uint32_t)dist_read8(s, off + 3, cpu) << 24 :
            dist_read32(s, off, cpu);
    } else {
        for (unsigned i = 0; i < size; i++) {
            v |= (uint64_t)dist_read8(s, off + i, cpu) << (8 * i);
        }
    }
    g_rec_mutex_unlock(&e->lock);
    return v;
}

void gic_dist_write(void *opaque, hwaddr off, uint64_t val, unsigned size)
{
    GICState *s = opaque;
    GICEmu *e = gic_emu(s);
    unsigned cpu = arm_intc_current_cpu() % s->num_cpu;

    g_rec_mutex_lock(&e->lock);
    if (size == 4 && !(off & 3) && (off < GICD_IPRIORITYR ||
                                    off >= GICD_ICFGR)) {
        dist_write32(s, off, val, cpu);
    } else if (off < GICD_IPRIORITYR || (off >= GICD_ICFGR &&
                                         off < GICD_CPENDSGIR)) {
        qemu_log_mask(LOG_GUEST_ERROR, "gic: GICD 0x%" HWADDR_PRIx
                      " needs a 32-bit access\n", off);
    } else {
        for (unsigned i = 0; i < size; i++) {
            dist_write8(s, off + i, val >> (8 * i), cpu);
        }
    }
    gic_update(s);
    g_rec_mutex_unlock(&e->lock);
}

/* ---- input lines ---- */

static void gic_set_irq(GICState *s, unsigned irq, uint8_t cm, uint8_t target,
                        bool level)
{
    GICIrqState *q = &s->irq_state[irq];
    bool was = q->level & cm;

    q->level = level ? q->level | cm : q->level & ~cm;
    if (level && !was && q->edge_trigger) {
        q->pending |= target;
    }
}

static void gic_spi_handler(void *opaque, int irq, int level)
{
    GICState *s = opaque;
    GICEmu *e = gic_emu(s);

    if ((unsigned)irq >= s->num_irq) {
        return;
    }
    g_rec_mutex_lock(&e->lock);
    gic_set_irq(s, irq, GIC_ALL_CPUS, s->irq_target[irq], level);
    gic_update(s);
    g_rec_mutex_unlock(&e->lock);
}

static void gic_ppi_handler(void *opaque, int n, int level)
{
    GICState *s = opaque;
    GICEmu *e = gic_emu(s);
    unsigned cpu = n / GIC_INTERNAL;
    uint8_t cm = 1u << cpu;

    g_rec_mutex_lock(&e->lock);
    gic_set_irq(s, n % GIC_INTERNAL, cm, cm, level);
    gic_update(s);
    g_rec_mutex_unlock(&e->lock);
}

qemu_irq gic_get_spi(GICState *s, unsigned spi)
{
    return spi < s->num_irq - GIC_INTERNAL ? gic_emu(s)->spi_in[spi] : NULL;
}

qemu_irq gic_get_ppi(GICState *s, unsigned cpu, unsigned intid)
{
    if (cpu >= s->num_cpu || intid < GIC_NR_SGIS || intid >= GIC_INTERNAL) {
        return NULL;
    }
    return gic_emu(s)->ppi_in[cpu][intid];
}

/* ---- creation ---- */

static bool gic_emu_post_load(GICState *s, Error **errp)
{
    GICEmu *e = gic_emu(s);

    g_rec_mutex_lock(&e->lock);
    gic_update(s);
    g_rec_mutex_unlock(&e->lock);
    return true;
}

static const GICBackendOps gic_emu_ops = {
    .name = "arm_gic",
    .post_load = gic_emu_post_load,
};

static const MemoryRegionOps gic_block_ops[4] = {
    { .read = gic_dist_read, .write = gic_dist_write,
      .min_access_size = 1, .max_access_size = 4 },
    { .read = gic_cpu_read, .write = gic_cpu_write,
      .min_access_size = 4, .max_access_size = 4 },
    { .read = gic_hyp_read, .write = gic_hyp_write,
      .min_access_size = 4, .max_access_size = 4 },
    { .read = gic_vcpu_read, .write = gic_vcpu_write,
      .min_access_size = 4, .max_access_size = 4 },
};

void gic_reset(GICState *s)
{
    GICEmu *e = gic_emu(s);

    g_rec_mutex_lock(&e->lock);
    gic_common_reset(s);
    gic_update(s);
    g_rec_mutex_unlock(&e->lock);
}

GICState *gic_create(uint32_t num_cpu, uint32_t num_irq, bool virt_extn,
                     const GICMap *map, Error **errp)
{
    static const char *const names[4] = {
        "gic_dist", "gic_cpu", "gic_hyp", "gic_vcpu"
    };
    GICState *s = g_new0(GICState, 1);
    GICEmu *e = g_new0(GICEmu, 1);
    hwaddr base[4] = { map->dist, map->cpu, map->hyp, map->vcpu };

    if (!gic_common_init(s, num_cpu, num_irq, virt_extn, errp)) {
        g_free(s);
        g_free(e);
        return NULL;
    }
    s->ops = &gic_emu_ops;
    s->backend = e;
    e->s = s;
    g_rec_mutex_init(&e->lock);
    for (unsigned i = 0; i < s->num_irq - GIC_INTERNAL; i++) {
        e->spi_in[i] = qemu_allocate_irq(gic_spi_handler, s, GIC_INTERNAL + i);
    }
    for (unsigned c = 0; c < num_cpu; c++) {
        for (unsigned i = 0; i < GIC_INTERNAL; i++) {
            e->ppi_in[c][i] = qemu_allocate_irq(gic_ppi_handler, s,
                                                c * GIC_INTERNAL + i);
        }
    }
    for (unsigned b = 0; b < (virt_extn ? 4u : 2u); b++) {
        e->mr[b] = memory_region_new_io(names[b], 0x10000, &gic_block_ops[b],
                                        s);
        if (!address_space_map_region(&address_space_memory, e->mr[b],
                                      base[b], errp)) {
            gic_destroy(s);
            return NULL;
        }
    }
    if (vmstate_register(NULL, 0, &vmstate_gic, s) < 0) {
        error_setg(errp, "arm_gic: section already registered");
        gic_destroy(s);
        return NULL;
    }
    return s;
}

void gic_destroy(GICState *s)
{
    GICEmu *e;

    if (!s) {
        return;
    }
    e = gic_emu(s);
    vmstate_unregister(&vmstate_gic, s);
    for (unsigned i = 0; i < ARRAY_SIZE(e->spi_in); i++) {
        g_free(e->spi_in[i]);
    }
    for (unsigned c = 0; c < GIC_NCPU; c++) {
        for (unsigned i = 0; i < GIC_INTERNAL; i++) {
            g_free(e->ppi_in[c][i]);
        }
    }
    for (unsigned b = 0; b < ARRAY_SIZE(e->mr); b++) {
        address_space_unmap_region(&address_space_memory, e->mr[b]);
        memory_region_free(e->mr[b]);
    }
    g_rec_mutex_clear(&e->lock);
    g_free(e);
    g_free(s);
}
