/*
 * The guest-physical address space (see include/system/memory.h).
 */
#include "qemu/osdep.h"
#include <sys/mman.h>
#include "system/memory.h"
#include "qemu/log.h"

AddressSpace address_space_memory = { .name = "memory" };

static size_t dirty_words_for(uint64_t size)
{
    const uint64_t bits = sizeof(unsigned long) * 8;
    uint64_t pages = (size + TARGET_PAGE_SIZE - 1) >> TARGET_PAGE_BITS;
    return (pages + bits - 1) / bits;
}

static MemoryRegion *region_alloc(const char *name, MemoryRegionType type,
                                  uint64_t size)
{
    MemoryRegion *mr = g_new0(MemoryRegion, 1);

    mr->name = g_strdup(name);
    mr->type = type;
    mr->size = size;
    return mr;
}

static uint8_t *host_alloc(const char *name, uint64_t size, Error **errp)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

    if (p == MAP_FAILED) {
        error_setg_errno(errp, errno, "cannot allocate %" PRIu64
                         " MiB for '%s'", size / MiB, name);
        return NULL;
    }
    /*
     * Huge pages: the first touch of a 4 KiB page costs ~15 us on this kind
     * of host, of a huge page ~0.3 us per 4 KiB (qemu72-baseline.md).
     */
    madvise(p, size, MADV_HUGEPAGE);
    return p;
}

MemoryRegion *memory_region_new_ram(const char *name, uint64_t size,
                                    Error **errp)
{
    MemoryRegion *mr;
    uint8_t *host;

    if (size == 0 || size % TARGET_PAGE_SIZE) {
        error_setg(errp, "RAM '%s': size %" PRIu64 " is not a positive "
                   "multiple of 4 KiB", name, size);
        return NULL;
    }
    host = host_alloc(name, size, errp);
    if (!host) {
        return NULL;
    }
    mr = region_alloc(name, MR_RAM, size);
    mr->host = host;
    mr->dirty = g_new0(unsigned long, dirty_words_for(size));
    mr->migratable = true;
    return mr;
}

MemoryRegion *memory_region_new_rom(const char *name, uint64_t size,
                                    Error **errp)
{
    MemoryRegion *mr;
    uint8_t *host;

    size = QEMU_ALIGN_UP(size, TARGET_PAGE_SIZE);
    host = host_alloc(name, size, errp);
    if (!host) {
        return NULL;
    }
    mr = region_alloc(name, MR_ROM, size);
    mr->host = host;
    return mr;
}

MemoryRegion *memory_region_new_io(const char *name, uint64_t size,
                                   const MemoryRegionOps *ops, void *opaque)
{
    MemoryRegion *mr = region_alloc(name, MR_IO, size);

    mr->ops = ops;
    mr->opaque = opaque;
    return mr;
}

void memory_region_free(MemoryRegion *mr)
{
    if (!mr) {
        return;
    }
    if (mr->host) {
        munmap(mr->host, mr->size);
    }
    g_free(mr->dirty);
    g_free(mr->name);
    g_free(mr);
}

static gint region_cmp(gconstpointer a, gconstpointer b)
{
    const MemoryRegion *ra = *(MemoryRegion *const *)a;
    const MemoryRegion *rb = *(MemoryRegion *const *)b;
    return ra->addr < rb->addr ? -1 : ra->addr > rb->addr;
}

bool address_space_map_region(AddressSpace *as, MemoryRegion *mr, hwaddr addr,
                              Error **errp)
{
    if (!as->regions) {
        as->regions = g_ptr_array_new();
    }
    if (mr->mapped) {
        error_setg(errp, "region '%s' is already mapped", mr->name);
        return false;
    }
    if (mr->size == 0 || addr + mr->size - 1 < addr) {
        error_setg(errp, "region '%s' at 0x%" HWADDR_PRIx " size 0x%" PRIx64
                   " wraps the address space", mr->name, addr, mr->size);
        return false;
    }
    for (guint i = 0; i < as->regions->len; i++) {
        MemoryRegion *o = g_ptr_array_index(as->regions, i);
        if (addr < o->addr + o->size && o->addr < addr + mr->size) {
            error_setg(errp, "region '%s' [0x%" HWADDR_PRIx ", 0x%" HWADDR_PRIx
                       ") overlaps '%s' [0x%" HWADDR_PRIx ", 0x%" HWADDR_PRIx ")",
                       mr->name, addr, addr + mr->size, o->name, o->addr,
                       o->addr + o->size);
            return false;
        }
    }
    mr->addr = addr;
    mr->mapped = true;
    g_ptr_array_add(as->regions, mr);
    g_ptr_array_sort(as->regions, region_cmp);
    return true;
}

void address_space_unmap_all(AddressSpace *as)
{
    if (as->regions) {
        for (guint i = 0; i < as->regions->len; i++) {
            MemoryRegion *mr = g_ptr_array_index(as->regions, i);
            mr->mapped = false;
        }
        g_ptr_array_set_size(as->regions, 0);
    }
}

void address_space_unmap_region(AddressSpace *as, MemoryRegion *mr)
{
    if (mr && mr->mapped && as->regions &&
        g_ptr_array_remove(as->regions, mr)) {
        mr->mapped = false;
    }
}

MemoryRegion *address_space_lookup(AddressSpace *as, hwaddr addr)
{
    guint lo = 0, hi = as->regions ? as->regions->len : 0;

    /* Binary search over the sorted, non-overlapping list. */
    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        MemoryRegion *mr = g_ptr_array_index(as->regions, mid);
        if (addr < mr->addr) {
            hi = mid;
        } else if (addr - mr->addr >= mr->size) {
            lo = mid + 1;
        } else {
            return mr;
        }
    }
    return NULL;
}

