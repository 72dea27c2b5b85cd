/*
 * Private to migration/: run state section, transports.
 */
#ifndef MIGRATION_INTERNAL_H
#define MIGRATION_INTERNAL_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include <sys/types.h>

/* --- global-state.c --- */
void global_state_register(void);
/* Source: remember the run state before stopping for switchover. */
void global_state_store(void);
void global_state_forget(void);
/* Destination: the run state name the stream carried, or NULL. */
const char *global_state_received_runstate(void);

/* --- channel.c --- */
typedef enum MigTransport {
    MIG_TRANSPORT_TCP,
    MIG_TRANSPORT_UNIX,
    MIG_TRANSPORT_FD,
    MIG_TRANSPORT_EXEC,
    MIG_TRANSPORT_FILE,
} MigTransport;

typedef struct MigUri {
    MigTransport transport;
    char *host;        /* tcp */
    char *port;        /* tcp */
    char *path;        /* unix, file */
    char *fdname;      /* fd */
    char *cmd;         /* exec */
    uint64_t offset;   /* file */
} MigUri;

/*
 * Parse "tcp:H:P", "unix:PATH", "fd:NAME", "exec:CMD",
 * "file:PATH[,offset=N]".
 */
MigUri *mig_uri_parse(const char *uri, Error **errp);
void mig_uri_free(MigUri *u);

/*
 * Outgoing: a descriptor to write the stream to.  fd: names are resolved
 * by the caller (main thread) into *fd beforehand; exec: *child is the
 * shell's pid.  May block (connect).
 */
bool mig_channel_connect(const MigUri *u, int *fd, pid_t *child,
                         Error **errp);

/*
 * Incoming: tcp/unix give a listening socket (*listen_fd) and fill
 * *addr_desc for query-migrate; fd/exec/file give the stream itself (*fd).
 */
bool mig_channel_listen(const MigUri *u, int *listen_fd, int *fd,
                        pid_t *child, Error **errp);
/* For query-migrate "socket-address": the bound address, or NULL. */
bool mig_channel_local_address(int listen_fd, char **type, char **host,
                               char **port, char **path);

/* fd: NAME is a number or a name stored with getfd; returns an owned fd. */
int mig_channel_fd_by_name(const char *name, Error **errp);

/* Reap an exec child; false (and errp) if it failed. */
bool mig_channel_reap(pid_t child, Error **errp);

#endif
