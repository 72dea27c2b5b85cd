/*
 * Character devices: registry, the simple backends (null, stdio, file, pipe)
 * and the legacy "-serial"-style spec parser.  See include/chardev/char.h.
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <sys/stat.h>
#include "chardev/char-internal.h"
#include "qemu/main-loop.h"

#define CHR_READ_CHUNK 4096

static GPtrArray *chardevs;

Chardev *chr_alloc(const char *id, ChardevKind kind)
{
    Chardev *chr = g_new0(Chardev, 1);

    chr->id = g_strdup(id);
    chr->kind = kind;
    chr->in_fd = -1;
    chr->out_fd = -1;
    chr->listen_fd = -1;
    chr->msgfd = -1;
    if (!chardevs) {
        chardevs = g_ptr_array_new();
    }
    g_ptr_array_add(chardevs, chr);
    return chr;
}

/* Forget chr: stop its watches, close what it opened, free it. */
static void chr_free(Chardev *chr)
{
    /* The frontend is going away too: no events, no re-listening. */
    chr->fe_event = NULL;
    chr_stop_reading(chr);
    if (chr->kind == CHR_SOCKET) {
        if (chr->listen_watch) {
            g_source_remove(chr->listen_watch);
        }
        if (chr->listen_fd >= 0) {
            close(chr->listen_fd);
            chr->listen_fd = -1;
        }
        chr_socket_disconnect(chr);
    } else if (chr->kind == CHR_FILE || chr->kind == CHR_PIPE) {
        if (chr->in_fd >= 0 && chr->in_fd != chr->out_fd) {
            close(chr->in_fd);
        }
        if (chr->out_fd >= 0) {
            close(chr->out_fd);
        }
    }
    if (chr->outbuf) {
        g_byte_array_free(chr->outbuf, TRUE);
    }
    g_ptr_array_remove(chardevs, chr);
    g_free(chr->id);
    g_free(chr->path);
    g_free(chr->host);
    g_free(chr->port);
    g_free(chr);
}

Chardev *qemu_chr_find(const char *id)
{
    for (guint i = 0; chardevs && i < chardevs->len; i++) {
        Chardev *chr = g_ptr_array_index(chardevs, i);
        if (!strcmp(chr->id, id)) {
            return chr;
        }
    }
    return NULL;
}

const char *qemu_chr_label(const Chardev *chr)
{
    return chr->id;
}

void chr_send_event(Chardev *chr, ChrEvent ev)
{
    if (chr->fe_event) {
        chr->fe_event(chr->fe_opaque, ev);
    }
}

static gboolean chr_retry_cb(gpointer data)
{
    Chardev *chr = data;

    chr->retry_source = 0;
    chr_start_reading(chr);
    return G_SOURCE_REMOVE;
}

static gboolean chr_readable(GIOChannel *ch, GIOCondition cond, gpointer data)
{
    Chardev *chr = data;
    uint8_t buf[CHR_READ_CHUNK];
    int want = sizeof(buf);
    ssize_t n;

    if (chr->fe_can_read) {
        want = MIN(chr->fe_can_read(chr->fe_opaque), (int)sizeof(buf));
        if (want <= 0) {
            /* Frontend is full: look again shortly instead of spinning. */
            chr->read_watch = 0;
            chr->retry_source = g_timeout_add(5, chr_retry_cb, chr);
            return G_SOURCE_REMOVE;
        }
    }
    if (chr->kind == CHR_SOCKET) {
        n = chr_socket_recv(chr, buf, want);
    } else {
        n = read(chr->in_fd, buf, want);
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return G_SOURCE_CONTINUE;
    }
    if (n <= 0) {
        chr->read_watch = 0;
        if (chr->kind == CHR_SOCKET) {
            chr_socket_disconnect(chr);
        }
        return G_SOURCE_REMOVE;
    }
    if (chr->fe_read) {
        chr->fe_read(chr->fe_opaque, buf, (int)n);
    }
    return G_SOURCE_CONTINUE;
}

void chr_start_reading(Chardev *chr)
{
    GIOChannel *ch;

    if (chr->in_fd < 0 || chr->read_watch || chr->retry_source ||
        !chr->fe_read) {
        return;
    }
    ch = g_io_channel_unix_new(chr->in_fd);
    chr->read_watch = g_io_add_watch(ch, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                     chr_readable, chr);
    g_io_channel_unref(ch);
}

void chr_stop_reading(Chardev *chr)
{
    if (chr->read_watch) {
        g_source_remove(chr->read_watch);
        chr->read_watch = 0;
    }
    if (chr->retry_source) {
        g_source_remove(chr->retry_source);
        chr->retry_source = 0;
    }
}

