/*
 * A64 exclusives, load-acquire/store-release and LSE atomics (Arm ARM
 * C4.1.66 "Load/store exclusive", "Atomic memory operations", B2.9 the
 * exclusive monitor).
 *
 * The monitor is modelled as QEMU's TCG does: LDXR remembers the address and
 * the value read; STXR succeeds if the address matches and memory still
 * holds that value, using a host compare-and-swap, so it is atomic against
 * other vCPU threads.  Atomics operate on the host RAM with __atomic builtins
 * (they must be naturally aligned, else an alignment fault).
 */
#include "alu.h"

/* c = log2(size), rd = Rt, ra = Rt2, rm = Rs, rn = base */

static inline uint64_t load_sz(const void *p, unsigned lg)
{
    switch (lg) {
    case 0: return __atomic_load_n((const uint8_t *)p, __ATOMIC_SEQ_CST);
    case 1: return __atomic_load_n((const uint16_t *)p, __ATOMIC_SEQ_CST);
    case 2: return __atomic_load_n((const uint32_t *)p, __ATOMIC_SEQ_CST);
    default: return __atomic_load_n((const uint64_t *)p, __ATOMIC_SEQ_CST);
    }
}

static inline bool cas_sz(void *p, unsigned lg, uint64_t *expect, uint64_t nv)
{
    switch (lg) {
    case 0: {
        uint8_t e = *expect;
        bool ok = __atomic_compare_exchange_n((uint8_t *)p, &e, nv, false,
                                              __ATOMIC_SEQ_CST,
                                              __ATOMIC_SEQ_CST);
        *expect = e;
        return ok;
    }
    case 1: {
        uint16_t e = *expect;
        bool ok = __atomic_compare_exchange_n((uint16_t *)p, &e, nv, false,
                                              __ATOMIC_SEQ_CST,
                                              __ATOMIC_SEQ_CST);
        *expect = e;
        return ok;
    }
    case 2: {
        uint32_t e = *expect;
        bool ok = __atomic_compare_exchange_n((uint32_t *)p, &e, nv, false,
                                              __ATOMIC_SEQ_CST,
                                              __ATOMIC_SEQ_CST);
        *expect = e;
        return ok;
    }
    default:
        return __atomic_compare_exchange_n((uint64_t *)p, expect, nv, false,
                                           __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    }
}

static inline uint64_t szmask(unsigned lg)
{
    return lg == 3 ? ~0ULL : (1ULL << (8u << lg)) - 1;
}

/*
 * 16-byte compare-and-swap for the 64-bit pair forms: cmpxchg16b on x86-64
 * (no libatomic needed); elsewhere a lock (only atomic against other pair
 * accesses, enough for the guests we run).  On return *expect holds the old
 * memory value.
 */
static bool cas128(void *p, unsigned __int128 *expect, unsigned __int128 nv)
{
#if defined(__x86_64__)
    uint64_t lo = (uint64_t)*expect, hi = (uint64_t)(*expect >> 64);
    bool ok;
    __asm__ volatile("lock cmpxchg16b %1"
                     : "=@ccz"(ok), "+m"(*(unsigned __int128 *)p),
                       "+a"(lo), "+d"(hi)
                     : "b"((uint64_t)nv), "c"((uint64_t)(nv >> 64))
                     : "memory");
    *expect = lo | ((unsigned __int128)hi << 64);
    return ok;
#else
    static GMutex lock;
    unsigned __int128 cur;
    bool ok;
    g_mutex_lock(&lock);
    memcpy(&cur, p, 16);
    ok = cur == *expect;
    if (ok) {
        memcpy(p, &nv, 16);
    }
    *expect = cur;
    g_mutex_unlock(&lock);
    return ok;
#endif
}

/* ---- LDXR / LDAXR / STXR / STLXR ---- */
static const DecodedInsn *op_ldxr(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t va = REG(d->rn), v;

    /* A load: read permission is enough (no host pointer for writing). */
    tcg_check_align(env, d, va, 1u << d->c);
    v = tcg_ld(env, d, va, 1u << d->c);
    env->exclusive_addr = va;
    env->exclusive_val = v;
    REG(d->rd) = v;
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_stxr(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t va = REG(d->rn);
    void *p = tcg_host_rw(env, d, va, 1u << d->c, env->tcg->mmu_idx);
    uint64_t expect = env->exclusive_val;
    uint64_t fail = 1;

    /*
     * A size different from the LDXR's is CONSTRAINED UNPREDICTABLE; like
     * QEMU we fail when the remembered value does not fit this size.
     */
    if (env->exclusive_addr == va && !(expect & ~szmask(d->c)) &&
        cas_sz(p, d->c, &expect, REG(d->rd) & szmask(d->c))) {
        fail = 0;
        tcg_host_rw_commit(env, va);
    }
    env->exclusive_addr = -1;
    REG(d->rm) = fail;
    TCG_NEXT(env, d);
}

/* Pairs: c = log2 of element size (2 or 3); the access is 2x as wide. */
static const DecodedInsn *op_ldxp(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t va = REG(d->rn), lo, hi;

    /*
     * Two loads, not one atomic 16-byte read: a torn pair only makes the
     * STXP's compare-and-swap fail, and the guest retries.
     */
    tcg_check_align(env, d, va, 2u << d->c);
    if (d->c == 2) {
        uint64_t v = tcg_ld(env, d, va, 8);
        lo = (uint32_t)v;
        hi = v >> 32;
        env->exclusive_val = v;
    } else {
        lo = tcg_ld(env, d, va, 8);
        hi = tcg_ld(env, d, va + 8, 8);
        env->exclusive_val = lo;
        env->exclusive_high = hi;
    }
    env->exclusive_addr = va;
    REG(d->rd) = lo;
    REG(d->ra) = hi;
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_stxp(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t va = REG(d->rn);
    void *p = tcg_host_rw(env, d, va, 2u << d->c, env->tcg->mmu_idx);
    uint64_t fail = 1;

    if (env->exclusive_addr == va) {
        if (d->c == 2) {
            uint64_t expect = env->exclusive_val;
            uint64_t nv = (uint32_t)REG(d->rd) | (REG(d->ra) << 32);
            fail = !cas_sz(p, 3, &expect, nv);
        } else {
            unsigned __int128 expect = env->exclusive_val |
                ((unsigned __int128)env->exclusive_high << 64);
            unsigned __int128 nv = REG(d->rd) |
                ((unsigned __int128)REG(d->ra) << 64);
            fail = !cas128(p, &expect, nv);
        }
        if (!fail) {
            tcg_host_rw_commit(env, va);
        }
    }
    env->exclusive_addr = -1;
    REG(d->rm) = fail;
    TCG_NEXT(env, d);
}

/* ---- LDAR / STLR (also LDAPR, LDLAR, STLLR): plain accesses + fences ---- */
static const DecodedInsn *op_ldar(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t va = REG(d->rn);
    tcg_check_align(env, d, va, 1u << d->c);
    REG(d->rd) = tcg_ld(env, d, va, 1u << d->c);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_stlr(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t va = REG(d->rn);
    tcg_check_align(env, d, va, 1u << d->c);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    tcg_st(env, d, va, 1u << d->c, REG(d->rd));
    TCG_NEXT(env, d);
}

/* ---- CAS / CASP: rm = Rs (compare, receives old), rd = Rt (new) ---- */
static const DecodedInsn *op_cas(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t va = REG(d->rn);
    void *p = tcg_host_rw(env, d, va, 1u << d->c, env->tcg->mmu_idx);
    uint64_t expect = REG(d->rm) & szmask(d->c);

    if (cas_sz(p, d->c, &expect, REG(d->rd) & szmask(d->c))) {
        tcg_host_rw_commit(env, va);
    }
    REG(d->b ? ENV_OFF(tcg_discard) : d->rm) = expect;
    TCG_NEXT(env, d);
}

/* CASP: Rs,Rs+1 compare; Rt,Rt+1 new; a = Rs index, e = Rt index. */
static const DecodedInsn *op_casp(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t va = REG(d->rn);
    void *p = tcg_host_rw(env, d, va, 2u << d->c, env->tcg->mmu_idx);
    uint64_t s0 = d->a == 31 ? 0 : env->xregs[d->a];
    uint64_t s1 = d->a == 31 ? 0 : env->xregs[d->a + 1];
    uint64_t t0 = d->e == 31 ? 0 : env->xregs[d->e];
    uint64_t t1 = d->e == 31 ? 0 : env->xregs[d->e + 1];
    uint64_t lo, hi;

    if (d->c == 2) {
        uint64_t expect = (uint32_t)s0 | (s1 << 32);
        cas_sz(p, 3, &expect, (uint32_t)t0 | (t1 << 32));
        lo = (uint32_t)expect;
        hi = expect >> 32;
    } else {
        unsigned __int128 expect = s0 | ((unsigned __int128)s1 << 64);
        cas128(p, &expect, t0 | ((unsigned __int128)t1 << 64));
        lo = (uint64_t)expect;
        hi = (uint64_t)(expect >> 64);
    }
    tcg_host_rw_commit(env, va);
    if (d->a != 31) {
        env->xregs[d->a] = lo;
        env->xregs[d->a + 1] = hi;
    }
    TCG_NEXT(env, d);
}

/* ---- LD<op> / SWP: a = operation, rm = Rs (operand), rd = Rt (old) ---- */
enum { A_ADD, A_CLR, A_EOR, A_SET, A_SMAX, A_SMIN, A_UMAX, A_UMIN, A_SWP };

static const DecodedInsn *op_atomic(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t va = REG(d->rn);
    unsigned lg = d->c, bits = 8u << lg;
    void *p = tcg_host_rw(env, d, va, 1u << lg, env->tcg->mmu_idx);
    uint64_t mask = szmask(lg), s = REG(d->rm) & mask;
    uint64_t old = load_sz(p, lg), nv;

    do {
        int64_t so = sext(old, bits), ss = sext(s, bits);
        switch (d->a) {
        case A_ADD: nv = old + s; break;
        case A_CLR: nv = old & ~s; break;
        case A_EOR: nv = old ^ s; break;
        case A_SET: nv = old | s; break;
        case A_SMAX: nv = so > ss ? old : s; break;
        case A_SMIN: nv = so < ss ? old : s; break;
        case A_UMAX: nv = old > s ? old : s; break;
        case A_UMIN: nv = old < s ? old : s; break;
        default: nv = s; break;
        }
    } while (!cas_sz(p, lg, &old, nv & mask));
    tcg_host_rw_commit(env, va);
    REG(d->rd) = old;
    TCG_NEXT(env, d);
}

bool tcg_decode_ldst_ex(DecodedInsn *d, uint32_t insn)
{
    unsigned size = insn >> 30, rt = insn & 31, rn = (insn >> 5) & 31;
    unsigned rs = (insn >> 16) & 31, rt2 = (insn >> 10) & 31;

    d->rn = reg_sp(rn);
    d->c = size;
    if (((insn >> 27) & 7) == 7) {                  /* LSE atomic memory op */
        unsigned o3 = (insn >> 15) & 1, opc = (insn >> 12) & 7;
        if (!tcg_feature_lse) {
            return false;
        }
        d->rm = reg_zr(rs);
        d->rd = reg_zw(rt);
        if (!o3) {
            d->a = opc;
        } else if (opc == 0) {
            d->a = A_SWP;
        } else if (opc == 4 && rs == 31 && !((insn >> 22) & 1) &&
                   ((insn >> 23) & 1)) {
            d->fn = op_ldar;                        /* LDAPR */
            return true;
        } else {
            return false;
        }
        d->fn = op_atomic;
        return true;
    }
    {
        unsigned o2 = (insn >> 23) & 1, l = (insn >> 22) & 1;
        unsigned o1 = (insn >> 21) & 1;

        if (!o2 && !o1) {                           /* LDXR / STXR */
            d->rm = reg_zw(rs);
            if (l) {
                d->rd = reg_zw(rt);
                d->fn = op_ldxr;
            } else {
                if (rs == rt || (rs == rn && rn != 31)) {
                    return false;                   /* UNPREDICTABLE */
                }
                d->rd = reg_zr(rt);
                d->fn = op_stxr;
            }
            return true;
        }
        if (!o2 && o1) {
            if (size >= 2) {                        /* LDXP / STXP */
                d->c = size;
                d->c = size == 2 ? 2 : 3;
                d->rm = reg_zw(rs);
                if (l) {
                    if (rt == rt2) {
                        return false;
                    }
                    d->rd = reg_zw(rt);
                    d->ra = reg_zw(rt2);
                    d->fn = op_ldxp;
                } else {
                    if (rs == rt || rs == rt2 || (rs == rn && rn != 31)) {
                        return false;
                    }
                    d->rd = reg_zr(rt);
                    d->ra = reg_zr(rt2);
                    d->fn = op_stxp;
                }
                return true;
            }
            /* CASP: size 0 = 32-bit pair, 1 = 64-bit pair; even registers */
            if (!tcg_feature_lse || rt2 != 31 || (rs & 1) || (rt & 1)) {
                return false;
            }
            d->c = size == 0 ? 2 : 3;
            d->a = rs;
            d->e = rt;
            d->fn = op_casp;
            return true;
        }
        if (o2 && !o1) {                            /* LDAR / STLR family */
            if (l) {
                d->rd = reg_zw(rt);
                d->fn = op_ldar;
            } else {
                d->rd = reg_zr(rt);
                d->fn = op_stlr;
            }
            return true;
        }
        /* CAS, CASA, CASL, CASAL (o2 = 1, o1 = 1) */
        if (!tcg_feature_lse || rt2 != 31) {
            return false;
        }
        d->rm = reg_zr(rs);
        d->b = rs == 31;
        d->rd = reg_zr(rt);
        d->fn = op_cas;
        return true;
    }
}
