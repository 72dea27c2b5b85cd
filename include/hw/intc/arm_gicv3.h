/*
 * The emulated GICv3 (used under tcg and qtest): distributor and
 * redistributor MMIO, the ICC_* CPU-interface system registers, input
 * lines for SPIs and PPIs, and IRQ/FIQ outputs to the vCPUs.
 *
 * Interface:
 *   MMIO   distributor 64 KiB at dist_base (virt: 0x08000000);
 *          redistributors 2 x 64 KiB per CPU from redist_base (0x080a0000)
 *   lines  gicv3_get_spi(s, n) -> INTID 32 + n; gicv3_get_ppi(s, cpu, intid)
 *   sysregs gicv3_icc_read/gicv3_icc_write, keyed by the MRS/MSR encoding
 *   state  section "arm_gicv3" (hw/intc/arm_gicv3_common.c)
 * Spec: Arm IHI 0069 (GICv3/v4).  Implemented: one Security state (DS=1),
 * affinity routing, Group 0 -> FIQ, Group 1 -> IRQ, 5 priority bits,
 * 1-of-N SPI routing delivered to the lowest-numbered CPU.  Not
 * implemented: LPIs, ITS, EL2 list registers, NMIs.
 */
#ifndef HW_INTC_ARM_GICV3_H
#define HW_INTC_ARM_GICV3_H

#include "hw/intc/arm_gicv3_common.h"
#include "system/memory.h"
#include "target/arm/sysreg-enc.h"

typedef struct ARMCPU ARMCPU;

/* ICC_* encodings (op0=3; IHI 0069 12.2, Arm ARM C5.3). */
#define ICC_PMR_EL1     ARM_SYSREG_ENC(3, 0, 4, 6, 0)
#define ICC_IAR0_EL1    ARM_SYSREG_ENC(3, 0, 12, 8, 0)
#define ICC_EOIR0_EL1   ARM_SYSREG_ENC(3, 0, 12, 8, 1)
#define ICC_HPPIR0_EL1  ARM_SYSREG_ENC(3, 0, 12, 8, 2)
#define ICC_BPR0_EL1    ARM_SYSREG_ENC(3, 0, 12, 8, 3)
#define ICC_AP0R0_EL1   ARM_SYSREG_ENC(3, 0, 12, 8, 4)   /* ..AP0R3: +1..3 */
#define ICC_AP1R0_EL1   ARM_SYSREG_ENC(3, 0, 12, 9, 0)   /* ..AP1R3: +1..3 */
#define ICC_DIR_EL1     ARM_SYSREG_ENC(3, 0, 12, 11, 1)
#define ICC_RPR_EL1     ARM_SYSREG_ENC(3, 0, 12, 11, 3)
#define ICC_SGI1R_EL1   ARM_SYSREG_ENC(3, 0, 12, 11, 5)
#define ICC_ASGI1R_EL1  ARM_SYSREG_ENC(3, 0, 12, 11, 6)
#define ICC_SGI0R_EL1   ARM_SYSREG_ENC(3, 0, 12, 11, 7)
#define ICC_IAR1_EL1    ARM_SYSREG_ENC(3, 0, 12, 12, 0)
#define ICC_EOIR1_EL1   ARM_SYSREG_ENC(3, 0, 12, 12, 1)
#define ICC_HPPIR1_EL1  ARM_SYSREG_ENC(3, 0, 12, 12, 2)
#define ICC_BPR1_EL1    ARM_SYSREG_ENC(3, 0, 12, 12, 3)
#define ICC_CTLR_EL1    ARM_SYSREG_ENC(3, 0, 12, 12, 4)
#define ICC_SRE_EL1     ARM_SYSREG_ENC(3, 0, 12, 12, 5)
#define ICC_IGRPEN0_EL1 ARM_SYSREG_ENC(3, 0, 12, 12, 6)
#define ICC_IGRPEN1_EL1 ARM_SYSREG_ENC(3, 0, 12, 12, 7)

#define GICV3_REDIST_STRIDE 0x20000   /* RD_base + SGI_base frames */
#define GICV3_SPURIOUS      1023

/*
 * Create the emulated GICv3 for num_cpu CPUs (affinities from arm_cpus[]
 * when they exist) and num_irq INTIDs, map its MMIO and register the
 * "arm_gicv3" section.  It becomes the machine's GICv3 for the
 * gicv3_icc_sysreg_* entry points.
 */
GICv3State *gicv3_create(uint32_t num_cpu, uint32_t num_irq, hwaddr dist_base,
                         hwaddr redist_base, Error **errp);
/* Unregister and free (the MMIO regions must be unmapped by the caller). */
void gicv3_destroy(GICv3State *s);
void gicv3_reset(GICv3State *s);

qemu_irq gicv3_get_spi(GICv3State *s, unsigned spi);
qemu_irq gicv3_get_ppi(GICv3State *s, unsigned cpu, unsigned intid);

/*
 * ICC_* register access by vCPU cpu; enc as in target/arm/cpregs.h.
 * read: false for an encoding that is not an ICC register we implement
 * (the caller raises UNDEF).  Side effects (IAR acknowledges) happen here.
 */
bool gicv3_icc_read(GICv3State *s, unsigned cpu, uint32_t enc, uint64_t *val);
bool gicv3_icc_write(GICv3State *s, unsigned cpu, uint32_t enc, uint64_t val);
/* The same on the machine's GICv3 for cpu->cpu_index (register table). */
bool gicv3_icc_sysreg_read(ARMCPU *cpu, uint32_t enc, uint64_t *val);
bool gicv3_icc_sysreg_write(ARMCPU *cpu, uint32_t enc, uint64_t val);
/*
 * Does the machine have a GICv3 (so the ICC_* registers exist and
 * ID_AA64PFR0_EL1.GIC should read 1)?  Without one, ICC_* accesses UNDEF.
 */
bool gicv3_machine_has_gicv3(void);
/* Is enc an ICC_* register of this CPU interface? */
bool gicv3_icc_is_reg(uint32_t enc);

/* MMIO (exported for unit tests; offsets relative to each block's base). */
uint64_t gicv3_dist_read(void *opaque, hwaddr off, unsigned size);
void gicv3_dist_write(void *opaque, hwaddr off, uint64_t val, unsigned size);
uint64_t gicv3_redist_read(void *opaque, hwaddr off, unsigned size);
void gicv3_redist_write(void *opaque, hwaddr off, uint64_t val, unsigned size);

#endif
