/*
 * Run state and the shutdown/reset requests (see include/system/runstate.h).
 *
 * Requests may come from vCPU threads (PSCI SYSTEM_OFF) or from signal
 * handlers; they only set a flag and wake the main loop, which acts on them
 * with the big lock held.
 */
#include "qemu/osdep.h"
#include "system/runstate.h"
#include "system/cpus.h"
#include "system/event.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"

static RunState current_state = RUN_STATE_PRELAUNCH;
static volatile int shutdown_requested;  /* a ShutdownCause, 0 = none */
static volatile int reset_requested;

static const char *const runstate_names[RUN_STATE__MAX] = {
    [RUN_STATE_PRELAUNCH] = "prelaunch",
    [RUN_STATE_RUNNING] = "running",
    [RUN_STATE_PAUSED] = "paused",
    [RUN_STATE_INMIGRATE] = "inmigrate",
    [RUN_STATE_POSTMIGRATE] = "postmigrate",
    [RUN_STATE_FINISH_MIGRATE] = "finish-migrate",
    [RUN_STATE_SHUTDOWN] = "shutdown",
    [RUN_STATE_INTERNAL_ERROR] = "internal-error",
};

static const char *const cause_names[] = {
    [SHUTDOWN_CAUSE_NONE] = "none",
    [SHUTDOWN_CAUSE_HOST_QMP_QUIT] = "host-qmp-quit",
    [SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET] = "host-qmp-system-reset",
    [SHUTDOWN_CAUSE_HOST_SIGNAL] = "host-signal",
    [SHUTDOWN_CAUSE_GUEST_SHUTDOWN] = "guest-shutdown",
    [SHUTDOWN_CAUSE_GUEST_RESET] = "guest-reset",
    [SHUTDOWN_CAUSE_HOST_ERROR] = "host-error",
};

typedef struct ChangeHandler {
    VMChangeStateHandler *cb;
    void *opaque;
} ChangeHandler;

static GArray *change_handlers;
static GArray *reset_handlers;

const char *runstate_name(RunState state)
{
    return state < RUN_STATE__MAX ? runstate_names[state] : "unknown";
}

const char *shutdown_cause_name(ShutdownCause cause)
{
    return cause < ARRAY_SIZE(cause_names) ? cause_names[cause] : "unknown";
}

RunState runstate_get(void)
{
    return current_state;
}

bool runstate_is_running(void)
{
    return current_state == RUN_STATE_RUNNING;
}

static void notify_change(bool running, RunState state)
{
    for (guint i = 0; change_handlers && i < change_handlers->len; i++) {
        ChangeHandler *h = &g_array_index(change_handlers, ChangeHandler, i);
        h->cb(h->opaque, running, state);
    }
}

void runstate_set(RunState state)
{
    current_state = state;
}

void qemu_add_vm_change_state_handler(VMChangeStateHandler *cb, void *opaque)
{
    ChangeHandler h = { cb, opaque };

    if (!change_handlers) {
        change_handlers = g_array_new(FALSE, FALSE, sizeof(ChangeHandler));
    }
    g_array_append_val(change_handlers, h);
}

void vm_start(void)
{
    if (runstate_is_running()) {
        return;
    }
    qemu_clock_enable_virtual(true);
    runstate_set(RUN_STATE_RUNNING);
    notify_change(true, RUN_STATE_RUNNING);
    resume_all_vcpus();
    qapi_event_emit("RESUME", NULL);
}

void vm_stop(RunState state)
{
    if (runstate_is_running()) {
        pause_all_vcpus();
        qemu_clock_enable_virtual(false);
        runstate_set(state);
        notify_change(false, state);
        qapi_event_emit("STOP", NULL);
        return;
    }
    runstate_set(state);
}

void qemu_system_shutdown_request(ShutdownCause cause)
{
    __atomic_store_n(&shutdown_requested, cause ? cause : 1, __ATOMIC_SEQ_CST);
    qemu_notify_event();
}

void qemu_system_reset_request(ShutdownCause cause)
{
    __atomic_store_n(&reset_requested, cause ? cause : 1, __ATOMIC_SEQ_CST);
    qemu_notify_event();
}

typedef struct ResetHandler {
    void (*fn)(void *opaque);
    void *opaque;
} ResetHandler;

void qemu_register_reset(void (*fn)(void *opaque), void *opaque)
{
    ResetHandler h = { fn, opaque };

    if (!reset_handlers) {
        reset_handlers = g_array_new(FALSE, FALSE, sizeof(ResetHandler));
    }
    g_array_append_val(reset_handlers, h);
}

void qemu_system_reset(ShutdownCause cause)
{
    for (guint i = 0; reset_handlers && i < reset_handlers->len; i++) {
        ResetHandler *h = &g_array_index(reset_handlers, ResetHandler, i);
        h->fn(h->opaque);
    }
    if (cause != SHUTDOWN_CAUSE_NONE) {
        JsonObject *data = json_object_new();
        json_object_set_boolean_member(data, "guest",
                                       cause == SHUTDOWN_CAUSE_GUEST_RESET);
        json_object_set_string_member(data, "reason",
                                      shutdown_cause_name(cause));
        qapi_event_emit("RESET", data);
    }
}

bool main_loop_should_exit(int *status)
{
    int cause = __atomic_exchange_n(&shutdown_requested, 0, __ATOMIC_SEQ_CST);

    if (cause) {
        JsonObject *data = json_object_new();
        json_object_set_boolean_member(data, "guest",
                                       cause == SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        json_object_set_string_member(data, "reason",
                                      shutdown_cause_name(cause));
        qapi_event_emit("SHUTDOWN", data);
        if (runstate_is_running()) {
            pause_all_vcpus();
        }
        runstate_set(RUN_STATE_SHUTDOWN);
        *status = cause == SHUTDOWN_CAUSE_HOST_ERROR ? 1 : 0;
        return true;
    }
    cause = __atomic_exchange_n(&reset_requested, 0, __ATOMIC_SEQ_CST);
    if (cause) {
        bool was_running = runstate_is_running();
        if (was_running) {
            pause_all_vcpus();
        }
        qemu_system_reset(cause);
        if (was_running) {
            resume_all_vcpus();
        }
    }
    return false;
}
