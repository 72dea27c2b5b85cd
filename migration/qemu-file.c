/*
 * QEMUFile: buffered big-endian byte stream over a descriptor or memory
 * (see include/migration/qemu-file.h).
 *
 * Reads past the end set a sticky error instead of failing each caller
 * separately, so a parser can read a whole record and check once; values
 * read after an error are zero, which every caller treats as "stop".
 */
#include "qemu/osdep.h"
#include <sys/socket.h>
#include <sys/stat.h>
#include <poll.h>
#include <sys/uio.h>
#include "migration/qemu-file.h"

#define IO_BUF_SIZE (64 * 1024)
/* Pieces gathered per writev: pages by reference plus buffered headers. */
#define MAX_IOV 256
#define PEEK_MAX 4096
/* Bandwidth is accounted in windows of this length (us). */
#define RATE_WINDOW_US 100000

struct QEMUFile {
    int fd;                 /* -1 for memory streams */
    bool writable;
    bool is_mem;
    bool is_socket;
    GByteArray *mem;        /* memory writer */
    uint8_t *buf;           /* fd: IO_BUF_SIZE; memory reader: the data */
    size_t buf_index;       /* reader: next byte; writer: bytes buffered */
    size_t buf_size;        /* reader: valid bytes in buf */
    struct iovec iov[MAX_IOV];  /* fd writer: what the next flush sends */
    int iovcnt;
    bool hit_eof;           /* reader: descriptor returned 0 */
    uint64_t total;         /* bytes put (writer) or consumed (reader) */
    int last_error;
    Error *last_error_obj;
    uint64_t rate_limit;    /* bytes/s, 0 = unlimited */
    int64_t window_start_us;
    uint64_t window_bytes;
};

static QEMUFile *file_alloc(void)
{
    QEMUFile *f = g_new0(QEMUFile, 1);

    f->fd = -1;
    f->window_start_us = g_get_monotonic_time();
    return f;
}

QEMUFile *qemu_file_new_fd(int fd, bool writable)
{
    QEMUFile *f = file_alloc();
    struct stat st;

    f->fd = fd;
    f->writable = writable;
    f->buf = g_malloc(IO_BUF_SIZE);
    f->is_socket = fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
    return f;
}

QEMUFile *qemu_file_new_mem_writer(void)
{
    QEMUFile *f = file_alloc();

    f->writable = true;
    f->is_mem = true;
    f->mem = g_byte_array_new();
    return f;
}

QEMUFile *qemu_file_new_mem_reader(const void *buf, size_t len)
{
    QEMUFile *f = file_alloc();

    f->is_mem = true;
    f->buf = g_memdup2(buf, len ? len : 1);
    f->buf_size = len;
    return f;
}

bool qemu_file_is_writable(const QEMUFile *f)
{
    return f->writable;
}

int qemu_file_fd(const QEMUFile *f)
{
    return f->fd;
}

bool qemu_file_is_socket(const QEMUFile *f)
{
    return f->is_socket;
}

/* --- errors ----------------------------------------------------------- */

void qemu_file_set_error_obj(QEMUFile *f, int ret, Error *err)
{
    if (f->last_error == 0 && ret != 0) {
        f->last_error = ret;
        f->last_error_obj = err;
    } else {
        error_free(err);
    }
}

void qemu_file_set_error(QEMUFile *f, int ret)
{
    Error *err = NULL;

    if (f->last_error == 0 && ret != 0) {
        error_setg_errno(&err, -ret, "stream error");
    }
    qemu_file_set_error_obj(f, ret, err);
}

int qemu_file_get_error(const QEMUFile *f)
{
    return f->last_error;
}

bool qemu_file_get_error_obj(const QEMUFile *f, Error **errp)
{
    if (!f->last_error) {
        return false;
    }
    if (f->last_error_obj) {
        error_setg(errp, "%s", error_get_pretty(f->last_error_obj));
    } else {
        error_setg_errno(errp, -f->last_error, "stream error");
    }
    return true;
}

