/*
 * The "tcg" accelerator: one host thread per vCPU running the interpreter
 * (accel/tcg/cpu-exec.c), with the run control the system layer needs
 * (system/cpus.h AccelOps): threads start parked; resume_all lets them run;
 * pause_all returns only once none executes guest code (QMP stop,
 * migration); WFI and powered-off vCPUs sleep until kicked or interrupted.
 *
 * Locking: `run_lock` guards the run flags below and pairs with `run_cond`.
 * A vCPU thread never holds run_lock while it executes guest code, and takes
 * the big lock only around device accesses; pause_all drops the big lock
 * while it waits, so a vCPU blocked on the big lock can still reach its
 * parking spot.
 */
#include "tcg/tcg-internal.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "system/cpus.h"
#include "hw/boards.h"
#include "hw/intc/arm_intc_cpu.h"
#include "cpu-models.h"
#include "cpu-features.h"
#include <sys/syscall.h>

static TcgVcpu *vcpus[ARM_MAX_CPUS];
static unsigned nvcpus;
static GMutex run_lock;
static GCond run_cond;
static bool vm_running;     /* resume_all .. pause_all */
static bool quitting;

/* A halted vCPU also polls interrupt_request this often (ms), in case an
 * interrupt source sets it without kicking. */
#define HALT_POLL_MS 5

static bool vcpu_can_run(TcgVcpu *v)
{
    CPUARMState *env = v->env;

    if (!vm_running || quitting || v->stop_request) {
        return false;
    }
    if (__atomic_load_n(&env->power_state, __ATOMIC_ACQUIRE) != PSCI_ON) {
        return false;
    }
    if (env->halted) {
        if (__atomic_load_n(&env->interrupt_request, __ATOMIC_ACQUIRE) &
            (CPU_INTERRUPT_HARD | CPU_INTERRUPT_FIQ |
             CPU_INTERRUPT_SERROR)) {
            env->halted = 0;
            return true;
        }
        return false;
    }
    return true;
}

static gpointer vcpu_thread(gpointer opaque)
{
    TcgVcpu *v = opaque;

    tcg_current_vcpu = v;
    /* Banked GIC registers (GICv2 GICC etc.) are selected by this. */
    arm_intc_set_current_cpu(v->cpu->cpu_index);
    g_mutex_lock(&run_lock);
    v->thread_id = (int)syscall(SYS_gettid);
    for (;;) {
        while (!vcpu_can_run(v)) {
            if (quitting) {
                v->parked = true;
                g_cond_broadcast(&run_cond);
                g_mutex_unlock(&run_lock);
                return NULL;
            }
            if (!v->parked) {
                v->parked = true;
                g_cond_broadcast(&run_cond);
            }
            if (vm_running && v->env->halted) {
                gint64 until = g_get_monotonic_time() +
                               HALT_POLL_MS * G_TIME_SPAN_MILLISECOND;
                g_cond_wait_until(&run_cond, &run_lock, until);
            } else {
                g_cond_wait(&run_cond, &run_lock);
            }
        }
        v->parked = false;
        __atomic_store_n(&v->exit_request, false, __ATOMIC_RELEASE);
        g_mutex_unlock(&run_lock);
        tcg_cpu_exec(v);
        g_mutex_lock(&run_lock);
    }
}

static void kick_locked(void)
{
    for (unsigned i = 0; i < nvcpus; i++) {
        __atomic_store_n(&vcpus[i]->exit_request, true, __ATOMIC_RELEASE);
    }
    g_cond_broadcast(&run_cond);
}

static bool tcg_available(void)
{
    return true;
}

