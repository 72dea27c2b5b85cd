/*
 * -d MASK and -D FILE (see include/qemu/log.h).
 */
#include "qemu/osdep.h"
#include <stdarg.h>
#include "qemu/log.h"

unsigned qemu_loglevel;
static FILE *logfile;
static GMutex log_lock;

static const struct {
    const char *name;
    unsigned mask;
    const char *help;
} log_items[] = {
    { "guest_errors", LOG_GUEST_ERROR, "guest did something the architecture forbids" },
    { "unimp", LOG_UNIMP, "guest used a feature we do not implement" },
    { "int", LOG_INT, "exceptions and interrupts taken" },
    { "in_asm", LOG_IN_ASM, "guest instructions as they are decoded" },
    { "exec", LOG_EXEC, "guest code blocks as they run" },
    { "migration", LOG_MIGRATION, "migration progress details" },
};

bool qemu_set_log_mask(const char *spec, Error **errp)
{
    g_auto(GStrv) items = g_strsplit(spec, ",", -1);
    unsigned mask = 0;

    for (int i = 0; items[i]; i++) {
        bool found = false;
        if (!items[i][0]) {
            continue;
        }
        for (size_t j = 0; j < ARRAY_SIZE(log_items); j++) {
            if (!strcmp(items[i], log_items[j].name)) {
                mask |= log_items[j].mask;
                found = true;
            }
        }
        if (!found) {
            error_setg(errp, "-d: unknown log item '%s' (see -d help)",
                       items[i]);
            return false;
        }
    }
    qemu_loglevel = mask;
    return true;
}

bool qemu_set_log_filename(const char *path, Error **errp)
{
    FILE *f = fopen(path, "w");

    if (!f) {
        error_setg_errno(errp, errno, "-D: cannot open '%s'", path);
        return false;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    logfile = f;
    return true;
}

void qemu_log_help(FILE *f)
{
    fprintf(f, "Log items (comma separated):\n");
    for (size_t j = 0; j < ARRAY_SIZE(log_items); j++) {
        fprintf(f, "%-15s %s\n", log_items[j].name, log_items[j].help);
    }
}

void qemu_log(const char *fmt, ...)
{
    va_list ap;

    g_mutex_lock(&log_lock);
    va_start(ap, fmt);
    vfprintf(logfile ? logfile : stderr, fmt, ap);
    va_end(ap);
    g_mutex_unlock(&log_lock);
}
