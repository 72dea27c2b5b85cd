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

#endif
