/*
 * GICv2 state shared by every implementation: our emulation (hw/intc/
 * arm_gic*.c) and the in-kernel vGIC (KVM backend).  It is the state model
 * of the "arm_gic" migration section, laid out as QEMU lays it out (facts
 * 3.8), so streams of either implementation load into the other.
 *
 * Spec: Arm IHI 0048B (GIC Architecture Specification v1/v2).
 *
 * Encoding of the per-interrupt state (the meaning the KVM backend must
 * give it too):
 *   irq_state[n].enabled/pending/active/level are bit masks of CPUs.
 *   SGIs and PPIs (n < 32) use the bit of the CPU they are banked for.
 *   SPIs: enabled and level use all bits (0xff); pending holds the target
 *   CPUs it was made pending for; active the CPU that acknowledged it.
 *   sgi_pending[sgi][cpu] is the mask of source CPUs of a pending SGI.
 *   priority1[n][cpu] for n < 32, priority2[n - 32] for SPIs.
 *   CPU-interface arrays have GIC_NCPU_VCPU entries: 0..7 are the CPU
 *   interfaces (GICC), 8..15 the virtual CPU interfaces (GICV) of the
 *   virtualization extensions, whose state is stored only there: the
 *   hypervisor's GICH_VMCR is a view of it, not a copy.
 *   running_priority 0x100 means idle; current_pending 1023 means none.
 */
#ifndef HW_INTC_ARM_GIC_COMMON_H
#define HW_INTC_ARM_GIC_COMMON_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/irq.h"
#include "migration/vmstate.h"

#define GIC_MAXIRQ     1020
#define GIC_INTERNAL   32
#define GIC_NR_SGIS    16
#define GIC_NCPU       8
#define GIC_NCPU_VCPU  (GIC_NCPU * 2)
#define GIC_NR_APRS    4
#define GIC_MAX_LR     64
#define GIC_NUM_LR     4          /* list registers we implement */
#define GIC_ALL_CPUS   0xff
#define GIC_SPURIOUS   1023
#define GIC_IDLE_PRIO  0x100
#define GIC_MAINT_INTID 25        /* virtual maintenance interrupt (PPI 9) */

/* Reset binary points (QEMU's values; IHI 0048B 4.4.3, 5.3.x). */
#define GIC_MIN_BPR       0
#define GIC_MIN_ABPR      1
#define GIC_VIRT_MIN_BPR  2
#define GIC_VIRT_MIN_ABPR 3

/* GICH_LR fields (IHI 0048B 5.3.11). */
#define GICH_LR_VIRTID(lr)   ((lr) & 0x3ff)
#define GICH_LR_PHYSID(lr)   (((lr) >> 10) & 0x3ff)
#define GICH_LR_CPUID(lr)    (((lr) >> 10) & 7)
#define GICH_LR_EOI          (1u << 19)
#define GICH_LR_PRIO(lr)     ((((lr) >> 23) & 0x1f) << 3)
#define GICH_LR_STATE(lr)    (((lr) >> 28) & 3)
#define GICH_LR_PENDING      (1u << 28)
#define GICH_LR_ACTIVE       (1u << 29)
#define GICH_LR_GRP1         (1u << 30)
#define GICH_LR_HW           (1u << 31)

/* GICH_HCR (5.3.1) and GICH_MISR (5.3.4) bits. */
#define GICH_HCR_EN       (1u << 0)
#define GICH_HCR_UIE      (1u << 1)
#define GICH_HCR_LRENPIE  (1u << 2)
#define GICH_HCR_NPIE     (1u << 3)
#define GICH_HCR_VGRP0EIE (1u << 4)
#define GICH_HCR_VGRP0DIE (1u << 5)
#define GICH_HCR_VGRP1EIE (1u << 6)
#define GICH_HCR_VGRP1DIE (1u << 7)
#define GICH_HCR_EOICOUNT_SHIFT 27

typedef struct GICIrqState {
    uint8_t enabled;
    uint8_t pending;
    uint8_t active;
    uint8_t level;
    bool model;                  /* 1-N model (11MPCore only): unused */
    bool edge_trigger;
    uint8_t group;               /* mask of CPUs seeing it as Group 1 */
} GICIrqState;

typedef struct GICState GICState;

/* What an implementation does with the common state (see GICv3's). */
typedef struct GICBackendOps {
    const char *name;
    bool (*pre_save)(GICState *s, Error **errp);
    bool (*post_load)(GICState *s, Error **errp);
} GICBackendOps;

struct GICState {
    /* Configuration (must match on both sides of a migration). */
    uint32_t num_cpu;
    uint32_t num_irq;
    uint32_t revision;           /* 2 */
    bool virt_extn;              /* has-virtualization-extensions */

    /* Distributor and CPU interfaces (section "arm_gic"). */
    uint32_t ctlr;
    uint32_t cpu_ctlr[GIC_NCPU_VCPU];
    GICIrqState irq_state[GIC_MAXIRQ];
    uint8_t irq_target[GIC_MAXIRQ];
    uint8_t priority1[GIC_INTERNAL][GIC_NCPU];
    uint8_t priority2[GIC_MAXIRQ - GIC_INTERNAL];
    uint8_t sgi_pending[GIC_NR_SGIS][GIC_NCPU];
    uint16_t priority_mask[GIC_NCPU_VCPU];
    uint16_t running_priority[GIC_NCPU_VCPU];
    uint16_t current_pending[GIC_NCPU_VCPU];
    uint8_t bpr[GIC_NCPU_VCPU];
    uint8_t abpr[GIC_NCPU_VCPU];
    uint32_t apr[GIC_NR_APRS][GIC_NCPU];
    uint32_t nsapr[GIC_NR_APRS][GIC_NCPU];

    /* Hypervisor interface (subsection "arm_gic_virt_state"). */
    uint32_t h_hcr[GIC_NCPU];
    uint32_t h_misr[GIC_NCPU];
    uint32_t h_lr[GIC_MAX_LR][GIC_NCPU];
    uint32_t h_apr[GIC_NCPU];

    /*
     * Derived from the list registers, never migrated: rebuilt by
     * gic_virt_recompute() after every change and in post_load.
     */
    uint64_t h_eisr[GIC_NCPU];   /* LRs whose EOI needs maintenance */
    uint64_t h_elrsr[GIC_NCPU];  /* empty LRs */

    const GICBackendOps *ops;
    void *backend;
};

extern const VMStateDescription vmstate_gic;

bool gic_common_init(GICState *s, uint32_t num_cpu, uint32_t num_irq,
                     bool virt_extn, Error **errp);
void gic_common_reset(GICState *s);
/* Reset only the virtualization-extension state (GICH and GICV). */
void gic_common_reset_virt(GICState *s);

/* Priority of irq as seen by cpu. */
static inline uint8_t gic_irq_prio(const GICState *s, unsigned cpu,
                                   unsigned irq)
{
    return irq < GIC_INTERNAL ? s->priority1[irq][cpu]
                              : s->priority2[irq - GIC_INTERNAL];
}

/*
 * Recompute EISR, ELRSR and MISR of cpu's hypervisor interface from its
 * list registers, GICH_HCR and the virtual CPU interface (5.3.4-5.3.8).
 */
void gic_virt_recompute(GICState *s, unsigned cpu);
/* GICH_VMCR composed from the virtual CPU interface state (5.3.5). */
uint32_t gic_vmcr_read(const GICState *s, unsigned cpu);
void gic_vmcr_write(GICState *s, unsigned cpu, uint32_t v);

#endif
