/*
 * A64 loads and stores, single register and pair (Arm ARM C4.1.66): literal,
 * unsigned offset, unscaled, pre/post-index, register offset with extend,
 * unprivileged (LDTR/STTR), LDP/STP/LDPSW/LDNP/STNP, for X/W registers and
 * B/H/S/D/Q SIMD registers.  Exclusives, acquire/release and atomics are in
 * decode-ldst-ex.c.
 *
 * One handler per (addressing mode, access kind): the access kind is a
 * compile-time constant inside each handler, so the switch in do_access
 * folds away.
 */
#include "alu.h"

enum {
    K_ST8, K_ST16, K_ST32, K_ST64,
    K_LD8, K_LD16, K_LD32, K_LD64,
    K_LDS8X, K_LDS16X, K_LDS32X, K_LDS8W, K_LDS16W,
    K_STV8, K_STV16, K_STV32, K_STV64, K_STV128,
    K_LDV8, K_LDV16, K_LDV32, K_LDV64, K_LDV128,
    K_PRFM,
    K_COUNT
};

static inline __attribute__((always_inline))
void do_access(CPUARMState *env, const DecodedInsn *d, uint64_t va, int k,
               TlbEntry *tlb, unsigned idx)
{
    uint64_t *v;

    switch (k) {
    case K_ST8: tcg_st_tlb(env, d, va, 1, REG(d->rd), tlb, idx); break;
    case K_ST16: tcg_st_tlb(env, d, va, 2, REG(d->rd), tlb, idx); break;
    case K_ST32: tcg_st_tlb(env, d, va, 4, REG(d->rd), tlb, idx); break;
    case K_ST64: tcg_st_tlb(env, d, va, 8, REG(d->rd), tlb, idx); break;
    case K_LD8: REG(d->rd) = tcg_ld_tlb(env, d, va, 1, tlb, idx); break;
    case K_LD16: REG(d->rd) = tcg_ld_tlb(env, d, va, 2, tlb, idx); break;
    case K_LD32: REG(d->rd) = tcg_ld_tlb(env, d, va, 4, tlb, idx); break;
    case K_LD64: REG(d->rd) = tcg_ld_tlb(env, d, va, 8, tlb, idx); break;
    case K_LDS8X:
        REG(d->rd) = (int64_t)(int8_t)tcg_ld_tlb(env, d, va, 1, tlb, idx);
        break;
    case K_LDS16X:
        REG(d->rd) = (int64_t)(int16_t)tcg_ld_tlb(env, d, va, 2, tlb, idx);
        break;
    case K_LDS32X:
        REG(d->rd) = (int64_t)(int32_t)tcg_ld_tlb(env, d, va, 4, tlb, idx);
        break;
    case K_LDS8W:
        REG(d->rd) = (uint32_t)(int32_t)(int8_t)
                     tcg_ld_tlb(env, d, va, 1, tlb, idx);
        break;
    case K_LDS16W:
        REG(d->rd) = (uint32_t)(int32_t)(int16_t)
                     tcg_ld_tlb(env, d, va, 2, tlb, idx);
        break;
    case K_STV8: case K_STV16: case K_STV32: case K_STV64:
        v = VREG(d->rd);
        tcg_st_tlb(env, d, va, 1u << (k - K_STV8), v[0], tlb, idx);
        break;
    case K_STV128:
        v = VREG(d->rd);
        if ((va & 0xfff) > 0xff0) {
            /* Both halves or neither: probe the second page first. */
            tcg_st_slow(env, d, va + 15, 1, tcg_ld_slow(env, d, va + 15, 1,
                                                         idx), idx);
        }
        tcg_st_tlb(env, d, va, 8, v[0], tlb, idx);
        tcg_st_tlb(env, d, va + 8, 8, v[1], tlb, idx);
        break;
    case K_LDV8: case K_LDV16: case K_LDV32: case K_LDV64: {
        uint64_t x = tcg_ld_tlb(env, d, va, 1u << (k - K_LDV8), tlb, idx);
        v = VREG(d->rd);
        v[0] = x;
        v[1] = 0;
        break;
    }
    case K_LDV128: {
        uint64_t lo = tcg_ld_tlb(env, d, va, 8, tlb, idx);
        uint64_t hi = tcg_ld_tlb(env, d, va + 8, 8, tlb, idx);
        v = VREG(d->rd);
        v[0] = lo;
        v[1] = hi;
        break;
    }
    default:
        break;
    }
}

