/*
 * Emulated GICv3 CPU interface: the ICC_*_EL1 system registers (IHI 0069
 * 12.2), reached from the vCPU's register table by encoding.
 *
 * Without EL3 every access is Non-secure: Group 1 state is the G1NS bank
 * of icc_bpr/icc_apr/icc_igrpen and ICC_CTLR_EL1 is icc_ctlr_el1[NS], the
 * same places the KVM backend fills (so the state means the same thing
 * under both).  Active priorities: one bit per group priority >> 3 in
 * APR<n>0 (5 priority bits, 32 levels; APR1..3 are RAZ/WI).
 */
#include "qemu/osdep.h"
#include "gicv3_internal.h"
#include "qemu/log.h"

static int grp_index(int grp)
{
    return grp ? GICV3_G1NS : GICV3_G0;
}

/* ICC_IAR0/1_EL1: acknowledge the HPPI if it is of this group (4.7.2). */
static uint64_t icc_iar(GICv3State *s, unsigned cpu, int grp)
{
    GICv3CPUState *c = &s->cpu[cpu];
    GICv3Hppi *h = &gicv3_emu(s)->hppi[cpu];
    uint8_t gprio;

    if (h->irq == GICV3_SPURIOUS || h->grp != grp ||
        !(c->icc_igrpen[grp_index(grp)] & 1) ||
        h->prio >= (c->icc_pmr_el1 & 0xff)) {
        return GICV3_SPURIOUS;
    }
    gprio = gicv3_group_prio(s, cpu, h->prio, grp);
    if (gprio >= gicv3_running_prio(s, cpu)) {
        return GICV3_SPURIOUS;
    }
    unsigned irq = h->irq;
    gicv3_set_active(s, cpu, irq, true);
    gicv3_clear_latch(s, cpu, irq);
    c->icc_apr[grp_index(grp)][0] |= 1ull << (gprio >> 3);
    gicv3_update(s);
    return irq;
}

/* Priority drop: clear the highest-priority active bit (4.8.3). */
static void icc_drop_prio(GICv3State *s, unsigned cpu, int grp)
{
    uint64_t *apr = &s->cpu[cpu].icc_apr[grp_index(grp)][0];

    if (*apr & 0xffffffffu) {
        *apr &= *apr - 1;
    }
}

static void icc_deactivate(GICv3State *s, unsigned cpu, uint64_t intid)
{
    if (intid < GICV3_MAXIRQ) {
        gicv3_set_active(s, cpu, intid, false);
    }
}

static void icc_eoir(GICv3State *s, unsigned cpu, int grp, uint64_t val)
{
    uint32_t intid = val & 0xffffff;

    if (intid >= 1020) {
        return;                  /* special INTIDs: nothing to complete */
    }
    icc_drop_prio(s, cpu, grp);
    if (!(s->cpu[cpu].icc_ctlr_el1[GICV3_NS] & ICC_CTLR_EOIMODE)) {
        icc_deactivate(s, cpu, intid);
    }
}

/*
 * ICC_SGI0R/SGI1R/ASGI1R_EL1 (12.2.21): INTID [27:24], TargetList [15:0]
 * with Aff1 [23:16], Aff2 [39:32], Aff3 [55:48], RS [47:44]; IRM [40]
 * sends to every CPU but the writer.
 */
static void icc_sgi(GICv3State *s, unsigned self, uint64_t val)
{
    unsigned intid = (val >> 24) & 0xf;
    bool irm = (val >> 40) & 1;
    uint64_t aff321 = ((val >> 16) & 0xff) << 8 | ((val >> 32) & 0xff) << 16 |
                      ((val >> 48) & 0xffull) << 32;
    unsigned rs = (val >> 44) & 0xf;

    for (unsigned cpu = 0; cpu < s->num_cpu; cpu++) {
        uint64_t a = s->cpu_affinity[cpu];
        unsigned aff0 = a & 0xff;
        if (irm) {
            if (cpu != self) {
                gicv3_pend_sgi(s, cpu, intid);
            }
            continue;
        }
        if ((a & 0xff0000ff00ull) != aff321 || aff0 / 16 != rs ||
            !(val & (1u << (aff0 % 16)))) {
            continue;
        }
        gicv3_pend_sgi(s, cpu, intid);
    }
}

bool gicv3_icc_is_reg(uint32_t enc)
{
    switch (enc) {
    case ICC_PMR_EL1: case ICC_IAR0_EL1: case ICC_EOIR0_EL1:
    case ICC_HPPIR0_EL1: case ICC_BPR0_EL1: case ICC_DIR_EL1:
    case ICC_RPR_EL1: case ICC_SGI1R_EL1: case ICC_ASGI1R_EL1:
    case ICC_SGI0R_EL1: case ICC_IAR1_EL1: case ICC_EOIR1_EL1:
    case ICC_HPPIR1_EL1: case ICC_BPR1_EL1: case ICC_CTLR_EL1:
    case ICC_SRE_EL1: case ICC_IGRPEN0_EL1: case ICC_IGRPEN1_EL1:
        return true;
    default:
        return (enc >= ICC_AP0R0_EL1 && enc <= ICC_AP0R0_EL1 + 3) ||
               (enc >= ICC_AP1R0_EL1 && enc <= ICC_AP1R0_EL1 + 3);
    }
}

