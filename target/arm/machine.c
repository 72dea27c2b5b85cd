/*
 * The "cpu_common" and "cpu" migration sections of an ARM vCPU, laid out
 * field for field as QEMU lays them out (facts 3.1: cpu_common v1, cpu
 * v22) so that the same tools read both, with the system registers as the
 * (index, value) list of cpreg-list.c.
 *
 * Incoming data is hostile (BRIEF 5): the list length is an "int32 le"
 * field bounded by ARM_CPREG_LIST_MAX before the arrays are read, and
 * post_load checks compatibility (cpu-compat.c) and merges the list
 * (cpreg-list.c), failing with the register names.
 *
 * Registration: arm_cpu_register_vmstate(), called by the board for each
 * vCPU, with instance id = cpu_index.
 */
#include "qemu/osdep.h"
#include "machine.h"
#include "cpreg-list.h"
#include "cpu-compat.h"
#include "cpu-features.h"
#include "reconcile.h"
#include "preflight.h"
#include "hw/timer/arm-gtimer.h"

/* Fields named as QEMU names them (the JSON trailer shows these names). */
#define NAMED(_name, _field, _info, _type) {                       \
    .name = (_name), .size = sizeof(_type), .info = &(_info),      \
    .flags = VMS_SINGLE, .offset = offsetof(ARMCPU, _field),      \
}

/* ---- custom encodings ---- */

/* "cpsr": PSTATE in SPSR layout (AArch64) or the AArch32 CPSR. */
static bool get_cpsr(QEMUFile *f, void *pv, size_t size,
                     const VMStateField *field, Error **errp)
{
    *(uint32_t *)pv = qemu_get_be32(f);
    return true;
}
static bool put_cpsr(QEMUFile *f, void *pv, size_t size,
                     const VMStateField *field, Error **errp)
{
    qemu_put_be32(f, *(uint32_t *)pv);
    return true;
}
static const VMStateInfo vmstate_info_cpsr = {
    .name = "cpsr", .get = get_cpsr, .put = put_cpsr,
};

/* "fpscr": the AArch32 view of FPCR | FPSR (the field points at env). */
#define FPSCR_FPCR_MASK 0x07ff9f00u
#define FPSCR_FPSR_MASK 0xf800009fu
static bool get_fpscr(QEMUFile *f, void *pv, size_t size,
                      const VMStateField *field, Error **errp)
{
    CPUARMState *env = pv;
    uint32_t v = qemu_get_be32(f);

    env->fpcr = v & FPSCR_FPCR_MASK;
    env->fpsr = v & FPSCR_FPSR_MASK;
    return true;
}
static bool put_fpscr(QEMUFile *f, void *pv, size_t size,
                      const VMStateField *field, Error **errp)
{
    CPUARMState *env = pv;
    qemu_put_be32(f, (env->fpcr & FPSCR_FPCR_MASK) |
                     (env->fpsr & FPSCR_FPSR_MASK));
    return true;
}
static const VMStateInfo vmstate_info_fpscr = {
    .name = "fpscr", .get = get_fpscr, .put = put_fpscr,
};

/* Low half of the 64-bit syndrome (cpu/syndrome64 carries the rest). */
static bool get_u64_low32(QEMUFile *f, void *pv, size_t size,
                          const VMStateField *field, Error **errp)
{
    *(uint64_t *)pv = qemu_get_be32(f);
    return true;
}
static bool put_u64_low32(QEMUFile *f, void *pv, size_t size,
                          const VMStateField *field, Error **errp)
{
    qemu_put_be32(f, (uint32_t)*(uint64_t *)pv);
    return true;
}
static const VMStateInfo vmstate_info_u64_low32 = {
    .name = "uint32", .get = get_u64_low32, .put = put_u64_low32,
};

/*
 * "timer": QEMU's gt_timer expiry (ns, -1 idle).  Kept as a number for the
 * timer work to re-arm, never armed here: an incoming value must not start
 * a timer with no handler.
 */
