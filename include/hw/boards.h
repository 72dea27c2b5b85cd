/*
 * The machine as the command line describes it, before and after the board
 * builds it.  Filled by system/vl.c, consumed by the board (hw/arm/virt.c)
 * and the accelerators.
 */
#ifndef HW_BOARDS_H
#define HW_BOARDS_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "system/memory.h"

typedef struct Chardev Chardev;

typedef struct MachineState {
    const char *type;            /* resolved, e.g. "virt-7.2" */
    uint64_t ram_size;
    unsigned smp_cpus;
    char *cpu_type;              /* "max", "cortex-a57", ... */
    char *cpu_props;             /* "pmu=off,sve=off" or NULL */
    char *kernel_filename;
    char *initrd_filename;
    char *kernel_cmdline;
    char *dtb_filename;
    char *dumpdtb_filename;
    char *memory_backend_id;     /* -machine memory-backend=ID */
    int gic_version;             /* 2 or 3 */
    bool gic_virt_ext;           /* arm_gic.has-virtualization-extensions */
    const char *accel;           /* "tcg", "kvm" or "qtest" */
    Chardev *serial;             /* first serial port, may be NULL */
    MemoryRegion *ram;
    void *board;                 /* board-private state */
} MachineState;

extern MachineState *current_machine;

typedef struct MachineClass {
    const char *name;            /* "virt-7.2" */
    const char *alias;           /* "virt" for the newest, else NULL */
    const char *desc;
    unsigned max_cpus;
    const char *default_cpu_type;
    uint64_t default_ram_size;
    bool (*init)(MachineState *ms, Error **errp);
} MachineClass;

const MachineClass *machine_find(const char *name);   /* name or alias */
/* NULL-terminated list of every machine type, newest first. */
const MachineClass *const *machine_list(void);

#endif
