/*
 * The "kvm" accelerator: a VM on the host's /dev/kvm (aarch64 hosts).
 *
 * This file owns the VM: opening /dev/kvm, KVM_CREATE_VM, one memory slot
 * per RAM region (KVM_SET_USER_MEMORY_REGION), dirty logging for
 * migration, and the AccelOps table the system layer drives.  vCPU threads
 * and the KVM_RUN loop are in kvm-cpus.c; the ARM register sync is in
 * target/arm/kvm.c.  Documentation/virt/kvm/api.rst is the reference.
 */
#include "kvm-int.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "system/cpus.h"
#include "system/memory.h"
#include "system/runstate.h"
#include "hw/boards.h"
#include "hw/intc/virt-intc.h"
#include "migration/migration.h"
#include <sys/ioctl.h>
#include <fcntl.h>

KvmState *kvm_state;

int kvm_ioctl_fd(int fd, unsigned long req, void *arg)
{
    int r;

    do {
        r = ioctl(fd, req, arg);
    } while (r < 0 && errno == EINTR);
    return r < 0 ? -errno : r;
}

static bool kvm_accel_available(void)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    bool ok;

    if (fd < 0) {
        return false;
    }
    /* KVM_GET_API_VERSION has been 12 since Linux 2.6.22 (api.rst 4.1). */
    ok = ioctl(fd, KVM_GET_API_VERSION, 0) == KVM_API_VERSION;
    close(fd);
    return ok;
}

static bool kvm_set_slot(KvmState *s, KvmSlot *slot, Error **errp)
{
    struct kvm_userspace_memory_region r = {
        .slot = slot->slot,
        .flags = slot->log_dirty ? KVM_MEM_LOG_DIRTY_PAGES : 0,
        .guest_phys_addr = slot->mr->addr,
        .memory_size = slot->mr->size,
        .userspace_addr = (uintptr_t)slot->mr->host,
    };
    int ret = kvm_ioctl_fd(s->vm_fd, KVM_SET_USER_MEMORY_REGION, &r);

    if (ret < 0) {
        error_setg(errp, "kvm: memory slot for '%s' at 0x%" HWADDR_PRIx
                   " (%" PRIu64 " bytes): %s", slot->mr->name, slot->mr->addr,
                   slot->mr->size, strerror(-ret));
        return false;
    }
    return true;
}

typedef struct SlotAdd {
    KvmState *s;
    Error **errp;
    bool ok;
} SlotAdd;

static void add_ram_slot(MemoryRegion *mr, void *opaque)
{
    SlotAdd *a = opaque;
    KvmSlot *slot;

    if (!a->ok) {
        return;
    }
    if (a->s->nr_slots == KVM_MAX_SLOTS) {
        error_setg(a->errp, "kvm: more than %d RAM regions", KVM_MAX_SLOTS);
        a->ok = false;
        return;
    }
    slot = &a->s->slots[a->s->nr_slots];
    slot->mr = mr;
    slot->slot = a->s->nr_slots;
    slot->log_dirty = true;
    a->ok = kvm_set_slot(a->s, slot, a->errp);
    if (a->ok) {
        a->s->nr_slots++;
    }
}

/*
 * Dirty logging for RAM pre-copy (api.rst 4.8 KVM_GET_DIRTY_LOG).  Every
 * slot logs from creation (KVM_MEM_LOG_DIRTY_PAGES): the cost is one
 * write-protect fault per page after each fetch, and it means no write is
 * ever missed.  kvm_dirty_log_sync folds the kernel's log into the RAM
 * regions' own bitmaps, which migration reads as for any accelerator:
 *   - a poll thread folds it every DIRTY_POLL_MS while an outgoing
 *     migration is in setup or active (keeps the pending estimate honest);
 *   - kvm_vcpus_pause folds it once every vCPU is parked, so the final
 *     pass after vm_stop sees every page written until the guest stopped.
 * The kernel log accumulates between fetches, so folding late is never
 * wrong, only less precise.
 */
#define DIRTY_POLL_MS 20
static GMutex dirty_lock;
static bool dirty_poll_quit;
static GThread *dirty_poll_thread;