static bool get_gt(QEMUFile *f, void *pv, size_t size,
                   const VMStateField *field, Error **errp)
{
    *(int64_t *)pv = (int64_t)qemu_get_be64(f);
    return true;
}
static bool put_gt(QEMUFile *f, void *pv, size_t size,
                   const VMStateField *field, Error **errp)
{
    qemu_put_be64(f, (uint64_t)*(int64_t *)pv);
    return true;
}
static const VMStateInfo vmstate_info_gt_timer = {
    .name = "timer", .get = get_gt, .put = put_gt,
};

/* "powered_off": one byte, 1 = PSCI OFF. */
static bool get_power(QEMUFile *f, void *pv, size_t size,
                      const VMStateField *field, Error **errp)
{
    uint8_t v = qemu_get_byte(f);
    if (v > 1) {
        error_setg(errp, "power state %u is neither 0 (on) nor 1 (off)", v);
        return false;
    }
    *(ArmPowerState *)pv = v ? PSCI_OFF : PSCI_ON;
    return true;
}
static bool put_power(QEMUFile *f, void *pv, size_t size,
                      const VMStateField *field, Error **errp)
{
    qemu_put_byte(f, *(ArmPowerState *)pv == PSCI_OFF);
    return true;
}
static const VMStateInfo vmstate_info_powered_off = {
    .name = "powered_off", .get = get_power, .put = put_power,
};

/* ---- cpu_common ---- */

static bool exception_index_needed(void *opaque)
{
    return ((ARMCPU *)opaque)->env.exception_index != -1;
}
static const VMStateDescription vmstate_cpu_common_exception_index = {
    .name = "cpu_common/exception_index",
    .version_id = 1, .minimum_version_id = 1,
    .needed = exception_index_needed,
    .fields = (const VMStateField[]) {
        NAMED("exception_index", env.exception_index, vmstate_info_int32,
              int32_t),
        VMSTATE_END_OF_LIST()
    },
};
static bool crash_needed(void *opaque)
{
    return ((ARMCPU *)opaque)->crash_occurred;
}
static const VMStateDescription vmstate_cpu_common_crash = {
    .name = "cpu_common/crash_occurred",
    .version_id = 1, .minimum_version_id = 1,
    .needed = crash_needed,
    .fields = (const VMStateField[]) {
        NAMED("crash_occurred", crash_occurred, vmstate_info_bool, bool),
        VMSTATE_END_OF_LIST()
    },
};
static bool cpu_common_pre_load(void *opaque, Error **errp)
{
    ARMCPU *cpu = opaque;
    cpu->env.exception_index = -1;   /* absent subsection: none pending */
    return true;
}
const VMStateDescription vmstate_arm_cpu_common = {
    .name = "cpu_common",
    .version_id = 1, .minimum_version_id = 1,
    .pre_load = cpu_common_pre_load,
    .fields = (const VMStateField[]) {
        NAMED("halted", env.halted, vmstate_info_uint32, uint32_t),
        NAMED("interrupt_request", env.interrupt_request, vmstate_info_uint32,
              uint32_t),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription *const[]) {
        &vmstate_cpu_common_exception_index, &vmstate_cpu_common_crash, NULL
    },
};

/* ---- cpu subsections ---- */

static bool fpcr_fpsr_needed(void *opaque)
{
    ARMCPU *cpu = opaque;
    return (cpu->env.fpcr & ~FPSCR_FPCR_MASK) ||
           (cpu->env.fpsr & ~FPSCR_FPSR_MASK);
}
static bool fpcr_fpsr_pre_save(void *opaque, Error **errp)
{
    ARMCPU *cpu = opaque;
    cpu->vmstate_fpcr64 = cpu->env.fpcr;
    cpu->vmstate_fpsr64 = cpu->env.fpsr;
    return true;
}
static bool fpcr_fpsr_post_load(void *opaque, int version_id, Error **errp)
{
    ARMCPU *cpu = opaque;
    cpu->env.fpcr = (uint32_t)cpu->vmstate_fpcr64;
    cpu->env.fpsr = (uint32_t)cpu->vmstate_fpsr64;
    return true;
}
static const VMStateDescription vmstate_vfp_fpcr_fpsr = {
    .name = "cpu/vfp/fpcr_fpsr",
    .version_id = 1, .minimum_version_id = 1,
    .needed = fpcr_fpsr_needed,
    .pre_save = fpcr_fpsr_pre_save,
    .post_load = fpcr_fpsr_post_load,
    .fields = (const VMStateField[]) {
        NAMED("env.vfp.fpcr", vmstate_fpcr64, vmstate_info_uint64, uint64_t),
        NAMED("env.vfp.fpsr", vmstate_fpsr64, vmstate_info_uint64, uint64_t),
        VMSTATE_END_OF_LIST()
    },
};

