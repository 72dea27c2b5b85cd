/*
 * Outgoing live migration: the state machine and the migration thread.
 *
 * States (QMP MigrationStatus): none -> setup -> active -> device ->
 * completed, or failed / cancelling -> cancelled from any of setup, active
 * and device.  The thread sends RAM passes without the big lock while the
 * guest runs; it takes the lock to change state (events), to stop the
 * guest and to save devices.  It decides to switch over when the dirty
 * memory left can be sent within downtime-limit at the bandwidth measured
 * over the last window (facts 4.4, 5.4).
 *
 * Whatever goes wrong, the source guest keeps running (or is restarted if
 * the failure happened after it was stopped for switchover), and
 * query-migrate's error-desc says why.
 */
#include "qemu/osdep.h"
#include <signal.h>
#include <poll.h>
#include <sys/socket.h>
#include "qemu/main-loop.h"
#include "system/runstate.h"
#include "system/cpus.h"
#include "system/event.h"
#include "migration/migration.h"
#include "migration/savevm.h"
#include "migration/qemu-file.h"
#include "migration-internal.h"
#include "migration-state.h"
#include "ram.h"

/* Bandwidth is measured over windows of this length. */
#define BANDWIDTH_WINDOW_US 100000
#define PROGRESS_INTERVAL_US 250000
/* How long the destination may take to load the last part and answer. */
#define RETURN_PATH_TIMEOUT_US (60 * G_USEC_PER_SEC)

static MigrationState outgoing;

bool migration_outgoing_has_return_path(void)
{
    return outgoing.file != NULL && outgoing.return_path;
}

MigrationState *migration_outgoing_state(void)
{
    return &outgoing;
}

static const char *const status_names[MIGRATION_STATUS__MAX] = {
    [MIGRATION_STATUS_NONE] = "none",
    [MIGRATION_STATUS_SETUP] = "setup",
    [MIGRATION_STATUS_CANCELLING] = "cancelling",
    [MIGRATION_STATUS_CANCELLED] = "cancelled",
    [MIGRATION_STATUS_ACTIVE] = "active",
    [MIGRATION_STATUS_COMPLETED] = "completed",
    [MIGRATION_STATUS_FAILED] = "failed",
    [MIGRATION_STATUS_DEVICE] = "device",
};

const char *migration_status_name(MigrationStatus s)
{
    return s < MIGRATION_STATUS__MAX ? status_names[s] : "none";
}

static int64_t now_ms(void)
{
    return g_get_monotonic_time() / 1000;
}

/* Emit MIGRATION when the events capability is on.  Big lock held. */
void migration_emit_status(MigrationStatus st)
{
    bool events = false;

    migration_capability_get("events", &events);
    if (events) {
        JsonObject *data = json_object_new();
        json_object_set_string_member(data, "status",
                                      migration_status_name(st));
        qapi_event_emit("MIGRATION", data);
    }
}

/* Change state (big lock held). */
static void set_status(MigrationState *s, MigrationStatus st)
{
    g_mutex_lock(&s->lock);
    s->status = st;
    g_mutex_unlock(&s->lock);
    migration_emit_status(st);
}

static void set_error(MigrationState *s, Error *err)
{
    g_mutex_lock(&s->lock);
    if (!s->error_desc) {
        s->error_desc = g_strdup(err ? error_get_pretty(err) : "unknown");
    }
    g_mutex_unlock(&s->lock);
}

/* MIGRATION_PASS after each dirty-bitmap sync (source, events on). */
static void pass_notifier(uint64_t pass)
{
    bool events = false;
    bool locked = bql_locked();
    JsonObject *data;

    migration_capability_get("events", &events);
    if (!events) {
        return;
    }
    data = json_object_new();
    json_object_set_int_member(data, "pass", pass);
    if (!locked) {
        bql_lock();
    }
    qapi_event_emit("MIGRATION_PASS", data);
    if (!locked) {
        bql_unlock();
    }
}

MigrationStatus migration_outgoing_status(void)
{
    MigrationStatus st;

    g_mutex_lock(&outgoing.lock);
    st = outgoing.status;
    g_mutex_unlock(&outgoing.lock);
    return st;
}

static bool cancel_requested(MigrationState *s)
{
    return __atomic_load_n(&s->cancel, __ATOMIC_ACQUIRE);
}

