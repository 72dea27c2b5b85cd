/*
 * GICv2 common state: reset values, the derived hypervisor-interface
 * registers, and the "arm_gic" migration section (facts 3.8; BRIEF idea 3).
 *
 * Section "arm_gic" v12: distributor and the eight CPU interfaces.
 * Subsection "arm_gic_virt_state", sent only with the virtualization
 * extensions: the hypervisor interface (GICH_HCR, MISR, LRs, APR) and the
 * virtual CPU interfaces (entries 8..15 of the CPU-interface arrays).
 *   - A stream without it loads into a device with the extensions: the
 *     parent's pre_load has put that state to its reset values.
 *   - A stream with it into a device without the property is refused by
 *     the subsection's pre_load, in one line.
 *   - GICV is not a second copy: GICV_* and GICH_VMCR read the same fields.
 *   - EISR, ELRSR (and MISR, which the layout still carries) are derived
 *     from the LRs and recomputed in post_load.
 */
#include "qemu/osdep.h"
#include "hw/intc/arm_gic_common.h"

bool gic_common_init(GICState *s, uint32_t num_cpu, uint32_t num_irq,
                     bool virt_extn, Error **errp)
{
    if (num_cpu < 1 || num_cpu > GIC_NCPU) {
        error_setg(errp, "arm_gic: %u CPUs, supported 1..%d", num_cpu,
                   GIC_NCPU);
        return false;
    }
    if (num_irq < 64 || num_irq > GIC_MAXIRQ + 4 || num_irq % 32) {
        error_setg(errp, "arm_gic: num-irq %u must be a multiple of 32 "
                   "between 64 and 1024", num_irq);
        return false;
    }
    s->num_cpu = num_cpu;
    s->num_irq = num_irq > GIC_MAXIRQ ? GIC_MAXIRQ : num_irq;
    s->revision = 2;
    s->virt_extn = virt_extn;
    gic_common_reset(s);
    return true;
}

void gic_common_reset_virt(GICState *s)
{
    for (unsigned c = 0; c < GIC_NCPU; c++) {
        unsigned v = c + GIC_NCPU;
        s->cpu_ctlr[v] = 0;
        s->priority_mask[v] = 0;
        s->running_priority[v] = GIC_IDLE_PRIO;
        s->current_pending[v] = GIC_SPURIOUS;
        s->bpr[v] = GIC_VIRT_MIN_BPR;
        s->abpr[v] = GIC_VIRT_MIN_ABPR;
        s->h_hcr[c] = 0;
        s->h_misr[c] = 0;
        s->h_apr[c] = 0;
        for (unsigned lr = 0; lr < GIC_MAX_LR; lr++) {
            s->h_lr[lr][c] = 0;
        }
        gic_virt_recompute(s, c);
    }
}

void gic_common_reset(GICState *s)
{
    s->ctlr = 0;
    memset(s->irq_state, 0, sizeof(s->irq_state));
    memset(s->irq_target, 0, sizeof(s->irq_target));
    memset(s->priority1, 0, sizeof(s->priority1));
    memset(s->priority2, 0, sizeof(s->priority2));
    memset(s->sgi_pending, 0, sizeof(s->sgi_pending));
    memset(s->apr, 0, sizeof(s->apr));
    memset(s->nsapr, 0, sizeof(s->nsapr));
    for (unsigned c = 0; c < GIC_NCPU; c++) {
        s->cpu_ctlr[c] = 0;
        s->priority_mask[c] = 0;
        s->running_priority[c] = GIC_IDLE_PRIO;
        s->current_pending[c] = GIC_SPURIOUS;
        s->bpr[c] = GIC_MIN_BPR;
        s->abpr[c] = GIC_MIN_ABPR;
    }
    /* SGIs: always enabled and edge-triggered (IHI 0048B 4.3.5, 4.3.13). */
    for (unsigned i = 0; i < GIC_NR_SGIS; i++) {
        s->irq_state[i].enabled = GIC_ALL_CPUS;
        s->irq_state[i].edge_trigger = true;
    }
    /* A uniprocessor GIC targets every SPI at its only CPU. */
    if (s->num_cpu == 1) {
        memset(s->irq_target, 1, sizeof(s->irq_target));
    }
    gic_common_reset_virt(s);
}

/* ---- derived hypervisor-interface state ---- */

uint32_t gic_vmcr_read(const GICState *s, unsigned cpu)
{
    unsigned v = cpu + GIC_NCPU;

    return (s->cpu_ctlr[v] & 0x21f) |
           ((uint32_t)(s->abpr[v] & 7) << 18) |
           ((uint32_t)(s->bpr[v] & 7) << 21) |
           ((uint32_t)(s->priority_mask[v] >> 3) << 27);
}

