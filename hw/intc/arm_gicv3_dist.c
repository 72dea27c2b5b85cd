/*
 * Emulated GICv3 distributor MMIO (IHI 0069 12.9), affinity routing on,
 * DS = 1.  SGIs and PPIs live in the redistributors: with ARE set their
 * words here are RAZ/WI (12.9.x "when affinity routing is enabled").
 */
#include "qemu/osdep.h"
#include "gicv3_internal.h"
#include "qemu/log.h"

enum {
    GICD_CTLR = 0x0000,
    GICD_TYPER = 0x0004,
    GICD_IIDR = 0x0008,
    GICD_STATUSR = 0x0010,
    GICD_BITS_START = 0x0080,    /* IGROUPR .. ICACTIVER */
    GICD_BITS_END = 0x0400,
    GICD_IPRIORITYR = 0x0400,
    GICD_ITARGETSR = 0x0800,
    GICD_ICFGR = 0x0c00,
    GICD_IGRPMODR = 0x0d00,
    GICD_NSACR = 0x0e00,
    GICD_SGIR = 0x0f00,
    GICD_IROUTER = 0x6000,
    GICD_IDREGS = 0xffd0,
};

#define GICV3_IIDR 0x0300043bu   /* Arm as implementer, revision 3 */

uint32_t gicv3_idreg_read(hwaddr off)
{
    /* PIDR4..7, PIDR0..3, CIDR0..3 (IHI 0069 12.1.5). */
    static const uint8_t ids[12] = {
        0x44, 0, 0, 0, 0x92, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1
    };
    unsigned i = (off - GICD_IDREGS) / 4;
    return i < ARRAY_SIZE(ids) && !(off & 3) ? ids[i] : 0;
}

uint32_t gicv3_bitword_read(const GICv3BitWord *w, unsigned reg)
{
    uint32_t v;

    switch (reg) {
    case 1:
        v = *w->group;
        break;
    case 2: case 3:
        v = *w->enabled;
        break;
    case 4: case 5:
        /* Pending as the guest sees it: latch, or level input high. */
        v = *w->pending | (*w->level & ~*w->edge);
        break;
    default:
        v = *w->active;
        break;
    }
    return v & w->valid;
}

void gicv3_bitword_write(GICv3BitWord *w, unsigned reg, uint32_t val)
{
    val &= w->valid;
    switch (reg) {
    case 1:
        *w->group = (*w->group & ~w->valid) | val;
        break;
    case 2:
        *w->enabled |= val;
        break;
    case 3:
        *w->enabled &= ~val;
        break;
    case 4:
        *w->pending |= val;
        break;
    case 5:
        /* Clears the latch; a level input still high keeps it pending. */
        *w->pending &= ~val;
        break;
    case 6:
        *w->active |= val;
        break;
    default:
        *w->active &= ~val;
        break;
    }
}

static uint32_t spi_valid_mask(GICv3State *s, unsigned word)
{
    if (word == 0 || word * 32 >= s->num_irq) {
        return 0;
    }
    return 0xffffffffu;
}

static GICv3BitWord dist_word(GICv3State *s, unsigned n)
{
    GICv3BitWord w = {
        .group = &s->group[n], .enabled = &s->enabled[n],
        .pending = &s->pending[n], .active = &s->active[n],
        .level = &s->level[n], .edge = &s->edge_trigger[n],
        .valid = spi_valid_mask(s, n),
    };
    return w;
}

static uint64_t dist_read_locked(GICv3State *s, hwaddr off, unsigned size)
{
    if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i++) {
            unsigned irq = off - GICD_IPRIORITYR + i;
            if (irq >= GIC_INTERNAL_V3 && irq < s->num_irq) {
                v |= (uint64_t)s->gicd_ipriority[irq] << (8 * i);
            }
        }
        return v;
    }
    if (off >= GICD_IROUTER + 8 * GIC_INTERNAL_V3 &&
        off < GICD_IROUTER + 8 * GICV3_MAXIRQ) {
        unsigned irq = (off - GICD_IROUTER) / 8;
        uint64_t v = irq < s->num_irq ? s->gicd_irouter[irq] : 0;
        v >>= (off & 4) * 8;
        return size == 8 ? v : (uint32_t)v;
    }
    if (size != 4) {
        qemu_log_mask(LOG_GUEST_ERROR, "gicv3: GICD 0x%" HWADDR_PRIx
                      " read of size %u\n", off, size);
        return 0;
    }
    if (off >= GICD_BITS_START && off < GICD_BITS_END) {
        GICv3BitWord w = dist_word(s, (off & 0x7f) / 4);
        return gicv3_bitword_read(&w, off >> 7);
    }
    if (off >= GICD_ICFGR && off < GICD_IGRPMODR) {
        unsigned first = (off - GICD_ICFGR) * 4;   /* 16 INTIDs per word */
        uint32_t v = 0;
        for (unsigned i = 0; i < 16; i++) {
            unsigned irq = first + i;
            if (irq >= GIC_INTERNAL_V3 && irq < s->num_irq &&
                gicv3_bmp_test(s->edge_trigger, irq)) {
                v |= 2u << (2 * i);
            }
        }
        return v;
    }
    if (off >= GICD_IGRPMODR && off < GICD_IGRPMODR + 0x80) {
        unsigned n = (off - GICD_IGRPMODR) / 4;
        return s->grpmod[n] & spi_valid_mask(s, n);
    }
    if (off >= GICD_NSACR && off < GICD_NSACR + 0x100) {
        return 0;   /* DS = 1: RAZ/WI (12.9.21) */
    }
    if (off >= GICD_IDREGS) {
        return gicv3_idreg_read(off);
    }
    switch (off) {
    case GICD_CTLR:
        return s->gicd_ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
    case GICD_TYPER:
        /* ITLinesNumber, IDbits = 15 (16-bit INTIDs), No1N = 0. */
        return (s->num_irq / 32 - 1) | (15u << 19);
    case GICD_IIDR:
        return GICV3_IIDR;
    default:
        return 0;   /* STATUSR, ITARGETSR, SGIR, reserved: RAZ */
    }
}

