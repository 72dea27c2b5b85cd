/*
 * Emulated GICv3 core: interrupt attributes, the highest-priority pending
 * interrupt of each CPU, signalling IRQ/FIQ, input lines, creation.
 * See include/hw/intc/arm_gicv3.h for the interface.
 *
 * Pending (IHI 0069 4.1): an edge-triggered interrupt latches pending on
 * a rising input; a level-triggered one is pending while its input is high
 * OR while the latch (set by GICD_ISPENDR) is set.  The latch is the
 * migrated "pending" bit; the input level is the migrated "level" bit.
 */
#include "qemu/osdep.h"
#include "gicv3_internal.h"
#include "hw/intc/arm_intc_cpu.h"
#include "migration/vmstate.h"
#include "target/arm/cpu.h"

static GICv3State *machine_gicv3;

uint8_t gicv3_irq_prio(GICv3State *s, unsigned cpu, unsigned irq)
{
    return irq < GIC_INTERNAL_V3 ? s->cpu[cpu].gicr_ipriorityr[irq]
                                 : s->gicd_ipriority[irq];
}

int gicv3_irq_group(GICv3State *s, unsigned cpu, unsigned irq)
{
    if (irq < GIC_INTERNAL_V3) {
        return (s->cpu[cpu].gicr_igroupr0 >> irq) & 1;
    }
    return gicv3_bmp_test(s->group, irq);
}

void gicv3_set_active(GICv3State *s, unsigned cpu, unsigned irq, bool v)
{
    if (irq < GIC_INTERNAL_V3) {
        uint32_t bit = 1u << irq;
        s->cpu[cpu].gicr_iactiver0 = v ? s->cpu[cpu].gicr_iactiver0 | bit
                                       : s->cpu[cpu].gicr_iactiver0 & ~bit;
    } else if (irq < s->num_irq) {
        gicv3_bmp_set(s->active, irq, v);
    }
}

void gicv3_clear_latch(GICv3State *s, unsigned cpu, unsigned irq)
{
    if (irq < GIC_INTERNAL_V3) {
        s->cpu[cpu].gicr_ipendr0 &= ~(1u << irq);
    } else if (irq < s->num_irq) {
        gicv3_bmp_set(s->pending, irq, false);
    }
}

bool gicv3_spi_targets(GICv3State *s, unsigned irq, unsigned cpu)
{
    uint64_t r = s->gicd_irouter[irq];

    if (r & (1ull << 31)) {
        /* 1-of-N (Interrupt_Routing_Mode): we pick the first CPU. */
        return cpu == 0;
    }
    uint64_t aff = ((r >> 8) & 0xff000000ull) | (r & 0xffffff);
    uint64_t mine = s->cpu_affinity[cpu];
    mine = ((mine >> 8) & 0xff000000ull) | (mine & 0xffffff);
    return aff == mine;
}

unsigned gicv3_running_prio(GICv3State *s, unsigned cpu)
{
    GICv3CPUState *c = &s->cpu[cpu];
    uint64_t act = (c->icc_apr[GICV3_G0][0] | c->icc_apr[GICV3_G1NS][0]) &
                   0xffffffffu;

    /* One APR bit per group priority value >> 3 (5 priority bits). */
    return act ? (unsigned)__builtin_ctzll(act) << 3 : 0x100;
}

uint8_t gicv3_group_prio(GICv3State *s, unsigned cpu, uint8_t prio, int grp)
{
    GICv3CPUState *c = &s->cpu[cpu];
    unsigned bpr;
    unsigned mask;

    /*
     * BPR0 n: group priority is bits [7:n+1]; BPR1 n: bits [7:n]
     * (IHI 0069 4.8 Table 4-8).  With ICC_CTLR_EL1.CBPR, BPR0 rules both.
     */
    if (grp == 0 || (c->icc_ctlr_el1[GICV3_NS] & ICC_CTLR_CBPR)) {
        bpr = c->icc_bpr[GICV3_G0] + 1;
    } else {
        bpr = c->icc_bpr[GICV3_G1NS];
    }
    mask = (0xffu << (bpr > 7 ? 8 : bpr)) & 0xf8u;
    return prio & mask;
}

static bool spi_pending(GICv3State *s, unsigned w, uint32_t *bits)
{
    *bits = (s->pending[w] | (s->level[w] & ~s->edge_trigger[w])) &
            s->enabled[w] & ~s->active[w];
    return *bits != 0;
}

static void gicv3_consider(GICv3State *s, GICv3Hppi *h, unsigned irq,
                           uint8_t prio, int grp)
{
    uint32_t en = grp ? GICD_CTLR_EN_GRP1 : GICD_CTLR_EN_GRP0;

    if (!(s->gicd_ctlr & en)) {
        return;
    }
    if (h->irq == GICV3_SPURIOUS || prio < h->prio) {
        h->irq = irq;
        h->prio = prio;
        h->grp = grp;
    }
}