static void set_error_msg(QEMUFile *f, int ret, const char *msg)
{
    Error *err = NULL;

    if (f->last_error) {
        return;
    }
    error_setg(&err, "%s", msg);
    qemu_file_set_error_obj(f, ret, err);
}

void qemu_file_shutdown(QEMUFile *f)
{
    /*
     * Only the socket is touched: the owning thread may be inside a read or
     * write right now, which then fails and records the error itself.
     */
    if (f->fd >= 0 && f->is_socket) {
        shutdown(f->fd, SHUT_RDWR);
    }
}

/* --- writing ---------------------------------------------------------- */

/* Send iov[0..cnt) completely (partial writes resume where they stopped). */
static bool writev_all(QEMUFile *f, struct iovec *iov, int cnt)
{
    while (cnt > 0) {
        struct msghdr msg = { .msg_iov = iov, .msg_iovlen = cnt };
        ssize_t n;

        if (f->is_socket) {
            n = sendmsg(f->fd, &msg, MSG_NOSIGNAL);
        } else {
            n = writev(f->fd, iov, cnt);
        }
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                struct pollfd pfd = { .fd = f->fd, .events = POLLOUT };
                poll(&pfd, 1, 1000);
                continue;
            }
            Error *err = NULL;
            int e = errno;
            error_setg_errno(&err, e, "write to migration stream failed");
            qemu_file_set_error_obj(f, -e, err);
            return false;
        }
        while (cnt > 0 && (size_t)n >= iov->iov_len) {
            n -= iov->iov_len;
            iov++;
            cnt--;
        }
        if (cnt > 0) {
            iov->iov_base = (uint8_t *)iov->iov_base + n;
            iov->iov_len -= n;
        }
    }
    return true;
}

void qemu_fflush(QEMUFile *f)
{
    if (!f->writable || f->is_mem || f->iovcnt == 0) {
        return;
    }
    if (!f->last_error) {
        writev_all(f, f->iov, f->iovcnt);
    }
    f->buf_index = 0;
    f->iovcnt = 0;
}

/* Queue [p, p+len) for the next flush, merging with the previous piece. */
static void add_iov(QEMUFile *f, const uint8_t *p, size_t len)
{
    struct iovec *last = f->iovcnt ? &f->iov[f->iovcnt - 1] : NULL;

    if (last && (const uint8_t *)last->iov_base + last->iov_len == p) {
        last->iov_len += len;
        return;
    }
    if (f->iovcnt == MAX_IOV) {
        qemu_fflush(f);
    }
    f->iov[f->iovcnt].iov_base = (void *)p;
    f->iov[f->iovcnt].iov_len = len;
    f->iovcnt++;
}

void qemu_put_buffer(QEMUFile *f, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    if (f->last_error || !f->writable) {
        return;
    }
    f->total += len;
    f->window_bytes += len;
    if (f->is_mem) {
        g_byte_array_append(f->mem, p, len);
        return;
    }
    while (len > 0) {
        size_t n;

        if (f->buf_index == IO_BUF_SIZE) {
            qemu_fflush(f);
        }
        n = MIN(IO_BUF_SIZE - f->buf_index, len);
        memcpy(f->buf + f->buf_index, p, n);
        /* add_iov may flush (iov full), which resets buf_index. */
        if (f->iovcnt == MAX_IOV) {
            qemu_fflush(f);
            memcpy(f->buf, p, n);
        }
        add_iov(f, f->buf + f->buf_index, n);
        f->buf_index += n;
        p += n;
        len -= n;
    }
}

void qemu_put_buffer_async(QEMUFile *f, const void *buf, size_t len)
{
    if (f->last_error || !f->writable) {
        return;
    }
    if (f->is_mem) {
        qemu_put_buffer(f, buf, len);
        return;
    }
    f->total += len;
    f->window_bytes += len;
    add_iov(f, buf, len);
    /* Keep the amount by reference bounded, like the copy buffer. */
    if (f->iovcnt >= MAX_IOV - 1) {
        qemu_fflush(f);
    }
}

