/*
 * Private to the emulated GICv3 (hw/intc/arm_gicv3*.c): derived state and
 * helpers shared by the distributor, redistributor and CPU interface.
 */
#ifndef HW_INTC_GICV3_INTERNAL_H
#define HW_INTC_GICV3_INTERNAL_H

#include "hw/intc/arm_gicv3.h"

/* Highest-priority pending interrupt of one CPU (recomputed, never saved). */
typedef struct GICv3Hppi {
    unsigned irq;                /* GICV3_SPURIOUS when none */
    uint8_t prio;
    int grp;                     /* 0 or 1 */
} GICv3Hppi;

typedef struct GICv3Emu {
    GICv3State *s;
    GRecMutex lock;              /* MMIO, sysregs and lines may race */
    MemoryRegion *dist_mr;
    MemoryRegion *redist_mr;
    qemu_irq spi_in[GICV3_MAXIRQ - GIC_INTERNAL_V3];
    qemu_irq ppi_in[GICV3_MAX_CPUS][GIC_INTERNAL_V3];
    GICv3Hppi hppi[GICV3_MAX_CPUS];
} GICv3Emu;

static inline GICv3Emu *gicv3_emu(GICv3State *s)
{
    return s->backend;
}

/* Interrupt attributes, whichever block holds them. */
uint8_t gicv3_irq_prio(GICv3State *s, unsigned cpu, unsigned irq);
int gicv3_irq_group(GICv3State *s, unsigned cpu, unsigned irq);
void gicv3_set_active(GICv3State *s, unsigned cpu, unsigned irq, bool v);
void gicv3_clear_latch(GICv3State *s, unsigned cpu, unsigned irq);
/* Recompute HPPIs and drive the CPU lines (call after any state change). */
void gicv3_update(GICv3State *s);
/* Does SPI irq target cpu (GICD_IROUTER)? */
bool gicv3_spi_targets(GICv3State *s, unsigned irq, unsigned cpu);
/* Set SGI intid pending on cpu (ICC_SGI*R). */
void gicv3_pend_sgi(GICv3State *s, unsigned cpu, unsigned intid);
/* Running priority of cpu: 0x100 when nothing is active. */
unsigned gicv3_running_prio(GICv3State *s, unsigned cpu);
/* Group priority of prio for group grp under cpu's binary points. */
uint8_t gicv3_group_prio(GICv3State *s, unsigned cpu, uint8_t prio, int grp);

/*
 * One 32-INTID word of the one-bit-per-interrupt registers (IGROUPR,
 * I[SC]ENABLER, I[SC]PENDR, I[SC]ACTIVER), wherever it is stored: the
 * distributor's bitmaps or a redistributor's gicr_* words.
 */
typedef struct GICv3BitWord {
    uint32_t *group, *enabled, *pending, *active, *level, *edge;
    uint32_t valid;              /* bits for INTIDs that exist */
} GICv3BitWord;

/* reg = offset >> 7 within 0x080..0x3ff (1 IGROUPR ... 7 ICACTIVER). */
uint32_t gicv3_bitword_read(const GICv3BitWord *w, unsigned reg);
void gicv3_bitword_write(GICv3BitWord *w, unsigned reg, uint32_t val);
/* Identification registers 0xffd0..0xfffc (PIDR2.ArchRev = 3). */
uint32_t gicv3_idreg_read(hwaddr off);

#endif
