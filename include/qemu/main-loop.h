/*
 * The main loop (glib's default main context) and the big lock.
 *
 * The main thread runs the glib loop with the big lock held, dropping it only
 * while it sleeps in poll().  vCPU threads take the lock around every device
 * access and every change of run state.  QMP, qtest, chardevs, timers and
 * migration bookkeeping all run on the main thread.
 */
#ifndef QEMU_MAIN_LOOP_H
#define QEMU_MAIN_LOOP_H

#include "qemu/osdep.h"

void qemu_init_main_loop(void);
void bql_lock(void);
void bql_unlock(void);
bool bql_locked(void);

/* Run one iteration (blocking when may_block). */
void main_loop_wait(bool may_block);
/* Run until a shutdown is requested; returns the exit status. */
int qemu_main_loop(void);
/* Wake the main loop from any thread. */
void qemu_notify_event(void);
/* Call fn(opaque) on the main thread, with the big lock held. */
void qemu_bh_schedule_oneshot(void (*fn)(void *opaque), void *opaque);

#endif
