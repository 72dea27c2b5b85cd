/*
 * "key=value,key=value" option strings, as QEMU parses them.
 *
 * ",," inside a value stands for a literal comma.  The first element may be
 * a bare value for an implied key (e.g. "-machine virt" means type=virt).
 * A bare "flag" after the first element means flag=on.
 */
#ifndef QEMU_OPTION_H
#define QEMU_OPTION_H

#include "qapi/error.h"

typedef struct QemuOpt {
    char *name;
    char *value;
    bool used;
} QemuOpt;

typedef struct QemuOpts {
    GPtrArray *opts;   /* of QemuOpt*, in command-line order */
} QemuOpts;

/* Longest option string we accept; longer input is refused, not truncated. */
#define QEMU_OPTS_MAX_LEN 65536

QemuOpts *qemu_opts_parse(const char *str, const char *implied_key,
                          Error **errp);
void qemu_opts_free(QemuOpts *opts);
/* Last value for name, or NULL; marks it used. */
const char *qemu_opt_get(QemuOpts *opts, const char *name);
bool qemu_opt_get_bool(QemuOpts *opts, const char *name, bool def,
                       Error **errp);
bool qemu_opt_get_size(QemuOpts *opts, const char *name, uint64_t def,
                       uint64_t *out, Error **errp);
/* Fails naming the first option nobody asked for. */
bool qemu_opts_check_unused(QemuOpts *opts, const char *what, Error **errp);

#endif
