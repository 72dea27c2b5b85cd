/*
 * A small libqtest (see libqtest.h): spawns the binary, accepts its qtest
 * and QMP connections, and speaks both protocols with bounded waits.
 */
#include "qemu/osdep.h"
#include <check.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include "libqtest.h"

typedef struct QTestConn {
    int fd;
    GString *buf;        /* bytes received but not yet returned as lines */
} QTestConn;

struct QTestState {
    pid_t pid;
    bool reaped;
    int wstatus;
    char *tmpdir;
    char *qtest_path;
    char *qmp_path;
    QTestConn qtest;
    QTestConn qmp;
    JsonObject *greeting;
    GQueue events;       /* of JsonObject*, oldest first */
};

static int64_t now_ms(void)
{
    return g_get_monotonic_time() / 1000;
}

/* Has the child exited?  Records its status once. */
static bool qtest_child_gone(QTestState *s)
{
    if (!s->reaped && waitpid(s->pid, &s->wstatus, WNOHANG) == s->pid) {
        s->reaped = true;
    }
    return s->reaped;
}

static void qtest_fail_child(QTestState *s, const char *what)
{
    if (qtest_child_gone(s)) {
        ck_abort_msg("%s: the binary exited (status 0x%x)", what, s->wstatus);
    }
    ck_abort_msg("%s", what);
}

static int qtest_listen(const char *path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    ck_assert_int_ge(fd, 0);
    ck_assert_uint_lt(strlen(path), sizeof(addr.sun_path));
    strcpy(addr.sun_path, path);
    ck_assert_msg(bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0,
                  "bind %s: %s", path, g_strerror(errno));
    ck_assert_int_eq(listen(fd, 1), 0);
    return fd;
}

static int qtest_accept(QTestState *s, int lfd, const char *what)
{
    int64_t deadline = now_ms() + QTEST_TIMEOUT_MS;

    while (now_ms() < deadline) {
        struct pollfd p = { .fd = lfd, .events = POLLIN };

        if (poll(&p, 1, 100) > 0) {
            int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
            if (fd >= 0) {
                return fd;
            }
        }
        if (qtest_child_gone(s)) {
            break;
        }
    }
    qtest_fail_child(s, what);
    return -1;
}

/*
 * Next line from conn, without its newline; NULL when the deadline passes.
 * EOF fails the test: the binary closed the connection.
 */
static char *qtest_conn_line(QTestState *s, QTestConn *c, int64_t deadline)
{
    for (;;) {
        char *nl = memchr(c->buf->str, '\n', c->buf->len);
        char tmp[65536];
        struct pollfd p = { .fd = c->fd, .events = POLLIN };
        int64_t left;
        ssize_t n;

        if (nl) {
            char *line = g_strndup(c->buf->str, nl - c->buf->str);
            g_string_erase(c->buf, 0, nl - c->buf->str + 1);
            return line;
        }
        left = deadline - now_ms();
        if (left <= 0) {
            return NULL;
        }
        if (poll(&p, 1, (int)MIN(left, 1000)) <= 0) {
            continue;
        }
        n = read(c->fd, tmp, sizeof(tmp));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            /* Give a dying child a moment so the message can say how. */
            for (int i = 0; i < 20 && !qtest_child_gone(s); i++) {
                g_usleep(50 * 1000);
            }
            qtest_fail_child(s, "connection closed by the binary");
        }
        g_string_append_len(c->buf, tmp, n);
    }
}

static void qtest_conn_write(QTestState *s, QTestConn *c, const void *data,
                             size_t len)
{
    const uint8_t *p = data;

    while (len) {
        ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            qtest_fail_child(s, "write to the binary failed");
        }
        p += n;
        len -= (size_t)n;
    }
}

static JsonObject *qtest_parse_object(const char *line)
{
    JsonParser *parser = json_parser_new();
    JsonObject *obj;
    JsonNode *root;

    ck_assert_msg(json_parser_load_from_data(parser, line, -1, NULL),
                  "QMP sent invalid JSON: %s", line);
    root = json_parser_get_root(parser);
    ck_assert_msg(root && JSON_NODE_HOLDS_OBJECT(root),
                  "QMP sent a non-object: %s", line);
    obj = json_object_ref(json_node_get_object(root));
    g_object_unref(parser);
    return obj;
}

/* ------------------------------------------------------------------ */
/* Start and stop                                                      */

