/*
 * Named file descriptors handed over by a management tool (QMP getfd).
 *
 * A client passes an fd with SCM_RIGHTS and names it; later commands refer
 * to it by name (migrate "fd:NAME", closefd).  The store owns the fds.
 * Main thread only (big lock held).
 */
#ifndef QEMU_FDSTORE_H
#define QEMU_FDSTORE_H

#include "qemu/osdep.h"
#include "qapi/error.h"

#define FDSTORE_MAX_FDS 64

/*
 * Store fd under name, taking ownership (an older fd of that name is closed).
 * On failure the caller still owns fd.
 */
bool fdstore_add(const char *name, int fd, Error **errp);
/* A dup of the named fd (caller owns it), or -1 when there is none. */
int fdstore_take(const char *name);
/* Close and forget the named fd; fails naming it when unknown. */
bool fdstore_close(const char *name, Error **errp);
/* Close everything (process exit, tests). */
void fdstore_clear(void);

#endif
