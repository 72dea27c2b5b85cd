/*
 * Common includes for every translation unit.
 *
 * Every .c file includes this first, so the feature-test macros and the glib
 * types are the same everywhere.
 */
#ifndef QEMU_OSDEP_H
#define QEMU_OSDEP_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <glib.h>

#define QEMU_ALIGN_UP(n, m)   (((n) + (m) - 1) / (m) * (m))
#define QEMU_ALIGN_DOWN(n, m) ((n) / (m) * (m))
#define QEMU_NORETURN __attribute__((noreturn))
#define QEMU_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define QEMU_UNUSED __attribute__((unused))

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#endif

#define KiB ((uint64_t)1 << 10)
#define MiB ((uint64_t)1 << 20)
#define GiB ((uint64_t)1 << 30)

#endif
