/*
 * The ARM side of a KVM vCPU: KVM_ARM_VCPU_INIT, the register list, and
 * moving state between KVM and the common CPU model (facts 3.4).
 *
 *   core registers   KVM_REG_ARM_CORE ids <-> env (x0-x30, SP_EL0, PC,
 *                    PSTATE, SP_EL1, ELR_EL1, SPSRs, V0-V31, FPSR, FPCR)
 *   system registers every other id of KVM_GET_REG_LIST: a shadow list of
 *                    (id, value) per vCPU, and, where our register table
 *                    has storage for the id, that storage too; on the way
 *                    back the table's value wins, so edits made in the
 *                    common model (reset, migration) reach KVM.
 *   timer            the KVM ids of CNT and CVAL are swapped against the
 *                    architecture (kvm-regid.h); the count is only written
 *                    on a full put (reset, incoming migration), never on a
 *                    runtime one, or the guest's time would jump.
 *   power state      KVM_GET/SET_MP_STATE <-> env->power_state.
 *   reconciliation   (docs/devel/kvm-tcg.md "What the KVM code calls")
 *                    every read keeps the KVM-only ids (firmware, bitmaps,
 *                    CCSIDR demux) for the stream's cpu/kvm-only-regs; the
 *                    full put after an incoming migration writes what
 *                    arm_reconcile_for_kvm decided for each id, and the
 *                    same call, run while the stream loads, refuses a
 *                    state this kernel cannot take (kvm_arm_check_incoming).
 *
 * SPSR mapping: KVM's spsr[0] is SPSR_EL1 (env->spsr_el[1]); spsr[1..4]
 * are the AArch32 ABT, UND, IRQ and FIQ banks (env->banked_spsr[2..5],
 * QEMU's bank numbering).
 */
#include "accel/kvm/kvm-int.h"
#include "kvm-regid.h"
#include "cpregs.h"
#include "cpu-features.h"
#include "cpu-models.h"
#include "qemu/log.h"
#include "hw/timer/arm-gtimer.h"
#include "reconcile.h"
#include "preflight.h"
#include "system/cpus.h"
#include "migration/migration.h"
#include <sys/ioctl.h>
#include <sys/utsname.h>

/* Our constants must be the kernel's (uapi asm/kvm.h). */
G_STATIC_ASSERT(ARM_KVM_TIMER_CTL == KVM_REG_ARM_TIMER_CTL);
G_STATIC_ASSERT(ARM_KVM_TIMER_CNT == KVM_REG_ARM_TIMER_CNT);
G_STATIC_ASSERT(ARM_KVM_TIMER_CVAL == KVM_REG_ARM_TIMER_CVAL);
G_STATIC_ASSERT(ARM_KVM_COPROC_CORE << ARM_KVM_REG_COPROC_SHIFT ==
                KVM_REG_ARM_CORE);
G_STATIC_ASSERT(ARM_KVM_COPROC_SYSREG << ARM_KVM_REG_COPROC_SHIFT ==
                KVM_REG_ARM64_SYSREG);
G_STATIC_ASSERT(ARM_KVM_CORE_PC ==
                KVM_REG_ARM_CORE_REG(regs.pc) - 0);
G_STATIC_ASSERT(ARM_KVM_CORE_FPCR == KVM_REG_ARM_CORE_REG(fp_regs.fpcr));
G_STATIC_ASSERT(ARM_KVM_CORE_V(0) == KVM_REG_ARM_CORE_REG(fp_regs.vregs[0]));
G_STATIC_ASSERT(ARM_KVM_CORE_SPSR(4) == KVM_REG_ARM_CORE_REG(spsr[4]));
G_STATIC_ASSERT(ARM_KVM_DEV_TYPE_VGIC_V3 == KVM_DEV_TYPE_ARM_VGIC_V3);


static int one_reg(KvmVcpu *v, bool set, uint64_t id, void *addr)
{
    struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)addr };

    return kvm_ioctl_fd(v->fd, set ? KVM_SET_ONE_REG : KVM_GET_ONE_REG, &r);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* KVM_GET_REG_LIST minus core and SVE ids (synced by hand), sorted. */
