/*
 * A64 FP/SIMD register moves (Arm ARM C4.1.90/91): FMOV between general and
 * FP registers (incl. the top half of V), FMOV/FABS/FNEG register, FMOV
 * scalar immediate, AdvSIMD modified immediate (MOVI/MVNI/ORR/BIC/FMOV),
 * DUP/INS/UMOV/SMOV, the bitwise three-same group (AND/BIC/ORR/ORN/EOR,
 * MOV alias), and LD1/ST1 (multiple structures, 1-4 registers).  FP
 * arithmetic and interleaving LD2-LD4/ST2-ST4 are a later issue: UNDEF.
 */
#include "alu.h"

/* rd/rn are offsets of V registers or X registers, as the form needs. */

static const DecodedInsn *op_fmov_to_gpr32(CPUARMState *env,
                                           const DecodedInsn *d)
{
    REG(d->rd) = (uint32_t)VREG(d->rn)[0];
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_fmov_to_gpr64(CPUARMState *env,
                                           const DecodedInsn *d)
{
    REG(d->rd) = VREG(d->rn)[d->a];
    TCG_NEXT(env, d);
}

/* Writes to S/D registers zero the rest of V (Arm ARM "V" register write). */
static const DecodedInsn *op_fmov_from_gpr(CPUARMState *env,
                                           const DecodedInsn *d)
{
    uint64_t *v = VREG(d->rd);
    v[0] = REG(d->rn) & d->imm;
    v[1] = 0;
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_fmov_to_top(CPUARMState *env,
                                         const DecodedInsn *d)
{
    VREG(d->rd)[1] = REG(d->rn);
    TCG_NEXT(env, d);
}

/* FMOV/FABS/FNEG register: imm = element mask, a = 0 mov 1 abs 2 neg. */
static const DecodedInsn *op_fmov_reg(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t x = VREG(d->rn)[0] & d->imm;
    uint64_t sign = d->imm == 0xffffffffULL ? 1ULL << 31 : 1ULL << 63;
    uint64_t *v = VREG(d->rd);

    if (d->a == 1) {
        x &= ~sign;
    } else if (d->a == 2) {
        x ^= sign;
    }
    v[0] = x;
    v[1] = 0;
    TCG_NEXT(env, d);
}

/* Vector immediate: imm = 64-bit pattern, a = op (0 mov 1 orr 2 bic), b=Q. */
static const DecodedInsn *op_vimm(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t *v = VREG(d->rd);
    switch (d->a) {
    case 0:
        v[0] = d->imm;
        v[1] = d->b ? d->imm : 0;
        break;
    case 1:
        v[0] |= d->imm;
        v[1] = d->b ? v[1] | d->imm : 0;
        break;
    default:
        v[0] &= ~d->imm;
        v[1] = d->b ? v[1] & ~d->imm : 0;
        break;
    }
    TCG_NEXT(env, d);
}

/* Element helpers: c = log2(element bytes). */
static inline uint64_t elem_get(const uint64_t *v, unsigned idx, unsigned lg)
{
    unsigned bits = 8u << lg, pos = idx * bits;
    uint64_t w = v[pos / 64];
    return lg == 3 ? w : (w >> (pos % 64)) & ((1ULL << bits) - 1);
}

static inline void elem_set(uint64_t *v, unsigned idx, unsigned lg,
                            uint64_t x)
{
    unsigned bits = 8u << lg, pos = idx * bits;
    if (lg == 3) {
        v[pos / 64] = x;
    } else {
        uint64_t m = ((1ULL << bits) - 1) << (pos % 64);
        v[pos / 64] = (v[pos / 64] & ~m) | ((x << (pos % 64)) & m);
    }
}

static inline uint64_t replicate(uint64_t x, unsigned lg)
{
    for (unsigned bits = 8u << lg; bits < 64; bits *= 2) {
        x |= x << bits;
    }
    return x;
}

/* DUP: a = source index (element form) or 0xff (general), b = Q. */
static const DecodedInsn *op_dup(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t x = d->a == 0xff ? REG(d->rn) & ones(8u << d->c)
                              : elem_get(VREG(d->rn), d->a, d->c);
    uint64_t r = replicate(x, d->c);
    uint64_t *v = VREG(d->rd);
    v[0] = r;
    v[1] = d->b ? r : 0;
    TCG_NEXT(env, d);
}

/* INS general: a = dst index; INS element: e = src index (b = 1). */
static const DecodedInsn *op_ins(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t x = d->b ? elem_get(VREG(d->rn), d->e, d->c) : REG(d->rn);
    elem_set(VREG(d->rd), d->a, d->c, x);
    TCG_NEXT(env, d);
}

/* UMOV/SMOV: a = index, b = 1 signed, e = 1 to 64-bit. */
static const DecodedInsn *op_umov(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t x = elem_get(VREG(d->rn), d->a, d->c);
    if (d->b) {
        x = sext(x, 8u << d->c);
        if (!d->e) {
            x = (uint32_t)x;
        }
    }
    REG(d->rd) = x;
    TCG_NEXT(env, d);
}

/* Bitwise three-same: a = 0 and 1 bic 2 orr 3 orn 4 eor, b = Q. */
static const DecodedInsn *op_vlogic(CPUARMState *env, const DecodedInsn *d)
{
    const uint64_t *n = VREG(d->rn), *m = VREG(d->rm);
    uint64_t r[2];
    for (int i = 0; i < 2; i++) {
        switch (d->a) {
        case 0: r[i] = n[i] & m[i]; break;
        case 1: r[i] = n[i] & ~m[i]; break;
        case 2: r[i] = n[i] | m[i]; break;
        case 3: r[i] = n[i] | ~m[i]; break;
        default: r[i] = n[i] ^ m[i]; break;
        }
    }
    VREG(d->rd)[0] = r[0];
    VREG(d->rd)[1] = d->b ? r[1] : 0;
    TCG_NEXT(env, d);
}

/* VFPExpandImm for single (lg 2) and double (lg 3). */
static uint64_t vfp_expand(uint8_t imm8, unsigned lg)
{
    uint64_t sign = imm8 >> 7, b6 = (imm8 >> 6) & 1, frac = imm8 & 0x3f;
    if (lg == 2) {
        uint32_t e = ((b6 ^ 1) << 7) | (b6 ? 0x7c : 0) | ((imm8 >> 4) & 3);
        return (uint32_t)((sign << 31) | ((uint64_t)e << 23) |
                          ((frac & 0xf) << 19));
    }
    uint64_t e = ((b6 ^ 1) << 10) | (b6 ? 0x3fc : 0) | ((imm8 >> 4) & 3);
    return (sign << 63) | (e << 52) | ((frac & 0xf) << 48);
}

/* AdvSIMDExpandImm (Arm ARM J1.3): false for unallocated. */
static bool simd_expand_imm(unsigned op, unsigned cmode, uint8_t imm8,
                            uint64_t *out)
{
    uint64_t i = imm8;
    switch (cmode >> 1) {
    case 0: *out = replicate(i, 2); return true;
    case 1: *out = replicate(i << 8, 2); return true;
    case 2: *out = replicate(i << 16, 2); return true;
    case 3: *out = replicate(i << 24, 2); return true;
    case 4: *out = replicate(i, 1); return true;
    case 5: *out = replicate(i << 8, 1); return true;
    case 6:
        *out = replicate((cmode & 1) ? (i << 16) | 0xffff : (i << 8) | 0xff,
                         2);
        return true;
    default:
        if (!(cmode & 1)) {
            if (!op) {
                *out = replicate(i, 0);
            } else {
                uint64_t r = 0;
                for (int b = 0; b < 8; b++) {
                    if ((imm8 >> b) & 1) {
                        r |= 0xffULL << (8 * b);
                    }
                }
                *out = r;
            }
            return true;
        }
        if (!op) {
            *out = replicate(vfp_expand(imm8, 2), 2);
            return true;
        }
        *out = vfp_expand(imm8, 3);
        return true;
    }
}

static bool decode_fp_int(DecodedInsn *d, uint32_t insn)
{
    bool sf = insn >> 31;
    unsigned type = (insn >> 22) & 3, rmode = (insn >> 19) & 3;
    unsigned opcode = (insn >> 16) & 7, rn = (insn >> 5) & 31, rd = insn & 31;

    if (opcode != 6 && opcode != 7) {
        return false;               /* conversions: FP arithmetic, later */
    }
    if (!sf && type == 0 && rmode == 0) {
        if (opcode == 6) {
            d->rd = reg_zw(rd);
            d->rn = VREG_OFF(rn);
            d->fn = op_fmov_to_gpr32;
        } else {
            d->rd = VREG_OFF(rd);
            d->rn = reg_zr(rn);
            d->imm = 0xffffffffULL;
            d->fn = op_fmov_from_gpr;
        }
        return true;
    }
    if (sf && ((type == 1 && rmode == 0) || (type == 2 && rmode == 1))) {
        if (opcode == 6) {
            d->rd = reg_zw(rd);
            d->rn = VREG_OFF(rn);
            d->a = type == 2;
            d->fn = op_fmov_to_gpr64;
        } else {
            d->rd = VREG_OFF(rd);
            d->rn = reg_zr(rn);
            d->imm = ~0ULL;
            d->fn = type == 2 ? op_fmov_to_top : op_fmov_from_gpr;
        }
        return true;
    }
    return false;
}

static bool decode_copy(DecodedInsn *d, uint32_t insn)
{
    bool q = (insn >> 30) & 1, op = (insn >> 29) & 1;
    unsigned imm5 = (insn >> 16) & 31, imm4 = (insn >> 11) & 15;
    unsigned rn = (insn >> 5) & 31, rd = insn & 31;
    unsigned lg = __builtin_ctz(imm5 | 0x20);

    if (lg > 3) {
        return false;
    }
    d->c = lg;
    d->rd = VREG_OFF(rd);
    if (op) {                                           /* INS (element) */
        if (!q) {
            return false;
        }
        d->rn = VREG_OFF(rn);
        d->a = imm5 >> (lg + 1);
        d->e = imm4 >> lg;
        d->b = 1;
        d->fn = op_ins;
        return true;
    }
    switch (imm4) {
    case 0:                                             /* DUP (element) */
        if (lg == 3 && !q) {
            return false;
        }
        d->rn = VREG_OFF(rn);
        d->a = imm5 >> (lg + 1);
        d->b = q;
        d->fn = op_dup;
        return true;
    case 1:                                             /* DUP (general) */
        if (lg == 3 && !q) {
            return false;
        }
        d->rn = reg_zr(rn);
        d->a = 0xff;
        d->b = q;
        d->fn = op_dup;
        return true;
    case 3:                                             /* INS (general) */
        if (!q) {
            return false;
        }
        d->rn = reg_zr(rn);
        d->a = imm5 >> (lg + 1);
        d->b = 0;
        d->fn = op_ins;
        return true;
    case 5: case 7:                                     /* SMOV, UMOV */
        d->rn = VREG_OFF(rn);
        d->rd = reg_zw(rd);
        d->a = imm5 >> (lg + 1);
        d->b = imm4 == 5;
        d->e = q;
        if (imm4 == 7 ? (q != (lg == 3)) : (lg >= 2 + q || lg == 3)) {
            return false;
        }
        d->fn = op_umov;
        return true;
    default:
        return false;
    }
}

/*
 * LD1/ST1 (multiple structures, Arm ARM C4.1.67): a = Rt, b = register
 * count, c = bytes per register (8 or 16), e = 0 no writeback, 1 post-index
 * by imm, 2 post-index by Rm; bit 7 of e set for loads.  On little-endian
 * the element size does not matter: registers are filled from consecutive
 * bytes.  Loads complete before any register is written.
 */
static const DecodedInsn *op_ld1st1(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t va = REG(d->rn), tmp[4][2];
    unsigned n = d->b, bytes = d->c, wb = d->e & 3;

    if (d->e & 0x80) {
        for (unsigned i = 0; i < n; i++) {
            tmp[i][0] = tcg_ld(env, d, va + i * bytes, 8);
            tmp[i][1] = bytes == 16 ? tcg_ld(env, d, va + i * bytes + 8, 8)
                                    : 0;
        }
        for (unsigned i = 0; i < n; i++) {
            uint64_t *v = VREG(VREG_OFF((d->a + i) & 31));
            v[0] = tmp[i][0];
            v[1] = tmp[i][1];
        }
    } else {
        for (unsigned i = 0; i < n; i++) {
            const uint64_t *v = VREG(VREG_OFF((d->a + i) & 31));
            tcg_st(env, d, va + i * bytes, 8, v[0]);
            if (bytes == 16) {
                tcg_st(env, d, va + i * bytes + 8, 8, v[1]);
            }
        }
    }
    if (wb == 1) {
        REG(d->rn) = va + d->imm;
    } else if (wb == 2) {
        REG(d->rn) = va + REG(d->rm);
    }
    TCG_NEXT(env, d);
}

bool tcg_decode_simd_ldst(DecodedInsn *d, uint32_t insn)
{
    unsigned opcode = (insn >> 12) & 0xf, rm = (insn >> 16) & 31;
    bool q = (insn >> 30) & 1, post = (insn >> 23) & 1;
    unsigned n;

    /* 0 Q 001100 post L 0 Rm opcode size Rn Rt (bit 24 set: single) */
    if ((insn & 0xbf000000) != 0x0c000000 || (insn & (1u << 21))) {
        return false;           /* single structure forms, LDxR */
    }
    switch (opcode) {
    case 0x7: n = 1; break;
    case 0xa: n = 2; break;
    case 0x6: n = 3; break;
    case 0x2: n = 4; break;
    default: return false;      /* LD2/LD3/LD4 and friends */
    }
    if (!post && rm) {
        return false;
    }
    d->a = insn & 31;
    d->b = n;
    d->c = q ? 16 : 8;
    d->rn = reg_sp((insn >> 5) & 31);
    d->e = ((insn >> 22) & 1) ? 0x80 : 0;
    if (post) {
        if (rm == 31) {
            d->e |= 1;
            d->imm = n * d->c;
        } else {
            d->e |= 2;
            d->rm = XREG_OFF(rm);
        }
    }
    d->fn = op_ld1st1;
    return true;
}

bool tcg_decode_simd(DecodedInsn *d, uint32_t insn)
{
    unsigned rd = insn & 31, rn = (insn >> 5) & 31;

    /* FP <-> integer moves: x0011110 xx1 xx xxx 000000 */
    if ((insn & 0x7f200000) == 0x1e200000 && ((insn >> 10) & 0x3f) == 0) {
        return decode_fp_int(d, insn);
    }
    /* FMOV/FABS/FNEG (register): 00011110 0x1 0000 0x 10000 */
    if ((insn & 0xff3e7c00) == 0x1e204000 && ((insn >> 17) & 3) == 0 &&
        ((insn >> 22) & 3) < 2 && ((insn >> 15) & 3) < 3) {
        unsigned type = (insn >> 22) & 3;
        d->rd = VREG_OFF(rd);
        d->rn = VREG_OFF(rn);
        d->imm = type ? ~0ULL : 0xffffffffULL;
        d->a = (insn >> 15) & 3;
        d->fn = op_fmov_reg;
        return true;
    }
    /* FMOV (scalar, immediate): 00011110 0x1 imm8 100 00000 */
    if ((insn & 0xff201fe0) == 0x1e201000 && ((insn >> 22) & 3) < 2) {
        unsigned lg = ((insn >> 22) & 1) ? 3 : 2;
        d->rd = VREG_OFF(rd);
        d->imm = vfp_expand((insn >> 13) & 0xff, lg);
        d->a = 0;
        d->b = 0;
        d->fn = op_vimm;
        return true;
    }
    /* AdvSIMD modified immediate: 0xx0111100000 ... 1 */
    if ((insn & 0x9ff80400) == 0x0f000400) {
        bool q = (insn >> 30) & 1, op = (insn >> 29) & 1;
        unsigned cmode = (insn >> 12) & 15;
        uint8_t imm8 = ((insn >> 11) & 0xe0) | ((insn >> 5) & 0x1f);
        uint64_t imm;

        if ((insn >> 11) & 1) {
            return false;                               /* o2: FP16 */
        }
        if (op && cmode == 15 && !q) {
            return false;
        }
        if (!simd_expand_imm(op, cmode, imm8, &imm)) {
            return false;
        }
        d->rd = VREG_OFF(rd);
        d->b = q;
        /* cmode<0> = 1 for cmode < 12 selects ORR/BIC, else MOVI/MVNI. */
        if (cmode < 12 && (cmode & 1)) {
            d->a = op ? 2 : 1;
        } else {
            d->a = 0;
            if (op && cmode != 14 && cmode != 15) {
                imm = ~imm;                             /* MVNI */
            }
        }
        d->imm = imm;
        d->fn = op_vimm;
        return true;
    }
    /* AdvSIMD copy: 0xx01110000 imm5 0 imm4 1 */
    if ((insn & 0x9fe08400) == 0x0e000400) {
        return decode_copy(d, insn);
    }
    /* AdvSIMD three same, logical: 0xx01110 size 1 Rm 000111 */
    if ((insn & 0x9f20fc00) == 0x0e201c00) {
        unsigned u = (insn >> 29) & 1, size = (insn >> 22) & 3;
        if (u && size) {
            return false;                               /* BSL/BIT/BIF */
        }
        d->rd = VREG_OFF(rd);
        d->rn = VREG_OFF(rn);
        d->rm = VREG_OFF((insn >> 16) & 31);
        d->a = u ? 4 : size;
        d->b = (insn >> 30) & 1;
        d->fn = op_vlogic;
        return true;
    }
    return false;
}
