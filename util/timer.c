/*
 * Clocks and timers (see include/qemu/timer.h).
 *
 * Timers are few (a handful per machine), so a plain array scanned on every
 * main-loop iteration is simpler than a heap and fast enough.  The array is
 * protected by its own lock because vCPU threads arm timers while the main
 * thread polls without the big lock.
 */
#include "qemu/osdep.h"
#include <time.h>
#include "qemu/timer.h"
#include "qemu/main-loop.h"

static GMutex timer_lock;
static GPtrArray *timers;

/* Virtual clock: host monotonic time minus the time the VM was stopped. */
static bool vclock_enabled;
static int64_t vclock_offset;      /* virtual = monotonic - offset */
static int64_t vclock_frozen_at;   /* virtual time while disabled */
static bool vclock_qtest;
static int64_t vclock_qtest_ns;

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t get_clock_realtime_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t qemu_clock_get_ns(QEMUClockType type)
{
    int64_t v;

    if (type == QEMU_CLOCK_REALTIME) {
        return monotonic_ns();
    }
    g_mutex_lock(&timer_lock);
    if (vclock_qtest) {
        v = vclock_qtest_ns;
    } else if (vclock_enabled) {
        v = monotonic_ns() - vclock_offset;
    } else {
        v = vclock_frozen_at;
    }
    g_mutex_unlock(&timer_lock);
    return v;
}

void qemu_clock_enable_virtual(bool enable)
{
    g_mutex_lock(&timer_lock);
    if (enable && !vclock_enabled) {
        vclock_offset = monotonic_ns() - vclock_frozen_at;
    } else if (!enable && vclock_enabled) {
        vclock_frozen_at = monotonic_ns() - vclock_offset;
    }
    vclock_enabled = enable;
    g_mutex_unlock(&timer_lock);
    qemu_notify_event();
}

void qemu_clock_use_qtest(void)
{
    vclock_qtest = true;
}

bool qemu_clock_is_qtest(void)
{
    return vclock_qtest;
}

void timer_init_ns(QEMUTimer *t, QEMUClockType type, QEMUTimerCB *cb,
                   void *opaque)
{
    t->type = type;
    t->cb = cb;
    t->opaque = opaque;
    t->expire_ns = -1;
}

QEMUTimer *timer_new_ns(QEMUClockType type, QEMUTimerCB *cb, void *opaque)
{
    QEMUTimer *t = g_new0(QEMUTimer, 1);
    timer_init_ns(t, type, cb, opaque);
    return t;
}

void timer_mod_ns(QEMUTimer *t, int64_t expire_ns)
{
    g_mutex_lock(&timer_lock);
    if (!timers) {
        timers = g_ptr_array_new();
    }
    if (t->expire_ns < 0) {
        g_ptr_array_add(timers, t);
    }
    t->expire_ns = expire_ns < 0 ? 0 : expire_ns;
    g_mutex_unlock(&timer_lock);
    qemu_notify_event();
}

void timer_del(QEMUTimer *t)
{
    g_mutex_lock(&timer_lock);
    if (t->expire_ns >= 0 && timers) {
        g_ptr_array_remove(timers, t);
    }
    t->expire_ns = -1;
    g_mutex_unlock(&timer_lock);
}

void timer_free(QEMUTimer *t)
{
    if (t) {
        timer_del(t);
        g_free(t);
    }
}

bool timer_pending(const QEMUTimer *t)
{
    return t->expire_ns >= 0;
}

/* Pop one expired timer of any clock, or NULL. */
static QEMUTimer *take_expired(int64_t now_rt, int64_t now_virt)
{
    QEMUTimer *found = NULL;

    g_mutex_lock(&timer_lock);
    for (guint i = 0; timers && i < timers->len; i++) {
        QEMUTimer *t = g_ptr_array_index(timers, i);
        int64_t now = t->type == QEMU_CLOCK_REALTIME ? now_rt : now_virt;
        if (t->expire_ns <= now) {
            g_ptr_array_remove_index(timers, i);
            t->expire_ns = -1;
            found = t;
            break;
        }
    }
    g_mutex_unlock(&timer_lock);
    return found;
}

static int64_t next_deadline_ns(QEMUClockType type)
{
    int64_t best = -1;

    g_mutex_lock(&timer_lock);
    for (guint i = 0; timers && i < timers->len; i++) {
        QEMUTimer *t = g_ptr_array_index(timers, i);
        if (t->type == type && (best < 0 || t->expire_ns < best)) {
            best = t->expire_ns;
        }
    }
    g_mutex_unlock(&timer_lock);
    return best;
}

int qemu_clock_run_timers(void)
{
    int64_t rt, vt, d_rt, d_vt, ms = -1;
    QEMUTimer *t;

    for (;;) {
        rt = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
        vt = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
        t = take_expired(rt, vclock_qtest || vclock_enabled ? vt : -1);
        if (!t) {
            break;
        }
        t->cb(t->opaque);
    }
    d_rt = next_deadline_ns(QEMU_CLOCK_REALTIME);
    if (d_rt >= 0) {
        ms = (d_rt - rt + 999999) / 1000000;
    }
    d_vt = next_deadline_ns(QEMU_CLOCK_VIRTUAL);
    if (d_vt >= 0 && vclock_enabled && !vclock_qtest) {
        int64_t vms = (d_vt - vt + 999999) / 1000000;
        if (ms < 0 || vms < ms) {
            ms = vms;
        }
    }
    return ms < 0 ? -1 : (int)MIN(ms, INT32_MAX);
}

int64_t qemu_clock_deadline_virtual(void)
{
    int64_t d = next_deadline_ns(QEMU_CLOCK_VIRTUAL);

    if (d < 0) {
        return -1;
    }
    d -= qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    return d < 0 ? 0 : d;
}

void qemu_clock_qtest_set(int64_t ns)
{
    for (;;) {
        int64_t d = next_deadline_ns(QEMU_CLOCK_VIRTUAL);
        if (d < 0 || d > ns) {
            break;
        }
        g_mutex_lock(&timer_lock);
        if (d > vclock_qtest_ns) {
            vclock_qtest_ns = d;
        }
        g_mutex_unlock(&timer_lock);
        qemu_clock_run_timers();
    }
    g_mutex_lock(&timer_lock);
    if (ns > vclock_qtest_ns) {
        vclock_qtest_ns = ns;
    }
    g_mutex_unlock(&timer_lock);
}
