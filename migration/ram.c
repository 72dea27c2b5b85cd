/*
 * Guest RAM migration: section "ram" instance 0 version 4 in QEMU's format
 * (facts 1.13), live pre-copy over the dirty bitmaps of
 * include/system/memory.h.
 *
 * Source: the first pass covers every page; later passes cover the pages
 * the guest dirtied since the previous bitmap sync.  Zero pages go as ZERO
 * records (9 bytes plus, at most, the block name).  Pages the host never
 * faulted in are zero by construction, so they are sent as ZERO without
 * being read: reading them would make the host allocate them, which is what
 * dominates QEMU 7.2's time on large idle guests (qemu72-baseline.md).  The
 * kernel tells us which pages were never touched through /proc/self/pagemap
 * (Documentation/admin-guide/mm/pagemap.rst: bit 63 present, bit 62
 * swapped; RAM here is private anonymous memory, see system/memory.c).
 *
 * Destination: a ZERO record for a page that was never touched is skipped;
 * a PAGE record whose content is zero is treated as ZERO.  So a mostly
 * empty guest leaves the destination's memory mostly unallocated.
 *
 * Correctness of live passes relies on writers setting the dirty bit after
 * (not before) storing to a page: a write racing with our copy then marks
 * the page again for the next pass.
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include "system/memory.h"
#include "migration/register.h"
#include "migration/savevm.h"
#include "ram.h"

#define BITS_PER_LONG (sizeof(unsigned long) * 8)
#define PAGE_SIZE ((size_t)TARGET_PAGE_SIZE)
/* A PART section stops after this long so the thread can re-plan. */
#define ITERATE_BUDGET_US 50000
/* Blocks in one stream (QEMU's virt has about 7). */
#define RAM_BLOCKS_MAX 64

typedef struct RamBlock {
    MemoryRegion *mr;
    uint64_t npages;
    unsigned long *bmap;          /* source: pages still to send */
    unsigned long *scratch;       /* source: sync buffer */
    /* Pages that may be non-zero (NULL: assume every page may be). */
    unsigned long *maybe_nonzero;
} RamBlock;

typedef struct RamState {
    GPtrArray *blocks;            /* of RamBlock*, source and destination */
    guint cur_block;
    uint64_t cur_page;
    RamBlock *last_block;         /* for the CONTINUE flag, both sides */
    uint64_t dirty_pages;
    GMutex lock;                  /* stats */
    RamStats stats;
    uint8_t bounce[TARGET_PAGE_SIZE];
} RamState;

static RamState ram_state;
static void (*sync_notifier)(uint64_t pass);

/* --- bitmaps ----------------------------------------------------------- */

static size_t bmap_words(uint64_t bits)
{
    return (bits + BITS_PER_LONG - 1) / BITS_PER_LONG;
}

static bool test_bit(const unsigned long *map, uint64_t n)
{
    return (map[n / BITS_PER_LONG] >> (n % BITS_PER_LONG)) & 1;
}

static void set_bit(unsigned long *map, uint64_t n)
{
    map[n / BITS_PER_LONG] |= 1UL << (n % BITS_PER_LONG);
}

static void clear_bit(unsigned long *map, uint64_t n)
{
    map[n / BITS_PER_LONG] &= ~(1UL << (n % BITS_PER_LONG));
}

/* First set bit at or after start, or nbits. */
static uint64_t find_next_bit(const unsigned long *map, uint64_t nbits,
                              uint64_t start)
{
    uint64_t w = start / BITS_PER_LONG;
    unsigned long cur;

    if (start >= nbits) {
        return nbits;
    }
    cur = map[w] & (~0UL << (start % BITS_PER_LONG));
    for (;;) {
        if (cur) {
            uint64_t bit = w * BITS_PER_LONG + __builtin_ctzl(cur);
            return bit < nbits ? bit : nbits;
        }
        if (++w >= bmap_words(nbits)) {
            return nbits;
        }
        cur = map[w];
    }
}

bool ram_page_is_zero(const void *p)
{
    const uint64_t *w = p;
    uint64_t acc = 0;

    /* OR 8 words at a time; the compiler vectorises this. */
    for (size_t i = 0; i < PAGE_SIZE / 8; i += 8) {
        acc |= w[i] | w[i + 1] | w[i + 2] | w[i + 3] |
               w[i + 4] | w[i + 5] | w[i + 6] | w[i + 7];
        if (acc) {
            return false;
        }
    }
    return true;
}

