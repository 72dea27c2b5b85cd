/*
 * Run states, as QMP's query-status reports them, and the requests that move
 * between them (shutdown, reset, stop, cont).
 */
#ifndef SYSTEM_RUNSTATE_H
#define SYSTEM_RUNSTATE_H

#include "qemu/osdep.h"
#include "qapi/error.h"

typedef enum RunState {
    RUN_STATE_PRELAUNCH,
    RUN_STATE_RUNNING,
    RUN_STATE_PAUSED,
    RUN_STATE_INMIGRATE,
    RUN_STATE_POSTMIGRATE,
    RUN_STATE_FINISH_MIGRATE,
    RUN_STATE_SHUTDOWN,
    RUN_STATE_INTERNAL_ERROR,
    RUN_STATE__MAX,
} RunState;

typedef enum ShutdownCause {
    SHUTDOWN_CAUSE_NONE,
    SHUTDOWN_CAUSE_HOST_QMP_QUIT,
    SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET,
    SHUTDOWN_CAUSE_HOST_SIGNAL,
    SHUTDOWN_CAUSE_GUEST_SHUTDOWN,
    SHUTDOWN_CAUSE_GUEST_RESET,
    SHUTDOWN_CAUSE_HOST_ERROR,
} ShutdownCause;

const char *runstate_name(RunState state);
RunState runstate_get(void);
bool runstate_is_running(void);
void runstate_set(RunState state);

/* Start the vCPUs and the virtual clock; emits RESUME. */
void vm_start(void);
/* Stop the vCPUs (waits until they are out of guest code); emits STOP. */
void vm_stop(RunState state);

typedef void VMChangeStateHandler(void *opaque, bool running, RunState state);
void qemu_add_vm_change_state_handler(VMChangeStateHandler *cb, void *opaque);

/* Requests, served by the main loop; safe from any thread. */
void qemu_system_shutdown_request(ShutdownCause cause);
void qemu_system_reset_request(ShutdownCause cause);
const char *shutdown_cause_name(ShutdownCause cause);
/* Main loop: act on pending requests; true when the process should exit. */
bool main_loop_should_exit(int *status);

/* Reset handlers run in registration order on system_reset. */
void qemu_register_reset(void (*fn)(void *opaque), void *opaque);
void qemu_system_reset(ShutdownCause cause);

/* -no-shutdown is not supported; a guest poweroff ends the process. */

#endif
