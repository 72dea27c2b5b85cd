/*
 * Error reporting in the QEMU style.
 *
 * A function that can fail takes "Error **errp" as its last parameter and
 * returns bool (or a pointer, NULL on failure).  On failure it calls
 * error_setg(errp, ...) exactly once.  Callers may pass:
 *   - NULL           to ignore the error;
 *   - &error_fatal   to print the message and exit(1) (command-line code only);
 *   - &error_abort   when failure is a programming error;
 *   - &local_err     to inspect it, then error_propagate() or error_free().
 */
#ifndef QAPI_ERROR_H
#define QAPI_ERROR_H

#include "qemu/osdep.h"

typedef struct Error Error;

extern Error *error_fatal;
extern Error *error_abort;

void error_setg_internal(Error **errp, const char *fmt, ...) QEMU_PRINTF(2, 3);
#define error_setg(errp, ...) error_setg_internal((errp), __VA_ARGS__)
/* Like error_setg, with ": strerror(os_errno)" appended. */
void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
    QEMU_PRINTF(3, 4);
/* Prefix an existing error's message ("prefix: old message"). */
void error_prepend(Error **errp, const char *fmt, ...) QEMU_PRINTF(2, 3);
/* Move local_err into *dst_errp (or report/free it per the rules above). */
void error_propagate(Error **dst_errp, Error *local_err);
const char *error_get_pretty(const Error *err);
void error_free(Error *err);
/* Print "qemu-system-aarch64: message" to stderr and free. */
void error_report_err(Error *err);

/* One-line messages to stderr, prefixed with the program name. */
void error_report(const char *fmt, ...) QEMU_PRINTF(1, 2);
void warn_report(const char *fmt, ...) QEMU_PRINTF(1, 2);
void info_report(const char *fmt, ...) QEMU_PRINTF(1, 2);
void error_set_progname(const char *name);
const char *error_get_progname(void);

#define ERRP_GUARD() /* kept for familiarity; our errp rules need no guard */

#endif