QTestState *qtest_init(const char *extra_args)
{
    const char *binary = getenv("QTEST_QEMU_BINARY");
    QTestState *s = g_new0(QTestState, 1);
    g_autofree char *args = NULL;
    g_autofree char *cmdline = NULL;
    GError *gerr = NULL;
    char **argv = NULL;
    int lq, lm;
    char *line;
    JsonObject *rsp;

    ck_assert_msg(binary, "QTEST_QEMU_BINARY is not set");
    s->tmpdir = g_dir_make_tmp("qtest-XXXXXX", NULL);
    ck_assert_ptr_nonnull(s->tmpdir);
    s->qtest_path = g_build_filename(s->tmpdir, "qtest.sock", NULL);
    s->qmp_path = g_build_filename(s->tmpdir, "qmp.sock", NULL);
    lq = qtest_listen(s->qtest_path);
    lm = qtest_listen(s->qmp_path);
    g_queue_init(&s->events);

    /* The options QEMU's libqtest adds, in its order. */
    args = g_strdup_printf("-qtest unix:%s -qtest-log %s "
                           "-chardev socket,path=%s,id=char0 "
                           "-mon chardev=char0,mode=control "
                           "-display none -audio none %s -accel qtest",
                           s->qtest_path,
                           getenv("QTEST_LOG") ? "/dev/fd/2" : "/dev/null",
                           s->qmp_path, extra_args ? extra_args : "");
    cmdline = g_strdup_printf("'%s' %s", binary, args);
    ck_assert_msg(g_shell_parse_argv(cmdline, NULL, &argv, &gerr),
                  "bad arguments '%s': %s", cmdline,
                  gerr ? gerr->message : "?");
    if (getenv("QTEST_LOG")) {
        fprintf(stderr, "libqtest: %s\n", cmdline);
    }

    s->pid = fork();
    ck_assert_int_ge(s->pid, 0);
    if (s->pid == 0) {
        /* Never outlive the test, even if it crashes. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        execv(argv[0], argv);
        fprintf(stderr, "libqtest: exec %s: %s\n", argv[0], g_strerror(errno));
        _exit(127);
    }
    g_strfreev(argv);

    s->qtest.fd = qtest_accept(s, lq, "the binary did not connect to the "
                               "qtest socket");
    s->qmp.fd = qtest_accept(s, lm, "the binary did not connect to the "
                             "QMP socket");
    close(lq);
    close(lm);
    s->qtest.buf = g_string_new(NULL);
    s->qmp.buf = g_string_new(NULL);

    line = qtest_conn_line(s, &s->qmp, now_ms() + QTEST_TIMEOUT_MS);
    if (!line) {
        qtest_fail_child(s, "no QMP greeting");
    }
    s->greeting = qtest_parse_object(line);
    ck_assert_msg(json_object_has_member(s->greeting, "QMP"),
                  "bad greeting: %s", line);
    g_free(line);
    rsp = qtest_qmp(s, "{\"execute\": \"qmp_capabilities\"}");
    ck_assert_msg(json_object_has_member(rsp, "return"),
                  "qmp_capabilities refused");
    json_object_unref(rsp);

    line = qtest_cmd(s, "endianness");
    ck_assert_str_eq(line, "OK little");
    g_free(line);
    return s;
}

QTestState *qtest_initf(const char *fmt, ...)
{
    va_list ap;
    g_autofree char *args = NULL;

    va_start(ap, fmt);
    args = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return qtest_init(args);
}

pid_t qtest_pid(QTestState *s)
{
    return s->pid;
}

bool qtest_wait_exit(QTestState *s, int timeout_ms, int *status)
{
    int64_t deadline = now_ms() + timeout_ms;

    while (!qtest_child_gone(s)) {
        if (now_ms() >= deadline) {
            return false;
        }
        g_usleep(10 * 1000);
    }
    if (status) {
        *status = s->wstatus;
    }
    return true;
}

void qtest_quit(QTestState *s)
{
    JsonObject *ev;

    if (!s) {
        return;
    }
    if (!qtest_child_gone(s)) {
        kill(s->pid, SIGTERM);
        if (!qtest_wait_exit(s, 10000, NULL)) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &s->wstatus, 0);
            s->reaped = true;
        }
    }
    if (s->qtest.fd > 0) {
        close(s->qtest.fd);
    }
    if (s->qmp.fd > 0) {
        close(s->qmp.fd);
    }
    if (s->qtest.buf) {
        g_string_free(s->qtest.buf, TRUE);
    }
    if (s->qmp.buf) {
        g_string_free(s->qmp.buf, TRUE);
    }
    while ((ev = g_queue_pop_head(&s->events))) {
        json_object_unref(ev);
    }
    if (s->greeting) {
        json_object_unref(s->greeting);
    }
    unlink(s->qtest_path);
    unlink(s->qmp_path);
    rmdir(s->tmpdir);
    g_free(s->qtest_path);
    g_free(s->qmp_path);
    g_free(s->tmpdir);
    g_free(s);
}

/* ------------------------------------------------------------------ */
/* qtest protocol                                                      */

void qtest_send_raw(QTestState *s, const void *data, size_t len)
{
    qtest_conn_write(s, &s->qtest, data, len);
}

char *qtest_recv_line(QTestState *s)
{
    char *line = qtest_conn_line(s, &s->qtest, now_ms() + QTEST_TIMEOUT_MS);

    if (!line) {
        qtest_fail_child(s, "no reply on the qtest socket");
    }
    return line;
}

char *qtest_cmd(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    char *cmd, *full;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    full = g_strconcat(cmd, "\n", NULL);
    qtest_send_raw(s, full, strlen(full));
    g_free(full);
    g_free(cmd);
    return qtest_recv_line(s);
}

/* Expect exactly "OK". */
static void qtest_expect_ok(QTestState *s, char *reply, const char *what)
{
    ck_assert_msg(strcmp(reply, "OK") == 0, "%s: got '%s'", what, reply);
    g_free(reply);
}

/* Parse "OK <number>" (any base strtoull accepts). */
static uint64_t qtest_reply_u64(char *reply, const char *what)
{
    char *end;
    uint64_t v;

    ck_assert_msg(g_str_has_prefix(reply, "OK "), "%s: got '%s'", what, reply);
    errno = 0;
    v = strtoull(reply + 3, &end, 0);
    ck_assert_msg(!errno && *end == 0, "%s: bad number in '%s'", what, reply);
    g_free(reply);
    return v;
}

#define QTEST_WRITE(suffix, type)                                           \
    void qtest_write##suffix(QTestState *s, uint64_t addr, type val)      \
    {                                                                       \
        qtest_expect_ok(s, qtest_cmd(s, "write" #suffix " 0x%" PRIx64       \
                                     " 0x%" PRIx64, addr, (uint64_t)val),   \
                        "write" #suffix);                                   \
    }
#define QTEST_READ(suffix, type)                                            \
    type qtest_read##suffix(QTestState *s, uint64_t addr)                   \
    {                                                                       \
        return (type)qtest_reply_u64(qtest_cmd(s, "read" #suffix " 0x%"    \
                                               PRIx64, addr),               \
                                     "read" #suffix);                       \
    }
QTEST_WRITE(b, uint8_t)
QTEST_WRITE(w, uint16_t)
QTEST_WRITE(l, uint32_t)
QTEST_WRITE(q, uint64_t)
QTEST_READ(b, uint8_t)
QTEST_READ(w, uint16_t)
QTEST_READ(l, uint32_t)
QTEST_READ(q, uint64_t)

void qtest_memread(QTestState *s, uint64_t addr, void *buf, size_t size)
{
    char *reply = qtest_cmd(s, "read 0x%" PRIx64 " 0x%zx", addr, size);
    uint8_t *out = buf;
    size_t i;

    ck_assert_msg(g_str_has_prefix(reply, "OK 0x") &&
                  strlen(reply) == 5 + 2 * size, "read: got '%.80s'", reply);
    for (i = 0; i < size; i++) {
        char byte[3] = { reply[5 + 2 * i], reply[6 + 2 * i], 0 };
        out[i] = (uint8_t)strtoul(byte, NULL, 16);
    }
    g_free(reply);
}

void qtest_memwrite(QTestState *s, uint64_t addr, const void *buf,
                    size_t size)
{
    const uint8_t *in = buf;
    GString *hex = g_string_sized_new(2 * size + 3);
    size_t i;

    g_string_append(hex, "0x");
    for (i = 0; i < size; i++) {
        g_string_append_printf(hex, "%02x", in[i]);
    }
    qtest_expect_ok(s, qtest_cmd(s, "write 0x%" PRIx64 " 0x%zx %s", addr,
                                 size, hex->str), "write");
    g_string_free(hex, TRUE);
}

void qtest_memset(QTestState *s, uint64_t addr, uint8_t val, size_t size)
{
    qtest_expect_ok(s, qtest_cmd(s, "memset 0x%" PRIx64 " 0x%zx 0x%02x",
                                 addr, size, val), "memset");
}

int64_t qtest_clock_step(QTestState *s, int64_t ns)
{
    char *reply = ns < 0 ? qtest_cmd(s, "clock_step")
                         : qtest_cmd(s, "clock_step %" PRIi64, ns);

    return (int64_t)qtest_reply_u64(reply, "clock_step");
}

int64_t qtest_clock_set(QTestState *s, int64_t ns)
{
    return (int64_t)qtest_reply_u64(qtest_cmd(s, "clock_set %" PRIi64, ns),
                                    "clock_set");
}

/* ------------------------------------------------------------------ */
/* QMP                                                                 */

void qtest_qmp_send_raw(QTestState *s, const void *data, size_t len)
{
    qtest_conn_write(s, &s->qmp, data, len);
}

void qtest_qmp_send_fd(QTestState *s, int fd, const char *json)
{
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { .iov_base = (void *)json, .iov_len = strlen(json) };
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = cbuf, .msg_controllen = sizeof(cbuf),
    };
    struct cmsghdr *c;
    ssize_t n;

    memset(cbuf, 0, sizeof(cbuf));
    c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof(int));
    do {
        n = sendmsg(s->qmp.fd, &msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    ck_assert_msg(n == (ssize_t)iov.iov_len, "sendmsg: %s", g_strerror(errno));
}

/* Next QMP object (response or event); NULL after the deadline. */
static JsonObject *qtest_qmp_next(QTestState *s, int64_t deadline)
{
    char *line = qtest_conn_line(s, &s->qmp, deadline);
    JsonObject *obj;

    if (!line) {
        return NULL;
    }
    obj = qtest_parse_object(line);
    g_free(line);
    return obj;
}

JsonObject *qtest_qmp_receive(QTestState *s)
{
    int64_t deadline = now_ms() + QTEST_TIMEOUT_MS;

    for (;;) {
        JsonObject *obj = qtest_qmp_next(s, deadline);

        if (!obj) {
            qtest_fail_child(s, "no QMP response");
        }
        if (!json_object_has_member(obj, "event")) {
            return obj;
        }
        g_queue_push_tail(&s->events, obj);
    }
}

JsonObject *qtest_qmp(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    char *cmd;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    qtest_qmp_send_raw(s, cmd, strlen(cmd));
    g_free(cmd);
    return qtest_qmp_receive(s);
}

JsonObject *qtest_qmp_greeting(QTestState *s)
{
    return s->greeting;
}

static bool qtest_is_event(JsonObject *obj, const char *name)
{
    return json_object_has_member(obj, "event") &&
           g_strcmp0(json_object_get_string_member(obj, "event"), name) == 0;
}

JsonObject *qtest_qmp_eventwait(QTestState *s, const char *name,
                                int timeout_ms)
{
    int64_t deadline = now_ms() + timeout_ms;
    GList *l;

    for (l = s->events.head; l; l = l->next) {
        if (qtest_is_event(l->data, name)) {
            JsonObject *ev = l->data;
            g_queue_delete_link(&s->events, l);
            return ev;
        }
    }
    for (;;) {
        JsonObject *obj = qtest_qmp_next(s, deadline);

        if (!obj) {
            return NULL;
        }
        if (qtest_is_event(obj, name)) {
            return obj;
        }
        if (json_object_has_member(obj, "event")) {
            g_queue_push_tail(&s->events, obj);
        } else {
            ck_abort_msg("unexpected QMP response while waiting for %s", name);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Response helpers                                                    */

bool qmp_rsp_is_error(JsonObject *rsp, const char *cls)
{
    JsonObject *err;

    if (!json_object_has_member(rsp, "error")) {
        return false;
    }
    err = json_object_get_object_member(rsp, "error");
    return !cls || g_strcmp0(json_object_get_string_member(err, "class"),
                             cls) == 0;
}

const char *qmp_rsp_error_desc(JsonObject *rsp)
{
    if (!json_object_has_member(rsp, "error")) {
        return NULL;
    }
    return json_object_get_string_member(
        json_object_get_object_member(rsp, "error"), "desc");
}

JsonObject *qmp_rsp_return_object(JsonObject *rsp)
{
    JsonNode *ret;

    ck_assert_msg(json_object_has_member(rsp, "return"),
                  "expected a return, got error: %s",
                  qmp_rsp_error_desc(rsp) ? qmp_rsp_error_desc(rsp) : "?");
    ret = json_object_get_member(rsp, "return");
    ck_assert(JSON_NODE_HOLDS_OBJECT(ret));
    return json_node_get_object(ret);
}

JsonArray *qmp_rsp_return_array(JsonObject *rsp)
{
    JsonNode *ret;

    ck_assert_msg(json_object_has_member(rsp, "return"),
                  "expected a return, got error: %s",
                  qmp_rsp_error_desc(rsp) ? qmp_rsp_error_desc(rsp) : "?");
    ret = json_object_get_member(rsp, "return");
    ck_assert(JSON_NODE_HOLDS_ARRAY(ret));
    return json_node_get_array(ret);
}