void qemu_chr_fe_set_handlers(Chardev *chr, ChrCanReadHandler *can_read,
                              ChrReadHandler *read, ChrEventHandler *event,
                              void *opaque)
{
    chr_stop_reading(chr);
    chr->fe_can_read = can_read;
    chr->fe_read = read;
    chr->fe_event = event;
    chr->fe_opaque = opaque;
    chr_start_reading(chr);
    if (chr->connected) {
        chr_send_event(chr, CHR_EVENT_OPENED);
    }
}

int qemu_chr_fe_write_all(Chardev *chr, const uint8_t *buf, int len)
{
    int done = 0;

    if (chr->kind == CHR_NULL) {
        return len;
    }
    if (chr->out_fd < 0 || !chr->connected) {
        return -1;
    }
    if (chr->kind == CHR_SOCKET) {
        return chr_socket_write(chr, buf, len);
    }
    while (done < len) {
        ssize_t n = write(chr->out_fd, buf + done, len - done);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            g_usleep(100);
            continue;
        }
        if (n <= 0) {
            return -1;
        }
        done += n;
    }
    return len;
}

bool qemu_chr_fe_connected(Chardev *chr)
{
    return chr->connected;
}

void qemu_chr_fe_disconnect(Chardev *chr)
{
    if (chr->kind == CHR_SOCKET) {
        chr_socket_disconnect(chr);
    }
}

int qemu_chr_fe_get_msgfd(Chardev *chr)
{
    int fd = chr->msgfd;

    chr->msgfd = -1;
    return fd;
}

bool qemu_chr_wait_connected(Chardev *chr, Error **errp)
{
    if (chr->kind != CHR_SOCKET || chr->connected || !chr->server) {
        return true;
    }
    while (!chr->connected) {
        main_loop_wait(true);
    }
    return true;
}

static bool open_file_backend(Chardev *chr, const char *path, bool append,
                              Error **errp)
{
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC);
    int fd = open(path, flags, 0666);

    if (fd < 0) {
        error_setg_errno(errp, errno, "chardev '%s': cannot open '%s'",
                         chr->id, path);
        return false;
    }
    chr->out_fd = fd;
    chr->connected = true;
    return true;
}

static bool open_pipe_backend(Chardev *chr, const char *path, Error **errp)
{
    g_autofree char *in = g_strdup_printf("%s.in", path);
    g_autofree char *out = g_strdup_printf("%s.out", path);
    int fdin = open(in, O_RDWR | O_CLOEXEC | O_NONBLOCK);
    int fdout = open(out, O_RDWR | O_CLOEXEC);

    if (fdin < 0 || fdout < 0) {
        if (fdin >= 0) {
            close(fdin);
        }
        if (fdout >= 0) {
            close(fdout);
        }
        fdin = fdout = open(path, O_RDWR | O_CLOEXEC);
        if (fdin < 0) {
            error_setg_errno(errp, errno, "chardev '%s': cannot open pipe '%s'",
                             chr->id, path);
            return false;
        }
    }
    chr->in_fd = fdin;
    chr->out_fd = fdout;
    chr->connected = true;
    return true;
}

/* Refuse unknown options before anything is opened or created. */
static bool chr_opts_check(QemuOpts *opts, const char *id, Error **errp)
{
    g_autofree char *what = g_strdup_printf("chardev '%s'", id);

    return qemu_opts_check_unused(opts, what, errp);
}

static Chardev *chr_create(const char *id, const char *backend,
                           QemuOpts *opts, Error **errp)
{
    Chardev *chr;
    const char *path;

    if (qemu_chr_find(id)) {
        error_setg(errp, "chardev: duplicate id '%s'", id);
        return NULL;
    }
    /* null and stdio take no options of their own: refuse any left over. */
    if ((!strcmp(backend, "null") || !strcmp(backend, "stdio")) && opts &&
        !chr_opts_check(opts, id, errp)) {
        return NULL;
    }
    if (!strcmp(backend, "null")) {
        chr = chr_alloc(id, CHR_NULL);
        chr->connected = true;
        return chr;
    }
    if (!strcmp(backend, "stdio")) {
        chr = chr_alloc(id, CHR_STDIO);
        chr->in_fd = 0;
        chr->out_fd = 1;
        chr->connected = true;
        return chr;
    }
    if (!strcmp(backend, "file") || !strcmp(backend, "pipe")) {
        bool ok;
        path = qemu_opt_get(opts, "path");
        if (!path) {
            error_setg(errp, "chardev '%s': %s backend needs path=", id,
                       backend);
            return NULL;
        }
        if (!strcmp(backend, "file")) {
            Error *err = NULL;
            bool append = qemu_opt_get_bool(opts, "append", false, &err);
            if (err || !chr_opts_check(opts, id, &err)) {
                error_propagate(errp, err);
                return NULL;
            }
            chr = chr_alloc(id, CHR_FILE);
            ok = open_file_backend(chr, path, append, errp);
        } else {
            if (!chr_opts_check(opts, id, errp)) {
                return NULL;
            }
            chr = chr_alloc(id, CHR_PIPE);
            ok = open_pipe_backend(chr, path, errp);
        }
        if (!ok) {
            chr_free(chr);
            return NULL;
        }
        return chr;
    }
    if (!strcmp(backend, "socket")) {
        Error *err = NULL;
        chr = chr_alloc(id, CHR_SOCKET);
        chr->server = qemu_opt_get_bool(opts, "server", false, &err);
        if (!err) {
            chr->wait = qemu_opt_get_bool(opts, "wait", true, &err);
        }
        chr->path = g_strdup(qemu_opt_get(opts, "path"));
        chr->host = g_strdup(qemu_opt_get(opts, "host"));
        chr->port = g_strdup(qemu_opt_get(opts, "port"));
        chr->is_unix = chr->path != NULL;
        if (!err && !chr->path && !chr->port) {
            error_setg(&err, "chardev '%s': socket needs path= or port=", id);
        }
        if (!err) {
            chr_opts_check(opts, id, &err);
        }
        if (err || !chr_socket_open(chr, &err)) {
            error_propagate(errp, err);
            chr_free(chr);
            return NULL;
        }
        return chr;
    }
    error_setg(errp, "chardev: backend '%s' is not supported "
               "(null, stdio, file, pipe, socket)", backend);
    return NULL;
}