static bool read_reg_list(KvmVcpu *v, Error **errp)
{
    struct kvm_reg_list probe = { .n = 0 };
    g_autofree struct kvm_reg_list *list = NULL;
    unsigned n = 0;
    int ret;

    ret = kvm_ioctl_fd(v->fd, KVM_GET_REG_LIST, &probe);
    if (ret != -E2BIG || probe.n == 0 || probe.n > 65536) {
        error_setg(errp, "kvm: KVM_GET_REG_LIST: %s (n=%llu)",
                   strerror(-ret), (unsigned long long)probe.n);
        return false;
    }
    list = g_malloc0(sizeof(*list) + probe.n * sizeof(uint64_t));
    list->n = probe.n;
    ret = kvm_ioctl_fd(v->fd, KVM_GET_REG_LIST, list);
    if (ret < 0) {
        error_setg(errp, "kvm: KVM_GET_REG_LIST: %s", strerror(-ret));
        return false;
    }
    g_free(v->reg_ids);
    g_free(v->reg_vals);
    v->reg_ids = g_new0(uint64_t, list->n);
    v->reg_vals = g_new0(uint64_t, list->n);
    for (unsigned i = 0; i < list->n; i++) {
        ArmKvmRegInfo info;
        uint64_t id = list->reg[i];

        if (!arm_kvm_reg_decode(id, &info) || info.cls == ARM_KVM_REG_CORE ||
            info.cls == ARM_KVM_REG_SVE) {
            continue;
        }
        if (info.size_bits != 32 && info.size_bits != 64) {
            continue;   /* nothing else exists outside core/SVE today */
        }
        v->reg_ids[n++] = id;
    }
    qsort(v->reg_ids, n, sizeof(uint64_t), cmp_u64);
    v->nr_regs = n;
    return true;
}

/*
 * vCPU features from the CPU properties (the model's ID registers after
 * pmu=, sve=): PMUv3 needs the in-kernel vGIC (its overflow interrupt is a
 * PPI the vGIC delivers); SVE would replace the V registers by Z slices in
 * the KVM list, which the sync does not move yet, so sve=on is refused.
 */
bool kvm_arm_vcpu_features(KvmState *s, KvmVcpu *v, bool have_vgic,
                           Error **errp)
{
    ARMCPU *cpu = v->cpu;

    if (arm_feat_sve(cpu)) {
        error_setg(errp, "kvm: -cpu %s,sve=on is not supported under KVM yet "
                   "(use sve=off)", cpu->model ? cpu->model->name : "?");
        return false;
    }
    v->pmu = arm_feat_pmu(cpu) && have_vgic &&
             ioctl(s->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_ARM_PMU_V3) > 0;
    return true;
}

/*
 * After the vGIC is initialised: the PMU overflow interrupt (PPI 7, INTID
 * 23, as QEMU's virt wires it) and KVM_ARM_VCPU_PMU_V3_INIT
 * (Documentation/virt/kvm/devices/vcpu.rst 1.1-1.2).
 */
bool kvm_arm_vcpu_pmu_init(KvmVcpu *v, Error **errp)
{
    int irq = 23;
    struct kvm_device_attr a = {
        .group = KVM_ARM_VCPU_PMU_V3_CTRL,
        .attr = KVM_ARM_VCPU_PMU_V3_IRQ,
        .addr = (uintptr_t)&irq,
    };
    int ret;

    if (!v->pmu) {
        return true;
    }
    ret = kvm_ioctl_fd(v->fd, KVM_SET_DEVICE_ATTR, &a);
    if (ret == 0) {
        a.attr = KVM_ARM_VCPU_PMU_V3_INIT;
        a.addr = 0;
        ret = kvm_ioctl_fd(v->fd, KVM_SET_DEVICE_ATTR, &a);
    }
    if (ret < 0) {
        error_setg(errp, "kvm: vCPU %u: PMUv3 set-up: %s", v->index,
                   strerror(-ret));
        return false;
    }
    return true;
}

