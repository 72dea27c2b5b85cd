/*
 * Emulated GICv3 redistributors (IHI 0069 12.10, 12.11): per CPU an RD_base
 * frame (control, identification, power) and an SGI_base frame 64 KiB
 * above it (SGI/PPI configuration), CPUs one after the other.
 */
#include "qemu/osdep.h"
#include "gicv3_internal.h"
#include "qemu/log.h"

enum {
    GICR_CTLR = 0x0000,
    GICR_IIDR = 0x0004,
    GICR_TYPER = 0x0008,
    GICR_STATUSR = 0x0010,
    GICR_WAKER = 0x0014,
    GICR_PROPBASER = 0x0070,
    GICR_PENDBASER = 0x0078,
    GICR_IDREGS = 0xffd0,
    GICR_SGI_BASE = 0x10000,
    /* In the SGI_base frame: */
    GICR_BITS_START = 0x0080,
    GICR_BITS_END = 0x0400,
    GICR_IPRIORITYR = 0x0400,
    GICR_ICFGR0 = 0x0c00,
    GICR_ICFGR1 = 0x0c04,
    GICR_IGRPMODR0 = 0x0d00,
    GICR_NSACR = 0x0e00,
};

static uint64_t gicr_typer(GICv3State *s, unsigned cpu)
{
    uint64_t aff = s->cpu_affinity[cpu];
    uint64_t affval = ((aff >> 8) & 0xff000000ull) | (aff & 0xffffff);
    uint64_t v = (affval << 32) | ((uint64_t)cpu << 8);

    if (cpu == s->num_cpu - 1) {
        v |= 1u << 4;            /* Last */
    }
    return v;
}

static uint64_t rd_read(GICv3State *s, unsigned cpu, hwaddr off,
                        unsigned size)
{
    GICv3CPUState *c = &s->cpu[cpu];
    uint64_t v;

    switch (off & ~7ull) {
    case GICR_TYPER:
        v = gicr_typer(s, cpu);
        goto split64;
    case GICR_PROPBASER:
        v = c->gicr_propbaser;
        goto split64;
    case GICR_PENDBASER:
        v = c->gicr_pendbaser;
        goto split64;
    default:
        break;
    }
    if (size != 4) {
        return 0;
    }
    if (off >= GICR_IDREGS) {
        return gicv3_idreg_read(off);
    }
    switch (off) {
    case GICR_CTLR:
        return c->gicr_ctlr;
    case GICR_IIDR:
        return 0x0300043bu;
    case GICR_WAKER:
        return c->gicr_waker;
    default:
        return 0;
    }
split64:
    if (size == 8) {
        return v;
    }
    return (uint32_t)(v >> ((off & 4) * 8));
}

static void rd_write(GICv3State *s, unsigned cpu, hwaddr off, uint64_t val,
                     unsigned size)
{
    GICv3CPUState *c = &s->cpu[cpu];
    uint64_t *r = NULL;

    switch (off & ~7ull) {
    case GICR_PROPBASER:
        r = &c->gicr_propbaser;
        break;
    case GICR_PENDBASER:
        r = &c->gicr_pendbaser;
        break;
    }
    if (r) {
        /* Stored for the guest to read back; there are no LPIs. */
        if (size == 8) {
            *r = val;
        } else if (off & 4) {
            *r = (*r & 0xffffffffull) | (val << 32);
        } else {
            *r = (*r & ~0xffffffffull) | (uint32_t)val;
        }
        return;
    }
    if (size != 4) {
        return;
    }
    if (off == GICR_WAKER) {
        /* ChildrenAsleep follows ProcessorSleep at once (12.11.41). */
        c->gicr_waker = (val & GICR_WAKER_ProcessorSleep) ?
            GICR_WAKER_ProcessorSleep | GICR_WAKER_ChildrenAsleep : 0;
    }
    /* GICR_CTLR.EnableLPIs is RES0 without LPIs; the rest is RO/WI. */
}