static void progress_line(MigrationState *s, bool final)
{
    RamStats st;

    if (!s->progress_stderr) {
        return;
    }
    ram_get_stats(&st);
    fprintf(stderr, "\rmigration: %s, pass %" PRIu64 ", %" PRIu64 " MiB sent, "
            "%" PRIu64 " MiB left, %.0f MB/s   %s",
            migration_status_name(s->status), st.dirty_sync_count,
            (s->file ? qemu_file_transferred(s->file) : s->transferred_final)
            / MiB, st.remaining / MiB, s->mbps / 8, final ? "\n" : "");
    fflush(stderr);
}

/* Refresh bandwidth and expected downtime at the end of each window. */
static void update_bandwidth(MigrationState *s, int64_t *win_start,
                             uint64_t *win_bytes, uint64_t pending)
{
    int64_t now = g_get_monotonic_time();
    int64_t elapsed = now - *win_start;
    uint64_t sent = qemu_file_transferred(s->file);
    RamStats st;

    if (elapsed < BANDWIDTH_WINDOW_US) {
        return;
    }
    ram_get_stats(&st);
    g_mutex_lock(&s->lock);
    /* bytes per ms */
    s->bandwidth = (double)(sent - *win_bytes) / (elapsed / 1000.0);
    s->mbps = s->bandwidth * 1000.0 * 8 / 1e6;
    s->pages_per_second = (uint64_t)((st.normal + st.duplicate -
                                      s->win_pages) * 1e6 / elapsed);
    s->win_pages = st.normal + st.duplicate;
    if (s->bandwidth > 0) {
        s->expected_downtime = (int64_t)(pending / s->bandwidth);
    }
    g_mutex_unlock(&s->lock);
    *win_start = now;
    *win_bytes = sent;
    if (now - s->last_progress_us >= PROGRESS_INTERVAL_US) {
        s->last_progress_us = now;
        progress_line(s, false);
    }
}

/*
 * The destination's verdict on the return path: SHUT with status 0 when it
 * loaded the stream.  Until it arrives the switchover is not final, so a
 * refusal leaves the source in charge of the guest.
 */
static bool await_destination(MigrationState *s, Error **errp)
{
    int fd = qemu_file_fd(s->file);
    int64_t deadline = g_get_monotonic_time() + RETURN_PATH_TIMEOUT_US;
    uint8_t msg[8];
    size_t got = 0;

    while (got < sizeof(msg)) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        ssize_t n;

        if (cancel_requested(s)) {
            error_setg(errp, "migration cancelled");
            return false;
        }
        if (g_get_monotonic_time() > deadline) {
            error_setg(errp, "the destination did not confirm the stream "
                       "within %d s", (int)(RETURN_PATH_TIMEOUT_US /
                                            G_USEC_PER_SEC));
            return false;
        }
        if (poll(&pfd, 1, 100) <= 0) {
            continue;
        }
        n = recv(fd, msg + got, sizeof(msg) - got, 0);
        if (n == 0) {
            error_setg(errp, "the destination closed the connection without "
                       "confirming the stream (see its log)");
            return false;
        }
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                continue;
            }
            error_setg_errno(errp, errno, "reading the destination's answer "
                             "failed");
            return false;
        }
        got += n;
    }
    if ((msg[0] << 8 | msg[1]) != MIG_RP_MSG_SHUT ||
        (msg[2] << 8 | msg[3]) != 4) {
        error_setg(errp, "unexpected answer from the destination (message "
                   "type %u)", msg[0] << 8 | msg[1]);
        return false;
    }
    if (msg[4] | msg[5] | msg[6] | msg[7]) {
        error_setg(errp, "the destination refused the stream (see its log)");
        return false;
    }
    return true;
}

/*
 * After a failed write: did the destination say why it stopped reading?
 * Replaces a bare "Broken pipe" with the refusal when it did.
 */
static void explain_write_failure(MigrationState *s, Error **errp)
{
    uint8_t msg[8];
    ssize_t n;

    if (!s->return_path || !s->file) {
        return;
    }
    n = recv(qemu_file_fd(s->file), msg, sizeof(msg), MSG_DONTWAIT);
    if (n == sizeof(msg) && (msg[0] << 8 | msg[1]) == MIG_RP_MSG_SHUT &&
        (msg[4] | msg[5] | msg[6] | msg[7])) {
        error_free(*errp);
        *errp = NULL;
        error_setg(errp, "the destination refused the stream (see its log)");
    }
}

