/*
 * The accelerator interface: how the system layer starts, pauses and resumes
 * vCPUs without knowing whether they run in our interpreter, in KVM, or not
 * at all (qtest).
 */
#ifndef SYSTEM_CPUS_H
#define SYSTEM_CPUS_H

#include "qemu/osdep.h"
#include "qapi/error.h"

typedef struct MachineState MachineState;

typedef struct AccelOps {
    const char *name;                          /* "tcg", "kvm", "qtest" */
    /* Is this accelerator usable on this host?  (kvm: /dev/kvm opens) */
    bool (*available)(void);
    /* After the board is built: create vCPU threads (parked). */
    bool (*init_vcpus)(MachineState *ms, Error **errp);
    /* Let parked vCPUs run guest code. */
    void (*resume_all)(void);
    /* Return once no vCPU is executing guest code. */
    void (*pause_all)(void);
    /* Wake vCPUs (interrupt raised, work queued). */
    void (*kick_all)(void);
    /* Bring vCPU architectural state into the common model (KVM: GET). */
    void (*synchronize_state)(void);
    /* Push the common model into the accelerator (KVM: SET). */
    void (*synchronize_post_load)(void);
    /* Number of vCPUs and their reported thread ids for query-cpus-fast. */
    unsigned (*nr_vcpus)(void);
    int (*vcpu_thread_id)(unsigned index);
    void (*shutdown)(void);
} AccelOps;

void accel_register(const AccelOps *ops);
const AccelOps *accel_find(const char *name);
const AccelOps *current_accel(void);
void accel_set_current(const AccelOps *ops);

void pause_all_vcpus(void);
void resume_all_vcpus(void);
void cpu_synchronize_all_states(void);
void cpu_synchronize_all_post_load(void);

#endif