void qemu_put_byte(QEMUFile *f, uint8_t v)
{
    qemu_put_buffer(f, &v, 1);
}

void qemu_put_be16(QEMUFile *f, uint16_t v)
{
    uint8_t b[2] = { v >> 8, v };
    qemu_put_buffer(f, b, 2);
}

void qemu_put_be32(QEMUFile *f, uint32_t v)
{
    uint8_t b[4] = { v >> 24, v >> 16, v >> 8, v };
    qemu_put_buffer(f, b, 4);
}

void qemu_put_be64(QEMUFile *f, uint64_t v)
{
    qemu_put_be32(f, v >> 32);
    qemu_put_be32(f, (uint32_t)v);
}

void qemu_put_counted_string(QEMUFile *f, const char *str)
{
    size_t len = strlen(str);

    if (len > QEMU_FILE_IDSTR_MAX) {
        Error *err = NULL;
        error_setg(&err, "name '%.32s...' is longer than %d bytes", str,
                   QEMU_FILE_IDSTR_MAX);
        qemu_file_set_error_obj(f, -EINVAL, err);
        return;
    }
    qemu_put_byte(f, len);
    qemu_put_buffer(f, str, len);
}

const uint8_t *qemu_file_mem_data(QEMUFile *f, size_t *len)
{
    g_assert(f->is_mem && f->writable);
    *len = f->mem->len;
    return f->mem->data;
}

uint8_t *qemu_file_mem_steal(QEMUFile *f, size_t *len)
{
    g_assert(f->is_mem && f->writable);
    *len = f->mem->len;
    uint8_t *data = g_byte_array_free(f->mem, false);
    f->mem = g_byte_array_new();
    return data;
}

/* --- reading ---------------------------------------------------------- */

/*
 * Make at least want bytes (<= IO_BUF_SIZE) available after buf_index, if
 * the input has them.  Returns the number available.
 */
static size_t fill(QEMUFile *f, size_t want)
{
    if (f->writable) {
        return 0;
    }
    if (f->is_mem) {
        return f->buf_size - f->buf_index;
    }
    if (f->buf_size - f->buf_index >= want) {
        return f->buf_size - f->buf_index;
    }
    /* Slide unread bytes to the front, then read more. */
    memmove(f->buf, f->buf + f->buf_index, f->buf_size - f->buf_index);
    f->buf_size -= f->buf_index;
    f->buf_index = 0;
    while (f->buf_size < want && !f->hit_eof && !f->last_error) {
        ssize_t n = read(f->fd, f->buf + f->buf_size,
                         IO_BUF_SIZE - f->buf_size);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                struct pollfd pfd = { .fd = f->fd, .events = POLLIN };
                poll(&pfd, 1, 1000);
                continue;
            }
            Error *err = NULL;
            int e = errno;
            error_setg_errno(&err, e, "read from migration stream failed");
            qemu_file_set_error_obj(f, -e, err);
            break;
        }
        if (n == 0) {
            f->hit_eof = true;
            break;
        }
        f->buf_size += n;
    }
    return f->buf_size - f->buf_index;
}

bool qemu_file_eof(QEMUFile *f)
{
    return fill(f, 1) == 0;
}

bool qemu_get_buffer(QEMUFile *f, void *buf, size_t len)
{
    uint8_t *p = buf;
    size_t want = len;

    while (len > 0) {
        size_t avail;

        if (f->last_error) {
            /* Whole result zeroed: a partial value must not look valid. */
            memset(buf, 0, want);
            return false;
        }
        avail = fill(f, MIN(len, (size_t)IO_BUF_SIZE));
        if (avail == 0) {
            if (!f->last_error) {
                set_error_msg(f, -EIO, "unexpected end of migration stream");
            }
            memset(buf, 0, want);
            return false;
        }
        avail = MIN(avail, len);
        memcpy(p, f->buf + f->buf_index, avail);
        f->buf_index += avail;
        f->total += avail;
        p += avail;
        len -= avail;
    }
    return true;
}

