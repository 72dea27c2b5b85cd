/*
 * The interpreter's memory side: software TLB (one per translation regime,
 * direct-mapped, 256 entries), the slow paths behind the inline fast paths
 * of tcg-internal.h (page-crossing, MMIO under the big lock, TLB refill),
 * and the decode cache of code pages with its invalidation on stores.
 *
 * Coherence of decoded code: every RAM page that holds decoded slots has a
 * byte set in its region's code map; the store fast path tests that byte and
 * resets the page's slots to "decode me" (tcg_code_write), so self-modifying
 * code and code loading behave as on hardware with coherent caches.  Writes
 * that bypass the vCPUs (loader, incoming migration) are covered by
 * invalidating everything whenever the vCPUs resume.
 */
#include "tcg-internal.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"

/* ---- decode cache ---- */
#define MAX_CODE_REGIONS 16

typedef struct RegionCode {
    MemoryRegion *mr;
    uint8_t *flags;         /* one byte per page: page has decoded slots */
    CodePage **pages;       /* one per page, created on first execution */
    uint64_t npages;
} RegionCode;

static RegionCode regions[MAX_CODE_REGIONS];
static int nregions;
static GMutex code_lock;

static RegionCode *region_code(MemoryRegion *mr)
{
    int n = __atomic_load_n(&nregions, __ATOMIC_ACQUIRE);
    RegionCode *rc = NULL;

    for (int i = 0; i < n; i++) {
        if (regions[i].mr == mr) {
            return &regions[i];
        }
    }
    g_mutex_lock(&code_lock);
    for (int i = 0; i < nregions; i++) {
        if (regions[i].mr == mr) {
            rc = &regions[i];
        }
    }
    if (!rc && nregions < MAX_CODE_REGIONS) {
        rc = &regions[nregions];
        rc->mr = mr;
        rc->npages = (mr->size + 0xfff) >> 12;
        rc->flags = g_new0(uint8_t, rc->npages);
        rc->pages = g_new0(CodePage *, rc->npages);
        __atomic_store_n(&nregions, nregions + 1, __ATOMIC_RELEASE);
    }
    g_mutex_unlock(&code_lock);
    return rc;
}

static void code_page_reset(CodePage *p)
{
    for (unsigned i = 0; i < CODE_PAGE_INSNS; i++) {
        __atomic_store_n(&p->insns[i].fn, tcg_op_decode, __ATOMIC_RELAXED);
    }
}

static CodePage *code_page_get(RegionCode *rc, uint64_t off)
{
    uint64_t pn = off >> 12;
    CodePage *p = __atomic_load_n(&rc->pages[pn], __ATOMIC_ACQUIRE);

    if (p) {
        return p;
    }
    g_mutex_lock(&code_lock);
    p = rc->pages[pn];
    if (!p) {
        p = g_new0(CodePage, 1);
        p->pa = rc->mr->addr + (pn << 12);
        p->host = (const uint32_t *)(rc->mr->host + (pn << 12));
        p->code_flag = &rc->flags[pn];
        for (unsigned i = 0; i <= CODE_PAGE_INSNS; i++) {
            p->insns[i].idx = i;
            p->insns[i].fn = tcg_op_decode;
        }
        p->insns[CODE_PAGE_INSNS].fn = tcg_op_page_end;
        __atomic_store_n(&rc->pages[pn], p, __ATOMIC_RELEASE);
    }
    g_mutex_unlock(&code_lock);
    return p;
}

void tcg_code_write(TlbEntry *e, uint64_t va)
{
    RegionCode *rc = region_code(e->mr);
    uint64_t pn = e->mr_off >> 12;
    CodePage *p;

    if (!rc) {
        return;
    }
    rc->flags[pn] = 0;
    p = __atomic_load_n(&rc->pages[pn], __ATOMIC_ACQUIRE);
    if (p) {
        code_page_reset(p);
    }
}

void tcg_code_invalidate_all(void)
{
    int n = __atomic_load_n(&nregions, __ATOMIC_ACQUIRE);
    for (int i = 0; i < n; i++) {
        RegionCode *rc = &regions[i];
        for (uint64_t pn = 0; pn < rc->npages; pn++) {
            if (rc->flags[pn] && rc->pages[pn]) {
                rc->flags[pn] = 0;
                code_page_reset(rc->pages[pn]);
            }
        }
    }
}

/* ---- TLB ---- */
void tcg_tlb_flush(TcgVcpu *v)
{
    memset(v->tlb, 0xff, sizeof(v->tlb));
}

void tcg_tlb_flush_page(TcgVcpu *v, uint64_t va)
{
    /* The entry index ignores the top byte; flush every regime's slot. */
    for (unsigned i = 0; i < MMU_IDX_COUNT; i++) {
        memset(tlb_entry(v->tlb[i], va), 0xff, sizeof(TlbEntry));
    }
}