void gic_vmcr_write(GICState *s, unsigned cpu, uint32_t val)
{
    unsigned v = cpu + GIC_NCPU;

    s->cpu_ctlr[v] = val & 0x21f;
    s->abpr[v] = MAX((val >> 18) & 7, GIC_VIRT_MIN_ABPR);
    s->bpr[v] = MAX((val >> 21) & 7, GIC_VIRT_MIN_BPR);
    s->priority_mask[v] = ((val >> 27) & 0x1f) << 3;
}

void gic_virt_recompute(GICState *s, unsigned cpu)
{
    uint32_t hcr = s->h_hcr[cpu], vctlr = s->cpu_ctlr[cpu + GIC_NCPU];
    uint64_t eisr = 0, elrsr = 0;
    unsigned valid = 0;
    bool any_pending = false;
    uint32_t misr = 0;

    for (unsigned n = 0; n < GIC_NUM_LR; n++) {
        uint32_t lr = s->h_lr[n][cpu];
        if (GICH_LR_STATE(lr) == 0) {
            if (!(lr & GICH_LR_HW) && (lr & GICH_LR_EOI)) {
                eisr |= 1ull << n;
            } else {
                elrsr |= 1ull << n;
            }
        } else {
            valid++;
            any_pending |= (lr & GICH_LR_PENDING) != 0;
        }
    }
    s->h_eisr[cpu] = eisr;
    s->h_elrsr[cpu] = elrsr;
    if (eisr) {
        misr |= 1u << 0;                                  /* EOI */
    }
    if ((hcr & GICH_HCR_UIE) && valid <= 1) {
        misr |= 1u << 1;                                  /* U */
    }
    if ((hcr & GICH_HCR_LRENPIE) && (hcr >> GICH_HCR_EOICOUNT_SHIFT)) {
        misr |= 1u << 2;                                  /* LRENP */
    }
    if ((hcr & GICH_HCR_NPIE) && !any_pending) {
        misr |= 1u << 3;                                  /* NP */
    }
    if ((hcr & GICH_HCR_VGRP0EIE) && (vctlr & 1)) {
        misr |= 1u << 4;
    }
    if ((hcr & GICH_HCR_VGRP0DIE) && !(vctlr & 1)) {
        misr |= 1u << 5;
    }
    if ((hcr & GICH_HCR_VGRP1EIE) && (vctlr & 2)) {
        misr |= 1u << 6;
    }
    if ((hcr & GICH_HCR_VGRP1DIE) && !(vctlr & 2)) {
        misr |= 1u << 7;
    }
    s->h_misr[cpu] = misr;
}

/* ---- migration ---- */

static const VMStateDescription vmstate_gic_irq_state = {
    .name = "arm_gic_irq_state",
    .version_id = 1,
    .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8(enabled, GICIrqState),
        VMSTATE_UINT8(pending, GICIrqState),
        VMSTATE_UINT8(active, GICIrqState),
        VMSTATE_UINT8(level, GICIrqState),
        VMSTATE_BOOL(model, GICIrqState),
        VMSTATE_BOOL(edge_trigger, GICIrqState),
        VMSTATE_UINT8(group, GICIrqState),
        VMSTATE_END_OF_LIST()
    },
};

static bool gic_virt_state_needed(void *opaque)
{
    GICState *s = opaque;
    return s->virt_extn;
}

static bool gic_virt_state_pre_load(void *opaque, Error **errp)
{
    GICState *s = opaque;

    if (!s->virt_extn) {
        error_setg(errp, "arm_gic: the stream carries virtualization-extension "
                   "state but has-virtualization-extensions is off here");
        return false;
    }
    return true;
}

static const VMStateDescription vmstate_gic_virt_state = {
    .name = "arm_gic_virt_state",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = gic_virt_state_needed,
    .pre_load = gic_virt_state_pre_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(h_hcr, GICState, GIC_NCPU),
        VMSTATE_UINT32_ARRAY(h_misr, GICState, GIC_NCPU),
        VMSTATE_UINT32_2DARRAY(h_lr, GICState, GIC_MAX_LR, GIC_NCPU),
        VMSTATE_UINT32_ARRAY(h_apr, GICState, GIC_NCPU),
        VMSTATE_UINT32_SUB_ARRAY(cpu_ctlr, GICState, GIC_NCPU, GIC_NCPU),
        VMSTATE_UINT16_SUB_ARRAY(priority_mask, GICState, GIC_NCPU, GIC_NCPU),
        VMSTATE_UINT16_SUB_ARRAY(running_priority, GICState, GIC_NCPU,
                                 GIC_NCPU),
        VMSTATE_UINT16_SUB_ARRAY(current_pending, GICState, GIC_NCPU,
                                 GIC_NCPU),
        VMSTATE_UINT8_SUB_ARRAY(bpr, GICState, GIC_NCPU, GIC_NCPU),
        VMSTATE_UINT8_SUB_ARRAY(abpr, GICState, GIC_NCPU, GIC_NCPU),
        VMSTATE_END_OF_LIST()
    },
};

