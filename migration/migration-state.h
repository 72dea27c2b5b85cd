/*
 * Private to migration/: the state shared by the outgoing thread
 * (migration.c), the incoming side (migration-incoming.c), the options
 * (options.c) and the QMP commands (migration-qmp.c).
 */
#ifndef MIGRATION_STATE_H
#define MIGRATION_STATE_H

#include "qemu/osdep.h"
#include "migration/migration.h"
#include "migration/qemu-file.h"
#include "migration-internal.h"

typedef struct MigrationState {
    GMutex lock;               /* status, stats and file for readers */
    MigrationStatus status;
    GThread *thread;
    MigUri *uri;
    int pending_fd;            /* fd: resolved on the main thread */
    pid_t child;               /* exec: */
    QEMUFile *file;
    bool cancel;
    bool return_path;          /* the destination will answer (sockets) */
    bool vm_was_running;
    bool progress_stderr;
    char *error_desc;
    /* Times in ms. */
    int64_t start_ms;
    int64_t setup_time;
    int64_t total_time;
    int64_t downtime;
    int64_t expected_downtime;
    /* Measured over the last window. */
    double bandwidth;          /* bytes per ms */
    double mbps;
    uint64_t pages_per_second;
    uint64_t win_pages;
    uint64_t transferred_final;
    int64_t last_progress_us;
} MigrationState;

MigrationState *migration_outgoing_state(void);
void migration_outgoing_init(void);
void migration_outgoing_shutdown(void);
void migration_emit_status(MigrationStatus st);

/* Destination (migration-incoming.c). */
bool migration_incoming_begin(const char *uri, bool exit_on_error,
                              Error **errp);
void migration_incoming_query(JsonObject *info);
void migration_incoming_shutdown(void);

/* Options (options.c). */
const char *const *migration_parameter_names(void);
bool migration_parameter_set(const char *name, int64_t value, Error **errp);
void migration_parameter_set_tailslow(bool on);
JsonObject *migration_parameters_query(void);

/* QMP (migration-qmp.c). */
void migration_qmp_register(void);

#endif
