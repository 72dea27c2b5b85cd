/*
 * Random A64 instruction generator (see gen.h).
 *
 * Register conventions: generated instructions write only X0-X25, X29, X30
 * and XZR/SP; X26 (aligned base for exclusives/atomics), X27 (small index)
 * and X28 (base for ordinary loads/stores, moved only by writeback) keep
 * every memory access inside the mapped data area.  Branches are forward
 * only, so each block terminates.
 *
 * Excluded encodings, and why:
 * | encodings                                 | reason                      |
 * |-------------------------------------------|-----------------------------|
 * | BR/BLR/RET, ERET, SVC/HVC/SMC/BRK         | need computed targets or    |
 * |                                           | exception setup: run by the |
 * |                                           | guests in tests/guests      |
 * | MRS/MSR/SYS, DC/IC/TLBI/AT, MSR imm, WFI  | system state differs between|
 * |                                           | the emulators (EL, IDs)     |
 * | writeback with Rn == Rt, LDP Rt == Rt2,   | CONSTRAINED UNPREDICTABLE:  |
 * | STXR Rs == Rt/Rn; STXR of another size    | implementations may differ  |
 * | than the LDXR before it                   | (QEMU stores, then fails)   |
 * | SMULH/UMULH with Ra != 31                 | Ra is should-be-one         |
 * | loads/stores crossing the data area       | avoided by construction     |
 * | unaligned exclusives/atomics              | alignment fault: avoided    |
 * | RMIF/SETF, MTE, PAuth, FP arithmetic,     | not implemented (UNDEF)     |
 * | SIMD structure loads, SVE                 |                             |
 * | LD{S,U}{MAX,MIN} (all orderings), 8/16/32 | unicorn 2.0.1 (QEMU 5.0)    |
 * | bits                                      | compares the untruncated    |
 * |                                           | 64-bit Rs: a unicorn bug;   |
 * |                                           | 64-bit forms are generated  |
 */
#include "gen.h"
#include <stddef.h>

uint64_t gen_rand(GenState *g)
{
    /* xorshift64* : deterministic for a given seed. */
    uint64_t x = g->rng;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    g->rng = x;
    return x * 0x2545f4914f6cdd1dULL;
}

static unsigned rnd(GenState *g, unsigned n)
{
    return (unsigned)(gen_rand(g) % n);
}

/* A destination register: X0-X25, X29, X30, or 31 (ZR or SP). */
static unsigned rdst(GenState *g)
{
    unsigned r = rnd(g, 29);
    if (r == 26) {
        return 29;
    }
    if (r == 27) {
        return 30;
    }
    if (r == 28) {
        return 31;
    }
    return r;
}

static unsigned rsrc(GenState *g)
{
    return rnd(g, 32);
}

static uint32_t gen_dp_imm(GenState *g)
{
    unsigned sf = rnd(g, 2), rd = rdst(g), rn = rsrc(g);
    switch (rnd(g, 7)) {
    case 0: /* ADD/SUB(S) immediate */
        return sf << 31 | rnd(g, 4) << 29 | 0x11000000 | rnd(g, 2) << 22 |
               rnd(g, 4096) << 10 | rn << 5 | rd;
    case 1: { /* logical immediate: valid (N, immr, imms) only */
        unsigned n, imms, immr, len, esize;
        for (;;) {
            n = sf ? rnd(g, 2) : 0;
            imms = rnd(g, 64);
            immr = rnd(g, 64);
            unsigned v = (n << 6) | (~imms & 0x3f);
            if (!v) {
                continue;
            }
            len = 31 - __builtin_clz(v);
            if (len < 1) {
                continue;
            }
            esize = 1u << len;
            if ((imms & (esize - 1)) == esize - 1) {
                continue;
            }
            if (!sf && (immr > 31)) {
                continue;
            }
            break;
        }
        return sf << 31 | rnd(g, 4) << 29 | 0x12000000 | n << 22 |
               immr << 16 | imms << 10 | rn << 5 | rd;
    }
    case 2: { /* MOVN/MOVZ/MOVK */
        unsigned opc = (unsigned[]){0, 2, 3}[rnd(g, 3)];
        unsigned hw = sf ? rnd(g, 4) : rnd(g, 2);
        return sf << 31 | opc << 29 | 0x12800000 | hw << 21 |
               rnd(g, 65536) << 5 | rd;
    }
    case 3: { /* SBFM/BFM/UBFM */
        unsigned lim = sf ? 64 : 32;
        return sf << 31 | rnd(g, 3) << 29 | 0x13000000 | sf << 22 |
               rnd(g, lim) << 16 | rnd(g, lim) << 10 | rn << 5 | rd;
    }
    case 4: /* EXTR */
        return sf << 31 | 0x13800000 | sf << 22 | rsrc(g) << 16 |
               rnd(g, sf ? 64 : 32) << 10 | rn << 5 | rd;
    default: /* ADR/ADRP */
        return rnd(g, 2) << 31 | rnd(g, 4) << 29 | 0x10000000 |
               rnd(g, 1u << 19) << 5 | rd;
    }
}

