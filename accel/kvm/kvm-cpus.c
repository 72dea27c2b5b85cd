/*
 * vCPU threads of the kvm accelerator: one host thread per vCPU looping on
 * KVM_RUN (Documentation/virt/kvm/api.rst 4.10), answering MMIO exits with
 * our devices and PSCI system events with run-state requests.
 *
 * Pausing: pause sets a flag and sends SIG_KICK to each vCPU thread; the
 * handler sets run->immediate_exit, so a KVM_RUN that starts after the
 * flag was set returns EINTR at once (api.rst "immediate_exit") and one
 * already running is interrupted by the signal itself.
 *
 * An MMIO exit leaves PC at the access: KVM finishes the access (and
 * advances PC) only on the next KVM_RUN.  Before a vCPU parks it therefore
 * runs KVM_RUN once with immediate_exit = 1, which completes the access
 * without entering the guest, so saved state never has half an access.
 *
 * Locking: run_lock guards the flags and pairs with run_cond; the big lock
 * is taken only around device accesses and requests.  kvm_vcpus_pause
 * drops the big lock while waiting, so a vCPU blocked on it still parks.
 */
#include "kvm-int.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "system/memory.h"
#include "system/runstate.h"
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <signal.h>

#define SIG_KICK SIGUSR1

static GMutex run_lock;
static GCond run_cond;
static bool vm_running;
static bool quitting;
static unsigned sync_requests;  /* >0: a sync wants every vCPU parked */

static __thread struct kvm_run *current_run;

static void kick_handler(int sig)
{
    struct kvm_run *run = current_run;

    if (run) {
        __atomic_store_n(&run->immediate_exit, 1, __ATOMIC_SEQ_CST);
    }
}

static bool vcpu_can_run(KvmVcpu *v)
{
    return vm_running && !quitting && !sync_requests && !v->stopped;
}

static void report_fatal(KvmVcpu *v, const char *what)
{
    error_report("kvm: vCPU %u: %s", v->index, what);
    v->stopped = true;
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_ERROR);
}

static void handle_mmio(KvmVcpu *v)
{
    struct kvm_run *run = v->run;
    hwaddr addr = run->mmio.phys_addr;
    unsigned len = run->mmio.len;
    uint64_t val = 0;
    MemTxResult r;

    if (len != 1 && len != 2 && len != 4 && len != 8) {
        qemu_log_mask(LOG_GUEST_ERROR, "kvm: MMIO of %u bytes at 0x%"
                      HWADDR_PRIx " ignored\n", len, addr);
        return;
    }
    bql_lock();
    if (run->mmio.is_write) {
        memcpy(&val, run->mmio.data, len);
        r = address_space_st(&address_space_memory, addr, len, val);
    } else {
        r = address_space_ld(&address_space_memory, addr, len, &val);
        memcpy(run->mmio.data, &val, len);
    }
    bql_unlock();
    if (r != MEMTX_OK) {
        /* Unassigned: reads as zero, writes ignored (no external abort). */
        qemu_log_mask(LOG_GUEST_ERROR, "kvm: %s of %u bytes at 0x%"
                      HWADDR_PRIx ": nothing there\n",
                      run->mmio.is_write ? "write" : "read", len, addr);
    }
    v->mmio_pending = true;
}

static void handle_system_event(KvmVcpu *v)
{
    /*
     * PSCI SYSTEM_OFF / SYSTEM_RESET handled in the kernel (api.rst 5,
     * KVM_EXIT_SYSTEM_EVENT); KVM has already overwritten x0-x3 and put
     * every vCPU in the STOPPED MP state, so none runs until the reset.
     */
    v->stopped = true;
    switch (v->run->system_event.type) {
    case KVM_SYSTEM_EVENT_SHUTDOWN:
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        break;
    case KVM_SYSTEM_EVENT_RESET:
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        break;
    default:
        error_report("kvm: vCPU %u: system event %u (guest crash)", v->index,
                     v->run->system_event.type);
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        break;
    }
}