/*
 * -cpu host: the model starts as "max"; its identification becomes the
 * values KVM reports for this vCPU (the cpu area's arm_cpu_import_id_regs),
 * then the rebuilt table is filled from KVM.  -cpu max under KVM is the
 * same CPU (as with QEMU): the guest reads the kernel's identification,
 * whatever the model says, so the table and the stream must carry the
 * kernel's values too, or a KVM destination, which cannot change most of
 * them, would find the stream's (the model's) ones different from its own
 * (e.g. CTR_EL0.IDC) and refuse.
 */
bool kvm_arm_import_host_ids(KvmVcpu *v, Error **errp)
{
    if (!v->cpu->model || (!arm_cpu_model_kvm_only(v->cpu->model->name) &&
                           strcmp(v->cpu->model->name, "max") != 0)) {
        return true;
    }
    if (!arm_cpu_import_id_regs(v->cpu, v->reg_ids, v->reg_vals, v->nr_regs,
                                errp)) {
        error_prepend(errp, "kvm: -cpu host: ");
        return false;
    }
    return kvm_arm_get_sysregs(v, errp);
}

bool kvm_arm_vcpu_init(KvmState *s, KvmVcpu *v, Error **errp)
{
    struct kvm_vcpu_init init;
    int ret;

    memset(&init, 0, sizeof(init));
    ret = kvm_ioctl_fd(s->vm_fd, KVM_ARM_PREFERRED_TARGET, &init);
    if (ret < 0) {
        error_setg(errp, "kvm: KVM_ARM_PREFERRED_TARGET: %s", strerror(-ret));
        return false;
    }
    memset(init.features, 0, sizeof(init.features));
    /* PSCI 0.2+ in the kernel; secondaries wait for CPU_ON. */
    init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
    if (v->cpu->env.power_state != PSCI_ON) {
        init.features[0] |= 1u << KVM_ARM_VCPU_POWER_OFF;
    }
    if (v->pmu) {
        init.features[0] |= 1u << KVM_ARM_VCPU_PMU_V3;
    }
    ret = kvm_ioctl_fd(v->fd, KVM_ARM_VCPU_INIT, &init);
    if (ret < 0) {
        error_setg(errp, "kvm: KVM_ARM_VCPU_INIT of vCPU %u (target %u): %s",
                   v->index, init.target, strerror(-ret));
        return false;
    }
    if (!v->reg_ids) {
        return read_reg_list(v, errp);
    }
    return true;
}

/* The table entry holding the state of a KVM id, if it has storage. */
static const ArmCPReg *table_entry(KvmVcpu *v, uint64_t kvm_id)
{
    const ArmCPReg *ri;

    if (!v->cpu->regs) {
        return NULL;
    }
    if (arm_kvm_timer_reg(kvm_id) == ARM_KVM_TIMER_VIRT_COUNT ||
        arm_kvm_timer_reg(kvm_id) == ARM_KVM_TIMER_PHYS_COUNT) {
        return NULL;   /* counts are derived state, kept in the shadow */
    }
    ri = arm_cpreg_find(v->cpu, arm_kvm_timer_id_to_arch(kvm_id));
    if (!ri || (ri->flags & (ARM_CP_CONST | ARM_CP_ALIAS | ARM_CP_NO_RAW |
                             ARM_CP_SYS_INSN)) || !arm_cpreg_has_raw(ri)) {
        return NULL;
    }
    return ri;
}

bool kvm_arm_get_sysregs(KvmVcpu *v, Error **errp)
{
    for (unsigned i = 0; i < v->nr_regs; i++) {
        uint64_t val = 0;
        const ArmCPReg *ri;
        int ret = one_reg(v, false, v->reg_ids[i], &val);

        if (ret < 0) {
            error_setg(errp, "kvm: vCPU %u: KVM_GET_ONE_REG 0x%016" PRIx64
                       ": %s", v->index, v->reg_ids[i], strerror(-ret));
            return false;
        }
        if (arm_kvm_reg_size(v->reg_ids[i]) == 4) {
            val = (uint32_t)val;
        }
        v->reg_vals[i] = val;
        ri = table_entry(v, v->reg_ids[i]);
        if (ri) {
            arm_cpreg_raw_write(v->cpu, ri, val);
        }
    }
    /* Our table has no home for these: they ride in cpu/kvm-only-regs. */
    arm_reconcile_capture_kvm_only(v->cpu, v->reg_ids, v->reg_vals,
                                   v->nr_regs);
    return true;
}