static void gicv3_compute_hppi(GICv3State *s, unsigned cpu, GICv3Hppi *h)
{
    GICv3CPUState *c = &s->cpu[cpu];
    uint32_t bits;

    h->irq = GICV3_SPURIOUS;
    h->prio = 0xff;
    h->grp = 0;
    bits = (c->gicr_ipendr0 | (c->level & ~c->edge_trigger)) &
           c->gicr_ienabler0 & ~c->gicr_iactiver0;
    while (bits) {
        unsigned irq = __builtin_ctz(bits);
        bits &= bits - 1;
        gicv3_consider(s, h, irq, c->gicr_ipriorityr[irq],
                       (c->gicr_igroupr0 >> irq) & 1);
    }
    for (unsigned w = 1; w < s->num_irq / 32; w++) {
        if (!spi_pending(s, w, &bits)) {
            continue;
        }
        while (bits) {
            unsigned irq = w * 32 + __builtin_ctz(bits);
            bits &= bits - 1;
            if (gicv3_spi_targets(s, irq, cpu)) {
                gicv3_consider(s, h, irq, s->gicd_ipriority[irq],
                               gicv3_bmp_test(s->group, irq));
            }
        }
    }
}

void gicv3_update(GICv3State *s)
{
    GICv3Emu *e = gicv3_emu(s);

    for (unsigned cpu = 0; cpu < s->num_cpu; cpu++) {
        GICv3CPUState *c = &s->cpu[cpu];
        GICv3Hppi *h = &e->hppi[cpu];
        bool irq = false, fiq = false;

        gicv3_compute_hppi(s, cpu, h);
        /*
         * Signalled when enabled for its group at the CPU interface,
         * above the priority mask and above the running priority
         * (IHI 0069 4.7.1, 4.8).
         */
        if (h->irq != GICV3_SPURIOUS &&
            (c->icc_igrpen[h->grp ? GICV3_G1NS : GICV3_G0] & 1) &&
            h->prio < (c->icc_pmr_el1 & 0xff) &&
            gicv3_group_prio(s, cpu, h->prio, h->grp) <
                gicv3_running_prio(s, cpu)) {
            if (h->grp) {
                irq = true;
            } else {
                fiq = true;
            }
        }
        arm_intc_set_cpu_lines(cpu, CPU_INTERRUPT_HARD, irq);
        arm_intc_set_cpu_lines(cpu, CPU_INTERRUPT_FIQ, fiq);
    }
}

void gicv3_pend_sgi(GICv3State *s, unsigned cpu, unsigned intid)
{
    if (cpu < s->num_cpu && intid < 16) {
        s->cpu[cpu].gicr_ipendr0 |= 1u << intid;
    }
}

/* ---- input lines ---- */

static void gicv3_spi_handler(void *opaque, int irq, int level)
{
    GICv3State *s = opaque;
    GICv3Emu *e = gicv3_emu(s);
    bool old;

    if (irq < GIC_INTERNAL_V3 || (unsigned)irq >= s->num_irq) {
        return;
    }
    g_rec_mutex_lock(&e->lock);
    old = gicv3_bmp_test(s->level, irq);
    gicv3_bmp_set(s->level, irq, level);
    if (level && !old && gicv3_bmp_test(s->edge_trigger, irq)) {
        gicv3_bmp_set(s->pending, irq, true);
    }
    gicv3_update(s);
    g_rec_mutex_unlock(&e->lock);
}

static void gicv3_ppi_handler(void *opaque, int n, int level)
{
    GICv3State *s = opaque;
    GICv3Emu *e = gicv3_emu(s);
    unsigned cpu = n / GIC_INTERNAL_V3, irq = n % GIC_INTERNAL_V3;
    GICv3CPUState *c = &s->cpu[cpu];
    uint32_t bit = 1u << irq;

    g_rec_mutex_lock(&e->lock);
    if (level && !(c->level & bit) && (c->edge_trigger & bit)) {
        c->gicr_ipendr0 |= bit;
    }
    c->level = level ? c->level | bit : c->level & ~bit;
    gicv3_update(s);
    g_rec_mutex_unlock(&e->lock);
}

qemu_irq gicv3_get_spi(GICv3State *s, unsigned spi)
{
    if (spi >= s->num_irq - GIC_INTERNAL_V3) {
        return NULL;
    }
    return gicv3_emu(s)->spi_in[spi];
}

qemu_irq gicv3_get_ppi(GICv3State *s, unsigned cpu, unsigned intid)
{
    if (cpu >= s->num_cpu || intid < 16 || intid >= GIC_INTERNAL_V3) {
        return NULL;
    }
    return gicv3_emu(s)->ppi_in[cpu][intid];
}

/* ---- creation, reset, migration glue ---- */

