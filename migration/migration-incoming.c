/*
 * Incoming migration: listen (tcp:, unix:) or open (fd:, exec:, file:),
 * load the stream on a thread of its own, then decide the run state from
 * the "globalstate" section (facts 2.6).
 *
 * RAM is loaded without the big lock so QMP and qtest stay responsive
 * (the migration test polls guest memory on the destination while the
 * stream arrives, facts 4.3); device sections are loaded with it.
 *
 * A failed load prints one line naming the cause.  The process then exits
 * with status 1 unless it was started with "-incoming defer", in which case
 * it waits for another migrate-incoming.
 */
#include "qemu/osdep.h"
#include <sys/socket.h>
#include <glib-unix.h>
#include "qemu/main-loop.h"
#include "system/runstate.h"
#include "system/cpus.h"
#include "migration/savevm.h"
#include "migration-state.h"

typedef struct IncomingState {
    GMutex lock;
    MigrationStatus status;
    bool exit_on_error;
    bool autostart;
    int listen_fd;
    guint watch;
    pid_t child;
    GThread *thread;
    QEMUFile *file;            /* while loading, for shutdown */
    char *error_desc;
    char *addr_type, *addr_host, *addr_port, *addr_path;
    /* Result handed from the thread to the main loop. */
    bool ok;
    Error *err;
} IncomingState;

static IncomingState incoming = {
    .listen_fd = -1,
    .autostart = true,
};

MigrationStatus migration_incoming_status(void)
{
    MigrationStatus st;

    g_mutex_lock(&incoming.lock);
    st = incoming.status;
    g_mutex_unlock(&incoming.lock);
    return st;
}

/* Big lock held. */
static void set_status(MigrationStatus st)
{
    g_mutex_lock(&incoming.lock);
    incoming.status = st;
    g_mutex_unlock(&incoming.lock);
    migration_emit_status(st);
}

void migration_incoming_set_autostart(bool autostart)
{
    incoming.autostart = autostart;
}

static void close_listener(void)
{
    if (incoming.watch) {
        g_source_remove(incoming.watch);
        incoming.watch = 0;
    }
    if (incoming.listen_fd >= 0) {
        close(incoming.listen_fd);
        incoming.listen_fd = -1;
    }
}

/* The run state the source had decides ours (facts 2.6). */
static void enter_received_runstate(void)
{
    const char *rs = global_state_received_runstate();

    if (!rs || !strcmp(rs, "running")) {
        if (incoming.autostart) {
            vm_start();
        } else {
            runstate_set(RUN_STATE_PAUSED);
        }
        return;
    }
    for (int i = 0; i < RUN_STATE__MAX; i++) {
        if (!strcmp(runstate_name(i), rs) && i != RUN_STATE_RUNNING &&
            i != RUN_STATE_INMIGRATE && i != RUN_STATE_FINISH_MIGRATE) {
            runstate_set(i);
            return;
        }
    }
    runstate_set(RUN_STATE_PAUSED);
}

/* Main thread, big lock held: act on the load's result. */
static void incoming_done(void *opaque)
{
    if (incoming.thread) {
        g_thread_join(incoming.thread);
        incoming.thread = NULL;
    }
    if (incoming.ok) {
        cpu_synchronize_all_post_load();
        set_status(MIGRATION_STATUS_COMPLETED);
        enter_received_runstate();
        return;
    }
    error_report("load of migration failed: %s",
                 incoming.err ? error_get_pretty(incoming.err) : "unknown");
    g_mutex_lock(&incoming.lock);
    g_free(incoming.error_desc);
    incoming.error_desc = g_strdup(incoming.err ?
                                   error_get_pretty(incoming.err) : "unknown");
    g_mutex_unlock(&incoming.lock);
    error_free(incoming.err);
    incoming.err = NULL;
    set_status(MIGRATION_STATUS_FAILED);
    if (incoming.exit_on_error) {
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_ERROR);
    }
}

static gpointer incoming_thread(gpointer opaque)
{
    int fd = GPOINTER_TO_INT(opaque);
    QEMUFile *f = qemu_file_new_fd(fd, false);
    Error *err = NULL;
    bool ok;

    g_mutex_lock(&incoming.lock);
    incoming.file = f;
    g_mutex_unlock(&incoming.lock);
    bql_lock();
    set_status(MIGRATION_STATUS_ACTIVE);
    bql_unlock();
    qemu_loadvm_set_lock_hooks(bql_lock, bql_unlock);
    ok = qemu_loadvm_state(f, &err);
    /* The source waits for our verdict before it lets its guest go. */
    if (qemu_loadvm_return_path_requested() && qemu_file_is_socket(f)) {
        uint8_t shut[8] = { 0, MIG_RP_MSG_SHUT, 0, 4, 0, 0, 0, ok ? 0 : 1 };
        if (send(qemu_file_fd(f), shut, sizeof(shut), MSG_NOSIGNAL) < 0) {
            /* The source is gone; our own result stands. */
        }
    }
    g_mutex_lock(&incoming.lock);
    incoming.file = NULL;
    g_mutex_unlock(&incoming.lock);
    qemu_fclose(f);
    if (incoming.child) {
        Error *reap_err = NULL;
        mig_channel_reap(incoming.child, &reap_err);
        error_free(reap_err);       /* the stream decided already */
        incoming.child = 0;
    }
    incoming.ok = ok;
    incoming.err = err;
    qemu_bh_schedule_oneshot(incoming_done, NULL);
    return NULL;
}