static bool vfp_needed(void *opaque)
{
    ARMCPU *cpu = opaque;
    return ARM_IDF(cpu, ID_AA64PFR0_EL1, FP) != 0xf;
}
/* AArch32 VFP system registers at QEMU's vfp.xregs[] indexes. */
static bool vfp_pre_save(void *opaque, Error **errp)
{
    ARMCPU *cpu = opaque;
    uint32_t *x = cpu->vmstate_vfp_xregs;

    memset(x, 0, sizeof(cpu->vmstate_vfp_xregs));
    x[0] = cpu->id.fpsid;                                  /* FPSID */
    x[5] = (uint32_t)arm_idreg(cpu, SYSREG_MVFR2_EL1);      /* MVFR2 */
    x[6] = (uint32_t)arm_idreg(cpu, SYSREG_MVFR1_EL1);      /* MVFR1 */
    x[7] = (uint32_t)arm_idreg(cpu, SYSREG_MVFR0_EL1);      /* MVFR0 */
    x[8] = (uint32_t)cpu->env.sys.fpexc32_el2;              /* FPEXC */
    return true;
}
static const VMStateDescription vmstate_vfp = {
    .name = "cpu/vfp",
    .version_id = 3, .minimum_version_id = 3,
    .needed = vfp_needed,
    .pre_save = vfp_pre_save,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64_2DARRAY(env.vregs, ARMCPU, 32, 2),
        /* FPEXC etc. also travel in the register list, which wins. */
        NAMED("env.vfp.xregs[ARM_VFP_FPSID]", vmstate_vfp_xregs[0],
              vmstate_info_uint32, uint32_t),
        VMSTATE_UINT32_SUB_ARRAY(vmstate_vfp_xregs, ARMCPU, 2, 14),
        { .name = "fpscr", .size = sizeof(uint32_t),
          .info = &vmstate_info_fpscr, .flags = VMS_SINGLE,
          .offset = offsetof(ARMCPU, env) },
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription *const[]) {
        &vmstate_vfp_fpcr_fpsr, NULL
    },
};

static const VMStateDescription vmstate_irq_line_state = {
    .name = "cpu/irq-line-state",
    .version_id = 1, .minimum_version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(env.irq_line_state, ARMCPU),
        VMSTATE_END_OF_LIST()
    },
};

static bool syndrome64_needed(void *opaque)
{
    return ((ARMCPU *)opaque)->env.exception.syndrome >> 32;
}
static const VMStateDescription vmstate_syndrome64 = {
    .name = "cpu/syndrome64",
    .version_id = 1, .minimum_version_id = 1,
    .needed = syndrome64_needed,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT64(env.exception.syndrome, ARMCPU),
        VMSTATE_END_OF_LIST()
    },
};

/*
 * "cpu/serror" (QEMU's layout): a pending SError, e.g. one KVM reported in
 * its vCPU events, survives the move and is taken on the destination.
 */
static bool serror_needed(void *opaque)
{
    return ((ARMCPU *)opaque)->env.serror.pending;
}
static bool serror_post_load(void *opaque, int version_id, Error **errp)
{
    ARMCPU *cpu = opaque;

    if (cpu->env.serror.pending) {
        arm_cpu_set_serror(cpu, cpu->env.serror.has_esr, cpu->env.serror.esr);
    }
    return true;
}
static const VMStateDescription vmstate_serror = {
    .name = "cpu/serror",
    .version_id = 1, .minimum_version_id = 1,
    .needed = serror_needed,
    .post_load = serror_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8(env.serror.pending, ARMCPU),
        VMSTATE_UINT8(env.serror.has_esr, ARMCPU),
        VMSTATE_UINT64(env.serror.esr, ARMCPU),
        VMSTATE_END_OF_LIST()
    },
};