/*
 * Map of pages of [host, host + npages pages) that the host has ever
 * faulted in (present or swapped), or NULL when pagemap is unreadable.
 */
static unsigned long *pagemap_touched(const uint8_t *host, uint64_t npages)
{
    int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    unsigned long *map;
    uint64_t entries[4096];
    uint64_t first = (uintptr_t)host / PAGE_SIZE;

    if (fd < 0) {
        return NULL;
    }
    map = g_new0(unsigned long, bmap_words(npages));
    for (uint64_t done = 0; done < npages;) {
        size_t want = MIN(npages - done, (uint64_t)G_N_ELEMENTS(entries));
        ssize_t n = pread(fd, entries, want * 8, (first + done) * 8);

        if (n <= 0 || n % 8) {
            close(fd);
            g_free(map);
            return NULL;
        }
        for (size_t i = 0; i < (size_t)n / 8; i++) {
            if (entries[i] & (3ULL << 62)) {
                set_bit(map, done + i);
            }
        }
        done += n / 8;
    }
    close(fd);
    return map;
}

static void block_free(gpointer p)
{
    RamBlock *b = p;

    g_free(b->bmap);
    g_free(b->scratch);
    g_free(b->maybe_nonzero);
    g_free(b);
}

static void reset_blocks(RamState *rs)
{
    if (rs->blocks) {
        g_ptr_array_free(rs->blocks, true);
    }
    rs->blocks = g_ptr_array_new_with_free_func(block_free);
    rs->cur_block = 0;
    rs->cur_page = 0;
    rs->last_block = NULL;
    rs->dirty_pages = 0;
}

/* --- statistics -------------------------------------------------------- */

void ram_get_stats(RamStats *out)
{
    g_mutex_lock(&ram_state.lock);
    *out = ram_state.stats;
    g_mutex_unlock(&ram_state.lock);
}

void ram_set_sync_notifier(void (*fn)(uint64_t pass))
{
    sync_notifier = fn;
}

static void stats_update(RamState *rs, uint64_t normal, uint64_t zero,
                         uint64_t bytes)
{
    g_mutex_lock(&rs->lock);
    rs->stats.normal += normal;
    rs->stats.duplicate += zero;
    rs->stats.transferred += bytes;
    rs->stats.remaining = rs->dirty_pages * PAGE_SIZE;
    g_mutex_unlock(&rs->lock);
}

/* --- source ------------------------------------------------------------ */

static void add_block(MemoryRegion *mr, void *opaque)
{
    RamState *rs = opaque;
    RamBlock *b = g_new0(RamBlock, 1);
    size_t words;

    b->mr = mr;
    b->npages = mr->size / PAGE_SIZE;
    words = bmap_words(b->npages);
    b->bmap = g_new(unsigned long, words);
    b->scratch = g_new0(unsigned long, words);
    g_ptr_array_add(rs->blocks, b);
}

/* Move the regions' dirty bits into our maps; returns newly dirty pages. */
static uint64_t sync_dirty(RamState *rs)
{
    uint64_t added = 0;

    for (guint i = 0; i < rs->blocks->len; i++) {
        RamBlock *b = g_ptr_array_index(rs->blocks, i);
        size_t words = memory_region_dirty_words(b->mr);

        if (!words) {
            continue;       /* ROM: contents cannot change */
        }
        words = MIN(words, bmap_words(b->npages));
        memory_region_fetch_and_clear_dirty(b->mr, b->scratch);
        for (size_t w = 0; w < words; w++) {
            unsigned long fresh = b->scratch[w] & ~b->bmap[w];
            added += __builtin_popcountl(fresh);
            b->bmap[w] |= b->scratch[w];
            /* A written page may no longer be zero. */
            if (b->maybe_nonzero) {
                b->maybe_nonzero[w] |= b->scratch[w];
            }
        }
    }
    rs->dirty_pages += added;
    g_mutex_lock(&rs->lock);
    rs->stats.dirty_sync_count++;
    rs->stats.remaining = rs->dirty_pages * PAGE_SIZE;
    g_mutex_unlock(&rs->lock);
    if (sync_notifier) {
        sync_notifier(rs->stats.dirty_sync_count);
    }
    return added;
}