void tcg_update_mmu_idx(CPUARMState *env)
{
    TcgVcpu *v = env->tcg;
    unsigned idx;

    if (arm_current_el(env) == 0) {
        idx = MMU_IDX_EL0;
    } else {
        idx = (env->pstate & PSTATE_PAN) ? MMU_IDX_EL1_PAN : MMU_IDX_EL1;
    }
    v->mmu_idx = idx;
    v->cur_tlb = v->tlb[idx];
}

static QEMU_NORETURN void raise_abort(CPUARMState *env, const DecodedInsn *d,
                                      uint64_t va, int access, uint32_t fsc,
                                      bool s1ptw)
{
    uint32_t iss = fsc | (s1ptw ? (1u << 7) : 0);
    unsigned ec;

    if (access == ACC_EXEC) {
        ec = EC_INSN_ABORT;
    } else {
        ec = EC_DATA_ABORT;
        if (access == ACC_WRITE) {
            iss |= 1u << 6;                 /* WnR */
        }
    }
    qemu_log_mask(LOG_INT, "tcg: %s abort va 0x%" PRIx64 " fsc 0x%x\n",
                  access == ACC_EXEC ? "prefetch" : "data", va, fsc);
    tcg_raise(env, access == ACC_EXEC ? NULL : d, esr_make(ec, iss), va,
              true);
}

TlbEntry *tcg_tlb_fill(CPUARMState *env, const DecodedInsn *d, uint64_t va,
                       int access, unsigned mmu_idx)
{
    TcgVcpu *v = env->tcg;
    TcgTranslation t;
    TcgFault f;
    TlbEntry *e = tlb_entry(v->tlb[mmu_idx], va);
    uint64_t page = va & ~0xfffULL, pa_page;
    MemoryRegion *mr;

    if (!tcg_mmu_translate(env, va, access, mmu_idx, &t, &f)) {
        raise_abort(env, d, va, access, f.fsc, f.s1ptw);
    }
    pa_page = t.pa & ~0xfffULL;
    mr = address_space_lookup(&address_space_memory, pa_page);
    memset(e, 0, sizeof(*e));
    e->pa_page = pa_page;
    e->tag_r = t.r ? page : TLB_INVALID;
    e->tag_w = t.w ? page : TLB_INVALID;
    e->tag_x = t.x ? page : TLB_INVALID;
    if (mr && mr->host && mr->type != MR_IO &&
        pa_page + 0x1000 <= mr->addr + mr->size) {
        e->mr = mr;
        e->mr_off = pa_page - mr->addr;
        e->addend = (uintptr_t)(mr->host + e->mr_off) - page;
        if (mr->type == MR_RAM) {
            RegionCode *rc = region_code(mr);
            e->codemap = rc ? rc->flags : NULL;
            if (!e->codemap && t.w) {
                e->tag_w |= TLB_FLAG_SLOW;
            }
        } else if (t.w) {
            e->tag_w |= TLB_FLAG_SLOW;      /* ROM: writes ignored */
        }
    } else {
        if (t.r) {
            e->tag_r |= TLB_FLAG_SLOW;
        }
        if (t.w) {
            e->tag_w |= TLB_FLAG_SLOW;
        }
        e->tag_x = TLB_INVALID;             /* no execution from MMIO */
        e->mr = NULL;
        if (access == ACC_EXEC) {
            raise_abort(env, d, va, access, 0x10, false);
        }
    }
    return e;
}

/* MMIO or unmapped: go to the device model with the big lock held. */
static uint64_t io_access(CPUARMState *env, const DecodedInsn *d, uint64_t pa,
                          uint64_t va, unsigned size, bool write, uint64_t val)
{
    MemTxResult r;
    bool locked = bql_locked();

    if (!locked) {
        bql_lock();
    }
    if (write) {
        r = address_space_st(&address_space_memory, pa, size, val);
    } else {
        r = address_space_ld(&address_space_memory, pa, size, &val);
    }
    if (!locked) {
        bql_unlock();
    }
    if (r != MEMTX_OK) {
        qemu_log_mask(LOG_GUEST_ERROR, "tcg: bus error at pa 0x%" PRIx64
                      " (va 0x%" PRIx64 ")\n", pa, va);
        raise_abort(env, d, va, write ? ACC_WRITE : ACC_READ, 0x10, false);
    }
    return val;
}

