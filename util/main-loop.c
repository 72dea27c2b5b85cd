/*
 * The main loop and the big lock (see include/qemu/main-loop.h).
 *
 * The main thread holds the big lock at all times except inside poll(): our
 * poll function drops it, so vCPU threads can take it while the main thread
 * sleeps, and picks it up again before glib dispatches any source.  The poll
 * timeout is clamped to the next timer deadline.
 */
#include "qemu/osdep.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "system/runstate.h"

static GMutex bql;
static __thread bool bql_held;
static GPollFunc glib_poll;

void bql_lock(void)
{
    g_assert(!bql_held);
    g_mutex_lock(&bql);
    bql_held = true;
}

void bql_unlock(void)
{
    g_assert(bql_held);
    bql_held = false;
    g_mutex_unlock(&bql);
}

bool bql_locked(void)
{
    return bql_held;
}

static gint poll_without_bql(GPollFD *fds, guint nfds, gint timeout)
{
    int64_t deadline_ms = qemu_clock_run_timers();
    gint ret;

    if (deadline_ms >= 0 && (timeout < 0 || deadline_ms < timeout)) {
        timeout = (gint)deadline_ms;
    }
    bql_unlock();
    ret = glib_poll(fds, nfds, timeout);
    bql_lock();
    return ret;
}

void qemu_init_main_loop(void)
{
    GMainContext *ctx = g_main_context_default();

    glib_poll = g_main_context_get_poll_func(ctx);
    g_main_context_set_poll_func(ctx, poll_without_bql);
    bql_lock();
}

void main_loop_wait(bool may_block)
{
    g_main_context_iteration(NULL, may_block);
    qemu_clock_run_timers();
}

int qemu_main_loop(void)
{
    int status = 0;

    for (;;) {
        main_loop_wait(true);
        if (main_loop_should_exit(&status)) {
            return status;
        }
    }
}

void qemu_notify_event(void)
{
    g_main_context_wakeup(NULL);
}

typedef struct OneShot {
    void (*fn)(void *opaque);
    void *opaque;
} OneShot;

static gboolean oneshot_cb(gpointer data)
{
    OneShot *os = data;
    os->fn(os->opaque);
    g_free(os);
    return G_SOURCE_REMOVE;
}

void qemu_bh_schedule_oneshot(void (*fn)(void *opaque), void *opaque)
{
    OneShot *os = g_new(OneShot, 1);

    os->fn = fn;
    os->opaque = opaque;
    g_idle_add_full(G_PRIORITY_HIGH, oneshot_cb, os, NULL);
}