static void dist_write_locked(GICv3State *s, hwaddr off, uint64_t val,
                              unsigned size)
{
    if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
        for (unsigned i = 0; i < size; i++) {
            unsigned irq = off - GICD_IPRIORITYR + i;
            if (irq >= GIC_INTERNAL_V3 && irq < s->num_irq) {
                s->gicd_ipriority[irq] = (val >> (8 * i)) & 0xff;
            }
        }
        return;
    }
    if (off >= GICD_IROUTER + 8 * GIC_INTERNAL_V3 &&
        off < GICD_IROUTER + 8 * GICV3_MAXIRQ) {
        unsigned irq = (off - GICD_IROUTER) / 8;
        const uint64_t valid = 0xff80ffffffull;  /* Aff3, IRM, Aff2..0 */
        uint64_t *r;
        if (irq >= s->num_irq) {
            return;
        }
        r = &s->gicd_irouter[irq];
        if (size == 8) {
            *r = val & valid;
        } else if (off & 4) {
            *r = ((*r & 0xffffffffull) | (val << 32)) & valid;
        } else {
            *r = ((*r & ~0xffffffffull) | (uint32_t)val) & valid;
        }
        return;
    }
    if (size != 4) {
        qemu_log_mask(LOG_GUEST_ERROR, "gicv3: GICD 0x%" HWADDR_PRIx
                      " write of size %u\n", off, size);
        return;
    }
    if (off >= GICD_BITS_START && off < GICD_BITS_END) {
        GICv3BitWord w = dist_word(s, (off & 0x7f) / 4);
        gicv3_bitword_write(&w, off >> 7, val);
        return;
    }
    if (off >= GICD_ICFGR && off < GICD_IGRPMODR) {
        unsigned first = (off - GICD_ICFGR) * 4;
        for (unsigned i = 0; i < 16; i++) {
            unsigned irq = first + i;
            if (irq >= GIC_INTERNAL_V3 && irq < s->num_irq) {
                gicv3_bmp_set(s->edge_trigger, irq, (val >> (2 * i + 1)) & 1);
            }
        }
        return;
    }
    if (off >= GICD_IGRPMODR && off < GICD_IGRPMODR + 0x80) {
        unsigned n = (off - GICD_IGRPMODR) / 4;
        /* DS = 1: group modifier is RAZ/WI (12.9.15). */
        s->grpmod[n] = 0;
        return;
    }
    switch (off) {
    case GICD_CTLR:
        s->gicd_ctlr = (val & (GICD_CTLR_EN_GRP0 | GICD_CTLR_EN_GRP1)) |
                       GICD_CTLR_ARE | GICD_CTLR_DS;
        return;
    case GICD_SGIR:
        qemu_log_mask(LOG_GUEST_ERROR, "gicv3: GICD_SGIR written with "
                      "affinity routing on (ignored)\n");
        return;
    default:
        return;     /* read-only or reserved: WI */
    }
}

uint64_t gicv3_dist_read(void *opaque, hwaddr off, unsigned size)
{
    GICv3State *s = opaque;
    GICv3Emu *e = gicv3_emu(s);
    uint64_t v;

    g_rec_mutex_lock(&e->lock);
    v = dist_read_locked(s, off, size);
    g_rec_mutex_unlock(&e->lock);
    return v;
}

void gicv3_dist_write(void *opaque, hwaddr off, uint64_t val, unsigned size)
{
    GICv3State *s = opaque;
    GICv3Emu *e = gicv3_emu(s);

    g_rec_mutex_lock(&e->lock);
    dist_write_locked(s, off, val, size);
    gicv3_update(s);
    g_rec_mutex_unlock(&e->lock);
}
