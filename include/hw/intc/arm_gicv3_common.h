/*
 * GICv3 state shared by every implementation: our emulation (hw/intc/
 * arm_gicv3*.c) and the in-kernel vGIC (KVM backend).  It is the state
 * model of the "arm_gicv3" migration section, laid out as QEMU lays it out
 * (facts 3.8), so a stream made by either implementation loads into the
 * other.  Nothing here is specific to one implementation: caches the
 * emulation derives are rebuilt by it after a load, not stored here.
 *
 * Spec: Arm GIC Architecture Specification v3/v4 (IHI 0069).
 * Configuration assumed (as QEMU's virt without EL3): one Security state
 * (GICD_CTLR.DS = 1), affinity routing always on, no LPIs/ITS.
 *
 * Bitmaps (group, enabled, pending, ...) hold bit n for INTID n in word
 * n / 32; bits for INTIDs below 32 are unused at the distributor (the
 * redistributor's gicr_* words hold SGIs and PPIs).
 */
#ifndef HW_INTC_ARM_GICV3_COMMON_H
#define HW_INTC_ARM_GICV3_COMMON_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "hw/irq.h"
#include "migration/vmstate.h"

#define GICV3_MAXIRQ    1020
#define GICV3_MAXSPI    (GICV3_MAXIRQ - GIC_INTERNAL_V3)
#define GIC_INTERNAL_V3 32
#define GICV3_BMP_SIZE  ((GICV3_MAXIRQ + 31) / 32)
#define GICV3_MAX_CPUS  8
#define GICV3_LR_MAX    16

/* Group indexes of icc_bpr/icc_apr/icc_igrpen (QEMU's numbering). */
#define GICV3_G0   0
#define GICV3_G1   1     /* Secure Group 1: unused without EL3 */
#define GICV3_G1NS 2
/* Bank indexes of icc_ctlr_el1 and *_statusr. */
#define GICV3_S    0
#define GICV3_NS   1

/* GICD_CTLR bits with DS = 1 (IHI 0069 12.9.4). */
#define GICD_CTLR_EN_GRP0  (1u << 0)
#define GICD_CTLR_EN_GRP1  (1u << 1)
#define GICD_CTLR_ARE      (1u << 4)
#define GICD_CTLR_DS       (1u << 6)

/* GICR_WAKER (12.11.41) */
#define GICR_WAKER_ProcessorSleep (1u << 1)
#define GICR_WAKER_ChildrenAsleep (1u << 2)

/* ICC_CTLR_EL1 (12.2.6) */
#define ICC_CTLR_CBPR     (1u << 0)
#define ICC_CTLR_EOIMODE  (1u << 1)
#define ICC_CTLR_PMHE     (1u << 6)
#define ICC_CTLR_PRIBITS_SHIFT 8
#define ICC_CTLR_A3V      (1u << 15)

/* Priority bits implemented by the emulated CPU interface (as QEMU: 5). */
#define GICV3_PRIBITS 5

typedef struct GICv3CPUState {
    /* Redistributor: SGIs and PPIs (INTIDs 0..31) of this CPU. */
    uint32_t level;              /* input line levels of PPIs */
    uint32_t gicr_ctlr;
    uint32_t gicr_statusr[2];
    uint32_t gicr_waker;
    uint64_t gicr_propbaser;
    uint64_t gicr_pendbaser;
    uint32_t gicr_igroupr0;
    uint32_t gicr_ienabler0;
    uint32_t gicr_ipendr0;       /* latched pending (edge, or set by ISPENDR) */
    uint32_t gicr_iactiver0;
    uint32_t edge_trigger;       /* 1 = edge (ICFGR Int_config[1]) */
    uint32_t gicr_igrpmodr0;
    uint32_t gicr_nsacr;
    uint8_t gicr_ipriorityr[GIC_INTERNAL_V3];
    /* CPU interface (ICC_* system registers). */
    uint64_t icc_ctlr_el1[2];
    uint64_t icc_pmr_el1;
    uint64_t icc_bpr[3];
    uint64_t icc_apr[3][4];
    uint64_t icc_igrpen[3];
    uint64_t icc_ctlr_el3;
    /* Virtualization (ICH_*; EL2 only, not emulated: always reset state). */
    uint64_t ich_apr[3][4];
    uint64_t ich_hcr_el2;
    uint64_t ich_lr_el2[GICV3_LR_MAX];
    uint64_t ich_vmcr_el2;
    uint64_t icc_sre_el1;        /* subsection "sre_el1" when != 7 */
} GICv3CPUState;

typedef struct GICv3State GICv3State;

/*
 * What an implementation does with the common state.  The emulation
 * installs update (recompute and signal after a load); the KVM backend
 * installs pre_save/post_load to move the state to and from the kernel.
 */
typedef struct GICv3BackendOps {
    const char *name;
    /* Apply QEMU's pre-2.12 bitmap fix-up to marker-less streams (KVM). */
    bool fix_shift_bug;
    bool (*pre_save)(GICv3State *s, Error **errp);
    bool (*post_load)(GICv3State *s, Error **errp);
} GICv3BackendOps;

struct GICv3State {
    /* Configuration (must match on both sides of a migration). */
    uint32_t num_cpu;
    uint32_t num_irq;            /* INTIDs 0..num_irq-1 exist; multiple of 32 */
    uint32_t revision;           /* 3 */
    uint64_t cpu_affinity[GICV3_MAX_CPUS];  /* MPIDR Aff3.Aff2.Aff1.Aff0 */

    /* Distributor */
    uint32_t gicd_ctlr;
    uint32_t gicd_statusr[2];
    uint32_t group[GICV3_BMP_SIZE];
    uint32_t grpmod[GICV3_BMP_SIZE];
    uint32_t enabled[GICV3_BMP_SIZE];
    uint32_t pending[GICV3_BMP_SIZE];
    uint32_t active[GICV3_BMP_SIZE];
    uint32_t level[GICV3_BMP_SIZE];
    uint32_t edge_trigger[GICV3_BMP_SIZE];
    uint8_t gicd_ipriority[GICV3_MAXIRQ];
    uint64_t gicd_irouter[GICV3_MAXIRQ];
    uint32_t gicd_nsacr[(GICV3_MAXIRQ + 15) / 16];
    GICv3CPUState cpu[GICV3_MAX_CPUS];

    /* Load-time flag of subsection gicd_no_migration_shift_bug. */
    bool gicd_no_migration_shift_bug;

    const GICv3BackendOps *ops;
    void *backend;               /* implementation-private */
};

extern const VMStateDescription vmstate_gicv3;

/* Bitmap helpers. */
static inline bool gicv3_bmp_test(const uint32_t *bmp, unsigned irq)
{
    return (bmp[irq / 32] >> (irq % 32)) & 1;
}
static inline void gicv3_bmp_set(uint32_t *bmp, unsigned irq, bool v)
{
    if (v) {
        bmp[irq / 32] |= 1u << (irq % 32);
    } else {
        bmp[irq / 32] &= ~(1u << (irq % 32));
    }
}

/*
 * Validate the configuration and put the state in its reset values
 * (IHI 0069 and QEMU's choices: DS=1, ARE on, processors asleep).
 */
bool gicv3_common_init(GICv3State *s, uint32_t num_cpu, uint32_t num_irq,
                       Error **errp);
void gicv3_common_reset(GICv3State *s);
/* Read-only bits of ICC_CTLR_EL1 for this implementation. */
uint64_t gicv3_icc_ctlr_ro_bits(void);

#endif