/*
 * "cpu/kvm-only-regs": the KVM-only registers (firmware pseudo-registers,
 * firmware feature bitmaps, CCSIDR demux entries) a vCPU that came from
 * KVM keeps for a later return to KVM (reconcile.c).  New state in a
 * subsection sent only when non-empty (BRIEF idea 3), so streams without it
 * load as before.  Wire: be32 count (<= ARM_RECON_CARRY_MAX), then count
 * pairs of be64 id, be64 value.  The field's storage is the side table of
 * reconcile.c, reached through the vCPU (offset 0).
 */
static bool get_kvm_only(QEMUFile *f, void *pv, size_t size,
                         const VMStateField *field, Error **errp)
{
    ARMCPU *cpu = pv;
    uint32_t n = qemu_get_be32(f);
    g_autofree uint64_t *ids = NULL, *vals = NULL;

    if (n > ARM_RECON_CARRY_MAX) {
        error_setg(errp, "cpu/kvm-only-regs: count %u exceeds %u", n,
                   ARM_RECON_CARRY_MAX);
        return false;
    }
    ids = g_new(uint64_t, n ? n : 1);
    vals = g_new(uint64_t, n ? n : 1);
    for (uint32_t i = 0; i < n; i++) {
        ids[i] = qemu_get_be64(f);
        vals[i] = qemu_get_be64(f);
    }
    if (!arm_reconcile_carry_set(cpu, ids, vals, n, errp)) {
        error_prepend(errp, "cpu/kvm-only-regs: ");
        return false;
    }
    return true;
}

static bool put_kvm_only(QEMUFile *f, void *pv, size_t size,
                         const VMStateField *field, Error **errp)
{
    const uint64_t *ids, *vals;
    uint32_t n = arm_reconcile_carry_get(pv, &ids, &vals);

    qemu_put_be32(f, n);
    for (uint32_t i = 0; i < n; i++) {
        qemu_put_be64(f, ids[i]);
        qemu_put_be64(f, vals[i]);
    }
    return true;
}

static const VMStateInfo vmstate_info_kvm_only = {
    .name = "kvm-only-regs", .get = get_kvm_only, .put = put_kvm_only,
};

static bool kvm_only_needed(void *opaque)
{
    const uint64_t *ids, *vals;
    return arm_reconcile_carry_get(opaque, &ids, &vals) > 0;
}

static const VMStateDescription vmstate_kvm_only_regs = {
    .name = "cpu/kvm-only-regs",
    .version_id = 1, .minimum_version_id = 1,
    .needed = kvm_only_needed,
    .fields = (const VMStateField[]) {
        { .name = "regs", .size = sizeof(uint64_t),
          .info = &vmstate_info_kvm_only, .flags = VMS_SINGLE, .offset = 0 },
        VMSTATE_END_OF_LIST()
    },
};

/* ---- cpu ---- */

#define IRQ_LINE_MARKER 0xffffffffu
#define IRQ_LINE_BITS (CPU_INTERRUPT_HARD | CPU_INTERRUPT_FIQ | \
                       CPU_INTERRUPT_VIRQ | CPU_INTERRUPT_VFIQ | \
                       CPU_INTERRUPT_VSERR)

/* QEMU keeps SPSR_EL1/2/3 in banked_spsr[1], [6], [7] (SVC, HYP, MON). */
static const unsigned spsr_bank[4] = { 0, 1, 6, 7 };

static unsigned current_sp_index(const CPUARMState *env)
{
    return (env->pstate & PSTATE_SP) ? arm_current_el(env) : 0;
}