#define CUR_TLB env->tcg->cur_tlb, env->tcg->mmu_idx

/* Addressing modes: OFF base+imm, PRE/POST with writeback, REG extended. */
#define MODES(K, k)                                                          \
static const DecodedInsn *op_off_##k(CPUARMState *env, const DecodedInsn *d)\
{                                                                            \
    do_access(env, d, REG(d->rn) + d->imm, K, CUR_TLB);                      \
    TCG_NEXT(env, d);                                                            \
}                                                                            \
static const DecodedInsn *op_pre_##k(CPUARMState *env, const DecodedInsn *d)\
{                                                                            \
    uint64_t va = REG(d->rn) + d->imm;                                       \
    do_access(env, d, va, K, CUR_TLB);                                       \
    REG(d->rn) = va;                                                         \
    TCG_NEXT(env, d);                                                            \
}                                                                            \
static const DecodedInsn *op_post_##k(CPUARMState *env, const DecodedInsn *d)\
{                                                                            \
    uint64_t va = REG(d->rn);                                                \
    do_access(env, d, va, K, CUR_TLB);                                       \
    REG(d->rn) = va + d->imm;                                                \
    TCG_NEXT(env, d);                                                            \
}                                                                            \
static const DecodedInsn *op_reg_##k(CPUARMState *env, const DecodedInsn *d)\
{                                                                            \
    do_access(env, d, REG(d->rn) + extend_reg(REG(d->rm), d->a, d->b), K,    \
              CUR_TLB);                                                      \
    TCG_NEXT(env, d);                                                            \
}                                                                            \
static const DecodedInsn *op_lit_##k(CPUARMState *env, const DecodedInsn *d)\
{                                                                            \
    do_access(env, d, insn_pc(env, d) + d->imm, K, CUR_TLB);                 \
    TCG_NEXT(env, d);                                                            \
}                                                                            \
static const DecodedInsn *op_unp_##k(CPUARMState *env, const DecodedInsn *d)\
{                                                                            \
    unsigned idx = tcg_unpriv_idx(env);                                      \
    do_access(env, d, REG(d->rn) + d->imm, K, env->tcg->tlb[idx], idx);      \
    TCG_NEXT(env, d);                                                            \
}

MODES(K_ST8, st8) MODES(K_ST16, st16) MODES(K_ST32, st32) MODES(K_ST64, st64)
MODES(K_LD8, ld8) MODES(K_LD16, ld16) MODES(K_LD32, ld32) MODES(K_LD64, ld64)
MODES(K_LDS8X, lds8x) MODES(K_LDS16X, lds16x) MODES(K_LDS32X, lds32x)
MODES(K_LDS8W, lds8w) MODES(K_LDS16W, lds16w)
MODES(K_STV8, stv8) MODES(K_STV16, stv16) MODES(K_STV32, stv32)
MODES(K_STV64, stv64) MODES(K_STV128, stv128)
MODES(K_LDV8, ldv8) MODES(K_LDV16, ldv16) MODES(K_LDV32, ldv32)
MODES(K_LDV64, ldv64) MODES(K_LDV128, ldv128)

enum { M_OFF, M_PRE, M_POST, M_REG, M_LIT, M_UNP, M_COUNT };

#define ROW(k) { op_off_##k, op_pre_##k, op_post_##k, op_reg_##k, \
                 op_lit_##k, op_unp_##k }