static uint64_t icc_read_locked(GICv3State *s, unsigned cpu, uint32_t enc)
{
    GICv3CPUState *c = &s->cpu[cpu];
    GICv3Hppi *h = &gicv3_emu(s)->hppi[cpu];
    unsigned rp;

    if (enc >= ICC_AP0R0_EL1 && enc <= ICC_AP0R0_EL1 + 3) {
        return enc == ICC_AP0R0_EL1 ? c->icc_apr[GICV3_G0][0] : 0;
    }
    if (enc >= ICC_AP1R0_EL1 && enc <= ICC_AP1R0_EL1 + 3) {
        return enc == ICC_AP1R0_EL1 ? c->icc_apr[GICV3_G1NS][0] : 0;
    }
    switch (enc) {
    case ICC_PMR_EL1:
        return c->icc_pmr_el1 & 0xff;
    case ICC_IAR0_EL1:
        return icc_iar(s, cpu, 0);
    case ICC_IAR1_EL1:
        return icc_iar(s, cpu, 1);
    case ICC_HPPIR0_EL1:
        return h->irq != GICV3_SPURIOUS && h->grp == 0 ? h->irq
                                                       : GICV3_SPURIOUS;
    case ICC_HPPIR1_EL1:
        return h->irq != GICV3_SPURIOUS && h->grp == 1 ? h->irq
                                                       : GICV3_SPURIOUS;
    case ICC_BPR0_EL1:
        return c->icc_bpr[GICV3_G0];
    case ICC_BPR1_EL1:
        /* With CBPR set, reads give BPR0 + 1, saturated (12.2.4). */
        if (c->icc_ctlr_el1[GICV3_NS] & ICC_CTLR_CBPR) {
            return MIN(c->icc_bpr[GICV3_G0] + 1, 7);
        }
        return c->icc_bpr[GICV3_G1NS];
    case ICC_RPR_EL1:
        rp = gicv3_running_prio(s, cpu);
        return rp > 0xff ? 0xff : rp;
    case ICC_CTLR_EL1:
        return c->icc_ctlr_el1[GICV3_NS];
    case ICC_SRE_EL1:
        return c->icc_sre_el1;
    case ICC_IGRPEN0_EL1:
        return c->icc_igrpen[GICV3_G0];
    case ICC_IGRPEN1_EL1:
        return c->icc_igrpen[GICV3_G1NS];
    default:
        /* EOIR, DIR, SGI*R are write-only: RAZ, logged. */
        qemu_log_mask(LOG_GUEST_ERROR, "gicv3: read of write-only ICC "
                      "register 0x%x\n", enc);
        return 0;
    }
}

static void icc_write_locked(GICv3State *s, unsigned cpu, uint32_t enc,
                             uint64_t val)
{
    GICv3CPUState *c = &s->cpu[cpu];
    const uint64_t minbpr = 7 - GICV3_PRIBITS;

    if (enc == ICC_AP0R0_EL1) {
        c->icc_apr[GICV3_G0][0] = val & 0xffffffffu;
        return;
    }
    if (enc == ICC_AP1R0_EL1) {
        c->icc_apr[GICV3_G1NS][0] = val & 0xffffffffu;
        return;
    }
    switch (enc) {
    case ICC_PMR_EL1:
        c->icc_pmr_el1 = val & 0xf8;         /* 5 priority bits */
        break;
    case ICC_EOIR0_EL1:
        icc_eoir(s, cpu, 0, val);
        break;
    case ICC_EOIR1_EL1:
        icc_eoir(s, cpu, 1, val);
        break;
    case ICC_DIR_EL1:
        icc_deactivate(s, cpu, val & 0xffffff);
        break;
    case ICC_BPR0_EL1:
        c->icc_bpr[GICV3_G0] = MAX(val & 7, minbpr);
        break;
    case ICC_BPR1_EL1:
        if (!(c->icc_ctlr_el1[GICV3_NS] & ICC_CTLR_CBPR)) {
            c->icc_bpr[GICV3_G1NS] = MAX(val & 7, minbpr + 1);
        }
        break;
    case ICC_CTLR_EL1:
        c->icc_ctlr_el1[GICV3_NS] = (val & (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE |
                                            ICC_CTLR_PMHE)) |
                                    gicv3_icc_ctlr_ro_bits();
        break;
    case ICC_SRE_EL1:
        break;                   /* SRE, DFB, DIB are RAO/WI here */
    case ICC_IGRPEN0_EL1:
        c->icc_igrpen[GICV3_G0] = val & 1;
        break;
    case ICC_IGRPEN1_EL1:
        c->icc_igrpen[GICV3_G1NS] = val & 1;
        break;
    case ICC_SGI0R_EL1:
    case ICC_SGI1R_EL1:
    case ICC_ASGI1R_EL1:
        icc_sgi(s, cpu, val);
        break;
    default:
        /* IAR, HPPIR, RPR, AP*R1..3 are read-only / RAZ-WI. */
        break;
    }
}

bool gicv3_icc_read(GICv3State *s, unsigned cpu, uint32_t enc, uint64_t *val)
{
    GICv3Emu *e = gicv3_emu(s);

    if (!gicv3_icc_is_reg(enc) || cpu >= s->num_cpu) {
        return false;
    }
    g_rec_mutex_lock(&e->lock);
    *val = icc_read_locked(s, cpu, enc);
    g_rec_mutex_unlock(&e->lock);
    return true;
}

bool gicv3_icc_write(GICv3State *s, unsigned cpu, uint32_t enc, uint64_t val)
{
    GICv3Emu *e = gicv3_emu(s);

    if (!gicv3_icc_is_reg(enc) || cpu >= s->num_cpu) {
        return false;
    }
    g_rec_mutex_lock(&e->lock);
    icc_write_locked(s, cpu, enc, val);
    gicv3_update(s);
    g_rec_mutex_unlock(&e->lock);
    return true;
}
