/*
 * The migration stream as a whole: header, configuration record, sections
 * with footers, commands, EOF and the JSON description trailer, in QEMU's
 * format (facts 1.2-1.12).  Also the -dump-vmstate schema writer.
 */
#ifndef MIGRATION_SAVEVM_H
#define MIGRATION_SAVEVM_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "migration/qemu-file.h"

#define QEMU_VM_FILE_MAGIC           0x5145564d   /* "QEVM" */
#define QEMU_VM_FILE_VERSION_COMPAT  0x00000002
#define QEMU_VM_FILE_VERSION         0x00000003

/* Record type bytes (facts 1.4). */
#define QEMU_VM_EOF                  0x00
#define QEMU_VM_SECTION_START        0x01
#define QEMU_VM_SECTION_PART         0x02
#define QEMU_VM_SECTION_END          0x03
#define QEMU_VM_SECTION_FULL         0x04
#define QEMU_VM_SUBSECTION           0x05
#define QEMU_VM_VMDESCRIPTION        0x06
#define QEMU_VM_CONFIGURATION        0x07
#define QEMU_VM_COMMAND              0x08
#define QEMU_VM_SECTION_FOOTER       0x7e

/*
 * Return path (facts 1.8): the destination answers on the same socket.
 * We use it for one message: SHUT with status 0 (loaded) or 1 (refused),
 * so a source whose stream was refused restarts its guest.
 */
#define MIG_RP_MSG_SHUT 1

/* Commands (facts 1.8) that a loader may meet in a precopy stream. */
enum {
    MIG_CMD_INVALID = 0,
    MIG_CMD_OPEN_RETURN_PATH = 1,
    MIG_CMD_PING = 2,
    MIG_CMD_POSTCOPY_ADVISE = 3,
    MIG_CMD_SWITCHOVER_START = 11,
};

/* Page size announced in the configuration record and the trailer. */
#define MIGRATION_TARGET_PAGE_BITS 12
/* ARM's minimum ("legacy") page bits: the default when none is sent. */
#define MIGRATION_TARGET_PAGE_BITS_LEGACY 10

/*
 * Machine type written to / expected in the configuration record.
 * Default: current_machine->type, or "none" without a machine.
 */
void savevm_set_machine_type(const char *name);
const char *savevm_machine_type(void);

/* Refuse when a registered device is unmigratable (names it). */
bool savevm_check_migratable(Error **errp);

/*
 * Whole-stream save, guest stopped: header, every section, EOF, trailer.
 * The caller flushes/closes f.
 */
bool qemu_savevm_state(QEMUFile *f, Error **errp);

/* The same in steps, for the live migration thread. */
void qemu_savevm_state_header(QEMUFile *f);
bool qemu_savevm_state_setup(QEMUFile *f, Error **errp);
/* Ask the destination to answer on the return path (sockets only). */
void qemu_savevm_send_open_return_path(QEMUFile *f);
/* 1: iterative handlers have nothing left for now; 0: more; -1: error. */
int qemu_savevm_state_iterate(QEMUFile *f, Error **errp);
/* Estimate of iterative bytes left (exact: resync dirty state first). */
uint64_t qemu_savevm_state_pending(bool exact);
/* Guest stopped: SECTION_END parts, every device as FULL, EOF, trailer. */
bool qemu_savevm_state_complete(QEMUFile *f, Error **errp);
void qemu_savevm_state_cleanup(void);

/*
 * Read a whole stream and apply it.  Every refusal is one line naming the
 * section, instance, field and values.
 */
bool qemu_loadvm_state(QEMUFile *f, Error **errp);
/*
 * Locking for device sections on load: the incoming thread takes the big
 * lock only around device (VMState) sections; RAM loads without it.
 */
void qemu_loadvm_set_lock_hooks(void (*lock)(void), void (*unlock)(void));
/* Did the last qemu_loadvm_state() see OPEN_RETURN_PATH? */
bool qemu_loadvm_return_path_requested(void);

/* -dump-vmstate FILE: every registered description, QEMU's JSON layout. */
bool vmstate_dump_schema(const char *path, Error **errp);

#endif
