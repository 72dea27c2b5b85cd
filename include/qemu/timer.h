/*
 * Clocks and timers.
 *
 * QEMU_CLOCK_VIRTUAL is guest time: it runs only while the VM runs, and under
 * the qtest accelerator it advances only when the test says so (clock_step,
 * clock_set).  QEMU_CLOCK_REALTIME is host monotonic time.
 *
 * Timer callbacks run in the main loop with the big lock held.
 */
#ifndef QEMU_TIMER_H
#define QEMU_TIMER_H

#include "qemu/osdep.h"

typedef enum {
    QEMU_CLOCK_REALTIME,
    QEMU_CLOCK_VIRTUAL,
} QEMUClockType;

typedef void QEMUTimerCB(void *opaque);

typedef struct QEMUTimer {
    QEMUClockType type;
    int64_t expire_ns;      /* -1 when not armed */
    QEMUTimerCB *cb;
    void *opaque;
} QEMUTimer;

int64_t qemu_clock_get_ns(QEMUClockType type);
int64_t get_clock_realtime_ns(void);   /* CLOCK_REALTIME, for event timestamps */

QEMUTimer *timer_new_ns(QEMUClockType type, QEMUTimerCB *cb, void *opaque);
void timer_init_ns(QEMUTimer *t, QEMUClockType type, QEMUTimerCB *cb,
                   void *opaque);
void timer_mod_ns(QEMUTimer *t, int64_t expire_ns);
void timer_del(QEMUTimer *t);
void timer_free(QEMUTimer *t);
bool timer_pending(const QEMUTimer *t);

/* Virtual clock control: stopped while the VM is not running. */
void qemu_clock_enable_virtual(bool enable);
/* qtest: virtual time is set by the test, not by the host clock. */
void qemu_clock_use_qtest(void);
bool qemu_clock_is_qtest(void);
/* qtest: advance virtual time to ns, running every timer due on the way. */
void qemu_clock_qtest_set(int64_t ns);
/* Run expired timers; returns ms until the next one, or -1. */
int qemu_clock_run_timers(void);
/* Nanoseconds until the next virtual deadline, or -1 (qtest clock_step). */
int64_t qemu_clock_deadline_virtual(void);

#endif