static gpointer dirty_poll(gpointer opaque)
{
    while (!__atomic_load_n(&dirty_poll_quit, __ATOMIC_ACQUIRE)) {
        MigrationStatus st = migration_outgoing_status();
        Error *err = NULL;

        if ((st == MIGRATION_STATUS_SETUP || st == MIGRATION_STATUS_ACTIVE) &&
            !kvm_dirty_log_sync(&err)) {
            warn_report("%s", error_get_pretty(err));
            error_free(err);
        }
        g_usleep(DIRTY_POLL_MS * 1000);
    }
    return NULL;
}

bool kvm_dirty_log_sync(Error **errp)
{
    KvmState *s = kvm_state;
    g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&dirty_lock);

    for (unsigned i = 0; s && i < s->nr_slots; i++) {
        KvmSlot *slot = &s->slots[i];
        uint64_t pages = slot->mr->size >> TARGET_PAGE_BITS;
        size_t words = (pages + 63) / 64;
        g_autofree uint64_t *bm = NULL;
        struct kvm_dirty_log log = { .slot = slot->slot };
        int ret;

        if (!slot->log_dirty) {
            continue;
        }
        bm = g_new0(uint64_t, words);
        log.dirty_bitmap = bm;
        ret = kvm_ioctl_fd(s->vm_fd, KVM_GET_DIRTY_LOG, &log);
        if (ret < 0) {
            error_setg(errp, "kvm: KVM_GET_DIRTY_LOG of '%s': %s",
                       slot->mr->name, strerror(-ret));
            return false;
        }
        for (size_t w = 0; w < words; w++) {
            uint64_t bits = bm[w];
            while (bits) {
                unsigned b = __builtin_ctzll(bits);
                bits &= bits - 1;
                memory_region_set_dirty(slot->mr,
                                        ((hwaddr)w * 64 + b) << TARGET_PAGE_BITS,
                                        TARGET_PAGE_SIZE);
            }
        }
    }
    return true;
}

/*
 * A full load (registers, timer count, MP state) of one vCPU, done with
 * every vCPU parked: were it left to each vCPU thread before its first
 * KVM_RUN, a secondary could load "powered off" after the boot vCPU had
 * already started it with PSCI CPU_ON.
 */
static bool kvm_put_full(KvmVcpu *v, Error **errp)
{
    if (!kvm_arm_put_registers(v, true, errp)) {
        return false;
    }
    v->dirty = false;
    return true;
}

static bool kvm_put_all_full(KvmState *s, Error **errp)
{
    for (unsigned i = 0; i < s->nr_vcpus; i++) {
        if (!kvm_put_full(s->vcpus[i], errp)) {
            return false;
        }
    }
    return true;
}

/*
 * After a system reset the board has put the boot state into env; each
 * vCPU is reset in the kernel (KVM_ARM_VCPU_INIT again) and gets it back.
 * Registered after the board's handler, so it runs after it.
 */
static void kvm_reset_handler(void *opaque)
{
    KvmState *s = opaque;
    Error *err = NULL;

    for (unsigned i = 0; i < s->nr_vcpus; i++) {
        KvmVcpu *v = s->vcpus[i];
        if (!kvm_arm_vcpu_init(s, v, &err) || !kvm_arm_get_sysregs(v, &err)) {
            error_report_err(err);
            err = NULL;
            qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_ERROR);
            return;
        }
        v->stopped = false;
        v->mmio_pending = false;
    }
    /* The board reset the GIC model; the kernel's vGIC gets that state. */
    if ((virt_intc_gicv3() && virt_intc_gicv3()->ops &&
         !virt_intc_gicv3()->ops->post_load(virt_intc_gicv3(), &err)) ||
        (virt_intc_gicv2() && virt_intc_gicv2()->ops &&
         !virt_intc_gicv2()->ops->post_load(virt_intc_gicv2(), &err)) ||
        !kvm_put_all_full(s, &err)) {
        error_report_err(err);
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_ERROR);
    }
}