bool qemu_file_skip(QEMUFile *f, size_t len)
{
    uint8_t tmp[512];

    while (len > 0) {
        size_t n = MIN(len, sizeof(tmp));
        if (!qemu_get_buffer(f, tmp, n)) {
            return false;
        }
        len -= n;
    }
    return true;
}

uint8_t qemu_get_byte(QEMUFile *f)
{
    uint8_t b;
    qemu_get_buffer(f, &b, 1);
    return b;
}

uint16_t qemu_get_be16(QEMUFile *f)
{
    uint8_t b[2];
    qemu_get_buffer(f, b, 2);
    return (uint16_t)(b[0] << 8 | b[1]);
}

uint32_t qemu_get_be32(QEMUFile *f)
{
    uint8_t b[4];
    qemu_get_buffer(f, b, 4);
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
           (uint32_t)b[2] << 8 | b[3];
}

uint64_t qemu_get_be64(QEMUFile *f)
{
    uint64_t hi = qemu_get_be32(f);
    return hi << 32 | qemu_get_be32(f);
}

int qemu_get_counted_string(QEMUFile *f, char *buf)
{
    uint8_t len = qemu_get_byte(f);

    if (!qemu_get_buffer(f, buf, len)) {
        buf[0] = 0;
        return -1;
    }
    buf[len] = 0;
    return f->last_error ? -1 : len;
}

size_t qemu_peek_buffer(QEMUFile *f, const uint8_t **buf, size_t len,
                        size_t offset)
{
    size_t avail;

    g_assert(len + offset <= PEEK_MAX);
    if (f->last_error) {
        return 0;
    }
    avail = fill(f, len + offset);
    if (avail <= offset) {
        return 0;
    }
    *buf = f->buf + f->buf_index + offset;
    return MIN(len, avail - offset);
}

int qemu_peek_byte(QEMUFile *f, size_t offset)
{
    const uint8_t *p;

    if (qemu_peek_buffer(f, &p, 1, offset) != 1) {
        return -1;
    }
    return *p;
}

/* --- closing, accounting ---------------------------------------------- */

int qemu_fclose(QEMUFile *f)
{
    int ret;

    qemu_fflush(f);
    if (f->fd >= 0 && close(f->fd) < 0 && f->writable) {
        qemu_file_set_error(f, -errno);
    }
    ret = f->last_error;
    error_free(f->last_error_obj);
    if (f->mem) {
        g_byte_array_free(f->mem, true);
    }
    g_free(f->buf);
    g_free(f);
    return ret;
}

bool qemu_file_close(QEMUFile *f, Error **errp)
{
    qemu_fflush(f);
    if (qemu_file_get_error_obj(f, errp)) {
        qemu_fclose(f);
        return false;
    }
    if (qemu_fclose(f) < 0) {
        error_setg(errp, "closing the migration stream failed");
        return false;
    }
    return true;
}

uint64_t qemu_file_transferred(const QEMUFile *f)
{
    return f->total;
}

void qemu_file_set_rate_limit(QEMUFile *f, uint64_t bytes_per_sec)
{
    f->rate_limit = bytes_per_sec;
}

uint64_t qemu_file_get_rate_limit(const QEMUFile *f)
{
    return f->rate_limit;
}

/* Start a new window when the current one is over. */
static void rate_window_roll(QEMUFile *f)
{
    int64_t now = g_get_monotonic_time();

    if (now - f->window_start_us >= RATE_WINDOW_US) {
        f->window_start_us = now;
        f->window_bytes = 0;
    }
}

bool qemu_file_rate_limit(QEMUFile *f)
{
    if (f->last_error) {
        return true;
    }
    if (!f->rate_limit) {
        return false;
    }
    rate_window_roll(f);
    return f->window_bytes >= f->rate_limit / (G_USEC_PER_SEC / RATE_WINDOW_US);
}

int64_t qemu_file_rate_limit_wait_us(QEMUFile *f)
{
    int64_t left = f->window_start_us + RATE_WINDOW_US - g_get_monotonic_time();
    return left > 0 ? left : 0;
}