static bool gic_pre_save(void *opaque, Error **errp)
{
    GICState *s = opaque;

    if (s->ops && s->ops->pre_save) {
        return s->ops->pre_save(s, errp);
    }
    return true;
}

/* An absent subsection must leave reset values, not stale ones. */
static bool gic_pre_load(void *opaque, Error **errp)
{
    gic_common_reset_virt(opaque);
    return true;
}

/* The stream is hostile: clamp what would index arrays or confuse logic. */
static bool gic_post_load(void *opaque, int version_id, Error **errp)
{
    GICState *s = opaque;
    uint8_t cpus = (1u << s->num_cpu) - 1;

    for (unsigned c = 0; c < GIC_NCPU_VCPU; c++) {
        if (s->running_priority[c] > GIC_IDLE_PRIO) {
            error_setg(errp, "arm_gic: running priority 0x%x of CPU "
                       "interface %u out of range", s->running_priority[c], c);
            return false;
        }
        if (s->current_pending[c] > GIC_SPURIOUS) {
            s->current_pending[c] = GIC_SPURIOUS;
        }
        if (s->bpr[c] > 7 || s->abpr[c] > 7 || s->priority_mask[c] > 0xff) {
            error_setg(errp, "arm_gic: CPU interface %u binary point %u/%u or "
                       "priority mask 0x%x out of range", c, s->bpr[c],
                       s->abpr[c], s->priority_mask[c]);
            return false;
        }
    }
    /* Interrupts this configuration does not have stay quiet. */
    for (unsigned irq = s->num_irq; irq < GIC_MAXIRQ; irq++) {
        memset(&s->irq_state[irq], 0, sizeof(s->irq_state[irq]));
    }
    for (unsigned irq = 0; irq < s->num_irq; irq++) {
        s->irq_target[irq] &= cpus;
    }
    for (unsigned c = 0; c < GIC_NCPU; c++) {
        gic_virt_recompute(s, c);
    }
    if (s->ops && s->ops->post_load) {
        return s->ops->post_load(s, errp);
    }
    return true;
}

const VMStateDescription vmstate_gic = {
    .name = "arm_gic",
    .version_id = 12,
    .minimum_version_id = 12,
    .pre_save = gic_pre_save,
    .pre_load = gic_pre_load,
    .post_load = gic_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(ctlr, GICState),
        VMSTATE_UINT32_SUB_ARRAY(cpu_ctlr, GICState, 0, GIC_NCPU),
        VMSTATE_STRUCT_ARRAY(irq_state, GICState, GIC_MAXIRQ, 1,
                             vmstate_gic_irq_state, GICIrqState),
        VMSTATE_UINT8_ARRAY(irq_target, GICState, GIC_MAXIRQ),
        VMSTATE_UINT8_2DARRAY(priority1, GICState, GIC_INTERNAL, GIC_NCPU),
        VMSTATE_UINT8_ARRAY(priority2, GICState, GIC_MAXIRQ - GIC_INTERNAL),
        VMSTATE_UINT8_2DARRAY(sgi_pending, GICState, GIC_NR_SGIS, GIC_NCPU),
        VMSTATE_UINT16_SUB_ARRAY(priority_mask, GICState, 0, GIC_NCPU),
        VMSTATE_UINT16_SUB_ARRAY(running_priority, GICState, 0, GIC_NCPU),
        VMSTATE_UINT16_SUB_ARRAY(current_pending, GICState, 0, GIC_NCPU),
        VMSTATE_UINT8_SUB_ARRAY(bpr, GICState, 0, GIC_NCPU),
        VMSTATE_UINT8_SUB_ARRAY(abpr, GICState, 0, GIC_NCPU),
        VMSTATE_UINT32_2DARRAY(apr, GICState, GIC_NR_APRS, GIC_NCPU),
        VMSTATE_UINT32_2DARRAY(nsapr, GICState, GIC_NR_APRS, GIC_NCPU),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription *const []) {
        &vmstate_gic_virt_state,
        NULL
    },
};
