/*
 * GICv3 common state: reset values and the "arm_gicv3" migration section
 * (facts 3.8; layout identical to QEMU's so TCG and KVM streams mix).
 *
 * Section "arm_gicv3" v1: distributor fields, then one "arm_gicv3_cpu"
 * body per CPU counted by the local num_cpu (not on the wire, so both
 * sides need the same -smp).  Subsections: per CPU "arm_gicv3_cpu/virt"
 * (list registers present: never for our emulation, which has no EL2) and
 * "arm_gicv3_cpu/sre_el1" (ICC_SRE_EL1 != 7); for the device
 * "arm_gicv3/gicd_no_migration_shift_bug", always sent, whose absence in
 * an incoming stream marks an old QEMU that saved the bitmaps shifted.
 */
#include "qemu/osdep.h"
#include "hw/intc/arm_gicv3_common.h"
#include "migration/vmstate.h"

uint64_t gicv3_icc_ctlr_ro_bits(void)
{
    /* IDbits = 0 (16-bit INTIDs), SEIS = 0, A3V = 1 (IHI 0069 12.2.6). */
    return ICC_CTLR_A3V |
           ((uint64_t)(GICV3_PRIBITS - 1) << ICC_CTLR_PRIBITS_SHIFT);
}

bool gicv3_common_init(GICv3State *s, uint32_t num_cpu, uint32_t num_irq,
                       Error **errp)
{
    if (num_cpu < 1 || num_cpu > GICV3_MAX_CPUS) {
        error_setg(errp, "arm_gicv3: %u CPUs, supported 1..%d", num_cpu,
                   GICV3_MAX_CPUS);
        return false;
    }
    if (num_irq < 64 || num_irq > GICV3_MAXIRQ + 4 || num_irq % 32) {
        error_setg(errp, "arm_gicv3: num-irq %u must be a multiple of 32 "
                   "between 64 and 1024", num_irq);
        return false;
    }
    s->num_cpu = num_cpu;
    s->num_irq = num_irq > GICV3_MAXIRQ ? GICV3_MAXIRQ : num_irq;
    s->revision = 3;
    for (unsigned i = 0; i < num_cpu; i++) {
        if (!s->cpu_affinity[i]) {
            /* virt's default: 16 CPUs per cluster, Aff0 = index. */
            s->cpu_affinity[i] = ((i / 16) << 8) | (i % 16);
        }
    }
    gicv3_common_reset(s);
    return true;
}

void gicv3_common_reset(GICv3State *s)
{
    s->gicd_ctlr = GICD_CTLR_DS | GICD_CTLR_ARE;
    memset(s->gicd_statusr, 0, sizeof(s->gicd_statusr));
    memset(s->group, 0, sizeof(s->group));
    memset(s->grpmod, 0, sizeof(s->grpmod));
    memset(s->enabled, 0, sizeof(s->enabled));
    memset(s->pending, 0, sizeof(s->pending));
    memset(s->active, 0, sizeof(s->active));
    memset(s->level, 0, sizeof(s->level));
    memset(s->edge_trigger, 0, sizeof(s->edge_trigger));
    memset(s->gicd_ipriority, 0, sizeof(s->gicd_ipriority));
    memset(s->gicd_irouter, 0, sizeof(s->gicd_irouter));
    memset(s->gicd_nsacr, 0, sizeof(s->gicd_nsacr));
    for (unsigned i = 0; i < GICV3_MAX_CPUS; i++) {
        GICv3CPUState *c = &s->cpu[i];
        memset(c, 0, sizeof(*c));
        c->gicr_waker = GICR_WAKER_ProcessorSleep | GICR_WAKER_ChildrenAsleep;
        c->edge_trigger = 0xffff;          /* SGIs are always edge */
        c->icc_ctlr_el1[GICV3_S] = gicv3_icc_ctlr_ro_bits();
        c->icc_ctlr_el1[GICV3_NS] = gicv3_icc_ctlr_ro_bits();
        /* Minimum binary points for 5 priority bits (12.2.3, 12.2.4). */
        c->icc_bpr[GICV3_G0] = 7 - GICV3_PRIBITS;
        c->icc_bpr[GICV3_G1] = 7 - GICV3_PRIBITS;
        c->icc_bpr[GICV3_G1NS] = 8 - GICV3_PRIBITS;
        c->icc_sre_el1 = 7;
    }
}

/* ---- migration ---- */

static bool gicv3_cpu_virt_needed(void *opaque)
{
    GICv3CPUState *c = opaque;
    /* State only exists with list registers; all-zero means "none". */
    for (int i = 0; i < GICV3_LR_MAX; i++) {
        if (c->ich_lr_el2[i]) {
            return true;
        }
    }
    return c->ich_hcr_el2 || c->ich_vmcr_el2;
}

