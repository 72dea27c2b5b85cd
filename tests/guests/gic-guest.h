/*
 * GIC helpers for the interrupt guests (timer-guest, sgi-pingpong,
 * gicv2-hyp): detect GICv2 or GICv3 on the virt board, set up the
 * distributor and this CPU's interface, acknowledge/end interrupts, send
 * SGIs.  MMU off: every access is Device memory, so plain volatile
 * accesses are ordered.  Spec: Arm IHI 0048B (v2), IHI 0069 (v3).
 */
#ifndef GIC_GUEST_H
#define GIC_GUEST_H

#include "guest.h"

#define GICD      0x08000000UL
#define GICC      0x08010000UL
#define GICH      0x08030000UL
#define GICV      0x08040000UL
#define GICR      0x080a0000UL
#define GICR_STRIDE 0x20000UL

#define REG32(a) (*(volatile uint32_t *)(a))
#define REG8(a)  (*(volatile uint8_t *)(a))

/* ICC_* by encoding, so any assembler accepts them. */
#define ICC_PMR_EL1     S3_0_C4_C6_0
#define ICC_IAR1_EL1    S3_0_C12_C12_0
#define ICC_EOIR1_EL1   S3_0_C12_C12_1
#define ICC_SRE_EL1     S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_SGI1R_EL1   S3_0_C12_C11_5
#define RD_SYS(r) READ_SYSREG(r)
#define WR_SYS(r, v) WRITE_SYSREG(r, v)

static int gic_v3;

static inline uint64_t mpidr(void)
{
    return READ_SYSREG(mpidr_el1) & 0xff00ffffffULL;
}

/* GICv3's distributor has PIDR2 at 0xffe8 (ArchRev 3); GICv2's does not. */
static inline void gic_detect(void)
{
    gic_v3 = ((REG32(GICD + 0xffe8) >> 4) & 0xf) == 3;
}

/* Distributor: groups on (v3: affinity routing), once, by CPU 0. */
static inline void gic_dist_init(void)
{
    gic_detect();
    REG32(GICD + 0x000) = gic_v3 ? 0x12 : 1;
}

/* The redistributor of the CPU whose affinity is aff (v3). */
static inline uintptr_t gicr_of(uint64_t aff)
{
    for (uintptr_t rd = GICR;; rd += GICR_STRIDE) {
        uint64_t typer = *(volatile uint64_t *)(rd + 8);
        uint64_t mine = ((aff >> 8) & 0xff000000UL) | (aff & 0xffffff);
        if ((typer >> 32) == mine || (typer & (1u << 4))) {
            return rd;
        }
    }
}

/* This CPU's interface, with SGI/PPI intid enabled at priority prio. */
static inline void gic_cpu_init(void)
{
    if (gic_v3) {
        uintptr_t rd = gicr_of(mpidr());
        REG32(rd + 0x14) &= ~2u;                 /* wake up */
        while (REG32(rd + 0x14) & 4u) {
        }
        REG32(rd + 0x10080) = 0xffffffffu;       /* all Group 1 */
        WR_SYS(ICC_SRE_EL1, 7);
        ISB();
        WR_SYS(ICC_PMR_EL1, 0xff);
        WR_SYS(ICC_IGRPEN1_EL1, 1);
        ISB();
    } else {
        REG32(GICC + 0x04) = 0xff;
        REG32(GICC + 0x00) = 1;
    }
}

static inline void gic_enable_ppi(unsigned intid, uint8_t prio)
{
    if (gic_v3) {
        uintptr_t sgi = gicr_of(mpidr()) + 0x10000;
        REG8(sgi + 0x400 + intid) = prio;
        REG32(sgi + 0x100) = 1u << intid;
    } else {
        REG8(GICD + 0x400 + intid) = prio;
        REG32(GICD + 0x100) = 1u << intid;
    }
}

/* Acknowledge: the INTID (v2: source CPU in bits [12:10] kept in *raw). */
static inline unsigned gic_ack(uint32_t *raw)
{
    uint32_t v = gic_v3 ? (uint32_t)RD_SYS(ICC_IAR1_EL1) : REG32(GICC + 0x0c);
    *raw = v;
    return v & 0x3ff;
}

static inline void gic_eoi(uint32_t raw)
{
    if (gic_v3) {
        WR_SYS(ICC_EOIR1_EL1, raw);
        ISB();
    } else {
        REG32(GICC + 0x10) = raw;
    }
}

/* SGI intid to the CPU with affinity aff (v3) / interface number n (v2). */
static inline void gic_send_sgi(unsigned intid, uint64_t aff, unsigned n)
{
    if (gic_v3) {
        uint64_t v = ((uint64_t)intid << 24) | (1u << (aff & 0xf)) |
                     (((aff >> 8) & 0xff) << 16) |
                     (((aff >> 16) & 0xff) << 32) |
                     (((aff >> 32) & 0xff) << 48) |
                     (((aff & 0xff) >> 4) << 44);
        __asm__ volatile("dsb sy" ::: "memory");
        WR_SYS(ICC_SGI1R_EL1, v);
        ISB();
    } else {
        REG32(GICD + 0xf00) = (1u << (16 + n)) | intid;
    }
}

static inline void irq_enable(void)
{
    __asm__ volatile("msr daifclr, #2" ::: "memory");
}

static inline void wfi(void)
{
    __asm__ volatile("wfi" ::: "memory");
}

#endif