static const InsnFn mode_fns[K_COUNT][M_COUNT] = {
    ROW(st8), ROW(st16), ROW(st32), ROW(st64),
    ROW(ld8), ROW(ld16), ROW(ld32), ROW(ld64),
    ROW(lds8x), ROW(lds16x), ROW(lds32x), ROW(lds8w), ROW(lds16w),
    ROW(stv8), ROW(stv16), ROW(stv32), ROW(stv64), ROW(stv128),
    ROW(ldv8), ROW(ldv16), ROW(ldv32), ROW(ldv64), ROW(ldv128),
};

static const DecodedInsn *op_prfm(CPUARMState *env, const DecodedInsn *d)
{
    TCG_NEXT(env, d);
}

/* ---- pairs: rd = Rt, ra = Rt2, c = element size in bytes ---- */
enum { P_ST, P_LD, P_LDSW, P_STV, P_LDV };

static inline __attribute__((always_inline))
void do_pair(CPUARMState *env, const DecodedInsn *d, uint64_t va, int k)
{
    unsigned sz = d->c;
    uint64_t a, b, a2 = 0, b2 = 0;

    switch (k) {
    case P_ST:
        if ((va & 0xfff) > 0x1000 - 2 * sz) {
            tcg_st_slow(env, d, va + 2 * sz - 1, 1,
                        tcg_ld(env, d, va + 2 * sz - 1, 1), env->tcg->mmu_idx);
        }
        tcg_st(env, d, va, sz, REG(d->rd));
        tcg_st(env, d, va + sz, sz, REG(d->ra));
        break;
    case P_LD: case P_LDSW:
        a = tcg_ld(env, d, va, sz);
        b = tcg_ld(env, d, va + sz, sz);
        if (k == P_LDSW) {
            a = (int64_t)(int32_t)a;
            b = (int64_t)(int32_t)b;
        }
        REG(d->rd) = a;
        REG(d->ra) = b;
        break;
    case P_STV:
        if ((va & 0xfff) > 0x1000 - 2 * sz) {
            tcg_st_slow(env, d, va + 2 * sz - 1, 1,
                        tcg_ld(env, d, va + 2 * sz - 1, 1), env->tcg->mmu_idx);
        }
        if (sz == 16) {
            tcg_st(env, d, va, 8, VREG(d->rd)[0]);
            tcg_st(env, d, va + 8, 8, VREG(d->rd)[1]);
            tcg_st(env, d, va + 16, 8, VREG(d->ra)[0]);
            tcg_st(env, d, va + 24, 8, VREG(d->ra)[1]);
        } else {
            tcg_st(env, d, va, sz, VREG(d->rd)[0]);
            tcg_st(env, d, va + sz, sz, VREG(d->ra)[0]);
        }
        break;
    default:                                    /* P_LDV */
        if (sz == 16) {
            a = tcg_ld(env, d, va, 8);
            a2 = tcg_ld(env, d, va + 8, 8);
            b = tcg_ld(env, d, va + 16, 8);
            b2 = tcg_ld(env, d, va + 24, 8);
        } else {
            a = tcg_ld(env, d, va, sz);
            b = tcg_ld(env, d, va + sz, sz);
        }
        VREG(d->rd)[0] = a;
        VREG(d->rd)[1] = a2;
        VREG(d->ra)[0] = b;
        VREG(d->ra)[1] = b2;
        break;
    }
}

#define PMODES(K, k)                                                         \
static const DecodedInsn *op_poff_##k(CPUARMState *env, const DecodedInsn *d)\
{                                                                            \
    do_pair(env, d, REG(d->rn) + d->imm, K);                                 \
    TCG_NEXT(env, d);                                                            \
}                                                                            \
static const DecodedInsn *op_ppre_##k(CPUARMState *env, const DecodedInsn *d)\
{                                                                            \
    uint64_t va = REG(d->rn) + d->imm;                                       \
    do_pair(env, d, va, K);                                                  \
    REG(d->rn) = va;                                                         \
    TCG_NEXT(env, d);                                                            \
}                                                                            \
static const DecodedInsn *op_ppost_##k(CPUARMState *env,                    \
                                       const DecodedInsn *d)                 \
{                                                                            \
    uint64_t va = REG(d->rn);                                                \
    do_pair(env, d, va, K);                                                  \
    REG(d->rn) = va + d->imm;                                                \
    TCG_NEXT(env, d);                                                            \
}
PMODES(P_ST, st) PMODES(P_LD, ld) PMODES(P_LDSW, ldsw)
PMODES(P_STV, stv) PMODES(P_LDV, ldv)

