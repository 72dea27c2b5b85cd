/*
 * Guest-physical memory: RAM, ROM and MMIO regions in one address space.
 *
 * The system address space is a sorted list of non-overlapping regions
 * (overlaps are refused when a region is added, not resolved by priority:
 * the virt board has no overlapping regions, and refusing them catches board
 * bugs early).  RAM and ROM are host memory; MMIO regions call their device.
 *
 * RAM regions carry a dirty bitmap, one bit per 4 KiB page, set atomically by
 * every store that goes through this API or through a direct host pointer
 * (the interpreter's fast path calls memory_region_set_dirty itself).
 * Migration fetches and clears it.
 *
 * Device callbacks run with the big lock held.
 */
#ifndef SYSTEM_MEMORY_H
#define SYSTEM_MEMORY_H

#include "qemu/osdep.h"
#include "qapi/error.h"

typedef uint64_t hwaddr;
#define HWADDR_PRIx PRIx64

#define TARGET_PAGE_BITS 12
#define TARGET_PAGE_SIZE (1ULL << TARGET_PAGE_BITS)
#define TARGET_PAGE_MASK (~(TARGET_PAGE_SIZE - 1))

typedef enum {
    MEMTX_OK = 0,
    MEMTX_ERROR = 1,        /* device signalled an error: guest gets an abort */
    MEMTX_DECODE_ERROR = 2, /* nothing mapped there */
} MemTxResult;

typedef struct MemoryRegionOps {
    uint64_t (*read)(void *opaque, hwaddr offset, unsigned size);
    void (*write)(void *opaque, hwaddr offset, uint64_t value, unsigned size);
    /*
     * Access sizes the device accepts (bytes); 0 means 1..8.  Accesses
     * outside this range are split or refused by the core, never passed on.
     */
    unsigned min_access_size;
    unsigned max_access_size;
} MemoryRegionOps;

typedef enum {
    MR_RAM,
    MR_ROM,
    MR_IO,
} MemoryRegionType;

typedef struct MemoryRegion {
    char *name;               /* RAM: the RAMBlock id sent in migration */
    MemoryRegionType type;
    hwaddr addr;              /* base in the address space, set when mapped */
    uint64_t size;
    uint8_t *host;            /* RAM/ROM backing */
    const MemoryRegionOps *ops;
    void *opaque;
    unsigned long *dirty;     /* RAM: 1 bit per TARGET_PAGE, atomic */
    bool migratable;          /* RAM/ROM contents travel in the ram section */
    bool mapped;
} MemoryRegion;

typedef struct AddressSpace {
    const char *name;
    GPtrArray *regions;       /* of MemoryRegion*, sorted by addr */
} AddressSpace;

extern AddressSpace address_space_memory;

/* Allocate zeroed host memory for RAM (huge pages advised). */
MemoryRegion *memory_region_new_ram(const char *name, uint64_t size,
                                    Error **errp);
MemoryRegion *memory_region_new_rom(const char *name, uint64_t size,
                                    Error **errp);
MemoryRegion *memory_region_new_io(const char *name, uint64_t size,
                                   const MemoryRegionOps *ops, void *opaque);
void memory_region_free(MemoryRegion *mr);

/* Map mr at addr; fails naming both regions if it would overlap. */
bool address_space_map_region(AddressSpace *as, MemoryRegion *mr, hwaddr addr,
                              Error **errp);
void address_space_unmap_all(AddressSpace *as);
/* Remove one region (device teardown); a region not mapped is ignored. */
void address_space_unmap_region(AddressSpace *as, MemoryRegion *mr);
/* Region containing addr, or NULL. */
MemoryRegion *address_space_lookup(AddressSpace *as, hwaddr addr);
/* Iterate over mapped RAM regions (migration, pmemsave). */
void address_space_foreach_ram(AddressSpace *as,
                               void (*fn)(MemoryRegion *mr, void *opaque),
                               void *opaque);
MemoryRegion *address_space_find_ram_by_name(AddressSpace *as,
                                             const char *name);

/*
 * Byte-granular access of any length; crosses region boundaries; MMIO is
 * split into the largest accesses the device accepts.  Writes to ROM are
 * ignored (MEMTX_OK), as on real flash in read mode.
 */
MemTxResult address_space_read(AddressSpace *as, hwaddr addr, void *buf,
                               uint64_t len);
MemTxResult address_space_write(AddressSpace *as, hwaddr addr,
                                const void *buf, uint64_t len);
/* Loader path: also writes into ROM. */
MemTxResult address_space_write_rom(AddressSpace *as, hwaddr addr,
                                    const void *buf, uint64_t len);
/* One little-endian access of size 1, 2, 4 or 8 (guest loads/stores). */
MemTxResult address_space_ld(AddressSpace *as, hwaddr addr, unsigned size,
                             uint64_t *val);
MemTxResult address_space_st(AddressSpace *as, hwaddr addr, unsigned size,
                             uint64_t val);

/*
 * Host pointer for [addr, addr+len) if it lies wholly inside one RAM region
 * (ROM too when !for_write), else NULL.  Callers that write through it must
 * call memory_region_set_dirty.
 */
void *address_space_host_ptr(AddressSpace *as, hwaddr addr, uint64_t len,
                             bool for_write, MemoryRegion **mrp);

static inline void memory_region_set_dirty(MemoryRegion *mr, hwaddr offset,
                                           uint64_t len)
{
    uint64_t first, last, page;
    const unsigned bits = sizeof(unsigned long) * 8;

    if (!mr->dirty || len == 0) {
        return;
    }
    first = offset >> TARGET_PAGE_BITS;
    last = (offset + len - 1) >> TARGET_PAGE_BITS;
    for (page = first; page <= last; page++) {
        unsigned long bit = 1UL << (page % bits);
        unsigned long *word = &mr->dirty[page / bits];
        if (!(__atomic_load_n(word, __ATOMIC_RELAXED) & bit)) {
            __atomic_fetch_or(word, bit, __ATOMIC_RELAXED);
        }
    }
}

/* Number of unsigned longs in mr's dirty bitmap. */
size_t memory_region_dirty_words(const MemoryRegion *mr);
/* Copy the bitmap into out (dirty_words longs) and clear it atomically. */
void memory_region_fetch_and_clear_dirty(MemoryRegion *mr, unsigned long *out);
/* Mark every page dirty (start of migration). */
void memory_region_set_all_dirty(MemoryRegion *mr);

#endif
