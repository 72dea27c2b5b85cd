/*
 * AArch64 exception entry and return for the interpreter (Arm ARM D1.10
 * "Exception entry", D1.11 "Exception return"): synchronous exceptions,
 * IRQ/FIQ/SError from interrupt_request, vector offsets by source EL and SP
 * selection, ESR/FAR/ELR/SPSR, ERET with illegal-return checks.
 *
 * Only EL0 and EL1 exist (the board starts at EL1h with no EL2/EL3), so every
 * exception targets EL1.
 */
#include "tcg-internal.h"
#include "qemu/log.h"

void tcg_sp_sync_out(CPUARMState *env)
{
    unsigned el = arm_current_el(env);
    env->sp_el[(env->pstate & PSTATE_SP) ? el : 0] = env->tcg_sp;
}

void tcg_sp_sync_in(CPUARMState *env)
{
    unsigned el = arm_current_el(env);
    env->tcg_sp = env->sp_el[(env->pstate & PSTATE_SP) ? el : 0];
}

void tcg_take_exception(CPUARMState *env, unsigned type, uint32_t esr,
                        uint64_t far, bool far_valid, uint64_t ret_pc)
{
    unsigned from_el = arm_current_el(env);
    uint64_t sctlr = env->sys.sctlr_el[1];
    uint32_t offset, ps;

    tcg_sp_sync_out(env);
    if (from_el == 0) {
        offset = 0x400;                     /* lower EL, AArch64 */
        /* Aborts from EL0 use the "lower EL" exception classes. */
        unsigned ec = esr >> 26;
        if (ec == EC_INSN_ABORT || ec == EC_DATA_ABORT) {
            esr -= 1u << 26;
        }
    } else {
        offset = (env->pstate & PSTATE_SP) ? 0x200 : 0x000;
    }
    offset += type * 0x80;

    env->spsr_el[1] = env->pstate;
    env->elr_el[1] = ret_pc;
    if (type == EXC_SYNC || type == EXC_SERROR) {
        env->sys.esr_el[1] = esr;
        env->exception.syndrome = esr;
        if (far_valid) {
            env->sys.far_el[1] = far;
            env->exception.vaddress = far;
        }
    }
    env->exception.target_el = 1;
    ps = (env->pstate & (PSTATE_NZCV | PSTATE_PAN | PSTATE_DIT)) |
         PSTATE_DAIF | (1u << PSTATE_EL_SHIFT) | PSTATE_SP;
    if (!(sctlr & (1u << 23))) {                        /* SCTLR.SPAN == 0 */
        ps |= PSTATE_PAN;
    }
    if (sctlr & (1ULL << 44)) {                         /* DSSBS */
        ps |= PSTATE_SSBS;
    }
    env->pstate = ps;
    env->pc = env->sys.vbar_el[1] + offset;
    env->exclusive_addr = -1;
    env->halted = 0;
    tcg_sp_sync_in(env);
    tcg_update_mmu_idx(env);
    qemu_log_mask(LOG_INT, "tcg: exception type %u esr 0x%08x from EL%u "
                  "elr 0x%" PRIx64 " -> 0x%" PRIx64 "\n", type, esr, from_el,
                  ret_pc, env->pc);
}

void tcg_raise(CPUARMState *env, const DecodedInsn *d, uint32_t esr,
               uint64_t far, bool far_valid)
{
    uint64_t pc = d ? insn_pc(env, d) : env->pc;
    tcg_take_exception(env, EXC_SYNC, esr, far, far_valid, pc);
    siglongjmp(env->tcg->jmp, 1);
}

const DecodedInsn *tcg_raise_ret(CPUARMState *env, const DecodedInsn *d,
                                 uint32_t esr)
{
    tcg_take_exception(env, EXC_SYNC, esr, 0, false, insn_pc(env, d));
    return NULL;
}

void tcg_eret(CPUARMState *env)
{
    uint64_t spsr = env->spsr_el[1];
    uint64_t elr = env->elr_el[1];
    unsigned target = (spsr >> PSTATE_EL_SHIFT) & 3;

    tcg_sp_sync_out(env);
    if ((spsr & PSTATE_nRW) || target > 1 ||
        (target == 0 && (spsr & PSTATE_SP))) {
        /* Illegal exception return (Arm ARM D1.11.4): stay, set IL. */
        qemu_log_mask(LOG_GUEST_ERROR, "tcg: illegal ERET spsr 0x%" PRIx64
                      "\n", spsr);
        env->pstate |= PSTATE_IL;
    } else {
        const uint32_t keep = PSTATE_NZCV | PSTATE_DAIF | PSTATE_EL_MASK |
                              PSTATE_SP | PSTATE_PAN | PSTATE_UAO |
                              PSTATE_SSBS | PSTATE_DIT | PSTATE_SS |
                              PSTATE_TCO | PSTATE_IL;
        env->pstate = spsr & keep;
    }
    /* Without TBI at the target EL the top byte is not part of the PC. */
    env->pc = elr & ~3ULL;
    env->exclusive_addr = -1;
    tcg_sp_sync_in(env);
    tcg_update_mmu_idx(env);
    qemu_log_mask(LOG_INT, "tcg: eret to EL%u pc 0x%" PRIx64 "\n",
                  arm_current_el(env), env->pc);
}

bool tcg_check_interrupts(CPUARMState *env)
{
    uint32_t req = __atomic_load_n(&env->interrupt_request, __ATOMIC_ACQUIRE);

    /* SError: EC 0x2f; ISS from the source, else 0 (D17.2.37). */
    if ((req & CPU_INTERRUPT_SERROR) && !(env->pstate & PSTATE_A)) {
        uint32_t iss = env->serror.has_esr ? (uint32_t)env->serror.esr : 0;
        __atomic_fetch_and(&env->interrupt_request, ~CPU_INTERRUPT_SERROR,
                           __ATOMIC_RELEASE);
        env->serror.pending = 0;
        tcg_take_exception(env, EXC_SERROR, esr_make(EC_SERROR, iss), 0,
                           false, env->pc);
        return true;
    }
    if ((req & CPU_INTERRUPT_FIQ) && !(env->pstate & PSTATE_F)) {
        tcg_take_exception(env, EXC_FIQ, 0, 0, false, env->pc);
        return true;
    }
    if ((req & CPU_INTERRUPT_HARD) && !(env->pstate & PSTATE_I)) {
        tcg_take_exception(env, EXC_IRQ, 0, 0, false, env->pc);
        return true;
    }
    return false;
}