static bool cpu_pre_save(void *opaque, Error **errp)
{
    ARMCPU *cpu = opaque;
    CPUARMState *env = &cpu->env;

    if (env->power_state == PSCI_ON_PENDING) {
        error_setg(errp, "cpu %u: cannot save while PSCI CPU_ON is in "
                   "progress", cpu->cpu_index);
        return false;
    }
    for (unsigned el = 1; el < 4; el++) {
        env->banked_spsr[spsr_bank[el]] = env->spsr_el[el];
    }
    /* QEMU's xregs[31] is the current SP; ours lives in sp_el[]. */
    env->xregs[31] = env->sp_el[current_sp_index(env)];
    cpu->cpreg_vmstate_array_len =
        (int32_t)arm_cpreg_list_save(cpu, cpu->cpreg_vmstate_indexes,
                                     cpu->cpreg_vmstate_values);
    return true;
}

static void cpu_post_save(void *opaque)
{
    ARMCPU *cpu = opaque;
    cpu->env.xregs[31] = 0;
}

static bool cpu_pre_load(void *opaque, Error **errp)
{
    ARMCPU *cpu = opaque;

    /* The "int32 le" check bounds the incoming length by this. */
    cpu->cpreg_vmstate_array_len = ARM_CPREG_LIST_MAX;
    cpu->env.irq_line_state = IRQ_LINE_MARKER;
    cpu->env.exception.syndrome = 0;
    return true;
}

static bool cpu_post_load(void *opaque, int version_id, Error **errp)
{
    ARMCPU *cpu = opaque;
    CPUARMState *env = &cpu->env;
    uint32_t len = (uint32_t)cpu->cpreg_vmstate_array_len;

    if (env->irq_line_state == IRQ_LINE_MARKER) {
        /* Older source without cpu/irq-line-state. */
        env->irq_line_state = env->interrupt_request & IRQ_LINE_BITS;
    }
    for (unsigned el = 1; el < 4; el++) {
        env->spsr_el[el] = env->banked_spsr[spsr_bank[el]];
    }
    env->sp_el[current_sp_index(env)] = env->xregs[31];
    env->xregs[31] = 0;

    return arm_cpu_load_incoming_list(cpu, cpu->cpreg_vmstate_indexes,
                                      cpu->cpreg_vmstate_values, len, errp);
}

/*
 * The list an incoming "cpu" section carried (facts 3.3), in either form:
 *   - KVM id form (QEMU's KVM, or a raw capture: firmware/demux ids and the
 *     swapped timer ids are present): reconciled by the KVM -> TCG table;
 *   - our form (architectural ids; KVM-only ids ride in
 *     cpu/kvm-only-regs): the identification check of BRIEF idea 5, then
 *     the identification is taken from the stream, then the merge.
 * The checks are the pre-flight's (preflight.c), so a refusal here reads
 * as x-query-migration-compat would have said.
 */
bool arm_cpu_load_incoming_list(ARMCPU *cpu, const uint64_t *in_ids,
                                const uint64_t *in_vals, uint32_t len,
                                Error **errp)
{
    g_autofree uint64_t *ids = NULL, *vals = NULL;
    bool ok;

    if (len > ARM_CPREG_LIST_MAX) {
        error_setg(errp, "cpu %u: incoming register list has %u entries, "
                   "more than the limit %u", cpu->cpu_index, len,
                   ARM_CPREG_LIST_MAX);
        return false;
    }
    /* Copies: taking the identification rebuilds the list arrays. */
    ids = g_memdup2(in_ids, (len ? len : 1) * sizeof(uint64_t));
    vals = g_memdup2(in_vals, (len ? len : 1) * sizeof(uint64_t));
    if (arm_reconcile_list_is_kvm_form(ids, len)) {
        ArmReconPlan plan;
        arm_recon_plan_init(&plan);
        ok = arm_reconcile_kvm_to_tcg(cpu, ids, vals, len, &plan, errp) &&
             arm_reconcile_apply_to_tcg(cpu, &plan, errp);
        if (ok && plan.has_vcount &&
            arm_gtimer_qemu_timer(0, GTIMER_VIRT) != NULL &&
            cpu->cpu_index == 0) {
            /* The count the guest saw, as the timer model's counter. */
            arm_gtimer_set_count(plan.vcount + cpu->env.sys.cntvoff_el2);
        }
        if (!ok) {
            error_prepend(errp, "cpu %u: ", cpu->cpu_index);
        }
        arm_recon_plan_free(&plan);
        return ok;
    }
    if (!arm_cpu_check_incoming(cpu, ids, vals, len, errp)) {
        return false;
    }
    if (!arm_recon_id_take(cpu, ids, vals, len, errp)) {
        error_prepend(errp, "cpu %u: taking the incoming identification: ",
                      cpu->cpu_index);
        return false;
    }
    arm_recon_id_align(cpu, ids, vals, len);
    arm_recon_pmcr_take(cpu, ids, vals, len);
    return arm_cpreg_list_load(cpu, ids, vals, len, NULL, errp);
}

