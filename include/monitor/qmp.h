/*
 * The QMP monitor: sessions, the dispatcher, and the server on a chardev.
 *
 * A QmpSession is the protocol state of one client connection (capabilities
 * negotiation, the JSON framer) with no I/O of its own: bytes go in through
 * qmp_session_feed() and reply lines come out through a callback, so the
 * dispatcher is unit-testable without sockets (tests/unit/test-qmp.c).
 * monitor/qmp.c binds sessions to chardevs; monitor/qmp-cmds.c registers the
 * system commands in the registry (include/qapi/qmp-registry.h).
 */
#ifndef MONITOR_QMP_H
#define MONITOR_QMP_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include <json-glib/json-glib.h>
#include "monitor/qmp-json.h"

typedef struct Chardev Chardev;

/* One reply or event line, without the trailing newline. */
typedef void QmpOutputFunc(void *opaque, const char *line);
/* The file descriptor that arrived with the current request, or -1. */
typedef int QmpTakeFdFunc(void *opaque);

typedef struct QmpSession {
    JsonFramer framer;
    bool negotiated;          /* qmp_capabilities accepted */
    bool oob_enabled;
    QmpOutputFunc *out;
    QmpTakeFdFunc *take_fd;
    void *opaque;
} QmpSession;

QmpSession *qmp_session_new(QmpOutputFunc *out, QmpTakeFdFunc *take_fd,
                            void *opaque);
void qmp_session_free(QmpSession *s);
/* A new client: back to capabilities negotiation, partial input dropped. */
void qmp_session_reset(QmpSession *s);
/* Feed raw bytes; every reply is passed to s->out. */
void qmp_session_feed(QmpSession *s, const uint8_t *buf, size_t len);
/*
 * Handle one complete JSON text (a request); returns the reply line
 * (g_free it).  Never NULL: every request gets exactly one reply.
 */
char *qmp_session_dispatch(QmpSession *s, const char *text, size_t len);

/* The greeting line sent when a client connects. */
char *qmp_greeting_line(void);
/* An event line; data may be NULL (no "data" member).  Does not take data. */
char *qmp_event_line(const char *name, JsonObject *data, int64_t realtime_ns);
/* {"error": {"class": cls, "desc": desc}[, "id": id]} */
char *qmp_error_line(const char *cls, const char *desc, JsonNode *id);

/*
 * The fd that came with the request being dispatched (SCM_RIGHTS on a unix
 * socket), for getfd; -1 with an error when there is none.  The caller owns it.
 */
int monitor_take_received_fd(Error **errp);

/* -mon chardev=ID,mode=control / -qmp SPEC: serve QMP on chr. */
bool monitor_init_qmp(Chardev *chr, Error **errp);
/* Close every monitor (process exit). */
void monitor_cleanup(void);

/* Register qmp_capabilities, query-*, stop, cont, quit, ... (start-up). */
void qmp_register_system_commands(void);

#endif
