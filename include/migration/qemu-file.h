/*
 * QEMUFile: the buffered byte stream that migration reads and writes.
 *
 * A stream sits over a file descriptor (socket, pipe, regular file) or over
 * a growable memory buffer (unit tests, in-process snapshots).  Every
 * multi-byte integer is big-endian on the wire (facts 1.1), whatever the
 * host.
 *
 * Errors are sticky: the first one recorded wins and every later operation
 * is a no-op (writes are dropped, reads return zeros), so callers can emit or
 * parse a whole record and check qemu_file_get_error() once at the end.  A
 * read past the end of the input is an error ("unexpected end of stream"),
 * which is how truncated streams are refused.
 *
 * A stream is used by one thread at a time.
 */
#ifndef MIGRATION_QEMU_FILE_H
#define MIGRATION_QEMU_FILE_H

#include "qemu/osdep.h"
#include "qapi/error.h"

typedef struct QEMUFile QEMUFile;

/* Longest counted string (one length byte). */
#define QEMU_FILE_IDSTR_MAX 255

/*
 * Wrap fd.  writable selects the direction.  The stream owns fd and closes
 * it in qemu_fclose().
 */
QEMUFile *qemu_file_new_fd(int fd, bool writable);
/* A writable stream that collects everything in memory. */
QEMUFile *qemu_file_new_mem_writer(void);
/* A readable stream over a copy of buf[0..len). */
QEMUFile *qemu_file_new_mem_reader(const void *buf, size_t len);

/*
 * Flush and free.  Returns the stream's error (negative errno) or 0; the
 * error object, if any, is freed.
 */
int qemu_fclose(QEMUFile *f);
/* Like qemu_fclose() but hands back the error message. */
bool qemu_file_close(QEMUFile *f, Error **errp);

bool qemu_file_is_writable(const QEMUFile *f);
/* The descriptor under the stream, or -1 for memory streams. */
int qemu_file_fd(const QEMUFile *f);
/* Is it a socket (so the peer can answer on the same descriptor)? */
bool qemu_file_is_socket(const QEMUFile *f);

/*
 * Memory writer: the bytes written so far (flushes first).  The pointer
 * stays valid until the next write or qemu_fclose().
 */
const uint8_t *qemu_file_mem_data(QEMUFile *f, size_t *len);
/* Memory writer: take ownership of the bytes (stream left empty). */
uint8_t *qemu_file_mem_steal(QEMUFile *f, size_t *len);

/* --- writing --------------------------------------------------------- */
void qemu_put_byte(QEMUFile *f, uint8_t v);
void qemu_put_be16(QEMUFile *f, uint16_t v);
void qemu_put_be32(QEMUFile *f, uint32_t v);
void qemu_put_be64(QEMUFile *f, uint64_t v);
void qemu_put_buffer(QEMUFile *f, const void *buf, size_t len);
/*
 * Like qemu_put_buffer, but buf is sent by reference (no copy): it must stay
 * valid until the next qemu_fflush() (which any put may trigger; the caller
 * flushes explicitly before reusing buf).  For guest pages.
 */
void qemu_put_buffer_async(QEMUFile *f, const void *buf, size_t len);
/* Length byte then the bytes; strings longer than 255 set an error. */
void qemu_put_counted_string(QEMUFile *f, const char *str);
/* Push buffered bytes to the descriptor. */
void qemu_fflush(QEMUFile *f);

/* --- reading ---------------------------------------------------------- */
uint8_t qemu_get_byte(QEMUFile *f);
uint16_t qemu_get_be16(QEMUFile *f);
uint32_t qemu_get_be32(QEMUFile *f);
uint64_t qemu_get_be64(QEMUFile *f);
/* Read exactly len bytes; returns false (and sets the error) if short. */
bool qemu_get_buffer(QEMUFile *f, void *buf, size_t len);
/* Read and discard len bytes. */
bool qemu_file_skip(QEMUFile *f, size_t len);
/*
 * Counted string into buf (QEMU_FILE_IDSTR_MAX + 1 bytes), NUL-terminated.
 * Returns the length, or -1 on error.
 */
int qemu_get_counted_string(QEMUFile *f, char *buf);
/*
 * Look ahead without consuming: byte at offset from the read position, or -1
 * at end of stream (not an error: the caller decides).
 */
int qemu_peek_byte(QEMUFile *f, size_t offset);
/*
 * Look ahead up to len bytes (len <= 4096) at offset; returns how many are
 * available and points *buf at them.
 */
size_t qemu_peek_buffer(QEMUFile *f, const uint8_t **buf, size_t len,
                        size_t offset);
/* True once a read has hit the end of the input. */
bool qemu_file_eof(QEMUFile *f);

/* --- errors ----------------------------------------------------------- */
/* 0, or the first error's negative errno. */
int qemu_file_get_error(const QEMUFile *f);
/* True when the stream has an error; copies its message into errp. */
bool qemu_file_get_error_obj(const QEMUFile *f, Error **errp);
/* Record an error (first one wins).  err may be NULL; takes ownership. */
void qemu_file_set_error_obj(QEMUFile *f, int ret, Error *err);
void qemu_file_set_error(QEMUFile *f, int ret);
/*
 * Make blocked reads/writes on a socket return (cancel, exit); safe from
 * another thread.  The owning thread then sees the failed read or write.
 */
void qemu_file_shutdown(QEMUFile *f);

/* --- accounting and bandwidth ----------------------------------------- */
/* Bytes written (including buffered ones) or consumed so far. */
uint64_t qemu_file_transferred(const QEMUFile *f);
/* Bytes per second; 0 means unlimited. */
void qemu_file_set_rate_limit(QEMUFile *f, uint64_t bytes_per_sec);
uint64_t qemu_file_get_rate_limit(const QEMUFile *f);
/*
 * True when the current 100 ms window's share of the bandwidth is used up
 * (or the stream has an error).  The sender should then wait
 * qemu_file_rate_limit_wait_us() before writing more.
 */
bool qemu_file_rate_limit(QEMUFile *f);
int64_t qemu_file_rate_limit_wait_us(QEMUFile *f);

#endif