static bool ram_save_setup(QEMUFile *f, void *opaque, Error **errp)
{
    RamState *rs = opaque;
    uint64_t total = 0;

    reset_blocks(rs);
    g_mutex_lock(&rs->lock);
    memset(&rs->stats, 0, sizeof(rs->stats));
    g_mutex_unlock(&rs->lock);
    address_space_foreach_ram(&address_space_memory, add_block, rs);
    if (rs->blocks->len > RAM_BLOCKS_MAX) {
        error_setg(errp, "%u RAM blocks, at most %d can migrate",
                   rs->blocks->len, RAM_BLOCKS_MAX);
        return false;
    }
    for (guint i = 0; i < rs->blocks->len; i++) {
        RamBlock *b = g_ptr_array_index(rs->blocks, i);
        size_t words = bmap_words(b->npages);

        /* Forget writes before now; every page goes in the first pass. */
        if (memory_region_dirty_words(b->mr)) {
            memory_region_fetch_and_clear_dirty(b->mr, b->scratch);
        }
        memset(b->bmap, 0, words * sizeof(unsigned long));
        for (uint64_t p = 0; p < b->npages; p++) {
            set_bit(b->bmap, p);
        }
        b->maybe_nonzero = pagemap_touched(b->mr->host, b->npages);
        rs->dirty_pages += b->npages;
        total += b->mr->size;
    }
    g_mutex_lock(&rs->lock);
    rs->stats.total = total;
    rs->stats.remaining = total;
    rs->stats.dirty_sync_count = 1;     /* the initial "all dirty" sync */
    g_mutex_unlock(&rs->lock);
    if (sync_notifier) {
        sync_notifier(1);
    }

    qemu_put_be64(f, total | RAM_SAVE_FLAG_MEM_SIZE);
    for (guint i = 0; i < rs->blocks->len; i++) {
        RamBlock *b = g_ptr_array_index(rs->blocks, i);
        qemu_put_counted_string(f, b->mr->name);
        qemu_put_be64(f, b->mr->size);
    }
    qemu_put_be64(f, RAM_SAVE_FLAG_EOS);
    return !qemu_file_get_error_obj(f, errp);
}

/* Page header: address word, then the block name unless CONTINUE. */
static void put_page_header(QEMUFile *f, RamState *rs, RamBlock *b,
                            uint64_t offset, uint64_t flag)
{
    if (b == rs->last_block) {
        qemu_put_be64(f, offset | flag | RAM_SAVE_FLAG_CONTINUE);
    } else {
        qemu_put_be64(f, offset | flag);
        qemu_put_counted_string(f, b->mr->name);
        rs->last_block = b;
    }
}

/* Send one page; returns true if it went as a zero page. */
static bool send_page(QEMUFile *f, RamState *rs, RamBlock *b, uint64_t page)
{
    uint64_t offset = page * PAGE_SIZE;
    const uint8_t *p = b->mr->host + offset;

    if ((b->maybe_nonzero && !test_bit(b->maybe_nonzero, page)) ||
        ram_page_is_zero(p)) {
        put_page_header(f, rs, b, offset, RAM_SAVE_FLAG_ZERO);
        qemu_put_byte(f, 0);
        return true;
    }
    put_page_header(f, rs, b, offset, RAM_SAVE_FLAG_PAGE);
    /* By reference: guest memory outlives the stream's next flush. */
    qemu_put_buffer_async(f, p, PAGE_SIZE);
    return false;
}

/*
 * Send dirty pages from the scan position.  limited: stop at the rate
 * limit and the time budget.  Returns true when no dirty page is left.
 */
static bool send_dirty(QEMUFile *f, RamState *rs, bool limited)
{
    int64_t start = g_get_monotonic_time();
    uint64_t normal = 0, zero = 0, before = qemu_file_transferred(f);
    unsigned n = 0;
    bool done = false;

    while (!qemu_file_get_error(f)) {
        RamBlock *b;
        uint64_t page;

        if (rs->dirty_pages == 0) {
            done = true;
            break;
        }
        if (rs->cur_block >= rs->blocks->len) {
            rs->cur_block = 0;
            rs->cur_page = 0;
        }
        b = g_ptr_array_index(rs->blocks, rs->cur_block);
        page = find_next_bit(b->bmap, b->npages, rs->cur_page);
        if (page >= b->npages) {
            rs->cur_block++;
            rs->cur_page = 0;
            continue;
        }
        clear_bit(b->bmap, page);
        rs->dirty_pages--;
        rs->cur_page = page + 1;
        if (send_page(f, rs, b, page)) {
            zero++;
        } else {
            normal++;
        }
        if (!limited) {
            continue;
        }
        /* The window check is a counter compare: do it for every page. */
        if (qemu_file_rate_limit(f)) {
            break;
        }
        if ((++n % 64) == 0) {
            if (g_get_monotonic_time() - start > ITERATE_BUDGET_US) {
                break;
            }
            stats_update(rs, normal, zero, qemu_file_transferred(f) - before);
            normal = zero = 0;
            before = qemu_file_transferred(f);
        }
    }
    stats_update(rs, normal, zero, qemu_file_transferred(f) - before);
    return done;
}

