/*
 * Migration transports: parse the URI and produce a descriptor that
 * carries the stream (facts 5.2: tcp:, unix:, fd:, exec:, file:).  Only
 * descriptors leave this file, so the stream code is the same for all.
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "qemu/cutils.h"
#include "qemu/fdstore.h"
#include "migration-internal.h"

void mig_uri_free(MigUri *u)
{
    if (u) {
        g_free(u->host);
        g_free(u->port);
        g_free(u->path);
        g_free(u->fdname);
        g_free(u->cmd);
        g_free(u);
    }
}

/* "HOST:PORT" or "[V6]:PORT", options after ',' ignored. */
static bool parse_inet(MigUri *u, const char *s, Error **errp)
{
    g_autofree char *copy = g_strdup(s);
    char *comma = strchr(copy, ',');
    char *colon;

    if (comma) {
        *comma = 0;
    }
    if (copy[0] == '[') {
        char *close = strchr(copy, ']');
        if (!close || close[1] != ':') {
            error_setg(errp, "address '%s' lacks ']:PORT'", s);
            return false;
        }
        *close = 0;
        u->host = g_strdup(copy + 1);
        u->port = g_strdup(close + 2);
    } else {
        colon = strrchr(copy, ':');
        if (!colon) {
            error_setg(errp, "address '%s' lacks ':PORT'", s);
            return false;
        }
        *colon = 0;
        u->host = g_strdup(copy);
        u->port = g_strdup(colon + 1);
    }
    if (!*u->port) {
        error_setg(errp, "address '%s' has an empty port", s);
        return false;
    }
    return true;
}

static bool parse_file(MigUri *u, const char *s, Error **errp)
{
    const char *opt = strstr(s, ",offset=");
    uint64_t off = 0;

    if (opt) {
        const char *v = opt + strlen(",offset=");
        size_t vl = strlen(v);
        /* Hex with a size suffix ("0x20M") is ambiguous: QEMU refuses it. */
        if ((g_str_has_prefix(v, "0x") || g_str_has_prefix(v, "0X")) && vl &&
            g_ascii_isalpha(v[vl - 1]) && !g_ascii_isxdigit(v[vl - 1])) {
            error_setg(errp, "file offset '%s' is not a valid size", v);
            return false;
        }
        if (!qemu_strtosz(v, 'B', &off)) {
            error_setg(errp, "file offset '%s' is not a valid size", v);
            return false;
        }
        u->path = g_strndup(s, opt - s);
    } else {
        u->path = g_strdup(s);
    }
    if (!*u->path) {
        error_setg(errp, "file: needs a path");
        return false;
    }
    u->offset = off;
    return true;
}

/* Transports whose whole argument is one non-empty string. */
static const struct {
    const char *prefix;
    MigTransport transport;
    size_t field;           /* offsetof(MigUri, ...) of the char * */
    const char *needs;
} simple_uris[] = {
    { "unix:", MIG_TRANSPORT_UNIX, offsetof(MigUri, path), "a path" },
    { "fd:", MIG_TRANSPORT_FD, offsetof(MigUri, fdname), "a name" },
    { "exec:", MIG_TRANSPORT_EXEC, offsetof(MigUri, cmd), "a command" },
};

MigUri *mig_uri_parse(const char *uri, Error **errp)
{
    MigUri *u = g_new0(MigUri, 1);
    bool ok = false;

    if (g_str_has_prefix(uri, "tcp:")) {
        u->transport = MIG_TRANSPORT_TCP;
        ok = parse_inet(u, uri + 4, errp);
    } else if (g_str_has_prefix(uri, "file:")) {
        u->transport = MIG_TRANSPORT_FILE;
        ok = parse_file(u, uri + 5, errp);
    } else {
        size_t i;
        for (i = 0; i < ARRAY_SIZE(simple_uris); i++) {
            const char *arg = uri + strlen(simple_uris[i].prefix);
            if (g_str_has_prefix(uri, simple_uris[i].prefix)) {
                u->transport = simple_uris[i].transport;
                *(char **)((char *)u + simple_uris[i].field) = g_strdup(arg);
                ok = *arg != 0;
                if (!ok) {
                    error_setg(errp, "%s needs %s", simple_uris[i].prefix,
                               simple_uris[i].needs);
                }
                break;
            }
        }
        if (i == ARRAY_SIZE(simple_uris)) {
            error_setg(errp, "unknown migration protocol: '%s' (use tcp:, "
                       "unix:, fd:, exec: or file:)", uri);
        }
    }
    if (!ok) {
        mig_uri_free(u);
        return NULL;
    }
    return u;
}