Chardev *qemu_chr_new_from_opts(QemuOpts *opts, Error **errp)
{
    const char *backend = qemu_opt_get(opts, "backend");
    const char *id = qemu_opt_get(opts, "id");

    /* Options every backend may see; the backend reads its own. */
    qemu_opt_get(opts, "mux");
    qemu_opt_get(opts, "logfile");
    if (!backend) {
        error_setg(errp, "-chardev: backend type missing");
        return NULL;
    }
    if (!id || !*id) {
        error_setg(errp, "-chardev: 'id' is required");
        return NULL;
    }
    return chr_create(id, backend, opts, errp);
}

Chardev *qemu_chr_new(const char *label, const char *spec, Error **errp)
{
    g_autofree char *opt_str = NULL;
    QemuOpts *opts;
    const char *backend;
    Chardev *chr;

    if (g_str_has_prefix(spec, "chardev:")) {
        chr = qemu_chr_find(spec + 8);
        if (!chr) {
            error_setg(errp, "chardev '%s' not found", spec + 8);
        }
        return chr;
    }
    if (!strcmp(spec, "stdio") || !strcmp(spec, "null") ||
        !strcmp(spec, "none")) {
        opt_str = g_strdup_printf("%s", !strcmp(spec, "none") ? "null" : spec);
        backend = opt_str;
        return chr_create(label, backend, NULL, errp);
    }
    if (g_str_has_prefix(spec, "file:")) {
        opt_str = g_strdup_printf("path=%s", spec + 5);
        backend = "file";
    } else if (g_str_has_prefix(spec, "pipe:")) {
        opt_str = g_strdup_printf("path=%s", spec + 5);
        backend = "pipe";
    } else if (g_str_has_prefix(spec, "unix:")) {
        g_autofree char *esc = g_strdup(spec + 5);
        char *comma = strchr(esc, ',');
        if (comma) {
            *comma = 0;
            opt_str = g_strdup_printf("path=%s,%s", esc, comma + 1);
        } else {
            opt_str = g_strdup_printf("path=%s", esc);
        }
        backend = "socket";
    } else if (g_str_has_prefix(spec, "tcp:")) {
        g_autofree char *hp = g_strdup(spec + 4);
        char *comma = strchr(hp, ',');
        char *colon;
        if (comma) {
            *comma++ = 0;
        }
        colon = strrchr(hp, ':');
        if (!colon) {
            error_setg(errp, "'%s': expected tcp:HOST:PORT", spec);
            return NULL;
        }
        *colon = 0;
        opt_str = g_strdup_printf("host=%s,port=%s%s%s",
                                  *hp ? hp : "127.0.0.1", colon + 1,
                                  comma ? "," : "", comma ? comma : "");
        backend = "socket";
    } else {
        error_setg(errp, "'%s' is not a supported character device "
                   "(stdio, null, file:, pipe:, unix:, tcp:, chardev:)", spec);
        return NULL;
    }
    opts = qemu_opts_parse(opt_str, NULL, errp);
    if (!opts) {
        return NULL;
    }
    chr = chr_create(label, backend, opts, errp);
    qemu_opts_free(opts);
    return chr;
}

void qemu_chr_cleanup(void)
{
    while (chardevs && chardevs->len) {
        Chardev *chr = g_ptr_array_index(chardevs, chardevs->len - 1);
        if (chr->kind == CHR_SOCKET && chr->server && chr->is_unix &&
            chr->path) {
            unlink(chr->path);
        }
        chr_free(chr);
    }
}