static const InsnFn pair_fns[5][3] = {
    { op_poff_st, op_ppre_st, op_ppost_st },
    { op_poff_ld, op_ppre_ld, op_ppost_ld },
    { op_poff_ldsw, op_ppre_ldsw, op_ppost_ldsw },
    { op_poff_stv, op_ppre_stv, op_ppost_stv },
    { op_poff_ldv, op_ppre_ldv, op_ppost_ldv },
};

/* Access kind for size/V/opc of single-register forms, -1 = unallocated. */
static int reg_kind(unsigned size, bool v, unsigned opc, unsigned *scale)
{
    if (v) {
        if (opc >= 2) {
            if (size != 0) {
                return -1;
            }
            *scale = 4;
            return opc == 2 ? K_STV128 : K_LDV128;
        }
        *scale = size;
        return (opc ? K_LDV8 : K_STV8) + size;
    }
    *scale = size;
    switch (opc) {
    case 0: return K_ST8 + size;
    case 1: return K_LD8 + size;
    case 2:
        if (size == 3) {
            return K_PRFM;
        }
        return size == 0 ? K_LDS8X : size == 1 ? K_LDS16X : K_LDS32X;
    default:
        if (size >= 2) {
            return -1;
        }
        return size == 0 ? K_LDS8W : K_LDS16W;
    }
}

static bool is_load_kind(int k)
{
    return (k >= K_LD8 && k <= K_LDS16W) || (k >= K_LDV8 && k <= K_LDV128);
}

static bool is_vec_kind(int k)
{
    return k >= K_STV8 && k <= K_LDV128;
}

static void set_rt(DecodedInsn *d, int k, unsigned rt)
{
    if (is_vec_kind(k)) {
        d->rd = VREG_OFF(rt);
    } else {
        d->rd = is_load_kind(k) ? reg_zw(rt) : reg_zr(rt);
    }
}

static bool decode_literal(DecodedInsn *d, uint32_t insn)
{
    unsigned opc = insn >> 30;
    bool v = (insn >> 26) & 1;
    int k;

    d->imm = sext(((insn >> 5) & 0x7ffff) << 2, 21);
    if (v) {
        if (opc == 3) {
            return false;
        }
        k = opc == 2 ? K_LDV128 : K_LDV32 + opc;
    } else {
        switch (opc) {
        case 0: k = K_LD32; break;
        case 1: k = K_LD64; break;
        case 2: k = K_LDS32X; break;
        default: d->fn = op_prfm; return true;
        }
    }
    set_rt(d, k, insn & 31);
    d->fn = mode_fns[k][M_LIT];
    return true;
}

static bool decode_pair(DecodedInsn *d, uint32_t insn)
{
    unsigned opc = insn >> 30, mode = (insn >> 23) & 3;
    bool v = (insn >> 26) & 1, l = (insn >> 22) & 1;
    unsigned rt = insn & 31, rt2 = (insn >> 10) & 31, rn = (insn >> 5) & 31;
    unsigned scale;
    int k;

    if (v) {
        if (opc == 3) {
            return false;
        }
        scale = 2 + opc;
        k = l ? P_LDV : P_STV;
        d->rd = VREG_OFF(rt);
        d->ra = VREG_OFF(rt2);
    } else {
        if (opc == 3 || (opc == 1 && (!l || mode == 0))) {
            return false;           /* STGP / LDPSW-nontemporal: not here */
        }
        scale = opc == 2 ? 3 : 2;
        k = opc == 1 ? P_LDSW : l ? P_LD : P_ST;
        d->rd = l ? reg_zw(rt) : reg_zr(rt);
        d->ra = l ? reg_zw(rt2) : reg_zr(rt2);
        if (l && rt == rt2) {
            return false;           /* CONSTRAINED UNPREDICTABLE: UNDEF */
        }
    }
    d->c = 1u << scale;
    d->imm = sext((insn >> 15) & 0x7f, 7) << scale;
    d->rn = reg_sp(rn);
    /* mode: 0 no-allocate (offset), 1 post, 2 offset, 3 pre */
    d->fn = pair_fns[k][mode == 1 ? 2 : mode == 3 ? 1 : 0];
    return true;
}