/*
 * Switch over: stop the guest, send what is left and every device.
 * Returns with the guest stopped on success; restarts it on failure.
 */
static bool complete_migration(MigrationState *s, Error **errp)
{
    bool ok;
    int64_t stop_at;

    bql_lock();
    s->vm_was_running = runstate_is_running();
    global_state_store();
    stop_at = now_ms();
    vm_stop(RUN_STATE_FINISH_MIGRATE);
    cpu_synchronize_all_states();
    set_status(s, MIGRATION_STATUS_DEVICE);
    ok = qemu_savevm_state_complete(s->file, errp);
    bql_unlock();
    if (ok) {
        qemu_fflush(s->file);
        ok = !qemu_file_get_error_obj(s->file, errp);
    }
    if (ok && s->return_path) {
        ok = await_destination(s, errp);
    }
    g_mutex_lock(&s->lock);
    s->downtime = now_ms() - stop_at;
    g_mutex_unlock(&s->lock);
    return ok;
}

static bool iterate_until_converged(MigrationState *s, Error **errp)
{
    int64_t win_start = g_get_monotonic_time();
    uint64_t win_bytes = qemu_file_transferred(s->file);

    for (;;) {
        uint64_t pending, threshold;
        MigrationParameters p;
        int r;

        if (cancel_requested(s)) {
            error_setg(errp, "migration cancelled");
            return false;
        }
        migration_get_parameters(&p);
        qemu_file_set_rate_limit(s->file, p.max_bandwidth);
        threshold = (uint64_t)(s->bandwidth * p.downtime_limit_ms);
        pending = qemu_savevm_state_pending(false);
        if (pending <= threshold) {
            pending = qemu_savevm_state_pending(true);
            if (pending <= threshold) {
                return true;
            }
        }
        r = qemu_savevm_state_iterate(s->file, errp);
        if (r < 0) {
            return false;
        }
        qemu_fflush(s->file);
        if (qemu_file_get_error_obj(s->file, errp)) {
            return false;
        }
        update_bandwidth(s, &win_start, &win_bytes,
                         qemu_savevm_state_pending(false));
        if (qemu_file_rate_limit(s->file)) {
            g_usleep(MAX(qemu_file_rate_limit_wait_us(s->file), 1000));
        }
    }
}

static gpointer migration_thread(gpointer opaque)
{
    MigrationState *s = opaque;
    Error *err = NULL;
    Error *close_err = NULL;
    bool ok = false;
    int fd = s->pending_fd;

    s->pending_fd = -1;
    if (fd < 0 && !mig_channel_connect(s->uri, &fd, &s->child, &err)) {
        goto out;
    }
    bql_lock();
    g_mutex_lock(&s->lock);
    s->file = qemu_file_new_fd(fd, true);
    g_mutex_unlock(&s->lock);
    ok = savevm_check_migratable(&err);
    if (ok) {
        qemu_savevm_state_header(s->file);
        s->return_path = qemu_file_is_socket(s->file);
        if (s->return_path) {
            qemu_savevm_send_open_return_path(s->file);
        }
        ok = qemu_savevm_state_setup(s->file, &err);
    }
    g_mutex_lock(&s->lock);
    s->setup_time = now_ms() - s->start_ms;
    g_mutex_unlock(&s->lock);
    if (ok && !cancel_requested(s)) {
        set_status(s, MIGRATION_STATUS_ACTIVE);
    }
    bql_unlock();
    ok = ok && iterate_until_converged(s, &err) &&
         complete_migration(s, &err);

out:
    if (!ok && err) {
        explain_write_failure(s, &err);
    }
    if (s->file) {
        QEMUFile *f = s->file;
        g_mutex_lock(&s->lock);
        s->transferred_final = qemu_file_transferred(f);
        s->file = NULL;
        g_mutex_unlock(&s->lock);
        if (!qemu_file_close(f, &close_err) && ok) {
            ok = false;
            error_propagate(&err, close_err);
            close_err = NULL;
        }
        error_free(close_err);
    } else if (fd >= 0) {
        close(fd);
    }
    /* exec: the command must have consumed everything (cat > file). */
    if (s->child) {
        Error *reap_err = NULL;
        if (!mig_channel_reap(s->child, &reap_err) && ok) {
            ok = false;
            error_propagate(&err, reap_err);
        } else {
            error_free(reap_err);
        }
        s->child = 0;
    }
    qemu_savevm_state_cleanup();

    bql_lock();
    g_mutex_lock(&s->lock);
    s->total_time = now_ms() - s->start_ms;
    g_mutex_unlock(&s->lock);
    if (ok) {
        set_status(s, MIGRATION_STATUS_COMPLETED);
        runstate_set(RUN_STATE_POSTMIGRATE);
    } else {
        if (cancel_requested(s)) {
            set_status(s, MIGRATION_STATUS_CANCELLED);
        } else {
            set_error(s, err);
            set_status(s, MIGRATION_STATUS_FAILED);
        }
        /* The source keeps the guest: restart it if we had stopped it. */
        if (s->vm_was_running && !runstate_is_running()) {
            vm_start();
        } else if (runstate_get() == RUN_STATE_FINISH_MIGRATE) {
            runstate_set(RUN_STATE_PAUSED);
        }
    }
    global_state_forget();
    progress_line(s, true);
    bql_unlock();
    error_free(err);
    return NULL;
}