void address_space_foreach_ram(AddressSpace *as,
                               void (*fn)(MemoryRegion *mr, void *opaque),
                               void *opaque)
{
    for (guint i = 0; as->regions && i < as->regions->len; i++) {
        MemoryRegion *mr = g_ptr_array_index(as->regions, i);
        if (mr->type != MR_IO && mr->migratable) {
            fn(mr, opaque);
        }
    }
}

MemoryRegion *address_space_find_ram_by_name(AddressSpace *as,
                                             const char *name)
{
    for (guint i = 0; as->regions && i < as->regions->len; i++) {
        MemoryRegion *mr = g_ptr_array_index(as->regions, i);
        if (mr->type != MR_IO && !strcmp(mr->name, name)) {
            return mr;
        }
    }
    return NULL;
}

static unsigned io_access_size(const MemoryRegion *mr, hwaddr off,
                               uint64_t len)
{
    unsigned max = mr->ops->max_access_size ? mr->ops->max_access_size : 8;
    unsigned size = 8;

    /* Largest naturally aligned power of two that fits. */
    while (size > 1 && (size > len || size > max || (off & (size - 1)))) {
        size >>= 1;
    }
    return size;
}

static MemTxResult io_access(MemoryRegion *mr, hwaddr off, uint8_t *buf,
                             unsigned size, bool is_write)
{
    unsigned min = mr->ops->min_access_size ? mr->ops->min_access_size : 1;
    uint64_t v = 0;

    if (size < min) {
        qemu_log_mask(LOG_GUEST_ERROR, "%s: %u-byte access at 0x%" HWADDR_PRIx
                      " is smaller than the device allows (%u)\n",
                      mr->name, size, off, min);
        if (!is_write) {
            memset(buf, 0, size);
        }
        return MEMTX_OK;
    }
    if (is_write) {
        memcpy(&v, buf, size);
        if (mr->ops->write) {
            mr->ops->write(mr->opaque, off, v, size);
        }
    } else {
        if (mr->ops->read) {
            v = mr->ops->read(mr->opaque, off, size);
        }
        memcpy(buf, &v, size);
    }
    return MEMTX_OK;
}

static MemTxResult as_rw(AddressSpace *as, hwaddr addr, uint8_t *buf,
                         uint64_t len, bool is_write, bool rom_ok)
{
    MemTxResult res = MEMTX_OK;

    while (len > 0) {
        MemoryRegion *mr = address_space_lookup(as, addr);
        hwaddr off;
        uint64_t chunk;

        if (!mr) {
            return MEMTX_DECODE_ERROR;
        }
        off = addr - mr->addr;
        chunk = MIN(len, mr->size - off);
        if (mr->type == MR_IO) {
            chunk = io_access_size(mr, off, chunk);
            res |= io_access(mr, off, buf, chunk, is_write);
        } else if (!is_write) {
            memcpy(buf, mr->host + off, chunk);
        } else if (mr->type == MR_RAM || rom_ok) {
            memcpy(mr->host + off, buf, chunk);
            memory_region_set_dirty(mr, off, chunk);
        }
        addr += chunk;
        buf += chunk;
        len -= chunk;
    }
    return res;
}

MemTxResult address_space_read(AddressSpace *as, hwaddr addr, void *buf,
                               uint64_t len)
{
    return as_rw(as, addr, buf, len, false, false);
}

MemTxResult address_space_write(AddressSpace *as, hwaddr addr,
                                const void *buf, uint64_t len)
{
    return as_rw(as, addr, (uint8_t *)buf, len, true, false);
}

MemTxResult address_space_write_rom(AddressSpace *as, hwaddr addr,
                                    const void *buf, uint64_t len)
{
    return as_rw(as, addr, (uint8_t *)buf, len, true, true);
}

MemTxResult address_space_ld(AddressSpace *as, hwaddr addr, unsigned size,
                             uint64_t *val)
{
    *val = 0;
    return as_rw(as, addr, (uint8_t *)val, size, false, false);
}

MemTxResult address_space_st(AddressSpace *as, hwaddr addr, unsigned size,
                             uint64_t val)
{
    return as_rw(as, addr, (uint8_t *)&val, size, true, false);
}

void *address_space_host_ptr(AddressSpace *as, hwaddr addr, uint64_t len,
                             bool for_write, MemoryRegion **mrp)
{
    MemoryRegion *mr = address_space_lookup(as, addr);

    if (!mr || mr->type == MR_IO || (for_write && mr->type != MR_RAM) ||
        len > mr->size - (addr - mr->addr)) {
        return NULL;
    }
    if (mrp) {
        *mrp = mr;
    }
    return mr->host + (addr - mr->addr);
}

size_t memory_region_dirty_words(const MemoryRegion *mr)
{
    return mr->dirty ? dirty_words_for(mr->size) : 0;
}

void memory_region_fetch_and_clear_dirty(MemoryRegion *mr, unsigned long *out)
{
    size_t n = memory_region_dirty_words(mr);

    for (size_t i = 0; i < n; i++) {
        out[i] = __atomic_exchange_n(&mr->dirty[i], 0, __ATOMIC_RELAXED);
    }
}

void memory_region_set_all_dirty(MemoryRegion *mr)
{
    size_t n = memory_region_dirty_words(mr);
    const uint64_t bits = sizeof(unsigned long) * 8;
    uint64_t pages = mr->size >> TARGET_PAGE_BITS;

    for (size_t i = 0; i < n; i++) {
        unsigned long v = ~0UL;
        if ((i + 1) * bits > pages) {
            v = (1UL << (pages % bits)) - 1;
        }
        __atomic_store_n(&mr->dirty[i], v, __ATOMIC_RELAXED);
    }
}
