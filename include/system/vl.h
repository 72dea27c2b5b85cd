/*
 * The command line: parsing (pure, unit-tested) and start-up.
 */
#ifndef SYSTEM_VL_H
#define SYSTEM_VL_H

#include "qemu/osdep.h"
#include "qapi/error.h"

typedef enum {
    VL_RUN,
    VL_HELP,
    VL_VERSION,
    VL_MACHINE_HELP,
    VL_CPU_HELP,
    VL_LOG_HELP,
} VlAction;

typedef struct VlMonitor {
    char *chardev_spec;          /* -qmp SPEC, or NULL */
    char *chardev_id;            /* -mon chardev=ID */
} VlMonitor;

typedef struct VlMemBackend {
    char *id;
    uint64_t size;
} VlMemBackend;

/* What the command line asked for, before anything is created. */
typedef struct VlConfig {
    VlAction action;
    char *machine_type;          /* NULL = "virt" */
    int gic_version;             /* 2, 3, 0 = max; -1 = default (2) */
    char *dumpdtb;
    char *memory_backend;
    char *cpu_model;             /* NULL = machine default */
    char *cpu_props;
    uint64_t ram_size;           /* 0 = machine default */
    unsigned smp;
    char *kernel, *initrd, *append, *dtb;
    GPtrArray *serials;          /* chardev specs for -serial */
    GPtrArray *chardevs;         /* -chardev option strings */
    GArray *monitors;            /* VlMonitor */
    GPtrArray *accels;           /* names, in order */
    GArray *mem_backends;        /* VlMemBackend */
    GPtrArray *globals;          /* "driver.prop=value" */
    char *qtest;                 /* -qtest chardev spec */
    char *qtest_log;
    char *incoming;
    char *name;
    char *log_mask;
    char *log_file;
    char *dump_vmstate;
    bool start_paused;           /* -S */
    bool nographic;
    bool nodefaults;
    bool display_none;
} VlConfig;

void vl_config_init(VlConfig *cfg);
void vl_config_free(VlConfig *cfg);
/* Fill cfg from argv; fails with "-opt: problem" naming the option. */
bool vl_parse_args(int argc, char **argv, VlConfig *cfg, Error **errp);
void vl_print_help(FILE *f);
/* Create everything and run the main loop; returns the exit status. */
int vl_run(VlConfig *cfg);

#endif