static GICv3BitWord redist_word(GICv3CPUState *c)
{
    GICv3BitWord w = {
        .group = &c->gicr_igroupr0, .enabled = &c->gicr_ienabler0,
        .pending = &c->gicr_ipendr0, .active = &c->gicr_iactiver0,
        .level = &c->level, .edge = &c->edge_trigger,
        .valid = 0xffffffffu,
    };
    return w;
}

static uint64_t sgi_read(GICv3State *s, unsigned cpu, hwaddr off,
                         unsigned size)
{
    GICv3CPUState *c = &s->cpu[cpu];

    if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + GIC_INTERNAL_V3) {
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i++) {
            unsigned irq = off - GICR_IPRIORITYR + i;
            if (irq < GIC_INTERNAL_V3) {
                v |= (uint64_t)c->gicr_ipriorityr[irq] << (8 * i);
            }
        }
        return v;
    }
    if (size != 4) {
        return 0;
    }
    if (off >= GICR_BITS_START && off < GICR_BITS_END && !(off & 0x7f)) {
        GICv3BitWord w = redist_word(c);
        return gicv3_bitword_read(&w, off >> 7);
    }
    switch (off) {
    case GICR_ICFGR0:
        return 0xaaaaaaaau;      /* SGIs: edge, RAO/WI */
    case GICR_ICFGR1: {
        uint32_t v = 0;
        for (unsigned i = 0; i < 16; i++) {
            if (c->edge_trigger & (1u << (16 + i))) {
                v |= 2u << (2 * i);
            }
        }
        return v;
    }
    default:
        return 0;                /* IGRPMODR0, NSACR: RAZ/WI with DS = 1 */
    }
}

static void sgi_write(GICv3State *s, unsigned cpu, hwaddr off, uint64_t val,
                      unsigned size)
{
    GICv3CPUState *c = &s->cpu[cpu];

    if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + GIC_INTERNAL_V3) {
        for (unsigned i = 0; i < size; i++) {
            unsigned irq = off - GICR_IPRIORITYR + i;
            if (irq < GIC_INTERNAL_V3) {
                c->gicr_ipriorityr[irq] = (val >> (8 * i)) & 0xff;
            }
        }
        return;
    }
    if (size != 4) {
        return;
    }
    if (off >= GICR_BITS_START && off < GICR_BITS_END && !(off & 0x7f)) {
        GICv3BitWord w = redist_word(c);
        gicv3_bitword_write(&w, off >> 7, val);
        return;
    }
    if (off == GICR_ICFGR1) {
        uint32_t edge = 0xffff;
        for (unsigned i = 0; i < 16; i++) {
            if (val & (2u << (2 * i))) {
                edge |= 1u << (16 + i);
            }
        }
        c->edge_trigger = edge;
    }
}

uint64_t gicv3_redist_read(void *opaque, hwaddr off, unsigned size)
{
    GICv3State *s = opaque;
    GICv3Emu *e = gicv3_emu(s);
    unsigned cpu = off / GICV3_REDIST_STRIDE;
    hwaddr o = off % GICV3_REDIST_STRIDE;
    uint64_t v;

    if (cpu >= s->num_cpu) {
        return 0;
    }
    g_rec_mutex_lock(&e->lock);
    v = o >= GICR_SGI_BASE ? sgi_read(s, cpu, o - GICR_SGI_BASE, size)
                           : rd_read(s, cpu, o, size);
    g_rec_mutex_unlock(&e->lock);
    return v;
}

void gicv3_redist_write(void *opaque, hwaddr off, uint64_t val, unsigned size)
{
    GICv3State *s = opaque;
    GICv3Emu *e = gicv3_emu(s);
    unsigned cpu = off / GICV3_REDIST_STRIDE;
    hwaddr o = off % GICV3_REDIST_STRIDE;

    if (cpu >= s->num_cpu) {
        return;
    }
    g_rec_mutex_lock(&e->lock);
    if (o >= GICR_SGI_BASE) {
        sgi_write(s, cpu, o - GICR_SGI_BASE, val, size);
    } else {
        rd_write(s, cpu, o, val, size);
    }
    gicv3_update(s);
    g_rec_mutex_unlock(&e->lock);
}
