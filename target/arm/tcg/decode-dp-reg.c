/*
 * A64 data processing, register (Arm ARM C4.1.88): logical and add/sub
 * (shifted and extended register), add/sub with carry, conditional compare
 * and select, 1/2/3-source (bit ops, shifts, divide, CRC32, multiply).
 */
#include "alu.h"

/* ---- logical, shifted register: a = shift type, b = amount ---- */
#define LOGR(name, bits, op, flags)                                          \
static const DecodedInsn *op_##name(CPUARMState *env, const DecodedInsn *d) \
{                                                                            \
    uint64_t n = REG(d->rn);                                                 \
    uint64_t m = bits == 64 ? shift64(REG(d->rm), d->a, d->b)                \
                            : shift32(REG32(d->rm), d->a, d->b);             \
    uint64_t r = op;                                                         \
    if (bits == 32) {                                                        \
        r = (uint32_t)r;                                                     \
    }                                                                        \
    flags;                                                                   \
    REG(d->rd) = r;                                                          \
    TCG_NEXT(env, d);                                                            \
}
#define LOGR2(name, op, fl64, fl32) \
    LOGR(name##64, 64, op, fl64) LOGR(name##32, 32, op, fl32)
LOGR2(and, n & m, (void)0, (void)0)
LOGR2(bic, n & ~m, (void)0, (void)0)
LOGR2(orr, n | m, (void)0, (void)0)
LOGR2(orn, n | ~m, (void)0, (void)0)
LOGR2(eor, n ^ m, (void)0, (void)0)
LOGR2(eon, n ^ ~m, (void)0, (void)0)
LOGR2(ands, n & m, logic_flags64(env, r), logic_flags32(env, r))
LOGR2(bics, n & ~m, logic_flags64(env, r), logic_flags32(env, r))

/* Unshifted 64-bit forms: the common case in compiled loops. */
#define LOGR0(name, op)                                                      \
static const DecodedInsn *op_##name(CPUARMState *env, const DecodedInsn *d) \
{                                                                            \
    uint64_t n = REG(d->rn), m = REG(d->rm);                                 \
    REG(d->rd) = op;                                                         \
    TCG_NEXT(env, d);                                                        \
}
LOGR0(and64r, n & m)
LOGR0(bic64r, n & ~m)
LOGR0(orr64r, n | m)
LOGR0(orn64r, n | ~m)
LOGR0(eor64r, n ^ m)
LOGR0(eon64r, n ^ ~m)

/* MOV Xd, Xm (ORR Xd, XZR, Xm) is the commonest: no shift, no source n. */
static const DecodedInsn *op_mov64(CPUARMState *env, const DecodedInsn *d)
{
    REG(d->rd) = REG(d->rm);
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_mov32(CPUARMState *env, const DecodedInsn *d)
{
    REG(d->rd) = REG32(d->rm);
    TCG_NEXT(env, d);
}

/* ---- add/sub shifted (a = type, b = amount) and extended (a = option) --- */
#define ADDR(name, bits, getm, body)                                         \
static const DecodedInsn *op_##name(CPUARMState *env, const DecodedInsn *d) \
{                                                                            \
    uint64_t n = REG(d->rn);                                                 \
    uint64_t m = getm;                                                       \
    body;                                                                    \
    TCG_NEXT(env, d);                                                            \
}
#define SH64 shift64(REG(d->rm), d->a, d->b)
#define SH32 shift32(REG32(d->rm), d->a, d->b)
#define EXT extend_reg(REG(d->rm), d->a, d->b)
ADDR(add64, 64, SH64, REG(d->rd) = n + m)
ADDR(add32, 32, SH32, REG(d->rd) = (uint32_t)(n + m))
ADDR(sub64, 64, SH64, REG(d->rd) = n - m)
ADDR(sub32, 32, SH32, REG(d->rd) = (uint32_t)(n - m))
ADDR(adds64, 64, SH64, REG(d->rd) = adc64(env, n, m, 0))
ADDR(adds32, 32, SH32, REG(d->rd) = adc32(env, n, m, 0))
ADDR(subs64, 64, SH64, REG(d->rd) = adc64(env, n, ~m, 1))
ADDR(subs32, 32, SH32, REG(d->rd) = adc32(env, n, ~(uint32_t)m, 1))
ADDR(addx64, 64, EXT, REG(d->rd) = n + m)
ADDR(addx32, 32, EXT, REG(d->rd) = (uint32_t)(n + m))
ADDR(subx64, 64, EXT, REG(d->rd) = n - m)
ADDR(subx32, 32, EXT, REG(d->rd) = (uint32_t)(n - m))
ADDR(addsx64, 64, EXT, REG(d->rd) = adc64(env, n, m, 0))
ADDR(addsx32, 32, EXT, REG(d->rd) = adc32(env, n, m, 0))
ADDR(subsx64, 64, EXT, REG(d->rd) = adc64(env, n, ~m, 1))
ADDR(subsx32, 32, EXT, REG(d->rd) = adc32(env, n, ~(uint32_t)m, 1))
/* Unshifted register forms, the common case in loops. */
ADDR(add64r, 64, REG(d->rm), REG(d->rd) = n + m)
ADDR(sub64r, 64, REG(d->rm), REG(d->rd) = n - m)
ADDR(subs64r, 64, REG(d->rm), REG(d->rd) = adc64(env, n, ~m, 1))
ADDR(add64lsl, 64, REG(d->rm) << d->b, REG(d->rd) = n + m)
ADDR(sub64lsl, 64, REG(d->rm) << d->b, REG(d->rd) = n - m)

/* ---- carry ---- */
#define CIN ((env->pstate >> 29) & 1)
ADDR(adc64, 64, REG(d->rm), REG(d->rd) = n + m + CIN)
ADDR(adc32, 32, REG(d->rm), REG(d->rd) = (uint32_t)(n + m + CIN))
ADDR(sbc64, 64, REG(d->rm), REG(d->rd) = n + ~m + CIN)
ADDR(sbc32, 32, REG(d->rm), REG(d->rd) = (uint32_t)(n + ~m + CIN))
ADDR(adcs64, 64, REG(d->rm), REG(d->rd) = adc64(env, n, m, CIN))
ADDR(adcs32, 32, REG(d->rm), REG(d->rd) = adc32(env, n, m, CIN))
ADDR(sbcs64, 64, REG(d->rm), REG(d->rd) = adc64(env, n, ~m, CIN))
ADDR(sbcs32, 32, REG(d->rm), REG(d->rd) = adc32(env, n, ~(uint32_t)m, CIN))

/*
 * ---- conditional compare: c = cond, e = nzcv if false, b = 1 for CCMN,
 * a = 1 when the operand is imm (imm5 in d->imm) ----
 */
#define CCMP(name, bits)                                                     \
static const DecodedInsn *op_##name(CPUARMState *env, const DecodedInsn *d) \
{                                                                            \
    if (cond_holds(env, d->c)) {                                             \
        uint64_t n = REG(d->rn), m = d->a ? d->imm : REG(d->rm);             \
        if (bits == 64) {                                                    \
            d->b ? adc64(env, n, m, 0) : adc64(env, n, ~m, 1);               \
        } else {                                                             \
            d->b ? adc32(env, n, m, 0) : adc32(env, n, ~(uint32_t)m, 1);     \
        }                                                                    \
    } else {                                                                 \
        set_nzcv(env, (uint32_t)d->e << 28);                                 \
    }                                                                        \
    TCG_NEXT(env, d);                                                            \
}
CCMP(ccmp64, 64)
CCMP(ccmp32, 32)

/* ---- conditional select: c = cond, a = op2 kind (0 sel 1 inc 2 inv 3 neg) */
#define CSEL(name, bits, alt)                                                \
static const DecodedInsn *op_##name(CPUARMState *env, const DecodedInsn *d) \
{                                                                            \
    uint64_t r = cond_holds(env, d->c) ? REG(d->rn) : (alt);                 \
    REG(d->rd) = bits == 32 ? (uint32_t)r : r;                               \
    TCG_NEXT(env, d);                                                            \
}
CSEL(csel64, 64, REG(d->rm))
CSEL(csel32, 32, REG(d->rm))
CSEL(csinc64, 64, REG(d->rm) + 1)
CSEL(csinc32, 32, REG(d->rm) + 1)
CSEL(csinv64, 64, ~REG(d->rm))
CSEL(csinv32, 32, ~REG(d->rm))
CSEL(csneg64, 64, -REG(d->rm))
CSEL(csneg32, 32, -REG(d->rm))

/* ---- 2-source ---- */
#define OP2(name, expr)                                                      \
static const DecodedInsn *op_##name(CPUARMState *env, const DecodedInsn *d) \
{                                                                            \
    uint64_t n = REG(d->rn), m = REG(d->rm);                                 \
    REG(d->rd) = (expr);                                                     \
    TCG_NEXT(env, d);                                                            \
}
/* Division by zero gives 0; INT_MIN / -1 gives INT_MIN (Arm ARM C6.2). */
static inline uint64_t sdiv64(int64_t n, int64_t m)
{
    if (m == 0) {
        return 0;
    }
    if (m == -1) {
        return -(uint64_t)n;
    }
    return n / m;
}
static inline uint32_t sdiv32(int32_t n, int32_t m)
{
    if (m == 0) {
        return 0;
    }
    if (m == -1) {
        return -(uint32_t)n;
    }
    return n / m;
}
OP2(udiv64, m ? n / m : 0)
OP2(udiv32, (uint32_t)m ? (uint32_t)n / (uint32_t)m : 0)
OP2(sdiv64, sdiv64(n, m))
OP2(sdiv32, sdiv32(n, m))
OP2(lslv64, n << (m & 63))
OP2(lslv32, (uint32_t)(n << (m & 31)))
OP2(lsrv64, n >> (m & 63))
OP2(lsrv32, (uint32_t)n >> (m & 31))
OP2(asrv64, (uint64_t)((int64_t)n >> (m & 63)))
OP2(asrv32, (uint32_t)((int32_t)n >> (m & 31)))
OP2(rorv64, ror64(n, m))
OP2(rorv32, ror32(n, m))

/* CRC32 (reflected), polynomial in imm, size in bytes in a. */
static const DecodedInsn *op_crc32(CPUARMState *env, const DecodedInsn *d)
{
    uint32_t acc = REG32(d->rn);
    uint64_t val = REG(d->rm);
    for (unsigned i = 0; i < d->a * 8u; i++) {
        uint32_t bit = (acc ^ (uint32_t)(val >> i)) & 1;
        acc = (acc >> 1) ^ (bit ? (uint32_t)d->imm : 0);
    }
    REG(d->rd) = acc;
    TCG_NEXT(env, d);
}

/* ---- 1-source ---- */
#define OP1(name, expr)                                                      \
static const DecodedInsn *op_##name(CPUARMState *env, const DecodedInsn *d) \
{                                                                            \
    uint64_t n = REG(d->rn);                                                 \
    REG(d->rd) = (expr);                                                     \
    TCG_NEXT(env, d);                                                            \
}
static inline uint64_t rbit64(uint64_t v)
{
    uint64_t r = 0;
    for (int i = 0; i < 64; i++) {
        r = (r << 1) | ((v >> i) & 1);
    }
    return r;
}
static inline uint64_t rev16_64(uint64_t v)
{
    return ((v & 0x00ff00ff00ff00ffULL) << 8) |
           ((v >> 8) & 0x00ff00ff00ff00ffULL);
}
static inline uint64_t cls64(uint64_t v)
{
    uint64_t x = v ^ ((int64_t)v >> 1);
    x &= ~(1ULL << 63);
    return x ? __builtin_clzll(x) - 1 : 63;
}
static inline uint64_t cls32(uint32_t v)
{
    uint32_t x = v ^ ((int32_t)v >> 1);
    x &= ~(1u << 31);
    return x ? __builtin_clz(x) - 1 : 31;
}
OP1(rbit64, rbit64(n))
OP1(rbit32, rbit64(n) >> 32)
OP1(rev16_64, rev16_64(n))
OP1(rev16_32, (uint32_t)rev16_64(n))
OP1(rev32_64, ((uint64_t)__builtin_bswap32(n >> 32) << 32) |
              __builtin_bswap32((uint32_t)n))
OP1(rev64, __builtin_bswap64(n))
OP1(rev32, __builtin_bswap32((uint32_t)n))
OP1(clz64, n ? __builtin_clzll(n) : 64)
OP1(clz32, (uint32_t)n ? __builtin_clz((uint32_t)n) : 32)
OP1(cls64, cls64(n))
OP1(cls32, cls32(n))

/* ---- 3-source ---- */
#define OP3(name, expr)                                                      \
static const DecodedInsn *op_##name(CPUARMState *env, const DecodedInsn *d) \
{                                                                            \
    uint64_t n = REG(d->rn), m = REG(d->rm), a = REG(d->ra);                 \
    REG(d->rd) = (expr);                                                     \
    TCG_NEXT(env, d);                                                            \
}
OP3(madd64, a + n * m)
OP3(madd32, (uint32_t)(a + n * m))
OP3(msub64, a - n * m)
OP3(msub32, (uint32_t)(a - n * m))
OP3(smaddl, a + (uint64_t)((int64_t)(int32_t)n * (int32_t)m))
OP3(smsubl, a - (uint64_t)((int64_t)(int32_t)n * (int32_t)m))
OP3(umaddl, a + (uint64_t)(uint32_t)n * (uint32_t)m)
OP3(umsubl, a - (uint64_t)(uint32_t)n * (uint32_t)m)
OP2(smulh, (uint64_t)(((__int128)(int64_t)n * (int64_t)m) >> 64))
OP2(umulh, (uint64_t)(((unsigned __int128)n * m) >> 64))
static const DecodedInsn *op_mul64(CPUARMState *env, const DecodedInsn *d)
{
    REG(d->rd) = REG(d->rn) * REG(d->rm);
    TCG_NEXT(env, d);
}

static bool decode_logical(DecodedInsn *d, uint32_t insn, bool sf)
{
    static const InsnFn fns[8][2] = {
        { op_and32, op_and64 }, { op_bic32, op_bic64 },
        { op_orr32, op_orr64 }, { op_orn32, op_orn64 },
        { op_eor32, op_eor64 }, { op_eon32, op_eon64 },
        { op_ands32, op_ands64 }, { op_bics32, op_bics64 },
    };
    unsigned opc = ((insn >> 29) & 3) << 1 | ((insn >> 21) & 1);
    unsigned imm6 = (insn >> 10) & 0x3f;

    if (!sf && imm6 > 31) {
        return false;
    }
    d->rd = reg_zw(insn & 31);
    d->rn = reg_zr((insn >> 5) & 31);
    d->rm = reg_zr((insn >> 16) & 31);
    d->a = (insn >> 22) & 3;
    d->b = imm6;
    d->fn = fns[opc][sf];
    if (sf && imm6 == 0 && opc < 6) {
        static const InsnFn plain[6] = {
            op_and64r, op_bic64r, op_orr64r, op_orn64r, op_eor64r, op_eon64r,
        };
        d->fn = plain[opc];
    }
    if (opc == 2 && imm6 == 0 && ((insn >> 5) & 31) == 31) {
        d->fn = sf ? op_mov64 : op_mov32;
    }
    return true;
}

static bool decode_addsub(DecodedInsn *d, uint32_t insn, bool sf)
{
    unsigned op = ((insn >> 29) & 3), imm6 = (insn >> 10) & 0x3f;
    bool s = op & 1;
    d->rm = reg_zr((insn >> 16) & 31);

    if (insn & (1u << 21)) {                /* extended register */
        static const InsnFn fns[4][2] = {
            { op_addx32, op_addx64 }, { op_addsx32, op_addsx64 },
            { op_subx32, op_subx64 }, { op_subsx32, op_subsx64 },
        };
        unsigned imm3 = (insn >> 10) & 7;
        if (imm3 > 4 || ((insn >> 22) & 3)) {
            return false;
        }
        d->rd = s ? reg_zw(insn & 31) : reg_sp(insn & 31);
        d->rn = reg_sp((insn >> 5) & 31);
        d->a = (insn >> 13) & 7;
        d->b = imm3;
        d->fn = fns[op][sf];
        return true;
    }
    static const InsnFn fns[4][2] = {
        { op_add32, op_add64 }, { op_adds32, op_adds64 },
        { op_sub32, op_sub64 }, { op_subs32, op_subs64 },
    };
    d->a = (insn >> 22) & 3;
    d->b = imm6;
    if (d->a == 3 || (!sf && imm6 > 31)) {
        return false;
    }
    d->rd = reg_zw(insn & 31);
    d->rn = reg_zr((insn >> 5) & 31);
    d->fn = fns[op][sf];
    if (sf && imm6 == 0 && d->a == 0) {
        static const InsnFn plain[4] = {
            op_add64r, op_adds64, op_sub64r, op_subs64r
        };
        d->fn = plain[op];
    } else if (sf && d->a == 0 && !(op & 1)) {
        d->fn = op ? op_sub64lsl : op_add64lsl;
    }
    return true;
}

static bool decode_2src(DecodedInsn *d, uint32_t insn, bool sf)
{
    unsigned opc = (insn >> 10) & 0x3f;
    if ((insn >> 29) & 1) {
        return false;
    }
    switch (opc) {
    case 2: d->fn = sf ? op_udiv64 : op_udiv32; return true;
    case 3: d->fn = sf ? op_sdiv64 : op_sdiv32; return true;
    case 8: d->fn = sf ? op_lslv64 : op_lslv32; return true;
    case 9: d->fn = sf ? op_lsrv64 : op_lsrv32; return true;
    case 10: d->fn = sf ? op_asrv64 : op_asrv32; return true;
    case 11: d->fn = sf ? op_rorv64 : op_rorv32; return true;
    case 16 ... 23: {                       /* CRC32{,C}{B,H,W,X} */
        unsigned sz = opc & 3;
        if (!tcg_feature_crc32 || (sz == 3) != sf) {
            return false;
        }
        d->a = 1u << sz;
        d->imm = (opc & 4) ? 0x82f63b78 : 0xedb88320;
        d->fn = op_crc32;
        return true;
    }
    default:
        return false;
    }
}

static bool decode_1src(DecodedInsn *d, uint32_t insn, bool sf)
{
    unsigned opc = (insn >> 10) & 0x3f;
    if (((insn >> 16) & 0x1f) || ((insn >> 29) & 1)) {
        return false;
    }
    switch (opc) {
    case 0: d->fn = sf ? op_rbit64 : op_rbit32; return true;
    case 1: d->fn = sf ? op_rev16_64 : op_rev16_32; return true;
    case 2: d->fn = sf ? op_rev32_64 : op_rev32; return true;
    case 3: d->fn = sf ? op_rev64 : NULL; return sf;
    case 4: d->fn = sf ? op_clz64 : op_clz32; return true;
    case 5: d->fn = sf ? op_cls64 : op_cls32; return true;
    default: return false;
    }
}

static bool decode_3src(DecodedInsn *d, uint32_t insn, bool sf)
{
    unsigned op = ((insn >> 29) & 3) << 4 | ((insn >> 21) & 7) << 1 |
                  ((insn >> 15) & 1);
    d->ra = reg_zr((insn >> 10) & 31);
    switch (op) {
    case 0x00:
        d->fn = sf ? op_madd64 : op_madd32;
        if (sf && ((insn >> 10) & 31) == 31) {
            d->fn = op_mul64;
        }
        return true;
    case 0x01: d->fn = sf ? op_msub64 : op_msub32; return true;
    case 0x02: d->fn = op_smaddl; return sf;
    case 0x03: d->fn = op_smsubl; return sf;
    case 0x04: d->fn = op_smulh; return sf && ((insn >> 10) & 31) == 31;
    case 0x0a: d->fn = op_umaddl; return sf;
    case 0x0b: d->fn = op_umsubl; return sf;
    case 0x0c: d->fn = op_umulh; return sf && ((insn >> 10) & 31) == 31;
    default: return false;
    }
}

bool tcg_decode_dp_reg(DecodedInsn *d, uint32_t insn)
{
    bool sf = insn >> 31;
    unsigned op1 = (insn >> 28) & 1, op2 = (insn >> 21) & 0xf;

    if (!op1) {
        if (!(op2 & 8)) {
            return decode_logical(d, insn, sf);
        }
        return decode_addsub(d, insn, sf);
    }
    d->rd = reg_zw(insn & 31);
    d->rn = reg_zr((insn >> 5) & 31);
    d->rm = reg_zr((insn >> 16) & 31);
    if (op2 & 8) {
        return decode_3src(d, insn, sf);
    }
    switch (op2) {
    case 0: {                               /* ADC/SBC */
        static const InsnFn fns[4][2] = {
            { op_adc32, op_adc64 }, { op_adcs32, op_adcs64 },
            { op_sbc32, op_sbc64 }, { op_sbcs32, op_sbcs64 },
        };
        if ((insn >> 10) & 0x3f) {
            return false;                   /* RMIF etc. (FlagM): not done */
        }
        d->fn = fns[(insn >> 29) & 3][sf];
        return true;
    }
    case 2:                                 /* CCMN/CCMP */
        if (!((insn >> 29) & 1) || (insn & (1u << 10)) || (insn & 0x10)) {
            return false;
        }
        d->c = (insn >> 12) & 0xf;
        d->e = insn & 0xf;
        d->b = !((insn >> 30) & 1);
        d->a = (insn >> 11) & 1;
        d->imm = (insn >> 16) & 31;
        d->fn = sf ? op_ccmp64 : op_ccmp32;
        return true;
    case 4: {                               /* conditional select */
        static const InsnFn fns[4][2] = {
            { op_csel32, op_csel64 }, { op_csinc32, op_csinc64 },
            { op_csinv32, op_csinv64 }, { op_csneg32, op_csneg64 },
        };
        unsigned k = ((insn >> 29) & 2) | ((insn >> 10) & 1);
        if (((insn >> 29) & 1) || (insn & (1u << 11))) {
            return false;
        }
        d->c = (insn >> 12) & 0xf;
        d->fn = fns[k][sf];
        return true;
    }
    case 6:
        if ((insn >> 30) & 1) {
            return decode_1src(d, insn, sf);
        }
        return decode_2src(d, insn, sf);
    default:
        return false;
    }
}
