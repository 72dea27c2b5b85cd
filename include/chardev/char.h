/*
 * Character devices: the host side of serial ports, QMP and qtest.
 *
 * Backends: null, stdio, file (output only), pipe (PATH.in/PATH.out or PATH),
 * socket (unix or tcp on loopback; server or client).  A frontend (PL011,
 * monitor, qtest) registers handlers; input is delivered from the main loop
 * with the big lock held.  One frontend per chardev.
 *
 * Socket servers accept one client at a time; OPENED/CLOSED events tell the
 * frontend (QMP sends its greeting on OPENED).
 */
#ifndef CHARDEV_CHAR_H
#define CHARDEV_CHAR_H

#include "qemu/osdep.h"
#include "qemu/option.h"

typedef struct Chardev Chardev;

typedef enum {
    CHR_EVENT_OPENED,
    CHR_EVENT_CLOSED,
} ChrEvent;

/* How many bytes the frontend can take now (0 = stop reading). */
typedef int ChrCanReadHandler(void *opaque);
typedef void ChrReadHandler(void *opaque, const uint8_t *buf, int size);
typedef void ChrEventHandler(void *opaque, ChrEvent event);

/* -chardev BACKEND,id=ID,... (opts already parsed; "backend" is implied). */
Chardev *qemu_chr_new_from_opts(QemuOpts *opts, Error **errp);
/*
 * Legacy short syntax used by -serial, -qmp, -qtest, -monitor:
 * "stdio", "null", "file:PATH", "pipe:PATH", "unix:PATH[,server=on,wait=off]",
 * "tcp:HOST:PORT[,server=on,...]", "chardev:ID".
 */
Chardev *qemu_chr_new(const char *label, const char *spec, Error **errp);
Chardev *qemu_chr_find(const char *id);
const char *qemu_chr_label(const Chardev *chr);

void qemu_chr_fe_set_handlers(Chardev *chr, ChrCanReadHandler *can_read,
                              ChrReadHandler *read, ChrEventHandler *event,
                              void *opaque);
/* Write everything (blocking); returns len, or -1 when nobody is connected. */
int qemu_chr_fe_write_all(Chardev *chr, const uint8_t *buf, int len);
bool qemu_chr_fe_connected(Chardev *chr);
/* Drop the current socket client (after a protocol error). */
void qemu_chr_fe_disconnect(Chardev *chr);
/*
 * File descriptor that arrived with the last read on a unix socket
 * (SCM_RIGHTS), or -1.  The caller owns it.
 */
int qemu_chr_fe_get_msgfd(Chardev *chr);
/* A socket server: wait until a client connects (wait=on semantics). */
bool qemu_chr_wait_connected(Chardev *chr, Error **errp);

void qemu_chr_cleanup(void);

#endif