static bool tcg_init_vcpus(MachineState *ms, Error **errp)
{
    if (arm_cpu_count > ARM_MAX_CPUS) {
        error_setg(errp, "tcg: %u vCPUs requested, at most %u supported",
                   arm_cpu_count, ARM_MAX_CPUS);
        return false;
    }
    if (arm_cpu_count && arm_cpus[0] && arm_cpus[0]->model &&
        !arm_cpus[0]->model->aarch64) {
        error_setg(errp, "tcg: CPU model '%s' is AArch32-only; the "
                   "interpreter executes A64 code only",
                   arm_cpus[0]->model->name);
        return false;
    }
    if (arm_cpu_count && arm_cpus[0]) {
        /*
         * Decoded pages are shared by all vCPUs (one model per machine), so
         * the optional A64 instructions follow vCPU 0's ID registers:
         * ID_AA64ISAR0_EL1.Atomic (LSE) and .CRC32 (Arm ARM D19.2.61).
         */
        uint64_t isar0 = arm_idreg(arm_cpus[0], SYSREG_ID_AA64ISAR0_EL1);
        tcg_feature_lse = ((isar0 >> 20) & 0xf) >= 2;
        tcg_feature_crc32 = ((isar0 >> 16) & 0xf) >= 1;
    }
    g_mutex_lock(&run_lock);
    vm_running = false;
    quitting = false;
    g_mutex_unlock(&run_lock);
    for (unsigned i = 0; i < arm_cpu_count; i++) {
        char name[32];
        TcgVcpu *v = tcg_vcpu_create(arm_cpus[i]);
        v->parked = false;
        vcpus[i] = v;
        nvcpus = i + 1;
        snprintf(name, sizeof(name), "CPU %u/TCG", i);
        v->thread = g_thread_new(name, vcpu_thread, v);
    }
    /* Wait until every thread is parked, so the caller sees a quiet VM. */
    g_mutex_lock(&run_lock);
    for (unsigned i = 0; i < nvcpus; i++) {
        while (!vcpus[i]->parked) {
            g_cond_wait(&run_cond, &run_lock);
        }
    }
    g_mutex_unlock(&run_lock);
    return true;
}

static void tcg_resume_all(void)
{
    /* The loader or an incoming migration may have rewritten code pages. */
    tcg_code_invalidate_all();
    g_mutex_lock(&run_lock);
    for (unsigned i = 0; i < nvcpus; i++) {
        tcg_tlb_flush(vcpus[i]);
        vcpus[i]->stop_request = false;
    }
    vm_running = true;
    g_cond_broadcast(&run_cond);
    g_mutex_unlock(&run_lock);
}

static void tcg_pause_all(void)
{
    bool relock = bql_locked();

    if (relock) {
        bql_unlock();
    }
    g_mutex_lock(&run_lock);
    vm_running = false;
    kick_locked();
    for (unsigned i = 0; i < nvcpus; i++) {
        if (vcpus[i] == tcg_current_vcpu) {
            continue;       /* a vCPU pausing the VM (PSCI): itself stops */
        }
        while (!vcpus[i]->parked) {
            g_cond_wait(&run_cond, &run_lock);
        }
    }
    g_mutex_unlock(&run_lock);
    if (relock) {
        bql_lock();
    }
}

static void tcg_kick_all(void)
{
    g_mutex_lock(&run_lock);
    kick_locked();
    g_mutex_unlock(&run_lock);
}

static void tcg_sync_nop(void)
{
    /* The interpreter runs on the common CPU state: nothing to copy. */
}

static unsigned tcg_nr_vcpus(void)
{
    return nvcpus;
}

static int tcg_vcpu_thread_id(unsigned index)
{
    return index < nvcpus ? vcpus[index]->thread_id : -1;
}

static void tcg_shutdown(void)
{
    bool relock = bql_locked();

    if (relock) {
        bql_unlock();
    }
    g_mutex_lock(&run_lock);
    quitting = true;
    kick_locked();
    g_mutex_unlock(&run_lock);
    for (unsigned i = 0; i < nvcpus; i++) {
        if (vcpus[i]->thread && vcpus[i] != tcg_current_vcpu) {
            g_thread_join(vcpus[i]->thread);
            vcpus[i]->thread = NULL;
        }
    }
    if (relock) {
        bql_lock();
    }
}

static const AccelOps tcg_ops = {
    .name = "tcg",
    .available = tcg_available,
    .init_vcpus = tcg_init_vcpus,
    .resume_all = tcg_resume_all,
    .pause_all = tcg_pause_all,
    .kick_all = tcg_kick_all,
    .synchronize_state = tcg_sync_nop,
    .synchronize_post_load = tcg_sync_nop,
    .nr_vcpus = tcg_nr_vcpus,
    .vcpu_thread_id = tcg_vcpu_thread_id,
    .shutdown = tcg_shutdown,
};

void tcg_accel_register(void)
{
    accel_register(&tcg_ops);
}
