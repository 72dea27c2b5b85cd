/*
 * Private to chardev/: the Chardev structure shared by the generic code and
 * the socket backend.
 */
#ifndef CHARDEV_CHAR_INTERNAL_H
#define CHARDEV_CHAR_INTERNAL_H

#include "chardev/char.h"

typedef enum {
    CHR_NULL,
    CHR_STDIO,
    CHR_FILE,
    CHR_PIPE,
    CHR_SOCKET,
} ChardevKind;

struct Chardev {
    char *id;
    ChardevKind kind;
    int in_fd;                 /* -1 when the backend has no input */
    int out_fd;                /* -1 when output is discarded */

    /* socket backend */
    bool server;
    bool wait;
    bool is_unix;
    char *path;                /* unix */
    char *host;                /* tcp */
    char *port;
    int listen_fd;
    guint listen_watch;
    int msgfd;                 /* last SCM_RIGHTS descriptor received */

    /*
     * Socket output that the peer has not taken yet.  Bounded: a client
     * that stops reading is dropped rather than allowed to stall the VM.
     */
    GByteArray *outbuf;
    guint write_watch;

    guint read_watch;
    guint retry_source;
    bool connected;

    ChrCanReadHandler *fe_can_read;
    ChrReadHandler *fe_read;
    ChrEventHandler *fe_event;
    void *fe_opaque;
};

Chardev *chr_alloc(const char *id, ChardevKind kind);
void chr_start_reading(Chardev *chr);
void chr_stop_reading(Chardev *chr);
void chr_send_event(Chardev *chr, ChrEvent ev);

#define CHR_OUTBUF_MAX (16 * MiB)

/* char-socket.c */
int chr_socket_write(Chardev *chr, const uint8_t *buf, int len);
bool chr_socket_open(Chardev *chr, Error **errp);
ssize_t chr_socket_recv(Chardev *chr, uint8_t *buf, size_t len);
void chr_socket_disconnect(Chardev *chr);

#endif
