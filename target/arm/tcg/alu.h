/*
 * Arithmetic helpers shared by the data-processing decoders: flag-setting
 * add with carry (Arm ARM C1.2.5 AddWithCarry), shifts, extends and the
 * logical-immediate bitmask decoder (DecodeBitMasks, Arm ARM J1.1.3).
 */
#ifndef TARGET_ARM_TCG_ALU_H
#define TARGET_ARM_TCG_ALU_H

#include "tcg-internal.h"

static inline void set_nzcv(CPUARMState *env, uint32_t nzcv)
{
    env->pstate = (env->pstate & ~PSTATE_NZCV) | nzcv;
}

static inline uint64_t adc64(CPUARMState *env, uint64_t a, uint64_t b,
                             unsigned cin)
{
    unsigned __int128 u = (unsigned __int128)a + b + cin;
    uint64_t r = (uint64_t)u;
    uint32_t f = (uint32_t)(r >> 63) << 31;
    f |= (uint32_t)(r == 0) << 30;
    f |= (uint32_t)(u >> 64) << 29;
    f |= (uint32_t)((((a ^ r) & (b ^ r)) >> 63) & 1) << 28;
    set_nzcv(env, f);
    return r;
}

static inline uint32_t adc32(CPUARMState *env, uint32_t a, uint32_t b,
                             unsigned cin)
{
    uint64_t u = (uint64_t)a + b + cin;
    uint32_t r = (uint32_t)u;
    uint32_t f = (r >> 31) << 31;
    f |= (uint32_t)(r == 0) << 30;
    f |= (uint32_t)(u >> 32) << 29;
    f |= ((((a ^ r) & (b ^ r)) >> 31) & 1) << 28;
    set_nzcv(env, f);
    return r;
}

static inline void logic_flags64(CPUARMState *env, uint64_t r)
{
    set_nzcv(env, ((uint32_t)(r >> 63) << 31) | ((uint32_t)(r == 0) << 30));
}

static inline void logic_flags32(CPUARMState *env, uint32_t r)
{
    set_nzcv(env, ((r >> 31) << 31) | ((uint32_t)(r == 0) << 30));
}

static inline uint64_t ror64(uint64_t v, unsigned n)
{
    n &= 63;
    return n ? (v >> n) | (v << (64 - n)) : v;
}

static inline uint32_t ror32(uint32_t v, unsigned n)
{
    n &= 31;
    return n ? (v >> n) | (v << (32 - n)) : v;
}

/* ShiftReg(): type 0 LSL, 1 LSR, 2 ASR, 3 ROR. */
static inline uint64_t shift64(uint64_t v, unsigned type, unsigned amt)
{
    switch (type) {
    case 0: return v << amt;
    case 1: return v >> amt;
    case 2: return (uint64_t)((int64_t)v >> amt);
    default: return ror64(v, amt);
    }
}

static inline uint32_t shift32(uint32_t v, unsigned type, unsigned amt)
{
    switch (type) {
    case 0: return v << amt;
    case 1: return v >> amt;
    case 2: return (uint32_t)((int32_t)v >> amt);
    default: return ror32(v, amt);
    }
}

/* ExtendReg(): option 0-7 = UXTB UXTH UXTW UXTX SXTB SXTH SXTW SXTX. */
static inline uint64_t extend_reg(uint64_t v, unsigned option, unsigned shift)
{
    switch (option) {
    case 0: v = (uint8_t)v; break;
    case 1: v = (uint16_t)v; break;
    case 2: v = (uint32_t)v; break;
    case 3: break;
    case 4: v = (uint64_t)(int64_t)(int8_t)v; break;
    case 5: v = (uint64_t)(int64_t)(int16_t)v; break;
    case 6: v = (uint64_t)(int64_t)(int32_t)v; break;
    default: break;
    }
    return v << shift;
}

static inline uint64_t ones(unsigned n)
{
    return n >= 64 ? ~0ULL : (1ULL << n) - 1;
}

/*
 * DecodeBitMasks for logical immediates: false when the encoding is
 * reserved.  Only wmask is needed for AND/ORR/EOR/ANDS immediate.
 */
static inline bool decode_bitmask(unsigned n, unsigned imms, unsigned immr,
                                  bool sf, uint64_t *wmask)
{
    unsigned len = 31 - __builtin_clz((n << 6) | (~imms & 0x3f));
    unsigned esize, levels, s, r;
    uint64_t elem;

    if (((n << 6) | (~imms & 0x3f)) == 0 || len < 1 || (!sf && n)) {
        return false;
    }
    esize = 1u << len;
    levels = esize - 1;
    s = imms & levels;
    r = immr & levels;
    if (s == levels) {
        return false;
    }
    elem = ones(s + 1);
    if (r) {
        elem = ((elem >> r) | (elem << (esize - r))) & ones(esize);
    }
    while (esize < 64) {
        elem |= elem << esize;
        esize *= 2;
    }
    *wmask = sf ? elem : (uint32_t)elem;
    return true;
}

#endif
