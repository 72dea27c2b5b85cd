/*
 * Private to the emulated GICv2 (hw/intc/arm_gic*.c).
 */
#ifndef HW_INTC_GIC_INTERNAL_H
#define HW_INTC_GIC_INTERNAL_H

#include "hw/intc/arm_gic.h"

typedef struct GICEmu {
    GICState *s;
    GRecMutex lock;
    MemoryRegion *mr[4];         /* dist, cpu, hyp, vcpu */
    qemu_irq spi_in[GIC_MAXIRQ - GIC_INTERNAL];
    qemu_irq ppi_in[GIC_NCPU][GIC_INTERNAL];
} GICEmu;

static inline GICEmu *gic_emu(GICState *s)
{
    return s->backend;
}

/* GICC_CTLR bits without Security Extensions (IHI 0048B 4.4.1). */
#define GICC_CTLR_EN_GRP0 (1u << 0)
#define GICC_CTLR_EN_GRP1 (1u << 1)
#define GICC_CTLR_ACKCTL  (1u << 2)
#define GICC_CTLR_FIQEN   (1u << 3)
#define GICC_CTLR_CBPR    (1u << 4)
#define GICC_CTLR_EOIMODE (1u << 9)

static inline bool gic_irq_is_grp1(GICState *s, unsigned irq, unsigned cpu)
{
    return (s->irq_state[irq].group >> cpu) & 1;
}

/* Recompute every CPU's pending interrupt and drive all lines. */
void gic_update(GICState *s);
/* Group priority under CPU interface ci's binary points (ci may be 8+). */
uint8_t gic_group_prio(GICState *s, unsigned ci, uint8_t prio, bool grp1);
/* Physical deactivation of irq for cpu (also used by HW list registers). */
void gic_deactivate(GICState *s, unsigned cpu, unsigned irq);
/* Virtual CPU interface: best LR of cpu, or -1; and its signalling. */
int gic_virt_best_lr(GICState *s, unsigned cpu);
void gic_virt_update(GICState *s, unsigned cpu);

#endif