static TlbEntry *lookup(CPUARMState *env, const DecodedInsn *d, uint64_t va,
                        int access, unsigned mmu_idx)
{
    TlbEntry *e = tlb_entry(env->tcg->tlb[mmu_idx], va);
    uint64_t tag = access == ACC_WRITE ? e->tag_w : e->tag_r;

    if ((tag & ~TLB_FLAG_SLOW) != (va & ~0xfffULL)) {
        e = tcg_tlb_fill(env, d, va, access, mmu_idx);
    }
    return e;
}

uint64_t tcg_ld_slow(CPUARMState *env, const DecodedInsn *d, uint64_t va,
                     unsigned size, unsigned mmu_idx)
{
    TlbEntry *e;
    uint64_t val = 0;

    if ((va & 0xfff) + size > 0x1000) {
        for (unsigned i = 0; i < size; i++) {
            val |= tcg_ld_slow(env, d, va + i, 1, mmu_idx) << (8 * i);
        }
        return val;
    }
    e = lookup(env, d, va, ACC_READ, mmu_idx);
    if (!(e->tag_r & TLB_FLAG_SLOW)) {
        memcpy(&val, (void *)(uintptr_t)(va + e->addend), size);
        return val;
    }
    return io_access(env, d, e->pa_page | (va & 0xfff), va, size, false, 0);
}

void tcg_st_slow(CPUARMState *env, const DecodedInsn *d, uint64_t va,
                 unsigned size, uint64_t val, unsigned mmu_idx)
{
    TlbEntry *e;

    if ((va & 0xfff) + size > 0x1000) {
        /* Check both pages before writing either (no partial stores). */
        lookup(env, d, va, ACC_WRITE, mmu_idx);
        lookup(env, d, va + size - 1, ACC_WRITE, mmu_idx);
        for (unsigned i = 0; i < size; i++) {
            tcg_st_slow(env, d, va + i, 1, val >> (8 * i), mmu_idx);
        }
        return;
    }
    e = lookup(env, d, va, ACC_WRITE, mmu_idx);
    if (!(e->tag_w & TLB_FLAG_SLOW)) {
        memcpy((void *)(uintptr_t)(va + e->addend), &val, size);
        memory_region_set_dirty(e->mr, e->mr_off, 1);
        if (e->codemap[e->mr_off >> 12]) {
            tcg_code_write(e, va);
        }
        return;
    }
    if (e->mr && e->mr->type == MR_ROM) {
        return;                             /* ROM: writes ignored */
    }
    io_access(env, d, e->pa_page | (va & 0xfff), va, size, true, val);
}

void tcg_check_align(CPUARMState *env, const DecodedInsn *d, uint64_t va,
                     unsigned size)
{
    if (va & (size - 1)) {
        raise_abort(env, d, va, ACC_READ, 0x21, false);   /* alignment */
    }
}

void *tcg_host_rw(CPUARMState *env, const DecodedInsn *d, uint64_t va,
                  unsigned size, unsigned mmu_idx)
{
    TlbEntry *e;

    if (va & (size - 1)) {
        raise_abort(env, d, va, ACC_READ, 0x21, false);   /* alignment */
    }
    lookup(env, d, va, ACC_READ, mmu_idx);
    e = lookup(env, d, va, ACC_WRITE, mmu_idx);
    if (e->tag_w & TLB_FLAG_SLOW) {
        /* Atomics on MMIO or ROM: not supported by the bus, external abort. */
        raise_abort(env, d, va, ACC_WRITE, 0x35, false);
    }
    return (void *)(uintptr_t)(va + e->addend);
}

void tcg_host_rw_commit(CPUARMState *env, uint64_t va)
{
    TlbEntry *e = tlb_entry(env->tcg->cur_tlb, va);

    /* After the write: a concurrent fetch-and-clear must not lose it. */
    if (e->mr && e->codemap) {
        memory_region_set_dirty(e->mr, e->mr_off, 1);
        if (e->codemap[e->mr_off >> 12]) {
            tcg_code_write(e, va);
        }
    }
}

CodePage *tcg_code_page(CPUARMState *env, uint64_t pc)
{
    TcgVcpu *v = env->tcg;
    TlbEntry *e = tlb_entry(v->cur_tlb, pc);
    RegionCode *rc;

    if (e->tag_x != (pc & ~0xfffULL)) {
        e = tcg_tlb_fill(env, NULL, pc, ACC_EXEC, v->mmu_idx);
        if (e->tag_x != (pc & ~0xfffULL)) {
            raise_abort(env, NULL, pc, ACC_EXEC, 0x0f, false);
        }
    }
    if (e->code) {
        return e->code;
    }
    rc = e->mr ? region_code(e->mr) : NULL;
    if (!rc) {
        raise_abort(env, NULL, pc, ACC_EXEC, 0x10, false);
    }
    e->code = code_page_get(rc, e->mr_off);
    return e->code;
}