static const VMStateDescription vmstate_gicv3_cpu_virt = {
    .name = "arm_gicv3_cpu/virt",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = gicv3_cpu_virt_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64_2DARRAY(ich_apr, GICv3CPUState, 3, 4),
        VMSTATE_UINT64(ich_hcr_el2, GICv3CPUState),
        VMSTATE_UINT64_ARRAY(ich_lr_el2, GICv3CPUState, GICV3_LR_MAX),
        VMSTATE_UINT64(ich_vmcr_el2, GICv3CPUState),
        VMSTATE_END_OF_LIST()
    },
};

static bool gicv3_cpu_sre_needed(void *opaque)
{
    GICv3CPUState *c = opaque;
    return c->icc_sre_el1 != 7;
}

static const VMStateDescription vmstate_gicv3_cpu_sre_el1 = {
    .name = "arm_gicv3_cpu/sre_el1",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = gicv3_cpu_sre_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(icc_sre_el1, GICv3CPUState),
        VMSTATE_END_OF_LIST()
    },
};

/* A stream without the sre_el1 subsection means SRE = 7 (QEMU's rule). */
static bool gicv3_cpu_pre_load(void *opaque, Error **errp)
{
    GICv3CPUState *c = opaque;
    c->icc_sre_el1 = 7;
    return true;
}

static const VMStateDescription vmstate_gicv3_cpu = {
    .name = "arm_gicv3_cpu",
    .version_id = 1,
    .minimum_version_id = 1,
    .pre_load = gicv3_cpu_pre_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(level, GICv3CPUState),
        VMSTATE_UINT32(gicr_ctlr, GICv3CPUState),
        VMSTATE_UINT32_ARRAY(gicr_statusr, GICv3CPUState, 2),
        VMSTATE_UINT32(gicr_waker, GICv3CPUState),
        VMSTATE_UINT64(gicr_propbaser, GICv3CPUState),
        VMSTATE_UINT64(gicr_pendbaser, GICv3CPUState),
        VMSTATE_UINT32(gicr_igroupr0, GICv3CPUState),
        VMSTATE_UINT32(gicr_ienabler0, GICv3CPUState),
        VMSTATE_UINT32(gicr_ipendr0, GICv3CPUState),
        VMSTATE_UINT32(gicr_iactiver0, GICv3CPUState),
        VMSTATE_UINT32(edge_trigger, GICv3CPUState),
        VMSTATE_UINT32(gicr_igrpmodr0, GICv3CPUState),
        VMSTATE_UINT32(gicr_nsacr, GICv3CPUState),
        VMSTATE_UINT8_ARRAY(gicr_ipriorityr, GICv3CPUState, GIC_INTERNAL_V3),
        VMSTATE_UINT64_ARRAY(icc_ctlr_el1, GICv3CPUState, 2),
        VMSTATE_UINT64(icc_pmr_el1, GICv3CPUState),
        VMSTATE_UINT64_ARRAY(icc_bpr, GICv3CPUState, 3),
        VMSTATE_UINT64_2DARRAY(icc_apr, GICv3CPUState, 3, 4),
        VMSTATE_UINT64_ARRAY(icc_igrpen, GICv3CPUState, 3),
        VMSTATE_UINT64(icc_ctlr_el3, GICv3CPUState),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription *const []) {
        &vmstate_gicv3_cpu_virt,
        &vmstate_gicv3_cpu_sre_el1,
        NULL
    },
};

static bool gicv3_shift_bug_needed(void *opaque)
{
    return true;
}

static const VMStateDescription vmstate_gicv3_shift_bug = {
    .name = "arm_gicv3/gicd_no_migration_shift_bug",
    .version_id = 1,
    .minimum_version_id = 1,
    .needed = gicv3_shift_bug_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_BOOL(gicd_no_migration_shift_bug, GICv3State),
        VMSTATE_END_OF_LIST()
    },
};

static bool gicv3_pre_save(void *opaque, Error **errp)
{
    GICv3State *s = opaque;

    s->gicd_no_migration_shift_bug = true;
    if (s->ops && s->ops->pre_save) {
        return s->ops->pre_save(s, errp);
    }
    return true;
}

static bool gicv3_pre_load(void *opaque, Error **errp)
{
    GICv3State *s = opaque;
    s->gicd_no_migration_shift_bug = false;
    return true;
}