/* Core register i of struct kvm_regs <-> its env field. */
typedef struct CoreMap {
    unsigned off;        /* 32-bit word offset */
    unsigned bits;
    size_t env_off;      /* offsetof(CPUARMState, ...) */
} CoreMap;

#define CM(o, b, f) { (o), (b), offsetof(CPUARMState, f) }
static const CoreMap core_map[] = {
    CM(ARM_KVM_CORE_SP, 64, sp_el[0]),
    CM(ARM_KVM_CORE_PC, 64, pc),
    CM(ARM_KVM_CORE_SP_EL1, 64, sp_el[1]),
    CM(ARM_KVM_CORE_ELR_EL1, 64, elr_el[1]),
    CM(ARM_KVM_CORE_SPSR(0), 64, spsr_el[1]),
    CM(ARM_KVM_CORE_SPSR(1), 64, banked_spsr[2]),
    CM(ARM_KVM_CORE_SPSR(2), 64, banked_spsr[3]),
    CM(ARM_KVM_CORE_SPSR(3), 64, banked_spsr[4]),
    CM(ARM_KVM_CORE_SPSR(4), 64, banked_spsr[5]),
    CM(ARM_KVM_CORE_FPSR, 32, fpsr),
    CM(ARM_KVM_CORE_FPCR, 32, fpcr),
};

static int core_xfer(KvmVcpu *v, bool set)
{
    CPUARMState *env = &v->cpu->env;
    uint64_t pstate = env->pstate;
    int ret;

    for (unsigned i = 0; i < 31; i++) {
        ret = one_reg(v, set, arm_kvm_core_id(ARM_KVM_CORE_X(i), 64),
                      &env->xregs[i]);
        if (ret < 0) {
            return ret;
        }
    }
    for (unsigned i = 0; i < 32; i++) {
        /* vregs[i] is {low, high}: the kernel's little-endian __uint128_t. */
        ret = one_reg(v, set, arm_kvm_core_id(ARM_KVM_CORE_V(i), 128),
                      env->vregs[i]);
        if (ret < 0) {
            return ret;
        }
    }
    for (unsigned i = 0; i < ARRAY_SIZE(core_map); i++) {
        void *p = (char *)env + core_map[i].env_off;
        ret = one_reg(v, set, arm_kvm_core_id(core_map[i].off,
                                              core_map[i].bits), p);
        if (ret < 0) {
            return ret;
        }
    }
    /* PSTATE is 64-bit in KVM, 32-bit (SPSR layout) in env. */
    ret = one_reg(v, set, arm_kvm_core_id(ARM_KVM_CORE_PSTATE, 64), &pstate);
    if (ret < 0) {
        return ret;
    }
    if (!set) {
        env->pstate = (uint32_t)pstate;
    }
    return 0;
}

/*
 * The guest's time travels in the "arm-gtimer" section (the count of the
 * common timer model), not in the cpreg list: when state is read, the
 * model's count is set to KVM's virtual count (plus CNTVOFF, so its
 * virtual view matches); on a full put KVM's virtual count is set from
 * the model.  So a stream carries the guest's time the same way under
 * both accelerators, and a KVM destination resumes where the source
 * stopped instead of at its own VM-creation time.
 */
static bool have_gtimer(void)
{
    return arm_gtimer_qemu_timer(0, GTIMER_VIRT) != NULL;
}

static void count_to_model(KvmVcpu *v)
{
    for (unsigned i = 0; v->index == 0 && have_gtimer() && i < v->nr_regs;
         i++) {
        if (v->reg_ids[i] == ARM_KVM_TIMER_CNT) {
            arm_gtimer_set_count(v->reg_vals[i] +
                                 v->cpu->env.sys.cntvoff_el2);
        }
    }
}

