/*
 * The QMP command registry.
 *
 * Areas (system, migration, target/arm, ...) register their commands here at
 * start-up; the monitor only looks them up.  This keeps dependencies pointing
 * one way (BRIEF 5): nothing below the monitor includes monitor headers.
 *
 * A handler receives the "arguments" object (never NULL; empty when the
 * client sent none), sets *ret to the "return" value (NULL means {}), or
 * fails with error_setg().  Handlers run on the main thread with the big
 * lock held.
 */
#ifndef QAPI_QMP_REGISTRY_H
#define QAPI_QMP_REGISTRY_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include <json-glib/json-glib.h>

typedef void QmpCommandFunc(JsonObject *args, JsonNode **ret, Error **errp);

typedef enum {
    QCO_NO_OPTIONS = 0,
    QCO_ALLOW_PRECONFIG = 1 << 0,   /* allowed before qmp_capabilities */
} QmpCommandOptions;

typedef struct QmpCommand {
    const char *name;
    QmpCommandFunc *fn;
    unsigned options;
    /* Argument names the command accepts; unknown ones are refused. */
    const char *const *args;
} QmpCommand;

/* args: NULL-terminated list of accepted argument names (may be NULL). */
void qmp_register_command(const char *name, QmpCommandFunc *fn,
                          const char *const *args, unsigned options);
const QmpCommand *qmp_find_command(const char *name);
/* Commands sorted by name. */
GPtrArray *qmp_list_commands(void);

/*
 * Argument accessors: fail with QEMU's wording ("Parameter 'x' is missing",
 * "Invalid parameter type for 'x', expected: string") when absent or of the
 * wrong type.  The _opt variants return false without error when absent,
 * leaving *out unchanged.
 */
bool qmp_arg_str(JsonObject *args, const char *name, const char **out,
                 Error **errp);
bool qmp_arg_str_opt(JsonObject *args, const char *name, const char **out,
                     Error **errp);
bool qmp_arg_int(JsonObject *args, const char *name, int64_t *out,
                 Error **errp);
bool qmp_arg_int_opt(JsonObject *args, const char *name, int64_t *out,
                     bool *present, Error **errp);
bool qmp_arg_bool_opt(JsonObject *args, const char *name, bool *out,
                      bool *present, Error **errp);

#endif