static int ram_save_iterate(QEMUFile *f, void *opaque, Error **errp)
{
    RamState *rs = opaque;
    bool done = send_dirty(f, rs, true);

    qemu_put_be64(f, RAM_SAVE_FLAG_EOS);
    if (qemu_file_get_error_obj(f, errp)) {
        return -1;
    }
    return done ? 1 : 0;
}

static bool ram_save_complete(QEMUFile *f, void *opaque, Error **errp)
{
    RamState *rs = opaque;

    sync_dirty(rs);
    send_dirty(f, rs, false);
    qemu_put_be64(f, RAM_SAVE_FLAG_EOS);
    return !qemu_file_get_error_obj(f, errp);
}

static uint64_t ram_state_pending(void *opaque, bool exact)
{
    RamState *rs = opaque;

    if (exact && rs->blocks) {
        sync_dirty(rs);
    }
    return rs->dirty_pages * PAGE_SIZE;
}

static void ram_save_cleanup(void *opaque)
{
    RamState *rs = opaque;

    if (rs->blocks) {
        g_ptr_array_free(rs->blocks, true);
        rs->blocks = NULL;
    }
    rs->last_block = NULL;
}

/* --- destination ------------------------------------------------------- */

static bool ram_load_setup(void *opaque, Error **errp)
{
    reset_blocks(opaque);
    return true;
}

static void ram_load_cleanup(void *opaque)
{
    ram_save_cleanup(opaque);
}

static bool load_block_list(QEMUFile *f, RamState *rs, uint64_t total,
                            Error **errp)
{
    while (total > 0) {
        char id[QEMU_FILE_IDSTR_MAX + 1];
        uint64_t len;
        MemoryRegion *mr;
        RamBlock *b;

        if (qemu_get_counted_string(f, id) < 0) {
            return !qemu_file_get_error_obj(f, errp);
        }
        len = qemu_get_be64(f);
        if (qemu_file_get_error_obj(f, errp)) {
            return false;
        }
        mr = address_space_find_ram_by_name(&address_space_memory, id);
        if (!mr || !mr->host) {
            g_autofree char *esc = g_strescape(id, NULL);
            error_setg(errp, "Unknown ramblock \"%s\", cannot accept "
                       "migration", esc);
            return false;
        }
        if (len != mr->size) {
            error_setg(errp, "ramblock \"%s\": length 0x%" PRIx64 " in the "
                       "stream, 0x%" PRIx64 " here (different -m or "
                       "firmware?)", id, len, mr->size);
            return false;
        }
        if (len > total) {
            error_setg(errp, "ramblock list exceeds its announced total");
            return false;
        }
        if (rs->blocks->len >= RAM_BLOCKS_MAX) {
            error_setg(errp, "more than %d ramblocks", RAM_BLOCKS_MAX);
            return false;
        }
        total -= len;
        b = g_new0(RamBlock, 1);
        b->mr = mr;
        b->npages = mr->size / PAGE_SIZE;
        b->maybe_nonzero = pagemap_touched(mr->host, b->npages);
        g_ptr_array_add(rs->blocks, b);
    }
    return true;
}

static RamBlock *load_find_block(QEMUFile *f, RamState *rs, uint64_t flags,
                                 Error **errp)
{
    char id[QEMU_FILE_IDSTR_MAX + 1];

    if (flags & RAM_SAVE_FLAG_CONTINUE) {
        if (!rs->last_block) {
            error_setg(errp, "page record continues a block, but none was "
                       "named yet");
        }
        return rs->last_block;
    }
    if (qemu_get_counted_string(f, id) < 0) {
        qemu_file_get_error_obj(f, errp);
        return NULL;
    }
    for (guint i = 0; i < rs->blocks->len; i++) {
        RamBlock *b = g_ptr_array_index(rs->blocks, i);
        if (!strcmp(b->mr->name, id)) {
            rs->last_block = b;
            return b;
        }
    }
    {
        g_autofree char *esc = g_strescape(id, NULL);
        error_setg(errp, "Unknown ramblock \"%s\", cannot accept migration",
                   esc);
    }
    return NULL;
}

