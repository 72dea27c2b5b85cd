/*
 * A64 data processing, immediate (Arm ARM C4.1.86): PC-relative addressing,
 * add/sub immediate, logical immediate, move wide, bitfield, extract.
 * Handlers come in 64-bit and 32-bit flavours so no handler tests sf at run
 * time; 32-bit results are zero-extended into the X register.
 */
#include "alu.h"

/* ---- PC-relative ---- */
static const DecodedInsn *op_adr(CPUARMState *env, const DecodedInsn *d)
{
    REG(d->rd) = insn_pc(env, d) + d->imm;
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_adrp(CPUARMState *env, const DecodedInsn *d)
{
    REG(d->rd) = env->tcg->cur_va + d->imm;
    TCG_NEXT(env, d);
}

/* ---- add/sub immediate (also MOV to/from SP) ---- */
static const DecodedInsn *op_addi64(CPUARMState *env, const DecodedInsn *d)
{
    REG(d->rd) = REG(d->rn) + d->imm;
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_addi32(CPUARMState *env, const DecodedInsn *d)
{
    REG(d->rd) = (uint32_t)(REG32(d->rn) + (uint32_t)d->imm);
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_addsi64(CPUARMState *env, const DecodedInsn *d)
{
    REG(d->rd) = adc64(env, REG(d->rn), d->imm, 0);
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_addsi32(CPUARMState *env, const DecodedInsn *d)
{
    REG(d->rd) = adc32(env, REG32(d->rn), (uint32_t)d->imm, 0);
    TCG_NEXT(env, d);
}

/* SUBS: imm holds ~imm, carry-in 1 (x - y = x + ~y + 1). */
static const DecodedInsn *op_subsi64(CPUARMState *env, const DecodedInsn *d)
{
    REG(d->rd) = adc64(env, REG(d->rn), d->imm, 1);
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_subsi32(CPUARMState *env, const DecodedInsn *d)
{
    REG(d->rd) = adc32(env, REG32(d->rn), (uint32_t)d->imm, 1);
    TCG_NEXT(env, d);
}

/* ---- logical immediate ---- */
#define LOGI(name, expr, flags)                                              \
static const DecodedInsn *op_##name(CPUARMState *env, const DecodedInsn *d) \
{                                                                            \
    uint64_t r = (expr);                                                     \
    flags;                                                                   \
    REG(d->rd) = r;                                                          \
    TCG_NEXT(env, d);                                                            \
}
LOGI(andi64, REG(d->rn) & d->imm, (void)0)
LOGI(andi32, (uint32_t)REG(d->rn) & d->imm, (void)0)
LOGI(orri64, REG(d->rn) | d->imm, (void)0)
LOGI(orri32, (uint32_t)(REG(d->rn) | d->imm), (void)0)
LOGI(eori64, REG(d->rn) ^ d->imm, (void)0)
LOGI(eori32, (uint32_t)(REG(d->rn) ^ d->imm), (void)0)
LOGI(andsi64, REG(d->rn) & d->imm, logic_flags64(env, r))
LOGI(andsi32, (uint32_t)REG(d->rn) & d->imm, logic_flags32(env, (uint32_t)r))

/* ---- move wide ---- */
static const DecodedInsn *op_movi(CPUARMState *env, const DecodedInsn *d)
{
    REG(d->rd) = d->imm;
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_movk64(CPUARMState *env, const DecodedInsn *d)
{
    REG(d->rd) = (REG(d->rd) & ~(0xffffULL << d->a)) | d->imm;
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_movk32(CPUARMState *env, const DecodedInsn *d)
{
    REG(d->rd) = (uint32_t)((REG(d->rd) & ~(0xffffULL << d->a)) | d->imm);
    TCG_NEXT(env, d);
}

/*
 * ---- bitfield ----
 * SBFM/BFM/UBFM split at decode into "extract" (imms >= immr: field at
 * immr of width imms-immr+1 moved to bit 0) and "insert" (imms < immr:
 * low imms+1 bits moved to bit datasize-immr).  a = shift, b = width.
 */
#define BF(name, bits, expr)                                                 \
static const DecodedInsn *op_##name(CPUARMState *env, const DecodedInsn *d) \
{                                                                            \
    uint64_t src = REG(d->rn);                                               \
    uint64_t r = (expr);                                                     \
    REG(d->rd) = bits == 32 ? (uint32_t)r : r;                               \
    TCG_NEXT(env, d);                                                            \
}
BF(ubfx64, 64, (src >> d->a) & ones(d->b))
BF(ubfx32, 32, ((uint32_t)src >> d->a) & ones(d->b))
BF(ubfiz64, 64, (src & ones(d->b)) << d->a)
BF(ubfiz32, 32, (src & ones(d->b)) << d->a)
BF(sbfx64, 64, sext(src >> d->a, d->b))
BF(sbfx32, 32, sext((uint32_t)src >> d->a, d->b))
BF(sbfiz64, 64, sext(src, d->b) << d->a)
BF(sbfiz32, 32, sext(src, d->b) << d->a)
BF(bfxil64, 64, (REG(d->rd) & ~ones(d->b)) | ((src >> d->a) & ones(d->b)))
BF(bfxil32, 32, (REG(d->rd) & ~ones(d->b)) |
                (((uint32_t)src >> d->a) & ones(d->b)))
BF(bfi64, 64, (REG(d->rd) & ~(ones(d->b) << d->a)) |
              ((src & ones(d->b)) << d->a))
BF(bfi32, 32, (REG(d->rd) & ~(ones(d->b) << d->a)) |
              ((src & ones(d->b)) << d->a))
/* Common specialisations: plain shifts. */
BF(lsli64, 64, src << d->a)
BF(lsli32, 32, src << d->a)
BF(lsri64, 64, src >> d->a)
BF(lsri32, 32, (uint32_t)src >> d->a)
BF(asri64, 64, (uint64_t)((int64_t)src >> d->a))
BF(asri32, 32, (uint32_t)((int32_t)src >> d->a))

/* ---- extract ---- */
static const DecodedInsn *op_extr64(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t lo = REG(d->rm), hi = REG(d->rn);
    REG(d->rd) = d->a ? (lo >> d->a) | (hi << (64 - d->a)) : lo;
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_extr32(CPUARMState *env, const DecodedInsn *d)
{
    uint32_t lo = REG(d->rm), hi = REG(d->rn);
    REG(d->rd) = (uint32_t)(d->a ? (lo >> d->a) | (hi << (32 - d->a)) : lo);
    TCG_NEXT(env, d);
}

static bool decode_bitfield(DecodedInsn *d, uint32_t insn, bool sf)
{
    unsigned opc = (insn >> 29) & 3, n = (insn >> 22) & 1;
    unsigned immr = (insn >> 16) & 0x3f, imms = (insn >> 10) & 0x3f;
    unsigned size = sf ? 64 : 32;

    if (opc == 3 || n != sf || (!sf && (immr > 31 || imms > 31))) {
        return false;
    }
    d->rd = reg_zw(insn & 31);
    d->rn = reg_zr((insn >> 5) & 31);
    if (opc == 1) {
        d->rn = reg_zr((insn >> 5) & 31);
        d->rm = d->rd;
    }
    if (imms >= immr) {
        d->a = immr;
        d->b = imms - immr + 1;
        switch (opc) {
        case 0:
            if (imms == size - 1) {
                d->fn = sf ? op_asri64 : op_asri32;
            } else {
                d->fn = sf ? op_sbfx64 : op_sbfx32;
            }
            break;
        case 1:
            d->fn = sf ? op_bfxil64 : op_bfxil32;
            break;
        default:
            if (imms == size - 1) {
                d->fn = sf ? op_lsri64 : op_lsri32;
            } else {
                d->fn = sf ? op_ubfx64 : op_ubfx32;
            }
            break;
        }
    } else {
        d->a = size - immr;
        d->b = imms + 1;
        switch (opc) {
        case 0:
            d->fn = sf ? op_sbfiz64 : op_sbfiz32;
            break;
        case 1:
            d->fn = sf ? op_bfi64 : op_bfi32;
            break;
        default:
            if (imms + 1 == immr) {
                d->fn = sf ? op_lsli64 : op_lsli32;
            } else {
                d->fn = sf ? op_ubfiz64 : op_ubfiz32;
            }
            break;
        }
    }
    return true;
}

bool tcg_decode_dp_imm(DecodedInsn *d, uint32_t insn)
{
    unsigned op = (insn >> 23) & 7;
    bool sf = insn >> 31;
    unsigned rd = insn & 31, rn = (insn >> 5) & 31;

    switch (op) {
    case 0: case 1: {                       /* ADR, ADRP */
        uint64_t imm = ((insn >> 29) & 3) | (((insn >> 5) & 0x7ffff) << 2);
        d->rd = reg_zw(rd);
        if (insn >> 31) {
            d->imm = sext(imm << 12, 33);
            d->fn = op_adrp;
        } else {
            d->imm = sext(imm, 21);
            d->fn = op_adr;
        }
        return true;
    }
    case 2: {                               /* add/sub immediate */
        bool sub = (insn >> 30) & 1, s = (insn >> 29) & 1;
        uint64_t imm = (insn >> 10) & 0xfff;
        if ((insn >> 22) & 1) {
            imm <<= 12;
        }
        d->rn = reg_sp(rn);
        d->rd = s ? reg_zw(rd) : reg_sp(rd);
        if (!s) {
            d->imm = sub ? -imm : imm;
            d->fn = sf ? op_addi64 : op_addi32;
        } else if (sub) {
            d->imm = ~imm;
            d->fn = sf ? op_subsi64 : op_subsi32;
        } else {
            d->imm = imm;
            d->fn = sf ? op_addsi64 : op_addsi32;
        }
        return true;
    }
    case 4: {                               /* logical immediate */
        unsigned opc = (insn >> 29) & 3;
        uint64_t mask;
        if (!decode_bitmask((insn >> 22) & 1, (insn >> 10) & 0x3f,
                            (insn >> 16) & 0x3f, sf, &mask)) {
            return false;
        }
        d->imm = mask;
        d->rn = reg_zr(rn);
        d->rd = opc == 3 ? reg_zw(rd) : reg_sp(rd);
        static const InsnFn fns[4][2] = {
            { op_andi32, op_andi64 }, { op_orri32, op_orri64 },
            { op_eori32, op_eori64 }, { op_andsi32, op_andsi64 },
        };
        d->fn = fns[opc][sf];
        return true;
    }
    case 5: {                               /* move wide */
        unsigned opc = (insn >> 29) & 3, hw = (insn >> 21) & 3;
        uint64_t imm = ((insn >> 5) & 0xffff);
        if (opc == 1 || (!sf && hw > 1)) {
            return false;
        }
        d->rd = reg_zw(rd);
        d->a = hw * 16;
        imm <<= d->a;
        if (opc == 0) {
            d->imm = sf ? ~imm : (uint32_t)~imm;
            d->fn = op_movi;
        } else if (opc == 2) {
            d->imm = imm;
            d->fn = op_movi;
        } else {
            d->imm = imm;
            d->fn = sf ? op_movk64 : op_movk32;
        }
        return true;
    }
    case 6:
        return decode_bitfield(d, insn, sf);
    case 7: {                               /* EXTR */
        unsigned imms = (insn >> 10) & 0x3f;
        if (((insn >> 29) & 3) || ((insn >> 21) & 1) ||
            (((insn >> 22) & 1) != sf) || (!sf && imms > 31)) {
            return false;
        }
        d->rd = reg_zw(rd);
        d->rn = reg_zr(rn);
        d->rm = reg_zr((insn >> 16) & 31);
        d->a = imms;
        d->fn = sf ? op_extr64 : op_extr32;
        return true;
    }
    default:
        return false;
    }
}
