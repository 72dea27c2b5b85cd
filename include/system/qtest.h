/*
 * The qtest protocol server and the qtest accelerator.
 *
 * qtest is QEMU's line protocol for tests to drive a machine from outside:
 * read and write guest-physical memory (RAM and MMIO) and step the virtual
 * clock.  It works beside any accelerator (QEMU's migration tests read
 * guest memory over qtest while a TCG or KVM guest runs); clock_step and
 * clock_set need the qtest accelerator, under which no vCPU runs and
 * virtual time moves only when the test says so.
 */
#ifndef SYSTEM_QTEST_H
#define SYSTEM_QTEST_H

#include "qemu/osdep.h"
#include "qapi/error.h"

typedef struct Chardev Chardev;

/* Bounds on untrusted input: one access, and one protocol line. */
#define QTEST_MAX_ACCESS   (16 * MiB)
#define QTEST_MAX_LINE     (40 * MiB)

/*
 * Execute one protocol line (without its newline) against
 * address_space_memory and the virtual clock.  Returns the reply without
 * its newline ("OK ...", "FAIL ...", "ERR ..."), or NULL for a blank line,
 * which gets no reply.  Never fails on malformed input.
 */
char *qtest_process_line(const char *line);

/*
 * -qtest SPEC [-qtest-log FILE]: serve the protocol on chr.  log_path NULL
 * logs to stderr and "none" disables logging, as in QEMU.
 */
bool qtest_server_init(Chardev *chr, const char *log_path, Error **errp);

/* The qtest accelerator (accel/qtest.c): registers AccelOps "qtest". */
void qtest_accel_register(void);
/* True when the current accelerator is qtest. */
bool qtest_enabled(void);

#endif