static uint32_t gen_dp_reg(GenState *g)
{
    unsigned sf = rnd(g, 2), rd = rdst(g), rn = rsrc(g), rm = rsrc(g);
    switch (rnd(g, 10)) {
    case 0: /* logical shifted */
        return sf << 31 | rnd(g, 4) << 29 | 0x0a000000 | rnd(g, 4) << 22 |
               rnd(g, 2) << 21 | rm << 16 | rnd(g, sf ? 64 : 32) << 10 |
               rn << 5 | rd;
    case 1: /* add/sub shifted */
        return sf << 31 | rnd(g, 4) << 29 | 0x0b000000 | rnd(g, 3) << 22 |
               rm << 16 | rnd(g, sf ? 64 : 32) << 10 | rn << 5 | rd;
    case 2: /* add/sub extended */
        return sf << 31 | rnd(g, 4) << 29 | 0x0b200000 | rm << 16 |
               rnd(g, 8) << 13 | rnd(g, 5) << 10 | rn << 5 | rd;
    case 3: /* ADC/SBC(S) */
        return sf << 31 | rnd(g, 4) << 29 | 0x1a000000 | rm << 16 |
               rn << 5 | rd;
    case 4: /* CCMN/CCMP reg/imm */
        return sf << 31 | rnd(g, 2) << 30 | 0x3a400000 | rm << 16 |
               rnd(g, 16) << 12 | rnd(g, 2) << 11 | rn << 5 | rnd(g, 16);
    case 5: /* CSEL family */
        return sf << 31 | rnd(g, 2) << 30 | 0x1a800000 | rm << 16 |
               rnd(g, 16) << 12 | rnd(g, 2) << 10 | rn << 5 | rd;
    case 6: { /* 2-source */
        static const unsigned ops[] = { 2, 3, 8, 9, 10, 11, 16, 17, 18, 20,
                                        21, 22, 19, 23 };
        unsigned op = ops[rnd(g, 14)];
        if (op >= 16) {
            sf = (op & 3) == 3;
        }
        return sf << 31 | 0x1ac00000 | rm << 16 | op << 10 | rn << 5 | rd;
    }
    case 7: { /* 1-source */
        unsigned op = rnd(g, 6);
        if (op == 3) {
            sf = 1;
        }
        return sf << 31 | 0x5ac00000 | op << 10 | rn << 5 | rd;
    }
    default: { /* 3-source */
        static const unsigned ops[][2] = {
            {0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 0}, {5, 0}, {5, 1}, {6, 0},
        };
        unsigned k = rnd(g, 8), op31 = ops[k][0], o0 = ops[k][1];
        unsigned ra = rsrc(g);
        if (op31) {
            sf = 1;
        }
        if (op31 == 2 || op31 == 6) {
            ra = 31;
        }
        return sf << 31 | 0x1b000000 | op31 << 21 | rm << 16 | o0 << 15 |
               ra << 10 | rn << 5 | rd;
    }
    }
}

static uint32_t gen_branch(GenState *g, unsigned i, unsigned n)
{
    unsigned span = n - i;                  /* offsets 1..span */
    unsigned off = 1 + rnd(g, span < 4 ? span : 4);
    unsigned rt = rsrc(g);
    switch (rnd(g, 5)) {
    case 0:
        return 0x54000000 | (off & 0x7ffff) << 5 | rnd(g, 16);
    case 1:
        return rnd(g, 2) << 31 | 0x34000000 | rnd(g, 2) << 24 |
               (off & 0x7ffff) << 5 | rt;
    case 2: {
        unsigned b = rnd(g, 64);
        return (b >> 5) << 31 | 0x36000000 | rnd(g, 2) << 24 |
               (b & 31) << 19 | (off & 0x3fff) << 5 | rt;
    }
    case 3:
        return 0x14000000 | off;            /* B */
    default:
        return 0x94000000 | off;            /* BL: writes X30 */
    }
}

