/*
 * A small libqtest: start $QTEST_QEMU_BINARY the way QEMU's test harness
 * does and talk to it over the qtest protocol and QMP.
 *
 * Like QEMU's tests/qtest/libqtest.c, the test listens on two unix sockets
 * and the binary connects out to them:
 *   -qtest unix:SOCK -qtest-log FILE -chardev socket,path=QMPSOCK,id=char0
 *   -mon chardev=char0,mode=control -display none -audio none ARGS -accel qtest
 * (facts 4.2).  So "-accel tcg ARGS" picks tcg and still gets qtest.
 *
 * Every wait is bounded (QTEST_TIMEOUT_MS); a child that dies or a reply
 * that does not come fails the running Check test with a message.  Replies
 * are returned as json-glib objects (the caller unrefs them).
 */
#ifndef TESTS_LIBQTEST_H
#define TESTS_LIBQTEST_H

#include "qemu/osdep.h"
#include <sys/types.h>
#include <json-glib/json-glib.h>

#define QTEST_TIMEOUT_MS 60000

typedef struct QTestState QTestState;

/* Start the binary with extra arguments (shell-style quoting). */
QTestState *qtest_init(const char *extra_args);
QTestState *qtest_initf(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Kill the child (SIGTERM, then SIGKILL), reap it and remove the sockets. */
void qtest_quit(QTestState *s);
pid_t qtest_pid(QTestState *s);
/*
 * Wait for the child to exit by itself (after "quit"); true with its
 * exit status in *status (raw waitpid form), false on timeout.
 */
bool qtest_wait_exit(QTestState *s, int timeout_ms, int *status);

/* qtest protocol: send one line, return the reply line (g_free it). */
char *qtest_cmd(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Send raw bytes on the qtest socket without waiting. */
void qtest_send_raw(QTestState *s, const void *data, size_t len);
/* Next reply line on the qtest socket (g_free it). */
char *qtest_recv_line(QTestState *s);

void qtest_writeb(QTestState *s, uint64_t addr, uint8_t val);
void qtest_writew(QTestState *s, uint64_t addr, uint16_t val);
void qtest_writel(QTestState *s, uint64_t addr, uint32_t val);
void qtest_writeq(QTestState *s, uint64_t addr, uint64_t val);
uint8_t qtest_readb(QTestState *s, uint64_t addr);
uint16_t qtest_readw(QTestState *s, uint64_t addr);
uint32_t qtest_readl(QTestState *s, uint64_t addr);
uint64_t qtest_readq(QTestState *s, uint64_t addr);
void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t size);
void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t size);
void qtest_memset(QTestState *s, uint64_t addr, uint8_t val, size_t size);
/* Advance virtual time by ns (ns < 0: to the next deadline); returns now. */
int64_t qtest_clock_step(QTestState *s, int64_t ns);
int64_t qtest_clock_set(QTestState *s, int64_t ns);

/* QMP: send a command (printf-formatted JSON) and return the response. */
JsonObject *qtest_qmp(QTestState *s, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* Send raw bytes on the QMP socket without waiting. */
void qtest_qmp_send_raw(QTestState *s, const void *data, size_t len);
/* Same, passing fd along with SCM_RIGHTS. */
void qtest_qmp_send_fd(QTestState *s, int fd, const char *json);
/* Next response (events met on the way are queued for eventwait). */
JsonObject *qtest_qmp_receive(QTestState *s);
/* The greeting the server sent on connect. */
JsonObject *qtest_qmp_greeting(QTestState *s);
/*
 * Wait for event "name" (queued or new); NULL after timeout_ms.  The
 * returned object is the whole event ({"event", "data", "timestamp"}).
 */
JsonObject *qtest_qmp_eventwait(QTestState *s, const char *name,
                                int timeout_ms);

/* Convenience for checking responses. */
bool qmp_rsp_is_error(JsonObject *rsp, const char *cls);
const char *qmp_rsp_error_desc(JsonObject *rsp);
JsonObject *qmp_rsp_return_object(JsonObject *rsp);
JsonArray *qmp_rsp_return_array(JsonObject *rsp);

#endif
