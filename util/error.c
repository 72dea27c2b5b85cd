/*
 * Error objects and one-line reports (see include/qapi/error.h).
 */
#include "qemu/osdep.h"
#include <stdarg.h>
#include "qapi/error.h"

struct Error {
    char *msg;
};

/* Sentinels: only their addresses matter. */
Error *error_fatal;
Error *error_abort;

static const char *progname = "qemu-system-aarch64";

void error_set_progname(const char *name)
{
    const char *slash = strrchr(name, '/');
    progname = slash ? slash + 1 : name;
}

const char *error_get_progname(void)
{
    return progname;
}

static void error_handle(Error **errp, Error *err)
{
    if (errp == &error_abort) {
        fprintf(stderr, "%s: unexpected error: %s\n", progname, err->msg);
        abort();
    }
    if (errp == &error_fatal) {
        fprintf(stderr, "%s: %s\n", progname, err->msg);
        exit(1);
    }
    if (!errp) {
        error_free(err);
        return;
    }
    g_assert(*errp == NULL);
    *errp = err;
}

void error_setg_internal(Error **errp, const char *fmt, ...)
{
    va_list ap;
    Error *err = g_new0(Error, 1);

    va_start(ap, fmt);
    err->msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    error_handle(errp, err);
}

void error_setg_errno(Error **errp, int os_errno, const char *fmt, ...)
{
    va_list ap;
    char *base;
    Error *err = g_new0(Error, 1);

    va_start(ap, fmt);
    base = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    err->msg = g_strdup_printf("%s: %s", base, g_strerror(os_errno));
    g_free(base);
    error_handle(errp, err);
}

void error_prepend(Error **errp, const char *fmt, ...)
{
    va_list ap;
    char *prefix, *msg;

    if (!errp || !*errp || errp == &error_fatal || errp == &error_abort) {
        return;
    }
    va_start(ap, fmt);
    prefix = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    msg = g_strconcat(prefix, (*errp)->msg, NULL);
    g_free(prefix);
    g_free((*errp)->msg);
    (*errp)->msg = msg;
}

void error_propagate(Error **dst_errp, Error *local_err)
{
    if (!local_err) {
        return;
    }
    if (dst_errp && dst_errp != &error_fatal && dst_errp != &error_abort &&
        *dst_errp) {
        /* First error wins, as in QEMU. */
        error_free(local_err);
        return;
    }
    error_handle(dst_errp, local_err);
}

const char *error_get_pretty(const Error *err)
{
    return err->msg;
}

void error_free(Error *err)
{
    if (err) {
        g_free(err->msg);
        g_free(err);
    }
}

void error_report_err(Error *err)
{
    error_report("%s", err->msg);
    error_free(err);
}

static void vreport(const char *kind, const char *fmt, va_list ap)
{
    fprintf(stderr, "%s: %s", progname, kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void error_report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("", fmt, ap);
    va_end(ap);
}

void warn_report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("warning: ", fmt, ap);
    va_end(ap);
}

void info_report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport("info: ", fmt, ap);
    va_end(ap);
}
