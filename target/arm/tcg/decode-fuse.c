/*
 * Fused compare-and-branch slots: a flag-setting compare (CMP/CMN/SUBS/ADDS
 * immediate, CMP/SUBS register, TST/ANDS immediate) immediately followed by
 * a B.cond whose target is in the same page runs as one handler, which
 * sets NZCV exactly as the pair would and then branches or skips the B.cond
 * slot.  Loop ends are almost always such a pair, so this saves one
 * dispatch per loop iteration (issue 4 item 5).
 *
 * The B.cond keeps its own decoded slot (a branch may land on it), and a
 * store to the page resets both slots, so the fusion never outlives either
 * instruction.  Operands come from the compare's own decode; c = condition,
 * ra = signed slot distance from the compare to the branch target.
 */
#include "alu.h"

static inline const DecodedInsn *fused_tail(CPUARMState *env,
                                            const DecodedInsn *d)
{
    if (cond_holds(env, d->c)) {
        TcgVcpu *v = env->tcg;
        if (--v->budget > 0) {
            const DecodedInsn *next = d + (int16_t)d->ra;
#ifdef __OPTIMIZE__
            return next->fn(env, next);
#else
            return next;
#endif
        }
        return tcg_exit_to(env, v->cur_va +
                           ((uint64_t)(d->idx + (int16_t)d->ra) << 2));
    }
    {
        const DecodedInsn *next = d + 2;        /* past the B.cond slot */
        return next->fn(env, next);
    }
}

#define FUSED(name, flags)                                                   \
static const DecodedInsn *op_##name(CPUARMState *env, const DecodedInsn *d) \
{                                                                            \
    flags;                                                                   \
    return fused_tail(env, d);                                               \
}
FUSED(subsi64_bc, REG(d->rd) = adc64(env, REG(d->rn), d->imm, 1))
FUSED(subsi32_bc, REG(d->rd) = adc32(env, REG32(d->rn), (uint32_t)d->imm, 1))
FUSED(addsi64_bc, REG(d->rd) = adc64(env, REG(d->rn), d->imm, 0))
FUSED(addsi32_bc, REG(d->rd) = adc32(env, REG32(d->rn), (uint32_t)d->imm, 0))
FUSED(subs64r_bc, REG(d->rd) = adc64(env, REG(d->rn), ~REG(d->rm), 1))
FUSED(subs32r_bc, REG(d->rd) = adc32(env, REG32(d->rn), ~REG32(d->rm), 1))
FUSED(andsi64_bc, { uint64_t r = REG(d->rn) & d->imm;
                    logic_flags64(env, r); REG(d->rd) = r; })
FUSED(andsi32_bc, { uint32_t r = REG32(d->rn) & (uint32_t)d->imm;
                    logic_flags32(env, r); REG(d->rd) = r; })

void tcg_fuse(DecodedInsn *n, uint32_t insn, uint32_t next)
{
    bool sf = insn >> 31;
    int64_t target;
    InsnFn fn;

    if ((next >> 24) != 0x54 || (next & 0x10) || n->fn == tcg_op_undef) {
        return;
    }
    switch (insn & 0x7f800000) {
    case 0x71000000:                            /* SUBS/CMP immediate */
        fn = sf ? op_subsi64_bc : op_subsi32_bc;
        break;
    case 0x31000000:                            /* ADDS/CMN immediate */
        fn = sf ? op_addsi64_bc : op_addsi32_bc;
        break;
    case 0x72000000:                            /* ANDS/TST immediate */
        fn = sf ? op_andsi64_bc : op_andsi32_bc;
        break;
    default:
        if ((insn & 0x7fe0fc00) != 0x6b000000) {
            return;                             /* SUBS/CMP reg, LSL #0 */
        }
        fn = sf ? op_subs64r_bc : op_subs32r_bc;
        break;
    }
    /* Target slot of the B.cond (at idx + 1), relative to this slot. */
    target = (int64_t)n->idx + 1 + (int64_t)sext(((next >> 5) & 0x7ffff), 19);
    if (n->idx + 1 >= CODE_PAGE_INSNS || target < 0 ||
        target >= CODE_PAGE_INSNS) {
        return;
    }
    n->fn = fn;
    n->c = next & 0xf;
    n->ra = (uint16_t)(int16_t)(target - n->idx);
}