/* Make a page zero, touching it only if it may hold data. */
static void load_zero(RamBlock *b, uint64_t page)
{
    uint8_t *p = b->mr->host + page * PAGE_SIZE;

    if (b->maybe_nonzero && !test_bit(b->maybe_nonzero, page)) {
        return;
    }
    if (!ram_page_is_zero(p)) {
        memset(p, 0, PAGE_SIZE);
    }
}

static bool ram_load(QEMUFile *f, void *opaque, int version_id, Error **errp)
{
    RamState *rs = opaque;

    if (version_id != 4) {
        error_setg(errp, "RAM section version %d is not supported (only 4)",
                   version_id);
        return false;
    }
    for (;;) {
        uint64_t word = qemu_get_be64(f);
        uint64_t flags = word & ~TARGET_PAGE_MASK;
        uint64_t addr = word & TARGET_PAGE_MASK;
        uint64_t kind = flags & ~RAM_SAVE_FLAG_CONTINUE;
        RamBlock *b;
        uint64_t page;

        if (qemu_file_get_error_obj(f, errp)) {
            return false;
        }
        if (kind == RAM_SAVE_FLAG_EOS) {
            return true;
        }
        if (kind == RAM_SAVE_FLAG_MULTIFD_FLUSH) {
            continue;
        }
        if (kind == RAM_SAVE_FLAG_MEM_SIZE) {
            if (!load_block_list(f, rs, addr, errp)) {
                return false;
            }
            continue;
        }
        if (kind != RAM_SAVE_FLAG_ZERO && kind != RAM_SAVE_FLAG_PAGE) {
            error_setg(errp, "Unexpected RAM flags 0x%" PRIx64 "%s", flags,
                       (flags & RAM_SAVE_FLAG_XBZRLE) ?
                       " (XBZRLE pages are not supported)" : "");
            return false;
        }
        b = load_find_block(f, rs, flags, errp);
        if (!b) {
            return false;
        }
        page = addr / PAGE_SIZE;
        if (page >= b->npages) {
            error_setg(errp, "page offset 0x%" PRIx64 " is outside ramblock "
                       "\"%s\" (size 0x%" PRIx64 ")", addr, b->mr->name,
                       b->mr->size);
            return false;
        }
        if (kind == RAM_SAVE_FLAG_ZERO) {
            uint8_t ch = qemu_get_byte(f);
            if (qemu_file_get_error_obj(f, errp)) {
                return false;
            }
            if (ch != 0) {
                error_setg(errp, "Found a zero page with value %d", ch);
                return false;
            }
            load_zero(b, page);
            continue;
        }
        if (!b->maybe_nonzero || test_bit(b->maybe_nonzero, page)) {
            /* Already allocated: no zero check needed, read in place. */
            if (!qemu_get_buffer(f, b->mr->host + addr, PAGE_SIZE)) {
                qemu_file_get_error_obj(f, errp);
                return false;
            }
            continue;
        }
        if (!qemu_get_buffer(f, rs->bounce, PAGE_SIZE)) {
            qemu_file_get_error_obj(f, errp);
            return false;
        }
        if (ram_page_is_zero(rs->bounce)) {
            load_zero(b, page);
        } else {
            memcpy(b->mr->host + addr, rs->bounce, PAGE_SIZE);
            if (b->maybe_nonzero) {
                set_bit(b->maybe_nonzero, page);
            }
        }
    }
}

static const SaveVMHandlers ram_handlers = {
    .save_setup = ram_save_setup,
    .save_live_iterate = ram_save_iterate,
    .save_live_complete = ram_save_complete,
    .state_pending = ram_state_pending,
    .save_cleanup = ram_save_cleanup,
    .load_setup = ram_load_setup,
    .load_state = ram_load,
    .load_cleanup = ram_load_cleanup,
};

void ram_mig_init(void)
{
    register_savevm_live("ram", 0, 4, &ram_handlers, &ram_state);
}
