/*
 * A64 top-level decode (Arm ARM C4.1 "A64 instruction set encoding"): picks
 * the instruction class from op0 (bits 28:25) and hands the word to that
 * class's decoder.  Also the slot handlers that are not instructions: the
 * lazy "decode me" slot, UNDEF, and the end-of-page sentinel.
 */
#include "tcg-internal.h"
#include "qemu/log.h"

bool tcg_feature_lse = true;
bool tcg_fusion_enabled = true;
bool tcg_feature_crc32 = true;

/*
 * For each condition, bit k set when it holds for NZCV == k
 * (Arm ARM C1.2.4, ConditionHolds()).  N=8, Z=4, C=2, V=1.
 */
const uint16_t tcg_cond_table[16] = {
    0xf0f0, 0x0f0f, 0xcccc, 0x3333, 0xff00, 0x00ff, 0xaaaa, 0x5555,
    0x0c0c, 0xf3f3, 0xaa55, 0x55aa, 0x0a05, 0xf5fa, 0xffff, 0xffff,
};

const DecodedInsn *tcg_op_undef(CPUARMState *env, const DecodedInsn *d)
{
    qemu_log_mask(LOG_UNIMP, "tcg: unallocated or unimplemented insn "
                  "0x%08x at pc 0x%" PRIx64 "\n", d->insn, insn_pc(env, d));
    return tcg_raise_ret(env, d, esr_make(EC_UNKNOWN, 0));
}

const DecodedInsn *tcg_op_page_end(CPUARMState *env, const DecodedInsn *d)
{
    return tcg_exit_to(env, env->tcg->cur_va + 0x1000);
}

static bool decode_word(DecodedInsn *d, uint32_t insn)
{
    unsigned op0 = (insn >> 25) & 0xf;

    if ((op0 & 0xe) == 0x8) {
        return tcg_decode_dp_imm(d, insn);
    }
    if ((op0 & 0xe) == 0xa) {
        return tcg_decode_branch_sys(d, insn);
    }
    if ((op0 & 0x5) == 0x4) {
        return tcg_decode_ldst(d, insn);
    }
    if ((op0 & 0x7) == 0x5) {
        return tcg_decode_dp_reg(d, insn);
    }
    if ((op0 & 0x7) == 0x7) {
        return tcg_decode_simd(d, insn);
    }
    return false;
}

const DecodedInsn *tcg_op_decode(CPUARMState *env, const DecodedInsn *cd)
{
    DecodedInsn *d = (DecodedInsn *)cd;
    CodePage *page = env->tcg->cur_page;
    uint32_t insn = page->host[d->idx];
    DecodedInsn n = { .insn = insn, .idx = d->idx };

    if (!decode_word(&n, insn)) {
        n.fn = tcg_op_undef;
    } else if (tcg_fusion_enabled && d->idx + 1 < CODE_PAGE_INSNS) {
        tcg_fuse(&n, insn, page->host[d->idx + 1]);
    }
    qemu_log_mask(LOG_IN_ASM, "IN: 0x%016" PRIx64 ": %08x\n",
                  insn_pc(env, d), insn);
    /* Operands first, handler last: another vCPU may be running this page. */
    d->imm = n.imm;
    d->insn = n.insn;
    d->rd = n.rd;
    d->rn = n.rn;
    d->rm = n.rm;
    d->ra = n.ra;
    d->a = n.a;
    d->b = n.b;
    d->c = n.c;
    d->e = n.e;
    __atomic_store_n(&d->fn, n.fn, __ATOMIC_RELEASE);
    *page->code_flag = 1;
    return d;                   /* the dispatch loop runs the new handler */
}