static bool migration_is_running(MigrationStatus st)
{
    return st == MIGRATION_STATUS_SETUP || st == MIGRATION_STATUS_ACTIVE ||
           st == MIGRATION_STATUS_DEVICE || st == MIGRATION_STATUS_CANCELLING;
}

bool migration_start_outgoing(const char *uri, Error **errp)
{
    MigrationState *s = &outgoing;
    MigUri *u;
    int fd = -1;

    if (migration_is_running(migration_outgoing_status())) {
        error_setg(errp, "There's a migration process in progress");
        return false;
    }
    if (migration_incoming_status() != MIGRATION_STATUS_NONE &&
        runstate_get() == RUN_STATE_INMIGRATE) {
        error_setg(errp, "Guest is waiting for an incoming migration");
        return false;
    }
    u = mig_uri_parse(uri, errp);
    if (!u) {
        return false;
    }
    /* fd: names live in the main-thread fd store: resolve them here. */
    if (u->transport == MIG_TRANSPORT_FD) {
        fd = mig_channel_fd_by_name(u->fdname, errp);
        if (fd < 0) {
            mig_uri_free(u);
            return false;
        }
    }
    if (s->thread) {
        g_thread_join(s->thread);
        s->thread = NULL;
    }
    mig_uri_free(s->uri);
    s->uri = u;
    s->pending_fd = fd;
    g_free(s->error_desc);
    s->error_desc = NULL;
    s->cancel = false;
    s->return_path = false;
    s->vm_was_running = false;
    s->bandwidth = 0;
    s->mbps = 0;
    s->expected_downtime = 0;
    s->downtime = 0;
    s->setup_time = 0;
    s->total_time = 0;
    s->win_pages = 0;
    s->pages_per_second = 0;
    s->transferred_final = 0;
    s->start_ms = now_ms();
    s->last_progress_us = 0;
    set_status(s, MIGRATION_STATUS_SETUP);
    s->thread = g_thread_new("migration", migration_thread, s);
    return true;
}

void migration_cancel(void)
{
    MigrationState *s = &outgoing;
    MigrationStatus st = migration_outgoing_status();

    if (!migration_is_running(st) || st == MIGRATION_STATUS_CANCELLING) {
        return;
    }
    __atomic_store_n(&s->cancel, true, __ATOMIC_RELEASE);
    set_status(s, MIGRATION_STATUS_CANCELLING);
    g_mutex_lock(&s->lock);
    if (s->file) {
        qemu_file_shutdown(s->file);
    }
    g_mutex_unlock(&s->lock);
    /* A pipe writer blocked on a stuck command: end the command. */
    if (s->child > 0) {
        kill(s->child, SIGTERM);
    }
}

void migration_set_progress_stderr(bool on)
{
    outgoing.progress_stderr = on;
}

void migration_outgoing_shutdown(void)
{
    MigrationState *s = &outgoing;
    bool locked;

    if (!s->thread) {
        return;
    }
    migration_cancel();
    /* The thread takes the big lock to finish: let it. */
    locked = bql_locked();
    if (locked) {
        bql_unlock();
    }
    g_thread_join(s->thread);
    s->thread = NULL;
    if (locked) {
        bql_lock();
    }
}

void migration_outgoing_init(void)
{
    g_mutex_init(&outgoing.lock);
    outgoing.pending_fd = -1;
    ram_set_sync_notifier(pass_notifier);
}