/* One KVM_RUN and its exit; called without run_lock. */
static void vcpu_run_once(KvmVcpu *v)
{
    Error *err = NULL;
    int ret;

    if (v->dirty) {
        if (!kvm_arm_put_registers(v, false, &err)) {
            error_report_err(err);
            report_fatal(v, "cannot load its registers into KVM");
            return;
        }
        if (getenv("ARMVM_KVM_TRACE")) {
            fprintf(stderr, "kvm-trace: vCPU %u put pc=0x%" PRIx64 "\n",
                    v->index, v->cpu->env.pc);
        }
        v->dirty = false;
    }
    ret = ioctl(v->fd, KVM_RUN, 0);
    __atomic_store_n(&v->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
    v->mmio_pending = false;
    if (ret < 0) {
        if (errno == EINTR || errno == EAGAIN) {
            return;
        }
        error_report("kvm: vCPU %u: KVM_RUN: %s", v->index, strerror(errno));
        report_fatal(v, "stopped");
        return;
    }
    if (v->trace_exits) {
        v->trace_exits--;
        fprintf(stderr, "kvm-trace: vCPU %u exit %u mmio 0x%llx len %u w %u "
                "data 0x%llx\n", v->index, v->run->exit_reason,
                (unsigned long long)v->run->mmio.phys_addr, v->run->mmio.len,
                v->run->mmio.is_write,
                (unsigned long long)*(uint64_t *)v->run->mmio.data);
    }
    switch (v->run->exit_reason) {
    case KVM_EXIT_MMIO:
        handle_mmio(v);
        break;
    case KVM_EXIT_INTR:
        break;
    case KVM_EXIT_SYSTEM_EVENT:
        handle_system_event(v);
        break;
    case KVM_EXIT_FAIL_ENTRY:
        report_fatal(v, "KVM_EXIT_FAIL_ENTRY");
        break;
    case KVM_EXIT_INTERNAL_ERROR:
        report_fatal(v, "KVM_EXIT_INTERNAL_ERROR");
        break;
    default: {
        g_autofree char *m = g_strdup_printf("unhandled exit reason %u",
                                             v->run->exit_reason);
        report_fatal(v, m);
        break;
    }
    }
}

/*
 * Finish an answered MMIO access without entering the guest (see the file
 * comment), so PC and the destination register are final.
 */
static void vcpu_complete_mmio(KvmVcpu *v)
{
    if (!v->mmio_pending) {
        return;
    }
    __atomic_store_n(&v->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
    if (ioctl(v->fd, KVM_RUN, 0) < 0 && errno != EINTR) {
        error_report("kvm: vCPU %u: completing MMIO: %s", v->index,
                     strerror(errno));
    }
    __atomic_store_n(&v->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
    v->mmio_pending = false;
}

static gpointer vcpu_thread(gpointer opaque)
{
    KvmVcpu *v = opaque;

    current_run = v->run;
    g_mutex_lock(&run_lock);
    v->pthread = pthread_self();
    v->thread_id = (int)syscall(SYS_gettid);
    for (;;) {
        while (!vcpu_can_run(v) && !quitting) {
            if (!v->parked) {
                g_mutex_unlock(&run_lock);
                vcpu_complete_mmio(v);
                g_mutex_lock(&run_lock);
                v->parked = true;
                g_cond_broadcast(&run_cond);
                continue;   /* flags may have changed while unlocked */
            }
            g_cond_wait(&run_cond, &run_lock);
        }
        if (quitting) {
            break;
        }
        v->parked = false;
        g_mutex_unlock(&run_lock);
        vcpu_run_once(v);
        g_mutex_lock(&run_lock);
    }
    v->parked = true;
    g_cond_broadcast(&run_cond);
    g_mutex_unlock(&run_lock);
    current_run = NULL;
    return NULL;
}

static void kick_locked(void)
{
    for (unsigned i = 0; kvm_state && i < kvm_state->nr_vcpus; i++) {
        KvmVcpu *v = kvm_state->vcpus[i];
        if (v->thread_id && !v->parked) {
            pthread_kill(v->pthread, SIG_KICK);
        }
    }
}

static bool all_parked_locked(void)
{
    for (unsigned i = 0; kvm_state && i < kvm_state->nr_vcpus; i++) {
        if (!kvm_state->vcpus[i]->parked) {
            return false;
        }
    }
    return true;
}

/* Wait until every vCPU is parked; drops the big lock meanwhile. */
static void wait_parked_locked(void)
{
    bool had_bql;

    if (all_parked_locked()) {
        return;
    }
    had_bql = bql_locked();
    if (had_bql) {
        /* Lock order is bql -> run_lock: never take bql holding run_lock. */
        g_mutex_unlock(&run_lock);
        bql_unlock();
        g_mutex_lock(&run_lock);
    }
    while (!all_parked_locked()) {
        kick_locked();
        g_cond_wait_until(&run_cond, &run_lock,
                          g_get_monotonic_time() + 20 * G_TIME_SPAN_MILLISECOND);
    }
    if (had_bql) {
        g_mutex_unlock(&run_lock);
        bql_lock();
        g_mutex_lock(&run_lock);
    }
}

bool kvm_vcpus_create(KvmState *s, bool have_vgic, Error **errp)
{
    struct sigaction sa = { .sa_handler = kick_handler };
    int mmap_size = ioctl(s->fd, KVM_GET_VCPU_MMAP_SIZE, 0);

    if (mmap_size < (int)sizeof(struct kvm_run)) {
        error_setg(errp, "kvm: KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
        return false;
    }
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: KVM_RUN must return EINTR to the loop. */
    sigaction(SIG_KICK, &sa, NULL);

    for (unsigned i = 0; i < arm_cpu_count; i++) {
        KvmVcpu *v = g_new0(KvmVcpu, 1);

        v->cpu = arm_cpus[i];
        v->index = i;
        v->parked = true;
        v->fd = kvm_ioctl_fd(s->vm_fd, KVM_CREATE_VCPU, (void *)(uintptr_t)i);
        if (v->fd < 0) {
            error_setg(errp, "kvm: KVM_CREATE_VCPU %u: %s", i,
                       strerror(-v->fd));
            g_free(v);
            return false;
        }
        v->run_size = mmap_size;
        v->run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED,
                      v->fd, 0);
        if (v->run == MAP_FAILED) {
            error_setg_errno(errp, errno, "kvm: mmap of vCPU %u", i);
            close(v->fd);
            g_free(v);
            return false;
        }
        v->cpu->accel = v;
        /* ARMVM_KVM_TRACE: log the first exits and every register load. */
        v->trace_exits = getenv("ARMVM_KVM_TRACE") ? 8 : 0;
        s->vcpus[s->nr_vcpus++] = v;
        if (!kvm_arm_vcpu_features(s, v, have_vgic, errp) ||
            !kvm_arm_vcpu_init(s, v, errp) || !kvm_arm_get_sysregs(v, errp) ||
            !kvm_arm_import_host_ids(v, errp)) {
            return false;
        }
    }
    return true;
}

void kvm_vcpus_start_threads(KvmState *s)
{
    for (unsigned i = 0; i < s->nr_vcpus; i++) {
        g_autofree char *name = g_strdup_printf("kvm-vcpu-%u", i);
        s->vcpus[i]->thread = g_thread_new(name, vcpu_thread, s->vcpus[i]);
    }
    /* Report thread ids only once every thread has set its own. */
    g_mutex_lock(&run_lock);
    for (unsigned i = 0; i < s->nr_vcpus; i++) {
        while (!s->vcpus[i]->thread_id) {
            g_mutex_unlock(&run_lock);
            g_usleep(1000);
            g_mutex_lock(&run_lock);
        }
    }
    g_mutex_unlock(&run_lock);
}

void kvm_vcpus_resume(void)
{
    g_mutex_lock(&run_lock);
    vm_running = true;
    g_cond_broadcast(&run_cond);
    g_mutex_unlock(&run_lock);
}

void kvm_vcpus_pause(void)
{
    Error *err = NULL;

    g_mutex_lock(&run_lock);
    vm_running = false;
    kick_locked();
    wait_parked_locked();
    g_mutex_unlock(&run_lock);
    /* Nothing writes guest RAM now: hand every write to migration. */
    if (!kvm_dirty_log_sync(&err)) {
        warn_report("%s", error_get_pretty(err));
        error_free(err);
    }
}

void kvm_vcpus_kick(void)
{
    g_mutex_lock(&run_lock);
    g_cond_broadcast(&run_cond);
    kick_locked();
    g_mutex_unlock(&run_lock);
}

void kvm_vcpus_sync_all(bool (*fn)(KvmVcpu *v, Error **errp))
{
    Error *err = NULL;

    if (!kvm_state) {
        return;
    }
    g_mutex_lock(&run_lock);
    sync_requests++;
    kick_locked();
    wait_parked_locked();
    g_mutex_unlock(&run_lock);
    /* Every vCPU is parked: its fd and env are ours until we let go. */
    for (unsigned i = 0; i < kvm_state->nr_vcpus; i++) {
        if (!fn(kvm_state->vcpus[i], &err)) {
            error_report_err(err);
            err = NULL;
        }
    }
    g_mutex_lock(&run_lock);
    sync_requests--;
    g_cond_broadcast(&run_cond);
    g_mutex_unlock(&run_lock);
}

void kvm_vcpus_shutdown(void)
{
    if (!kvm_state) {
        return;
    }
    g_mutex_lock(&run_lock);
    quitting = true;
    g_cond_broadcast(&run_cond);
    kick_locked();
    g_mutex_unlock(&run_lock);
    for (unsigned i = 0; i < kvm_state->nr_vcpus; i++) {
        KvmVcpu *v = kvm_state->vcpus[i];
        if (v->thread) {
            bool had_bql = bql_locked();
            if (had_bql) {
                bql_unlock();
            }
            while (!__atomic_load_n(&v->parked, __ATOMIC_ACQUIRE)) {
                kvm_vcpus_kick();
                g_usleep(1000);
            }
            g_thread_join(v->thread);
            v->thread = NULL;
            if (had_bql) {
                bql_lock();
            }
        }
    }
}