/* Single-register load/store, base X28 (or X27-indexed). */
static uint32_t gen_ldst(GenState *g)
{
    unsigned size, v = rnd(g, 4) == 0, opc, rt = rdst(g);
    const unsigned rn = GEN_REG_BASE;

    for (;;) {
        size = rnd(g, 4);
        opc = rnd(g, 4);
        if (v) {
            if (opc >= 2 && size != 0) {
                continue;
            }
            break;
        }
        if ((size == 3 && opc == 3) || (size == 2 && opc == 3)) {
            continue;
        }
        break;
    }
    if (v) {
        rt = rsrc(g);
    }
    uint32_t base = size << 30 | 0x38000000 | v << 26 | opc << 22 |
                    rn << 5 | rt;
    switch (rnd(g, 6)) {
    case 0: case 1:                         /* unsigned offset */
        return base | 1u << 24 | rnd(g, 512) << 10;
    case 2:                                 /* unscaled */
        return base | rnd(g, 512) << 12;
    case 3: {                               /* pre/post index */
        if (size == 3 && opc == 2 && !v) {
            return base | rnd(g, 512) << 12;    /* PRFUM */
        }
        return base | rnd(g, 512) << 12 | (rnd(g, 2) ? 1 : 3) << 10;
    }
    case 4: {                               /* register offset */
        static const unsigned opts[] = { 2, 3, 6, 7 };
        return base | 1u << 21 | GEN_REG_INDEX << 16 | opts[rnd(g, 4)] << 13 |
               rnd(g, 2) << 12 | 2u << 10;
    }
    default:                                /* unprivileged / unscaled */
        if (v || (size == 3 && opc == 2)) {
            return base | rnd(g, 512) << 12;
        }
        return base | rnd(g, 512) << 12 | 2u << 10;
    }
}

static uint32_t gen_pair(GenState *g)
{
    unsigned v = rnd(g, 4) == 0, opc, l = rnd(g, 2), mode = rnd(g, 4);
    unsigned rt = v ? rsrc(g) : rdst(g), rt2;

    do {
        rt2 = v ? rsrc(g) : rdst(g);
    } while (rt2 == rt);
    if (v) {
        opc = rnd(g, 3);
    } else {
        opc = (unsigned[]){0, 2, 1}[rnd(g, 3)];
        if (opc == 1) {
            l = 1;
            if (mode == 0) {
                mode = 2;
            }
        }
    }
    return opc << 30 | 0x28000000 | v << 26 | mode << 23 | l << 22 |
           rnd(g, 128) << 15 | rt2 << 10 | GEN_REG_BASE << 5 | rt;
}

static uint32_t gen_literal(GenState *g)
{
    unsigned opc = rnd(g, 3), v = rnd(g, 4) == 0;
    int off = (int)rnd(g, 64) - 32;
    return opc << 30 | 0x18000000 | v << 26 | ((unsigned)off & 0x7ffff) << 5 |
           (v ? rsrc(g) : rdst(g));
}

/* Exclusives, acquire/release, LSE atomics: base X26, aligned. */
static uint32_t gen_atomic(GenState *g)
{
    const unsigned rn = GEN_REG_ATOMIC_BASE;
    unsigned size = rnd(g, 4), rt = rdst(g), rs;

    do {
        rs = rdst(g);
    } while (rs == rt);
    switch (rnd(g, 6)) {
    case 0:                                 /* LDXR / LDAXR */
        size = g->excl_size;
        return size << 30 | 0x085f7c00 | rnd(g, 2) << 15 | rn << 5 | rt;
    case 1:                                 /* STXR / STLXR */
        size = g->excl_size;
        return size << 30 | 0x08000000 | rs << 16 | rnd(g, 2) << 15 |
               0x1f << 10 | rn << 5 | rt;
    case 2:                                 /* LDAR / STLR */
        return size << 30 | 0x089f7c00 | rnd(g, 2) << 22 | 1u << 15 |
               rn << 5 | rt;
    case 3:                                 /* CAS family */
        return size << 30 | 0x08a07c00 | rnd(g, 2) << 22 | rs << 16 |
               rnd(g, 2) << 15 | rn << 5 | rt;
    default: {                              /* LD<op>, SWP */
        unsigned o3 = rnd(g, 9) == 0, opc = o3 ? 0 : rnd(g, 8);
        if (opc >= 4) {
            size = 3;       /* unicorn bug: see the exclusion table */
        }
        return size << 30 | 0x38200000 | rnd(g, 4) << 22 | rs << 16 |
               o3 << 15 | opc << 12 | rn << 5 | rt;
    }
    }
}

