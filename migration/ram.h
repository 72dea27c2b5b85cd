/*
 * Guest RAM in the migration stream: section "ram", instance 0, version 4
 * (facts 1.13).  Private to migration/.
 */
#ifndef MIGRATION_RAM_H
#define MIGRATION_RAM_H

#include "qemu/osdep.h"

/* Flags in the low bits of each record's be64 address word. */
#define RAM_SAVE_FLAG_ZERO          0x002
#define RAM_SAVE_FLAG_MEM_SIZE      0x004
#define RAM_SAVE_FLAG_PAGE          0x008
#define RAM_SAVE_FLAG_EOS           0x010
#define RAM_SAVE_FLAG_CONTINUE      0x020
#define RAM_SAVE_FLAG_XBZRLE        0x040
#define RAM_SAVE_FLAG_HOOK          0x080
#define RAM_SAVE_FLAG_COMPRESS_PAGE 0x100
#define RAM_SAVE_FLAG_MULTIFD_FLUSH 0x200

/* Counters for query-migrate "ram" (source). */
typedef struct RamStats {
    uint64_t total;             /* bytes of migratable RAM */
    uint64_t remaining;         /* dirty bytes not yet sent */
    uint64_t normal;            /* pages sent whole */
    uint64_t duplicate;         /* zero pages (ZERO records) */
    uint64_t transferred;       /* RAM bytes put on the stream */
    uint64_t dirty_sync_count;  /* passes (bitmap syncs) */
} RamStats;

/* Register the "ram" handler (migration_init). */
void ram_mig_init(void);
/* Snapshot of the counters (any thread). */
void ram_get_stats(RamStats *out);
/* Called after each dirty-bitmap sync with the new pass number. */
void ram_set_sync_notifier(void (*fn)(uint64_t pass));

/* Is the 4 KiB page at p all zero? */
bool ram_page_is_zero(const void *p);

#endif
