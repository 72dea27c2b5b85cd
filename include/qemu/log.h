/*
 * -d / -D logging.  Masks follow QEMU's names so users' habits carry over.
 */
#ifndef QEMU_LOG_H
#define QEMU_LOG_H

#include "qemu/osdep.h"
#include "qapi/error.h"

#define LOG_GUEST_ERROR (1u << 0)   /* guest did something architecturally wrong */
#define LOG_UNIMP       (1u << 1)   /* guest used something we do not implement */
#define LOG_INT         (1u << 2)   /* exceptions and interrupts */
#define LOG_IN_ASM      (1u << 3)   /* instructions as they are decoded */
#define LOG_EXEC        (1u << 4)
#define LOG_MIGRATION   (1u << 5)

extern unsigned qemu_loglevel;

bool qemu_set_log_mask(const char *spec, Error **errp);
bool qemu_set_log_filename(const char *path, Error **errp);
void qemu_log_help(FILE *f);
void qemu_log(const char *fmt, ...) QEMU_PRINTF(1, 2);

static inline bool qemu_loglevel_mask(unsigned mask)
{
    return (qemu_loglevel & mask) != 0;
}

#define qemu_log_mask(mask, ...) do {          \
        if (qemu_loglevel_mask(mask)) {        \
            qemu_log(__VA_ARGS__);             \
        }                                      \
    } while (0)

#endif
