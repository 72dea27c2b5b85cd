/*
 * Private state of the kvm accelerator, shared by kvm-all.c (the VM,
 * memory slots, AccelOps), kvm-cpus.c (vCPU threads and the KVM_RUN loop)
 * and target/arm/kvm.c (vCPU init and register sync).
 *
 * Built only for aarch64 hosts (accel/kvm/meson.build, kvm_ss).
 */
#ifndef ACCEL_KVM_KVM_INT_H
#define ACCEL_KVM_KVM_INT_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "system/memory.h"
#include "target/arm/cpu.h"
#include <linux/kvm.h>
#include <pthread.h>

#define KVM_MAX_SLOTS 32

typedef struct KvmSlot {
    MemoryRegion *mr;
    uint32_t slot;
    bool log_dirty;
} KvmSlot;

typedef struct KvmVcpu {
    ARMCPU *cpu;
    unsigned index;
    int fd;
    struct kvm_run *run;
    size_t run_size;
    GThread *thread;
    pthread_t pthread;  /* for the kick signal; valid once thread_id != 0 */
    int thread_id;

    /* Run control, under kvm_run_lock (kvm-cpus.c). */
    bool parked;        /* in its parking spot, not in KVM_RUN */
    bool stopped;       /* PSCI SYSTEM_OFF/RESET or a fatal exit: wait
                         * for a reset before running again */
    /* Touched only with the vCPU parked or on its own thread. */
    bool dirty;         /* env is newer than KVM: put before KVM_RUN
                         * (runtime put; full ones are done by kvm-all.c
                         * with every vCPU parked) */
    bool mmio_pending;
    unsigned trace_exits;
    bool pmu;           /* KVM_ARM_VCPU_PMU_V3 requested */   /* ARMVM_KVM_TRACE: exits left to log */  /* an MMIO exit was answered but not yet completed
                         * by a KVM_RUN (PC still at the access) */

    /*
     * The vCPU's KVM register list minus core and SVE registers, sorted,
     * with the last values read (KVM_GET_REG_LIST, KVM_GET_ONE_REG).
     * Values of registers our table has no storage for live only here.
     */
    uint64_t *reg_ids;
    uint64_t *reg_vals;
    unsigned nr_regs;
} KvmVcpu;

typedef struct KvmState {
    int fd;             /* /dev/kvm */
    int vm_fd;
    KvmSlot slots[KVM_MAX_SLOTS];
    unsigned nr_slots;
    KvmVcpu *vcpus[ARM_MAX_CPUS];
    unsigned nr_vcpus;
    int max_vcpus;
} KvmState;

extern KvmState *kvm_state;

/* ioctl on fd with EINTR retried; -errno on failure. */
int kvm_ioctl_fd(int fd, unsigned long req, void *arg);

/* kvm-all.c: fold KVM's dirty log into the RAM regions' bitmaps. */
bool kvm_dirty_log_sync(Error **errp);

/* kvm-qmp.c: x-query-kvm-regs. */
void kvm_qmp_register(void);

/* kvm-cpus.c */
bool kvm_vcpus_create(KvmState *s, bool have_vgic, Error **errp);
/* Start the (parked) vCPU threads once the vGIC is set up. */
void kvm_vcpus_start_threads(KvmState *s);
void kvm_vcpus_resume(void);
void kvm_vcpus_pause(void);
void kvm_vcpus_kick(void);
void kvm_vcpus_shutdown(void);
/* Run fn(v) on every vCPU with all of them parked. */
void kvm_vcpus_sync_all(bool (*fn)(KvmVcpu *v, Error **errp));

/* hw/intc/arm_gic*_kvm.c: the in-kernel vGIC behind the board's GIC. */
typedef struct GICv3State GICv3State;
bool kvm_arm_gicv3_connect(GICv3State *s, int vm_fd, Error **errp);
typedef struct GICState GICState;
bool kvm_arm_gic_connect(GICState *s, int vm_fd, Error **errp);

/* target/arm/kvm.c: the ARM side of a vCPU. */
bool kvm_arm_vcpu_init(KvmState *s, KvmVcpu *v, Error **errp);
bool kvm_arm_get_registers(KvmVcpu *v, Error **errp);
bool kvm_arm_put_registers(KvmVcpu *v, bool full, Error **errp);
bool kvm_arm_vcpu_features(KvmState *s, KvmVcpu *v, bool have_vgic,
                           Error **errp);
bool kvm_arm_vcpu_pmu_init(KvmVcpu *v, Error **errp);
bool kvm_arm_import_host_ids(KvmVcpu *v, Error **errp);
/* Read the sysreg list only (after KVM_ARM_VCPU_INIT reset it). */
bool kvm_arm_get_sysregs(KvmVcpu *v, Error **errp);
/* Full put after an incoming migration, per the reconciliation plan. */
bool kvm_arm_put_incoming(KvmVcpu *v, Error **errp);
/* While an incoming stream loads (vGIC post_load): would every vCPU's
 * state reconcile with this kernel?  True when no migration is loading. */
bool kvm_arm_check_incoming(Error **errp);
/* arm_preflight_kvm_list_hook and the other hooks target/arm calls. */
void kvm_arm_install_hooks(void);

#endif