static bool gicv3_emu_post_load(GICv3State *s, Error **errp)
{
    GICv3Emu *e = gicv3_emu(s);

    g_rec_mutex_lock(&e->lock);
    gicv3_update(s);
    g_rec_mutex_unlock(&e->lock);
    return true;
}

static const GICv3BackendOps gicv3_emu_ops = {
    .name = "arm-gicv3",
    .post_load = gicv3_emu_post_load,
};

static const MemoryRegionOps gicv3_dist_ops = {
    .read = gicv3_dist_read,
    .write = gicv3_dist_write,
    .min_access_size = 1,
    .max_access_size = 8,
};

static const MemoryRegionOps gicv3_redist_ops = {
    .read = gicv3_redist_read,
    .write = gicv3_redist_write,
    .min_access_size = 1,
    .max_access_size = 8,
};

void gicv3_reset(GICv3State *s)
{
    GICv3Emu *e = gicv3_emu(s);

    g_rec_mutex_lock(&e->lock);
    gicv3_common_reset(s);
    gicv3_update(s);
    g_rec_mutex_unlock(&e->lock);
}

GICv3State *gicv3_create(uint32_t num_cpu, uint32_t num_irq, hwaddr dist_base,
                         hwaddr redist_base, Error **errp)
{
    GICv3State *s = g_new0(GICv3State, 1);
    GICv3Emu *e = g_new0(GICv3Emu, 1);

    for (unsigned i = 0; i < num_cpu && i < GICV3_MAX_CPUS; i++) {
        if (i < arm_cpu_count && arm_cpus[i]) {
            s->cpu_affinity[i] = arm_cpus[i]->mp_affinity;
        }
    }
    if (!gicv3_common_init(s, num_cpu, num_irq, errp)) {
        g_free(s);
        g_free(e);
        return NULL;
    }
    s->backend = e;
    s->ops = &gicv3_emu_ops;
    e->s = s;
    g_rec_mutex_init(&e->lock);
    for (unsigned i = 0; i < s->num_irq - GIC_INTERNAL_V3; i++) {
        e->spi_in[i] = qemu_allocate_irq(gicv3_spi_handler, s,
                                         GIC_INTERNAL_V3 + i);
    }
    for (unsigned c = 0; c < num_cpu; c++) {
        for (unsigned i = 0; i < GIC_INTERNAL_V3; i++) {
            e->ppi_in[c][i] = qemu_allocate_irq(gicv3_ppi_handler, s,
                                                c * GIC_INTERNAL_V3 + i);
        }
        e->hppi[c].irq = GICV3_SPURIOUS;
    }
    e->dist_mr = memory_region_new_io("gicv3_dist", 0x10000, &gicv3_dist_ops,
                                      s);
    e->redist_mr = memory_region_new_io("gicv3_redist",
                                        (uint64_t)num_cpu * GICV3_REDIST_STRIDE,
                                        &gicv3_redist_ops, s);
    if (!address_space_map_region(&address_space_memory, e->dist_mr,
                                  dist_base, errp) ||
        !address_space_map_region(&address_space_memory, e->redist_mr,
                                  redist_base, errp)) {
        gicv3_destroy(s);
        return NULL;
    }
    if (vmstate_register(NULL, 0, &vmstate_gicv3, s) < 0) {
        error_setg(errp, "arm_gicv3: section already registered");
        gicv3_destroy(s);
        return NULL;
    }
    machine_gicv3 = s;
    return s;
}

void gicv3_destroy(GICv3State *s)
{
    GICv3Emu *e;

    if (!s) {
        return;
    }
    e = gicv3_emu(s);
    vmstate_unregister(&vmstate_gicv3, s);
    if (machine_gicv3 == s) {
        machine_gicv3 = NULL;
    }
    for (unsigned i = 0; i < ARRAY_SIZE(e->spi_in); i++) {
        g_free(e->spi_in[i]);
    }
    for (unsigned c = 0; c < GICV3_MAX_CPUS; c++) {
        for (unsigned i = 0; i < GIC_INTERNAL_V3; i++) {
            g_free(e->ppi_in[c][i]);
        }
    }
    address_space_unmap_region(&address_space_memory, e->dist_mr);
    address_space_unmap_region(&address_space_memory, e->redist_mr);
    memory_region_free(e->dist_mr);
    memory_region_free(e->redist_mr);
    g_rec_mutex_clear(&e->lock);
    g_free(e);
    g_free(s);
}

bool gicv3_machine_has_gicv3(void)
{
    return machine_gicv3 != NULL;
}

bool gicv3_icc_sysreg_read(ARMCPU *cpu, uint32_t enc, uint64_t *val)
{
    return machine_gicv3 &&
           gicv3_icc_read(machine_gicv3, cpu->cpu_index, enc, val);
}

bool gicv3_icc_sysreg_write(ARMCPU *cpu, uint32_t enc, uint64_t val)
{
    return machine_gicv3 &&
           gicv3_icc_write(machine_gicv3, cpu->cpu_index, enc, val);
}
