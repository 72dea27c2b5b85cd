/*
 * Socket character devices: unix and tcp, server or client.
 *
 * A server accepts one client at a time (like QEMU without "reconnect"):
 * while a client is connected the listening socket is not watched, so a
 * second client waits in the backlog until the first leaves.  Unix sockets
 * also carry file descriptors (SCM_RIGHTS) for QMP's getfd.
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <glib-unix.h>
#include "chardev/char-internal.h"

static gboolean chr_flush_cb(GIOChannel *ch, GIOCondition cond, gpointer data)
{
    Chardev *chr = data;

    while (chr->outbuf && chr->outbuf->len) {
        ssize_t n = send(chr->out_fd, chr->outbuf->data, chr->outbuf->len,
                         MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            return G_SOURCE_CONTINUE;
        }
        if (n <= 0) {
            chr->write_watch = 0;
            chr_socket_disconnect(chr);
            return G_SOURCE_REMOVE;
        }
        g_byte_array_remove_range(chr->outbuf, 0, n);
    }
    chr->write_watch = 0;
    return G_SOURCE_REMOVE;
}

/*
 * Non-blocking: what the socket does not take now is queued and sent from
 * the main loop, so a slow QMP client never stalls a vCPU or the loop.
 */
int chr_socket_write(Chardev *chr, const uint8_t *buf, int len)
{
    int done = 0;

    if (!chr->outbuf) {
        chr->outbuf = g_byte_array_new();
    }
    while (!chr->outbuf->len && done < len) {
        ssize_t n = send(chr->out_fd, buf + done, len - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno == EAGAIN) {
            break;
        }
        if (n <= 0) {
            return -1;
        }
        done += n;
    }
    if (done < len) {
        if (chr->outbuf->len + (len - done) > CHR_OUTBUF_MAX) {
            /* The peer stopped reading: drop it, keep the VM going. */
            chr_socket_disconnect(chr);
            return -1;
        }
        g_byte_array_append(chr->outbuf, buf + done, len - done);
        if (!chr->write_watch) {
            GIOChannel *ch = g_io_channel_unix_new(chr->out_fd);
            chr->write_watch = g_io_add_watch(ch, G_IO_OUT | G_IO_ERR |
                                              G_IO_HUP, chr_flush_cb, chr);
            g_io_channel_unref(ch);
        }
    }
    return len;
}

static void chr_socket_attach(Chardev *chr, int fd)
{
    int one = 1;

    g_unix_set_fd_nonblocking(fd, TRUE, NULL);
    if (!chr->is_unix) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    chr->in_fd = fd;
    chr->out_fd = fd;
    chr->connected = true;
    chr_start_reading(chr);
    chr_send_event(chr, CHR_EVENT_OPENED);
}

static gboolean chr_accept_cb(GIOChannel *ch, GIOCondition cond, gpointer data)
{
    Chardev *chr = data;
    int fd = accept4(chr->listen_fd, NULL, NULL, SOCK_CLOEXEC);

    if (fd < 0) {
        return G_SOURCE_CONTINUE;
    }
    chr->listen_watch = 0;
    chr_socket_attach(chr, fd);
    return G_SOURCE_REMOVE;
}

static void chr_listen_watch(Chardev *chr)
{
    GIOChannel *ch = g_io_channel_unix_new(chr->listen_fd);

    chr->listen_watch = g_io_add_watch(ch, G_IO_IN, chr_accept_cb, chr);
    g_io_channel_unref(ch);
}

void chr_socket_disconnect(Chardev *chr)
{
    if (!chr->connected) {
        return;
    }
    chr_stop_reading(chr);
    if (chr->write_watch) {
        g_source_remove(chr->write_watch);
        chr->write_watch = 0;
    }
    if (chr->outbuf) {
        g_byte_array_set_size(chr->outbuf, 0);
    }
    close(chr->in_fd);
    chr->in_fd = chr->out_fd = -1;
    chr->connected = false;
    if (chr->msgfd >= 0) {
        close(chr->msgfd);
        chr->msgfd = -1;
    }
    chr_send_event(chr, CHR_EVENT_CLOSED);
    if (chr->server && chr->listen_fd >= 0) {
        chr_listen_watch(chr);
    }
}

ssize_t chr_socket_recv(Chardev *chr, uint8_t *buf, size_t len)
{
    struct iovec iov = { .iov_base = buf, .iov_len = len };
    union {
        struct cmsghdr hdr;
        char buf[CMSG_SPACE(sizeof(int) * 4)];
    } control;
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = &control, .msg_controllen = sizeof(control),
    };
    ssize_t n = recvmsg(chr->in_fd, &msg, MSG_CMSG_CLOEXEC);

    if (n <= 0) {
        return n;
    }
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            int *fds = (int *)CMSG_DATA(c);
            for (int i = 0; i < nfds; i++) {
                /* Keep the last one; QMP getfd takes one descriptor. */
                if (chr->msgfd >= 0) {
                    close(chr->msgfd);
                }
                chr->msgfd = fds[i];
            }
        }
    }
    return n;
}

static int open_unix(Chardev *chr, Error **errp)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd;

    if (strlen(chr->path) >= sizeof(sa.sun_path)) {
        error_setg(errp, "chardev '%s': unix socket path too long (%zu > %zu)",
                   chr->id, strlen(chr->path), sizeof(sa.sun_path) - 1);
        return -1;
    }
    strcpy(sa.sun_path, chr->path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "chardev '%s': socket", chr->id);
        return -1;
    }
    if (chr->server) {
        struct stat st;
        if (stat(chr->path, &st) == 0 && S_ISSOCK(st.st_mode)) {
            unlink(chr->path);
        }
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
            listen(fd, 1) < 0) {
            error_setg_errno(errp, errno, "chardev '%s': cannot listen on '%s'",
                             chr->id, chr->path);
            close(fd);
            return -1;
        }
    } else if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        error_setg_errno(errp, errno, "chardev '%s': cannot connect to '%s'",
                         chr->id, chr->path);
        close(fd);
        return -1;
    }
    return fd;
}

static int open_tcp(Chardev *chr, Error **errp)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
                              .ai_flags = chr->server ? AI_PASSIVE : 0 };
    struct addrinfo *res = NULL;
    const char *host = chr->host && *chr->host ? chr->host : "127.0.0.1";
    int fd = -1, rc, one = 1;

    rc = getaddrinfo(host, chr->port, &hints, &res);
    if (rc) {
        error_setg(errp, "chardev '%s': address '%s:%s': %s", chr->id, host,
                   chr->port, gai_strerror(rc));
        return -1;
    }
    fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "chardev '%s': socket", chr->id);
        freeaddrinfo(res);
        return -1;
    }
    if (chr->server) {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        rc = bind(fd, res->ai_addr, res->ai_addrlen);
        if (rc == 0) {
            rc = listen(fd, 1);
        }
    } else {
        rc = connect(fd, res->ai_addr, res->ai_addrlen);
    }
    if (rc < 0) {
        error_setg_errno(errp, errno, "chardev '%s': cannot %s %s:%s",
                         chr->id, chr->server ? "listen on" : "connect to",
                         host, chr->port);
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

bool chr_socket_open(Chardev *chr, Error **errp)
{
    int fd = chr->is_unix ? open_unix(chr, errp) : open_tcp(chr, errp);

    if (fd < 0) {
        return false;
    }
    if (chr->server) {
        chr->listen_fd = fd;
        chr_listen_watch(chr);
    } else {
        chr_socket_attach(chr, fd);
    }
    return true;
}