bool kvm_arm_get_registers(KvmVcpu *v, Error **errp)
{
    struct kvm_mp_state mp;
    int ret = core_xfer(v, false);

    if (ret < 0) {
        error_setg(errp, "kvm: vCPU %u: reading core registers: %s",
                   v->index, strerror(-ret));
        return false;
    }
    if (kvm_ioctl_fd(v->fd, KVM_GET_MP_STATE, &mp) == 0) {
        v->cpu->env.power_state = mp.mp_state == KVM_MP_STATE_STOPPED ?
                                  PSCI_OFF : PSCI_ON;
    }
    if (!kvm_arm_get_sysregs(v, errp)) {
        return false;
    }
    count_to_model(v);
    return true;
}

/* The running kernel's version (uname(2)); 0.0 when unreadable. */
static void host_kernel(int *major, int *minor)
{
    struct utsname u;

    *major = *minor = 0;
    if (uname(&u) < 0 || sscanf(u.release, "%d.%d", major, minor) != 2) {
        *major = *minor = 0;
    }
}

/*
 * What to write for each id of v's list after an incoming migration
 * (reconcile.h, TCG -> KVM table; it also serves a KVM source, whose
 * state arrives in the same form).  The kernel values compared against
 * are the last read ones: identification does not change while the VM
 * exists.
 */
static bool reconcile_incoming(KvmVcpu *v, ArmReconPlan *plan, Error **errp)
{
    int major, minor;

    host_kernel(&major, &minor);
    if (!arm_reconcile_for_kvm(v->cpu, v->reg_ids, v->reg_vals, v->nr_regs,
                               major, minor, plan, errp)) {
        error_prepend(errp, "kvm: vCPU %u: ", v->index);
        return false;
    }
    return true;
}

/*
 * Called while the stream loads (the vGIC's post_load, after every "cpu"
 * section: the board creates the CPUs before the GIC, so their sections
 * come first): the dry run of the put's reconciliation, so a state this
 * kernel cannot take fails the load with the reason, the return path
 * tells the source, and the source's guest keeps running.  The put
 * itself (synchronize_post_load) has no way to fail a migration.
 */
bool kvm_arm_check_incoming(Error **errp)
{
    if (!kvm_state || migration_incoming_status() != MIGRATION_STATUS_ACTIVE) {
        return true;    /* a reset replays post_load: nothing came in */
    }
    for (unsigned i = 0; i < kvm_state->nr_vcpus; i++) {
        ArmReconPlan plan;
        bool ok;

        arm_recon_plan_init(&plan);
        ok = reconcile_incoming(kvm_state->vcpus[i], &plan, errp);
        arm_recon_plan_free(&plan);
        if (!ok) {
            return false;
        }
    }
    return true;
}

/*
 * Value to write for list entry i, or false to leave the kernel's value.
 * plan (incoming migration only) decides per id: same / take / translate
 * / carry write its value, keep-destination / must-match / drop leave the
 * kernel's.  A "same" id our table cannot hold (no raw storage: the plan
 * would say 0) keeps the shadow value instead.  Without a plan, or for an
 * id the plan does not list: the table's value where it has storage, else
 * the shadow's.
 */
static bool value_to_put(KvmVcpu *v, unsigned i, const ArmReconPlan *plan,
                         uint64_t *val)
{
    uint64_t id = v->reg_ids[i];
    const ArmCPReg *ri = table_entry(v, id);
    const ArmReconEntry *e = plan ? arm_recon_plan_find(plan, id) : NULL;

    *val = ri ? arm_cpreg_raw_read(v->cpu, ri) : v->reg_vals[i];
    if (!e) {
        return true;
    }
    switch (e->kind) {
    case ARM_RECON_SAME:
    case ARM_RECON_TAKE:
        if (!ri && !arm_recon_is_ident(id)) {
            return true;
        }
        *val = e->value;
        return true;
    case ARM_RECON_TRANSLATE:
    case ARM_RECON_CARRY:
        *val = e->value;
        return true;
    default:
        return false;
    }
}

static bool put_registers(KvmVcpu *v, bool full, const ArmReconPlan *plan,
                          Error **errp);

bool kvm_arm_put_registers(KvmVcpu *v, bool full, Error **errp)
{
    return put_registers(v, full, NULL, errp);
}

/*
 * The full put after an incoming migration.  The load already ran the
 * same reconciliation (kvm_arm_check_incoming), so a refusal here means a
 * stream that skipped that check (no vGIC section): reported, and the
 * plain full put is done so the vCPU is at least consistent.
 */