static bool decode_single(DecodedInsn *d, uint32_t insn)
{
    unsigned size = insn >> 30, opc = (insn >> 22) & 3;
    bool v = (insn >> 26) & 1;
    unsigned rt = insn & 31, rn = (insn >> 5) & 31;
    unsigned scale;
    int k = reg_kind(size, v, opc, &scale);

    if (k < 0) {
        return false;
    }
    d->rn = reg_sp(rn);
    if ((insn >> 24) & 1) {                             /* unsigned offset */
        d->imm = (uint64_t)((insn >> 10) & 0xfff) << scale;
        if (k == K_PRFM) {
            d->fn = op_prfm;
            return true;
        }
        set_rt(d, k, rt);
        d->fn = mode_fns[k][M_OFF];
        return true;
    }
    if ((insn >> 21) & 1) {
        unsigned option = (insn >> 13) & 7;
        if (((insn >> 10) & 3) != 2 || !(option & 2)) {
            return false;           /* atomics handled elsewhere, PAC loads */
        }
        if (k == K_PRFM) {
            d->fn = op_prfm;
            return true;
        }
        d->rm = reg_zr((insn >> 16) & 31);
        d->a = option;
        d->b = ((insn >> 12) & 1) ? scale : 0;
        set_rt(d, k, rt);
        d->fn = mode_fns[k][M_REG];
        return true;
    }
    d->imm = sext((insn >> 12) & 0x1ff, 9);
    switch ((insn >> 10) & 3) {
    case 0:                                             /* unscaled */
        if (k == K_PRFM) {
            d->fn = op_prfm;                            /* PRFUM */
            return true;
        }
        set_rt(d, k, rt);
        d->fn = mode_fns[k][M_OFF];
        return true;
    case 2:                                             /* unprivileged */
        if (v || k == K_PRFM) {
            return false;
        }
        set_rt(d, k, rt);
        d->fn = mode_fns[k][M_UNP];
        return true;
    default:                                            /* post / pre */
        if (k == K_PRFM) {
            return false;
        }
        if (!v && rn == rt && rn != 31) {
            return false;           /* writeback into Rt: UNPREDICTABLE */
        }
        set_rt(d, k, rt);
        d->fn = mode_fns[k][((insn >> 10) & 3) == 1 ? M_POST : M_PRE];
        return true;
    }
}

bool tcg_decode_ldst(DecodedInsn *d, uint32_t insn)
{
    unsigned op = (insn >> 27) & 7;     /* bits 29:27 */

    switch (op) {
    case 1:                             /* 0b001: exclusive / ordered / CAS */
        if ((insn >> 26) & 1) {
            return tcg_decode_simd_ldst(d, insn);   /* LD1/ST1 multiple */
        }
        return tcg_decode_ldst_ex(d, insn);
    case 3:                             /* 0b011: literal (24 = 0) */
        if ((insn >> 24) & 1) {
            return false;               /* LDAPR/STLR unscaled etc. */
        }
        return decode_literal(d, insn);
    case 5:                             /* 0b101: pairs */
        return decode_pair(d, insn);
    case 7:                             /* 0b111: single register */
        if (!((insn >> 24) & 1) && ((insn >> 21) & 1) &&
            ((insn >> 10) & 3) == 0) {
            if ((insn >> 26) & 1) {
                return false;
            }
            return tcg_decode_ldst_ex(d, insn);  /* LSE atomic memory ops */
        }
        return decode_single(d, insn);
    default:
        return false;
    }
}