/*
 * QEMU before 2.12 (KVM only) saved the distributor bitmaps one word too
 * high: INTID n at bit n + 32.  Such a stream lacks the marker subsection;
 * like QEMU, a KVM destination moves the words down so INTID 32 is again
 * in word 1 (an emulated GIC never had the bug, so it takes the bits as
 * they are).
 */
static void gicv3_fix_shift_bug(GICv3State *s)
{
    uint32_t *bmps[] = { s->group, s->grpmod, s->enabled, s->pending,
                         s->active, s->level, s->edge_trigger };

    for (size_t b = 0; b < ARRAY_SIZE(bmps); b++) {
        memmove(&bmps[b][0], &bmps[b][1],
                (GICV3_BMP_SIZE - 1) * sizeof(uint32_t));
        bmps[b][GICV3_BMP_SIZE - 1] = 0;
    }
}

/* The stream is hostile: values must fit this configuration. */
static bool gicv3_post_load(void *opaque, int version_id, Error **errp)
{
    GICv3State *s = opaque;

    if (!s->gicd_no_migration_shift_bug && s->ops && s->ops->fix_shift_bug) {
        gicv3_fix_shift_bug(s);
    }
    s->gicd_no_migration_shift_bug = true;
    /* Bits for INTIDs we do not have must stay clear. */
    for (unsigned irq = s->num_irq; irq < GICV3_BMP_SIZE * 32; irq++) {
        gicv3_bmp_set(s->pending, irq, false);
        gicv3_bmp_set(s->active, irq, false);
        gicv3_bmp_set(s->enabled, irq, false);
        gicv3_bmp_set(s->level, irq, false);
    }
    for (unsigned i = 0; i < s->num_cpu; i++) {
        GICv3CPUState *c = &s->cpu[i];
        if (c->icc_sre_el1 != 7) {
            /* System-register access cannot be turned off (no GICv2 compat). */
            error_setg(errp, "arm_gicv3: CPU %u ICC_SRE_EL1 0x%" PRIx64
                       " unsupported (only 0x7)", i, c->icc_sre_el1);
            return false;
        }
        c->edge_trigger |= 0xffff;   /* SGIs are edge whatever the stream says */
        c->icc_ctlr_el1[GICV3_NS] = (c->icc_ctlr_el1[GICV3_NS] &
            (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE | ICC_CTLR_PMHE)) |
            gicv3_icc_ctlr_ro_bits();
        for (int g = 0; g < 3; g++) {
            if (c->icc_bpr[g] > 7) {
                error_setg(errp, "arm_gicv3: CPU %u ICC_BPR%d 0x%" PRIx64
                           " out of range", i, g ? 1 : 0, c->icc_bpr[g]);
                return false;
            }
        }
    }
    if (s->ops && s->ops->post_load) {
        return s->ops->post_load(s, errp);
    }
    return true;
}

const VMStateDescription vmstate_gicv3 = {
    .name = "arm_gicv3",
    .version_id = 1,
    .minimum_version_id = 1,
    .priority = MIG_PRI_GICV3,
    .pre_save = gicv3_pre_save,
    .pre_load = gicv3_pre_load,
    .post_load = gicv3_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(gicd_ctlr, GICv3State),
        VMSTATE_UINT32_ARRAY(gicd_statusr, GICv3State, 2),
        VMSTATE_UINT32_ARRAY(group, GICv3State, GICV3_BMP_SIZE),
        VMSTATE_UINT32_ARRAY(grpmod, GICv3State, GICV3_BMP_SIZE),
        VMSTATE_UINT32_ARRAY(enabled, GICv3State, GICV3_BMP_SIZE),
        VMSTATE_UINT32_ARRAY(pending, GICv3State, GICV3_BMP_SIZE),
        VMSTATE_UINT32_ARRAY(active, GICv3State, GICV3_BMP_SIZE),
        VMSTATE_UINT32_ARRAY(level, GICv3State, GICV3_BMP_SIZE),
        VMSTATE_UINT32_ARRAY(edge_trigger, GICv3State, GICV3_BMP_SIZE),
        VMSTATE_UINT8_ARRAY(gicd_ipriority, GICv3State, GICV3_MAXIRQ),
        VMSTATE_UINT64_ARRAY(gicd_irouter, GICv3State, GICV3_MAXIRQ),
        VMSTATE_UINT32_ARRAY(gicd_nsacr, GICv3State,
                             (GICV3_MAXIRQ + 15) / 16),
        VMSTATE_STRUCT_VARRAY_UINT32(cpu, GICv3State, num_cpu, 0,
                                     vmstate_gicv3_cpu, GICv3CPUState),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription *const []) {
        &vmstate_gicv3_shift_bug,
        NULL
    },
};