static uint32_t gen_simd(GenState *g)
{
    unsigned rd = rsrc(g), rn = rsrc(g), q = rnd(g, 2);
    switch (rnd(g, 7)) {
    case 0: {                               /* FMOV general <-> FP */
        static const uint32_t forms[] = {
            0x1e260000, 0x1e270000, 0x9e660000, 0x9e670000, 0x9eae0000,
            0x9eaf0000,
        };
        uint32_t f = forms[rnd(g, 6)];
        if (f & 0x10000) {
            return f | rn << 5 | rd;        /* GPR source: any */
        }
        return f | rn << 5 | rdst(g);
    }
    case 1:                                 /* FMOV/FABS/FNEG register */
        return 0x1e204000 | rnd(g, 2) << 22 | rnd(g, 3) << 15 | rn << 5 | rd;
    case 2:                                 /* FMOV scalar immediate */
        return 0x1e201000 | rnd(g, 2) << 22 | rnd(g, 256) << 13 | rd;
    case 3: {                               /* modified immediate */
        unsigned cmode = rnd(g, 16), op = rnd(g, 2);
        if (op && cmode == 15) {
            q = 1;
        }
        return q << 30 | op << 29 | 0x0f000400 | rnd(g, 8) << 16 |
               cmode << 12 | rnd(g, 32) << 5 | rd;
    }
    case 4: {                               /* DUP/INS/UMOV/SMOV */
        unsigned lg = rnd(g, 4), idx = rnd(g, 16 >> lg);
        unsigned imm5 = (idx << (lg + 1) | 1u << lg) & 31;
        switch (rnd(g, 5)) {
        case 0:
            if (lg == 3) {
                q = 1;
            }
            return q << 30 | 0x0e000400 | imm5 << 16 | rn << 5 | rd;
        case 1:
            if (lg == 3) {
                q = 1;
            }
            return q << 30 | 0x0e000c00 | imm5 << 16 | rn << 5 | rd;
        case 2:
            return 0x4e001c00 | imm5 << 16 | rn << 5 | rd;
        case 3: {
            unsigned src = rnd(g, 16 >> lg);
            return 0x6e000400 | imm5 << 16 | (src << lg) << 11 | rn << 5 | rd;
        }
        default:                            /* UMOV (q per size) / SMOV */
            if (lg == 3) {
                return 0x4e003c00 | imm5 << 16 | rn << 5 | rdst(g);
            }
            if (rnd(g, 2) || lg == 2) {
                if (lg == 2 && rnd(g, 2)) {
                    return 0x4e002c00 | imm5 << 16 | rn << 5 | rdst(g);
                }
                return 0x0e003c00 | imm5 << 16 | rn << 5 | rdst(g);
            }
            return q << 30 | 0x0e002c00 | imm5 << 16 | rn << 5 | rdst(g);
        }
    }
    default: {                              /* AND/BIC/ORR/ORN/EOR vector */
        unsigned u = rnd(g, 5) == 0, size = u ? 0 : rnd(g, 4);
        return q << 30 | u << 29 | 0x0e201c00 | size << 22 | rsrc(g) << 16 |
               rn << 5 | rd;
    }
    }
}

/* LD1/ST1 multiple structures, base X28, post-index by imm or X27. */
static uint32_t gen_ld1st1(GenState *g)
{
    static const unsigned ops[] = { 0x7, 0xa, 0x6, 0x2 };
    unsigned post = rnd(g, 2), rm = rnd(g, 2) ? 31 : GEN_REG_INDEX;
    return rnd(g, 2) << 30 | 0x0c000000 | post << 23 | rnd(g, 2) << 22 |
           (post ? rm : 0) << 16 | ops[rnd(g, 4)] << 12 | rnd(g, 4) << 10 |
           GEN_REG_BASE << 5 | rsrc(g);
}

static uint32_t gen_misc(GenState *g)
{
    static const uint32_t forms[] = {
        0xd503201f, /* NOP */
        0xd503203f, /* YIELD */
        0xd5033bbf, /* DMB ISH */
        0xd5033f9f, /* DSB SY */
        0xd5033fdf, /* ISB */
        0xd503305f, /* CLREX */
    };
    return forms[rnd(g, 6)];
}

uint32_t gen_insn(GenState *g, unsigned i, unsigned n, const char **cls)
{
    unsigned k = rnd(g, 100);

    if (i == 0) {
        g->excl_size = rnd(g, 4);
    }
    if (k < 22) {
        *cls = "dp-imm";
        return gen_dp_imm(g);
    }
    if (k < 50) {
        *cls = "dp-reg";
        return gen_dp_reg(g);
    }
    if (k < 58) {
        *cls = "branch";
        return gen_branch(g, i, n);
    }
    if (k < 72) {
        *cls = "ldst";
        return gen_ldst(g);
    }
    if (k < 79) {
        *cls = "pair";
        return gen_pair(g);
    }
    if (k < 81) {
        *cls = "literal";
        return gen_literal(g);
    }
    if (k < 89) {
        *cls = "atomic";
        return gen_atomic(g);
    }
    if (k < 96) {
        *cls = "simd";
        return gen_simd(g);
    }
    if (k < 98) {
        *cls = "ld1st1";
        return gen_ld1st1(g);
    }
    *cls = "misc";
    return gen_misc(g);
}