int mig_channel_fd_by_name(const char *name, Error **errp)
{
    uint64_t n;
    int fd;

    if (qemu_strtou64(name, &n)) {
        if (n > INT32_MAX || fcntl((int)n, F_GETFD) < 0) {
            error_setg(errp, "fd %s is not an open descriptor", name);
            return -1;
        }
        fd = dup((int)n);
    } else {
        fd = fdstore_take(name);
    }
    if (fd < 0) {
        error_setg(errp, "File descriptor named '%s' has not been found",
                   name);
    }
    return fd;
}

static int unix_address(const char *path, struct sockaddr_un *sa,
                        Error **errp)
{
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sa->sun_path)) {
        error_setg(errp, "unix socket path '%s' is too long", path);
        return -1;
    }
    strcpy(sa->sun_path, path);
    return 0;
}

static int tcp_connect(const MigUri *u, Error **errp)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM };
    struct addrinfo *res, *ai;
    int err, fd = -1, saved = 0;

    err = getaddrinfo(u->host, u->port, &hints, &res);
    if (err) {
        error_setg(errp, "address resolution failed for %s:%s: %s", u->host,
                   u->port, gai_strerror(err));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        }
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg_errno(errp, saved, "Failed to connect to '%s:%s'",
                         u->host, u->port);
    }
    return fd;
}

static int unix_connect(const MigUri *u, Error **errp)
{
    struct sockaddr_un sa;
    int fd;

    if (unix_address(u->path, &sa, errp) < 0) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        error_setg_errno(errp, errno, "Failed to connect to '%s'", u->path);
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    return fd;
}

/* sh -c CMD with its stdin (outgoing) or stdout (incoming) as our fd. */
static int exec_spawn(const char *cmd, bool outgoing, pid_t *child,
                      Error **errp)
{
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    GError *gerr = NULL;
    GPid pid;
    int fd = -1;

    if (!g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
                                  G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid,
                                  outgoing ? &fd : NULL,
                                  outgoing ? NULL : &fd, NULL, &gerr)) {
        error_setg(errp, "cannot run '%s': %s", cmd, gerr->message);
        g_error_free(gerr);
        return -1;
    }
    *child = pid;
    return fd;
}

static int file_open(const MigUri *u, bool outgoing, Error **errp)
{
    int fd;

    if (outgoing) {
        /* With an offset the bytes before it belong to someone else. */
        fd = open(u->path, O_WRONLY | O_CREAT | O_CLOEXEC |
                  (u->offset ? 0 : O_TRUNC), 0600);
        if (fd >= 0 && u->offset && ftruncate(fd, u->offset) < 0) {
            error_setg_errno(errp, errno, "cannot truncate '%s'", u->path);
            close(fd);
            return -1;
        }
    } else {
        fd = open(u->path, O_RDONLY | O_CLOEXEC);
    }
    if (fd < 0) {
        error_setg_errno(errp, errno, "cannot open '%s'", u->path);
        return -1;
    }
    if (u->offset && lseek(fd, u->offset, SEEK_SET) < 0) {
        error_setg_errno(errp, errno, "cannot seek '%s' to 0x%" PRIx64,
                         u->path, u->offset);
        close(fd);
        return -1;
    }
    return fd;
}

