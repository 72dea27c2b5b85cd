/*
 * Live migration: the outgoing state machine and migration thread, the
 * incoming side, transports and QMP commands.  Entry points for the
 * command line (system/startup.c) and the monitor.
 *
 * Failure semantics (issue 5): the source keeps running its guest after
 * any failure (destination gone, refused, cancelled) and query-migrate
 * says why; an incoming migration that fails prints one line naming the
 * cause and makes the process exit with status 1, unless it was started
 * with "-incoming defer" (then it waits for another migrate-incoming).
 */
#ifndef MIGRATION_MIGRATION_H
#define MIGRATION_MIGRATION_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include <json-glib/json-glib.h>

typedef enum MigrationStatus {
    MIGRATION_STATUS_NONE,
    MIGRATION_STATUS_SETUP,
    MIGRATION_STATUS_CANCELLING,
    MIGRATION_STATUS_CANCELLED,
    MIGRATION_STATUS_ACTIVE,
    MIGRATION_STATUS_COMPLETED,
    MIGRATION_STATUS_FAILED,
    MIGRATION_STATUS_DEVICE,
    MIGRATION_STATUS__MAX,
} MigrationStatus;

/* QAPI name: "none", "setup", ... */
const char *migration_status_name(MigrationStatus s);

/* Register the ram and globalstate sections and the QMP commands. */
void migration_init(void);
/* -global migration.PROP=VALUE (x-events=on, ...). */
bool migration_apply_global(const char *prop_eq_value, Error **errp);
/*
 * -incoming URI: start listening (tcp:, unix:) or reading (fd:, exec:,
 * file:).  "defer" waits for QMP migrate-incoming.
 */
bool migration_incoming_start(const char *uri, Error **errp);
/* Destination: start the guest after a stream from a running source? */
void migration_incoming_set_autostart(bool autostart);
/* Stop any migration thread and close channels (process exit). */
void migration_shutdown(void);
/* Print a progress line on stderr while migrating. */
void migration_set_progress_stderr(bool on);

/* Start an outgoing migration (QMP migrate); returns at once. */
bool migration_start_outgoing(const char *uri, Error **errp);
/* QMP migrate_cancel. */
void migration_cancel(void);
/*
 * Does the outgoing migration now being set up talk to a destination that
 * answers (a socket with QEMU's return path)?  Handlers use it to send
 * what only a live destination can act on.
 */
bool migration_outgoing_has_return_path(void);
/* QMP query-migrate, as a MigrationInfo object. */
JsonObject *migration_query(void);
MigrationStatus migration_outgoing_status(void);
MigrationStatus migration_incoming_status(void);

/* Parameters (QMP migrate-set-parameters). */
typedef struct MigrationParameters {
    int64_t downtime_limit_ms;    /* default 300 */
    int64_t max_bandwidth;        /* bytes/s, default 128 MiB/s */
} MigrationParameters;

void migration_get_parameters(MigrationParameters *p);
bool migration_set_parameters(const MigrationParameters *p, Error **errp);

/* Capabilities (QMP migrate-set-capabilities). */
bool migration_capability_get(const char *name, bool *value);
bool migration_capability_set(const char *name, bool value, Error **errp);
/* NULL-terminated list of capability names, in QEMU's order. */
const char *const *migration_capability_names(void);

#endif
