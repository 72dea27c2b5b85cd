/*
 * Small string and number parsers shared by the command line, QMP and qtest.
 * All of them reject trailing garbage and overflow.
 */
#ifndef QEMU_CUTILS_H
#define QEMU_CUTILS_H

#include "qemu/osdep.h"

/* Parse an unsigned integer in C syntax (0x.., 0.., decimal). */
bool qemu_strtou64(const char *s, uint64_t *out);
bool qemu_strtoi64(const char *s, int64_t *out);
/*
 * Parse a size such as "512", "512M", "1G", "1.5G", "0x1000k".  A bare number
 * is in units of default_suffix ('B' for bytes, 'M' for -m).
 */
bool qemu_strtosz(const char *s, char default_suffix, uint64_t *out);
/* "on"/"off"/"yes"/"no"/"true"/"false" */
bool qemu_strtobool(const char *s, bool *out);

#endif
