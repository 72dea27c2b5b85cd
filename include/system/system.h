/*
 * Process-wide settings from the command line that several layers read.
 */
#ifndef SYSTEM_SYSTEM_H
#define SYSTEM_SYSTEM_H

#include "qemu/osdep.h"

extern const char *qemu_name;        /* -name, or NULL */
extern const char *qemu_progname;    /* "qemu-system-aarch64" */

/* Version reported over QMP (query-version, greeting). */
#define QEMU_VERSION_MAJOR 7
#define QEMU_VERSION_MINOR 2
#define QEMU_VERSION_MICRO 0
#define QEMU_PKGVERSION "armvm-0.1.0"

#endif