static bool kvm_accel_init_vcpus(MachineState *ms, Error **errp)
{
    KvmState *s = g_new0(KvmState, 1);
    SlotAdd add = { .s = s, .errp = errp, .ok = true };
    int ret;

    s->fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (s->fd < 0) {
        error_setg_errno(errp, errno, "kvm: cannot open /dev/kvm");
        goto fail;
    }
    /* Machine type 0: the default 40-bit IPA space, enough for virt. */
    s->vm_fd = kvm_ioctl_fd(s->fd, KVM_CREATE_VM, (void *)0);
    if (s->vm_fd < 0) {
        error_setg(errp, "kvm: KVM_CREATE_VM: %s", strerror(-s->vm_fd));
        goto fail;
    }
    s->max_vcpus = ioctl(s->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
    if (s->max_vcpus > 0 && arm_cpu_count > (unsigned)s->max_vcpus) {
        error_setg(errp, "kvm: -smp %u exceeds the host's limit of %d vCPUs",
                   arm_cpu_count, s->max_vcpus);
        goto fail;
    }
    address_space_foreach_ram(&address_space_memory, add_ram_slot, &add);
    if (!add.ok) {
        goto fail;
    }
    kvm_state = s;
    if (!kvm_vcpus_create(s, virt_intc_gicv3() || virt_intc_gicv2(), errp)) {
        kvm_state = NULL;
        goto fail;
    }
    /*
     * The in-kernel vGIC replaces the board's emulated one; it must be
     * initialised after every vCPU exists and before any runs, and the
     * vCPUs' PMUs after it.
     */
    if (virt_intc_gicv3() &&
        !kvm_arm_gicv3_connect(virt_intc_gicv3(), s->vm_fd, errp)) {
        return false;
    }
    if (virt_intc_gicv2() &&
        !kvm_arm_gic_connect(virt_intc_gicv2(), s->vm_fd, errp)) {
        return false;
    }
    for (unsigned i = 0; i < s->nr_vcpus; i++) {
        if (!kvm_arm_vcpu_pmu_init(s->vcpus[i], errp)) {
            return false;
        }
    }
    /* The board's boot state (PC, x0, PSTATE, who is powered on). */
    if (!kvm_put_all_full(s, errp)) {
        return false;
    }
    kvm_vcpus_start_threads(s);
    qemu_register_reset(kvm_reset_handler, s);
    kvm_qmp_register();
    kvm_arm_install_hooks();
    dirty_poll_thread = g_thread_new("kvm-dirty-poll", dirty_poll, NULL);
    return true;

fail:
    if (s->fd >= 0) {
        close(s->fd);
    }
    ret = s->vm_fd;
    if (ret > 0) {
        close(ret);
    }
    g_free(s);
    return false;
}

static bool sync_get(KvmVcpu *v, Error **errp)
{
    /* env already newer (nothing ran since the last put or sync). */
    if (v->dirty) {
        return true;
    }
    if (!kvm_arm_get_registers(v, errp)) {
        return false;
    }
    /* Whoever asked may edit env: push it back before the next run. */
    v->dirty = true;
    return true;
}

static bool sync_post_load(KvmVcpu *v, Error **errp)
{
    if (!kvm_arm_put_incoming(v, errp)) {
        return false;
    }
    v->dirty = false;
    return true;
}

static void kvm_accel_synchronize_state(void)
{
    kvm_vcpus_sync_all(sync_get);
}

static void kvm_accel_synchronize_post_load(void)
{
    kvm_vcpus_sync_all(sync_post_load);
}

static unsigned kvm_accel_nr_vcpus(void)
{
    return kvm_state ? kvm_state->nr_vcpus : 0;
}

static int kvm_accel_vcpu_thread_id(unsigned index)
{
    if (!kvm_state || index >= kvm_state->nr_vcpus) {
        return getpid();
    }
    return kvm_state->vcpus[index]->thread_id;
}

static void kvm_accel_shutdown(void)
{
    if (dirty_poll_thread) {
        __atomic_store_n(&dirty_poll_quit, true, __ATOMIC_RELEASE);
        g_thread_join(dirty_poll_thread);
        dirty_poll_thread = NULL;
    }
    kvm_vcpus_shutdown();
}

static const AccelOps kvm_accel_ops = {
    .name = "kvm",
    .available = kvm_accel_available,
    .init_vcpus = kvm_accel_init_vcpus,
    .resume_all = kvm_vcpus_resume,
    .pause_all = kvm_vcpus_pause,
    .kick_all = kvm_vcpus_kick,
    .synchronize_state = kvm_accel_synchronize_state,
    .synchronize_post_load = kvm_accel_synchronize_post_load,
    .nr_vcpus = kvm_accel_nr_vcpus,
    .vcpu_thread_id = kvm_accel_vcpu_thread_id,
    .shutdown = kvm_accel_shutdown,
};

void kvm_accel_register(void);

void kvm_accel_register(void)
{
    if (!accel_find("kvm")) {
        accel_register(&kvm_accel_ops);
    }
}