bool kvm_arm_put_incoming(KvmVcpu *v, Error **errp)
{
    ArmReconPlan plan;
    Error *err = NULL;
    bool ok;

    arm_recon_plan_init(&plan);
    if (!reconcile_incoming(v, &plan, &err)) {
        error_report_err(err);
        arm_recon_plan_free(&plan);
        return put_registers(v, true, NULL, errp);
    }
    ok = put_registers(v, true, &plan, errp);
    arm_recon_plan_free(&plan);
    return ok;
}

/*
 * arm_preflight_kvm_list_hook: vCPU cpu_index's KVM list (core and SVE
 * ids are never in reg_ids) with values read now.
 */
static bool preflight_kvm_list(unsigned cpu_index, uint64_t **ids,
                               uint64_t **vals, uint32_t *n, Error **errp)
{
    KvmVcpu *v;

    if (!kvm_state || cpu_index >= kvm_state->nr_vcpus) {
        error_setg(errp, "kvm: vCPU %u does not exist", cpu_index);
        return false;
    }
    cpu_synchronize_all_states();
    v = kvm_state->vcpus[cpu_index];
    *n = v->nr_regs;
    *ids = g_memdup2(v->reg_ids, (v->nr_regs ? v->nr_regs : 1) *
                     sizeof(uint64_t));
    *vals = g_memdup2(v->reg_vals, (v->nr_regs ? v->nr_regs : 1) *
                      sizeof(uint64_t));
    return true;
}

void kvm_arm_install_hooks(void)
{
    arm_preflight_kvm_list_hook = preflight_kvm_list;
}

static bool put_registers(KvmVcpu *v, bool full, const ArmReconPlan *plan,
                          Error **errp)
{
    int ret = core_xfer(v, true);

    if (ret < 0) {
        error_setg(errp, "kvm: vCPU %u: writing core registers: %s",
                   v->index, strerror(-ret));
        return false;
    }
    for (unsigned i = 0; i < v->nr_regs; i++) {
        uint64_t id = v->reg_ids[i];
        ArmKvmTimerReg t = arm_kvm_timer_reg(id);
        uint64_t val;

        if (!value_to_put(v, i, plan, &val) &&
            t != ARM_KVM_TIMER_VIRT_COUNT && t != ARM_KVM_TIMER_PHYS_COUNT) {
            continue;   /* the plan keeps the kernel's value */
        }
        if (full && t == ARM_KVM_TIMER_VIRT_COUNT && have_gtimer()) {
            val = gtimer_read_count(v->cpu, GTIMER_VIRT);
        } else if (full && t == ARM_KVM_TIMER_PHYS_COUNT && have_gtimer()) {
            val = gtimer_read_count(v->cpu, GTIMER_PHYS);
        }

        if (!full && (t == ARM_KVM_TIMER_VIRT_COUNT ||
                      t == ARM_KVM_TIMER_PHYS_COUNT)) {
            continue;
        }
        if (val == v->reg_vals[i] && !full) {
            continue;   /* unchanged since read: spare the ioctl */
        }
        ret = one_reg(v, true, id, &val);
        if (ret < 0) {
            /*
             * KVM refuses some writes (ID registers it fixes, values it
             * cannot honour): not fatal for a running vCPU, so warn.
             */
            warn_report("kvm: vCPU %u: KVM_SET_ONE_REG 0x%016" PRIx64
                        " = 0x%" PRIx64 ": %s", v->index, id, val,
                        strerror(-ret));
            continue;
        }
        v->reg_vals[i] = val;
    }
    if (full) {
        struct kvm_mp_state mp = {
            .mp_state = v->cpu->env.power_state == PSCI_ON ?
                        KVM_MP_STATE_RUNNABLE : KVM_MP_STATE_STOPPED,
        };
        ret = kvm_ioctl_fd(v->fd, KVM_SET_MP_STATE, &mp);
        if (ret < 0) {
            error_setg(errp, "kvm: vCPU %u: KVM_SET_MP_STATE: %s", v->index,
                       strerror(-ret));
            return false;
        }
    }
    return true;
}
