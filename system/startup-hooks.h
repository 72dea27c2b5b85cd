/*
 * The one place that knows every area's start-up entry points, so that
 * system/startup.c stays readable and the areas stay independent.
 */
#ifndef SYSTEM_STARTUP_HOOKS_H
#define SYSTEM_STARTUP_HOOKS_H

#include "qemu/osdep.h"
#include "qapi/error.h"

typedef struct MachineState MachineState;

/* Accelerators, QMP commands, migration handlers. */
void startup_register_all(void);
/* Migration sections of the machine's devices and CPUs. */
void startup_register_vmstate(MachineState *ms);

/* Implemented by migration/ (declared here until its header has them). */
bool migration_apply_global(const char *prop_eq_value, Error **errp);
bool migration_incoming_start(const char *uri, Error **errp);
bool vmstate_dump_schema(const char *path, Error **errp);
void migration_shutdown(void);

#endif