static void start_thread(int fd)
{
    incoming.thread = g_thread_new("mig-incoming", incoming_thread,
                                   GINT_TO_POINTER(fd));
}

static gboolean on_accept(gint listen_fd, GIOCondition cond, gpointer data)
{
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

    if (fd < 0) {
        return G_SOURCE_CONTINUE;   /* EINTR, EAGAIN: wait for the next */
    }
    /* One connection per migration. */
    incoming.watch = 0;
    close(incoming.listen_fd);
    incoming.listen_fd = -1;
    start_thread(fd);
    return G_SOURCE_REMOVE;
}

bool migration_incoming_begin(const char *uri, bool exit_on_error,
                              Error **errp)
{
    MigrationStatus st = migration_incoming_status();
    MigUri *u;
    int fd;
    bool ok;

    if (st == MIGRATION_STATUS_SETUP || st == MIGRATION_STATUS_ACTIVE) {
        error_setg(errp, "An incoming migration is already in progress");
        return false;
    }
    if (st == MIGRATION_STATUS_COMPLETED) {
        error_setg(errp, "The incoming migration has already completed");
        return false;
    }
    if (runstate_get() != RUN_STATE_INMIGRATE) {
        error_setg(errp, "'-incoming' was not specified on the command line");
        return false;
    }
    u = mig_uri_parse(uri, errp);
    if (!u) {
        return false;
    }
    ok = mig_channel_listen(u, &incoming.listen_fd, &fd, &incoming.child,
                            errp);
    mig_uri_free(u);
    if (!ok) {
        return false;
    }
    incoming.exit_on_error = exit_on_error;
    g_free(incoming.error_desc);
    incoming.error_desc = NULL;
    set_status(MIGRATION_STATUS_SETUP);
    if (incoming.listen_fd >= 0) {
        g_free(incoming.addr_type);
        g_free(incoming.addr_host);
        g_free(incoming.addr_port);
        g_free(incoming.addr_path);
        mig_channel_local_address(incoming.listen_fd, &incoming.addr_type,
                                  &incoming.addr_host, &incoming.addr_port,
                                  &incoming.addr_path);
        incoming.watch = g_unix_fd_add(incoming.listen_fd, G_IO_IN, on_accept,
                                       NULL);
    } else {
        start_thread(fd);
    }
    return true;
}

bool migration_incoming_start(const char *uri, Error **errp)
{
    if (!strcmp(uri, "defer")) {
        return true;    /* migrate-incoming will follow */
    }
    return migration_incoming_begin(uri, true, errp);
}

void migration_incoming_query(JsonObject *info)
{
    g_mutex_lock(&incoming.lock);
    json_object_set_string_member(info, "status",
                                  migration_status_name(incoming.status));
    if (incoming.addr_type && incoming.status == MIGRATION_STATUS_SETUP) {
        JsonArray *arr = json_array_new();
        JsonObject *a = json_object_new();
        json_object_set_string_member(a, "type", incoming.addr_type);
        if (incoming.addr_path) {
            json_object_set_string_member(a, "path", incoming.addr_path);
        } else {
            json_object_set_string_member(a, "host", incoming.addr_host);
            json_object_set_string_member(a, "port", incoming.addr_port);
        }
        json_array_add_object_element(arr, a);
        json_object_set_array_member(info, "socket-address", arr);
    }
    if (incoming.error_desc && incoming.status == MIGRATION_STATUS_FAILED) {
        json_object_set_string_member(info, "error-desc",
                                      incoming.error_desc);
    }
    g_mutex_unlock(&incoming.lock);
}

void migration_incoming_shutdown(void)
{
    close_listener();
    /*
     * A loading thread blocked on its socket is woken; one reading a pipe
     * or file is left to the process exit (joining could wait forever).
     */
    g_mutex_lock(&incoming.lock);
    if (incoming.file) {
        qemu_file_shutdown(incoming.file);
    }
    g_mutex_unlock(&incoming.lock);
}
