/*
 * The interpreter's execution loop for one vCPU: take pending interrupts,
 * find the decoded page for the PC (through the TLB), then run slots until a
 * handler leaves the page, raises an exception or the budget ends.
 * Synchronous exceptions raised deep inside a handler arrive back here with
 * siglongjmp after the exception has been taken (PC at the vector).
 */
#include "tcg/tcg-internal.h"
#include "qemu/log.h"

/* Taken branches between checks of exit requests and interrupts. */
#define TCG_BUDGET 4096

TcgVcpu *tcg_vcpu_create(ARMCPU *cpu)
{
    TcgVcpu *v = g_new0(TcgVcpu, 1);

    v->cpu = cpu;
    v->env = &cpu->env;
    cpu->env.tcg = v;
    cpu->accel = v;
    cpu->hooks = &tcg_accel_hooks;
    tcg_tlb_flush(v);
    tcg_update_mmu_idx(&cpu->env);
    return v;
}

void tcg_vcpu_destroy(TcgVcpu *v)
{
    if (v->cpu->env.tcg == v) {
        v->cpu->env.tcg = NULL;
        v->cpu->accel = NULL;
        v->cpu->hooks = NULL;
    }
    g_free(v);
}

static void pc_alignment_fault(CPUARMState *env)
{
    uint64_t pc = env->pc;
    qemu_log_mask(LOG_GUEST_ERROR, "tcg: misaligned PC 0x%" PRIx64 "\n", pc);
    tcg_take_exception(env, EXC_SYNC, esr_make(EC_PC_ALIGN, 0), pc, true, pc);
}

void tcg_cpu_exec(TcgVcpu *v)
{
    CPUARMState *env = v->env;

    tcg_sp_sync_in(env);
    tcg_update_mmu_idx(env);
    tcg_current_vcpu = v;
    __atomic_store_n(&v->in_exec, true, __ATOMIC_RELEASE);
    if (sigsetjmp(v->jmp, 0)) {
        /* An exception was taken inside a handler; carry on at the vector. */
    }
    while (!__atomic_load_n(&v->exit_request, __ATOMIC_ACQUIRE)) {
        const DecodedInsn *d;
        CodePage *page;

        if (__atomic_load_n(&v->flush_pending, __ATOMIC_ACQUIRE)) {
            __atomic_store_n(&v->flush_pending, false, __ATOMIC_RELAXED);
            tcg_tlb_flush(v);
        }
        if (__atomic_load_n(&env->interrupt_request, __ATOMIC_RELAXED)) {
            if (tcg_check_interrupts(env)) {
                env->halted = 0;
            }
        }
        if (env->halted ||
            __atomic_load_n(&env->power_state, __ATOMIC_ACQUIRE) != PSCI_ON) {
            break;
        }
        if (env->pc & 3) {
            pc_alignment_fault(env);
            continue;
        }
        v->budget = TCG_BUDGET;
        page = tcg_code_page(env, env->pc);
        v->cur_page = page;
        v->cur_va = env->pc & ~0xfffULL;
        d = &page->insns[(env->pc & 0xfff) >> 2];
        do {
            d = d->fn(env, d);
        } while (d);
    }
    __atomic_store_n(&v->in_exec, false, __ATOMIC_RELEASE);
    tcg_sp_sync_out(env);
}

/* ---- hooks for the register table (TLBI, IC, AT) ---- */
__thread TcgVcpu *tcg_current_vcpu;

/*
 * Another thread's TLB may be in use right now: ask its owner to flush at
 * its next trip through the outer loop (a TLBI broadcast reaching a vCPU a
 * few microseconds late; the owner itself flushes at once).
 */
static bool flush_remote(TcgVcpu *v)
{
    if (v == tcg_current_vcpu || !__atomic_load_n(&v->in_exec,
                                                  __ATOMIC_ACQUIRE)) {
        return false;
    }
    __atomic_store_n(&v->flush_pending, true, __ATOMIC_RELEASE);
    return true;
}

/*
 * The register table calls these on the executing vCPU for both the local
 * and the Inner Shareable (broadcast) TLBI forms, so every vCPU is flushed:
 * over-flushing is always correct.
 */
static void hook_tlb_flush(ARMCPU *cpu)
{
    for (unsigned i = 0; i < arm_cpu_count; i++) {
        TcgVcpu *v = arm_cpus[i] ? arm_cpus[i]->env.tcg : NULL;
        if (v && !flush_remote(v)) {
            tcg_tlb_flush(v);
        }
    }
}

static void hook_tlb_flush_page(ARMCPU *cpu, uint64_t va)
{
    for (unsigned i = 0; i < arm_cpu_count; i++) {
        TcgVcpu *v = arm_cpus[i] ? arm_cpus[i]->env.tcg : NULL;
        if (v && !flush_remote(v)) {
            tcg_tlb_flush_page(v, va);
        }
    }
}

static void hook_icache_inval(ARMCPU *cpu)
{
    /*
     * Our decode cache is coherent with vCPU stores already; IC only has
     * to cover writes that bypassed the vCPUs (device DMA, the loader).
     */
    tcg_code_invalidate_all();
}

const ArmAccelHooks tcg_accel_hooks = {
    .tlb_flush = hook_tlb_flush,
    .tlb_flush_page = hook_tlb_flush_page,
    .icache_inval = hook_icache_inval,
    .at = tcg_mmu_at,
};