const VMStateDescription vmstate_arm_cpu = {
    .name = "cpu",
    .version_id = 22, .minimum_version_id = 22,
    .pre_save = cpu_pre_save,
    .post_save = cpu_post_save,
    .pre_load = cpu_pre_load,
    .post_load = cpu_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_ARRAY(env.regs, ARMCPU, 16),
        VMSTATE_UINT64_ARRAY(env.xregs, ARMCPU, 32),
        VMSTATE_UINT64(env.pc, ARMCPU),
        NAMED("cpsr", env.pstate, vmstate_info_cpsr, uint32_t),
        VMSTATE_UINT32(env.spsr, ARMCPU),
        VMSTATE_UINT64_ARRAY(env.banked_spsr, ARMCPU, 8),
        VMSTATE_UINT32_ARRAY(env.banked_r13, ARMCPU, 8),
        VMSTATE_UINT32_ARRAY(env.banked_r14, ARMCPU, 8),
        VMSTATE_UINT32_ARRAY(env.usr_regs, ARMCPU, 5),
        VMSTATE_UINT32_ARRAY(env.fiq_regs, ARMCPU, 5),
        VMSTATE_UINT64_ARRAY(env.elr_el, ARMCPU, 4),
        VMSTATE_UINT64_ARRAY(env.sp_el, ARMCPU, 4),
        VMSTATE_INT32_POSITIVE_LE(cpreg_vmstate_array_len, ARMCPU),
        VMSTATE_VARRAY_INT32_PTR(cpreg_vmstate_indexes, ARMCPU,
                                 cpreg_vmstate_array_len, ARM_CPREG_LIST_MAX,
                                 0, vmstate_info_uint64, uint64_t),
        VMSTATE_VARRAY_INT32_PTR(cpreg_vmstate_values, ARMCPU,
                                 cpreg_vmstate_array_len, ARM_CPREG_LIST_MAX,
                                 0, vmstate_info_uint64, uint64_t),
        VMSTATE_UINT64(env.exclusive_addr, ARMCPU),
        VMSTATE_UINT64(env.exclusive_val, ARMCPU),
        VMSTATE_UINT64(env.exclusive_high, ARMCPU),
        VMSTATE_UNUSED(8),
        NAMED("env.exception.syndrome", env.exception.syndrome,
              vmstate_info_u64_low32, uint64_t),
        VMSTATE_UINT32(env.exception.fsr, ARMCPU),
        VMSTATE_UINT64(env.exception.vaddress, ARMCPU),
        NAMED("gt_timer[GTIMER_PHYS]", gt_timer_expire[0],
              vmstate_info_gt_timer, int64_t),
        NAMED("gt_timer[GTIMER_VIRT]", gt_timer_expire[1],
              vmstate_info_gt_timer, int64_t),
        NAMED("power_state", env.power_state, vmstate_info_powered_off,
              ArmPowerState),
        VMSTATE_END_OF_LIST()
    },
    .subsections = (const VMStateDescription *const[]) {
        &vmstate_vfp, &vmstate_serror, &vmstate_irq_line_state,
        &vmstate_syndrome64, &vmstate_kvm_only_regs, NULL
    },
};

void arm_cpu_register_vmstate(ARMCPU *cpu)
{
    cpu->gt_timer_expire[0] = cpu->gt_timer_expire[1] = -1;
    vmstate_register("cpu_common", (int)cpu->cpu_index,
                     &vmstate_arm_cpu_common, cpu);
    vmstate_register("cpu", (int)cpu->cpu_index, &vmstate_arm_cpu, cpu);
}