bool mig_channel_connect(const MigUri *u, int *fd, pid_t *child,
                         Error **errp)
{
    *child = 0;
    switch (u->transport) {
    case MIG_TRANSPORT_TCP:
        *fd = tcp_connect(u, errp);
        break;
    case MIG_TRANSPORT_UNIX:
        *fd = unix_connect(u, errp);
        break;
    case MIG_TRANSPORT_FD:
        break;      /* resolved by the caller */
    case MIG_TRANSPORT_EXEC:
        *fd = exec_spawn(u->cmd, true, child, errp);
        break;
    case MIG_TRANSPORT_FILE:
        *fd = file_open(u, true, errp);
        break;
    }
    return *fd >= 0;
}

static int tcp_listen(const MigUri *u, Error **errp)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE };
    struct addrinfo *res, *ai;
    int err, fd = -1, saved = 0, one = 1;
    const char *host = *u->host ? u->host : NULL;

    err = getaddrinfo(host, u->port, &hints, &res);
    if (err) {
        error_setg(errp, "address resolution failed for %s:%s: %s", u->host,
                   u->port, gai_strerror(err));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1) == 0) {
            break;
        }
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg_errno(errp, saved, "Failed to listen on '%s:%s'", u->host,
                         u->port);
    }
    return fd;
}

static int unix_listen(const MigUri *u, Error **errp)
{
    struct sockaddr_un sa;
    int fd;

    if (unix_address(u->path, &sa, errp) < 0) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "cannot create a unix socket");
        return -1;
    }
    /* A stale socket file from an earlier run would make bind fail. */
    unlink(u->path);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
        error_setg_errno(errp, errno, "Failed to listen on '%s'", u->path);
        close(fd);
        return -1;
    }
    return fd;
}

bool mig_channel_listen(const MigUri *u, int *listen_fd, int *fd,
                        pid_t *child, Error **errp)
{
    *listen_fd = -1;
    *fd = -1;
    *child = 0;
    switch (u->transport) {
    case MIG_TRANSPORT_TCP:
        *listen_fd = tcp_listen(u, errp);
        return *listen_fd >= 0;
    case MIG_TRANSPORT_UNIX:
        *listen_fd = unix_listen(u, errp);
        return *listen_fd >= 0;
    case MIG_TRANSPORT_FD:
        *fd = mig_channel_fd_by_name(u->fdname, errp);
        return *fd >= 0;
    case MIG_TRANSPORT_EXEC:
        *fd = exec_spawn(u->cmd, false, child, errp);
        return *fd >= 0;
    case MIG_TRANSPORT_FILE:
        *fd = file_open(u, false, errp);
        return *fd >= 0;
    }
    return false;
}

bool mig_channel_local_address(int listen_fd, char **type, char **host,
                               char **port, char **path)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    char h[INET6_ADDRSTRLEN] = "";

    *type = *host = *port = *path = NULL;
    if (getsockname(listen_fd, (struct sockaddr *)&ss, &len) < 0) {
        return false;
    }
    if (ss.ss_family == AF_UNIX) {
        *type = g_strdup("unix");
        *path = g_strdup(((struct sockaddr_un *)&ss)->sun_path);
    } else if (ss.ss_family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        inet_ntop(AF_INET, &sin->sin_addr, h, sizeof(h));
        *type = g_strdup("inet");
        *host = g_strdup(h);
        *port = g_strdup_printf("%u", ntohs(sin->sin_port));
    } else if (ss.ss_family == AF_INET6) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        inet_ntop(AF_INET6, &sin6->sin6_addr, h, sizeof(h));
        *type = g_strdup("inet");
        *host = g_strdup(h);
        *port = g_strdup_printf("%u", ntohs(sin6->sin6_port));
    } else {
        return false;
    }
    return true;
}

bool mig_channel_reap(pid_t child, Error **errp)
{
    int status;

    if (child <= 0) {
        return true;
    }
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) {
            return true;    /* already reaped elsewhere */
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        return true;
    }
    if (WIFSIGNALED(status)) {
        error_setg(errp, "migration command killed by signal %d",
                   WTERMSIG(status));
    } else {
        error_setg(errp, "migration command exited with status %d",
                   WEXITSTATUS(status));
    }
    return false;
}
