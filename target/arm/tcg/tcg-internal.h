/*
 * The AArch64 interpreter: shared definitions of the decode cache, the
 * software TLB and the helpers every instruction class uses.
 *
 * Design (issue 4 item 5): each 4 KiB page of guest code that runs gets a
 * CodePage holding 1024 pre-decoded slots plus a sentinel.  A slot is a
 * handler pointer and its operands; a slot starts out as "decode me"
 * (tcg_op_decode) and is decoded the first time it runs.  Handlers return the
 * next slot to run, or NULL to go back to the outer loop (branch out of the
 * page, exception, exit request).  The PC is not kept per instruction: it is
 * the page's virtual base plus the slot index.
 *
 * Register operands are byte offsets from CPUARMState, resolved at decode
 * time, so register 31 costs nothing at run time: SP is env->tcg_sp, XZR
 * reads env->tcg_zero and writes go to env->tcg_discard.
 */
#ifndef TARGET_ARM_TCG_INTERNAL_H
#define TARGET_ARM_TCG_INTERNAL_H

#include "qemu/osdep.h"
#include <setjmp.h>
#include "cpu.h"
#include "system/memory.h"

typedef struct DecodedInsn DecodedInsn;
typedef const DecodedInsn *(*InsnFn)(CPUARMState *env, const DecodedInsn *d);

struct DecodedInsn {
    InsnFn fn;
    uint64_t imm;
    uint32_t insn;          /* raw encoding, for logs and rare paths */
    uint16_t idx;           /* slot index in its CodePage (never rewritten) */
    uint16_t rd, rn, rm, ra;/* byte offsets into CPUARMState */
    uint8_t a, b, c, e;     /* small per-class parameters */
};

#define CODE_PAGE_INSNS 1024

typedef struct CodePage {
    uint64_t pa;                  /* guest-physical page address */
    const uint32_t *host;         /* host view of the page (RAM/ROM) */
    uint8_t *code_flag;           /* byte set while any slot is decoded */
    DecodedInsn insns[CODE_PAGE_INSNS + 1];  /* + sentinel: falls off end */
} CodePage;

/* Translation regimes with their own TLB (permissions differ). */
enum {
    MMU_IDX_EL0 = 0,     /* EL0 and LDTR/STTR at EL1 */
    MMU_IDX_EL1 = 1,
    MMU_IDX_EL1_PAN = 2, /* EL1 with PSTATE.PAN: no access to EL0 data */
    MMU_IDX_COUNT = 3,
};

#define TLB_BITS 8
#define TLB_SIZE (1u << TLB_BITS)
#define TLB_INVALID (~0ULL)
/* Low tag bits never match an aligned page address: force the slow path. */
#define TLB_FLAG_SLOW 1ULL

typedef struct TlbEntry {
    uint64_t tag_r, tag_w, tag_x; /* VA page, or with TLB_FLAG_SLOW (MMIO) */
    uintptr_t addend;             /* host = va + addend (RAM/ROM) */
    uint64_t pa_page;
    MemoryRegion *mr;             /* RAM/ROM region, NULL for MMIO */
    uint64_t mr_off;              /* page's offset inside mr */
    uint8_t *codemap;             /* per-page code flags of mr (RAM) */
    struct CodePage *code;        /* decode cache of this page, if looked up */
} TlbEntry;

typedef struct TcgVcpu {
    ARMCPU *cpu;
    CPUARMState *env;
    TlbEntry tlb[MMU_IDX_COUNT][TLB_SIZE];
    TlbEntry *cur_tlb;            /* tlb[mmu index of current EL/PAN] */
    unsigned mmu_idx;
    /* Current code page: PC = cur_va | slot index * 4. */
    uint64_t cur_va;
    CodePage *cur_page;
    /* Taken branches before returning to the outer loop; 0 = exit now. */
    int32_t budget;
    sigjmp_buf jmp;               /* exceptions inside a handler land here */
    bool in_exec;
    bool flush_pending;           /* another vCPU asked for a TLB flush */
    /* Run control (tcg-accel.c). */
    bool exit_request;
    bool stop_request;            /* this vCPU must park */
    bool parked;
    int thread_id;
    GThread *thread;
} TcgVcpu;

#define ENV_OFF(field) ((uint16_t)offsetof(CPUARMState, field))
#define XREG_OFF(n) ((uint16_t)(offsetof(CPUARMState, xregs) + 8 * (n)))
#define VREG_OFF(n) ((uint16_t)(offsetof(CPUARMState, vregs) + 16 * (n)))
#define REG(off) (*(uint64_t *)((char *)env + (off)))
#define REG32(off) (*(uint32_t *)((char *)env + (off)))
#define VREG(off) ((uint64_t *)((char *)env + (off)))

/* Register 31 as a source or destination of each kind. */
static inline uint16_t reg_zr(unsigned n)  /* reads XZR */
{
    return n == 31 ? ENV_OFF(tcg_zero) : XREG_OFF(n);
}
static inline uint16_t reg_zw(unsigned n)  /* writes discard */
{
    return n == 31 ? ENV_OFF(tcg_discard) : XREG_OFF(n);
}
static inline uint16_t reg_sp(unsigned n)  /* SP */
{
    return n == 31 ? ENV_OFF(tcg_sp) : XREG_OFF(n);
}

static inline TcgVcpu *tcg_vcpu(CPUARMState *env)
{
    return env->tcg;
}

/* PC of the instruction in slot d of the current page. */
static inline uint64_t insn_pc(CPUARMState *env, const DecodedInsn *d)
{
    return env->tcg->cur_va | ((uint64_t)d->idx << 2);
}

/* Next slot, or the outer loop when a branch leaves the page / budget ends. */
static inline const DecodedInsn *tcg_goto(CPUARMState *env,
                                          const DecodedInsn *d, uint64_t pc)
{
    TcgVcpu *v = env->tcg;
    if ((pc & ~0xfffULL) == v->cur_va && --v->budget > 0) {
        const DecodedInsn *next = &v->cur_page->insns[(pc & 0xfff) >> 2];
#ifdef __OPTIMIZE__
        /*
         * Optimised builds chain into the target too (a jump: every
         * handler's tail call is a sibling call, checked with objdump);
         * the budget still bounds the run between exit-request checks.
         */
        return next->fn(env, next);
#else
        return next;
#endif
    }
    env->pc = pc;
    return NULL;
}

/*
 * Continue with the next slot.  Non-branch handlers tail-call it, so a
 * straight run of instructions is a chain of indirect jumps, each with its
 * own branch-prediction history.  The chain is bounded: taken branches and
 * the end-of-page sentinel return to the dispatch loop, so even where the
 * compiler does not turn the call into a jump (-O0) the depth stays below
 * one page of slots.
 */
#define TCG_NEXT(env, d) do {                                   \
        const DecodedInsn *next_ = (d) + 1;                    \
        return next_->fn((env), next_);                        \
    } while (0)

static inline const DecodedInsn *tcg_exit_to(CPUARMState *env, uint64_t pc)
{
    env->pc = pc;
    return NULL;
}

static inline uint64_t sext(uint64_t v, unsigned bits)
{
    return (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
}

/* --- decode (decode.c) --- */
const DecodedInsn *tcg_op_decode(CPUARMState *env, const DecodedInsn *d);
const DecodedInsn *tcg_op_undef(CPUARMState *env, const DecodedInsn *d);
const DecodedInsn *tcg_op_page_end(CPUARMState *env, const DecodedInsn *d);
/* Decoders per class: fill *d (not idx) and return true, false = UNDEF. */
bool tcg_decode_dp_imm(DecodedInsn *d, uint32_t insn);
bool tcg_decode_dp_reg(DecodedInsn *d, uint32_t insn);
bool tcg_decode_dp_reg2(DecodedInsn *d, uint32_t insn);
bool tcg_decode_branch_sys(DecodedInsn *d, uint32_t insn);
bool tcg_decode_ldst(DecodedInsn *d, uint32_t insn);
bool tcg_decode_ldst_ex(DecodedInsn *d, uint32_t insn);
bool tcg_decode_simd(DecodedInsn *d, uint32_t insn);
bool tcg_decode_simd_ldst(DecodedInsn *d, uint32_t insn);
/* Compare + B.cond fusion (decode-fuse.c); off = one slot per insn. */
void tcg_fuse(DecodedInsn *n, uint32_t insn, uint32_t next);
extern bool tcg_fusion_enabled;
/* Model has LSE atomics / CRC32 (all our A64 models do). */
extern bool tcg_feature_lse;
extern bool tcg_feature_crc32;

/* --- condition codes --- */
extern const uint16_t tcg_cond_table[16];
static inline bool cond_holds(const CPUARMState *env, unsigned cond)
{
    return (tcg_cond_table[cond] >> (env->pstate >> 28)) & 1;
}

/* --- memory (mem.c) --- */
void tcg_tlb_flush(TcgVcpu *v);
void tcg_tlb_flush_page(TcgVcpu *v, uint64_t va);
void tcg_update_mmu_idx(CPUARMState *env);
/* Translate for the slow path; on fault raises the abort (longjmp). */
TlbEntry *tcg_tlb_fill(CPUARMState *env, const DecodedInsn *d, uint64_t va,
                       int access, unsigned mmu_idx);
uint64_t tcg_ld_slow(CPUARMState *env, const DecodedInsn *d, uint64_t va,
                     unsigned size, unsigned mmu_idx);
void tcg_st_slow(CPUARMState *env, const DecodedInsn *d, uint64_t va,
                 unsigned size, uint64_t val, unsigned mmu_idx);
/* Host pointer for an aligned RAM access (exclusives, atomics). */
void *tcg_host_rw(CPUARMState *env, const DecodedInsn *d, uint64_t va,
                  unsigned size, unsigned mmu_idx);
/* Alignment fault unless va is size-aligned (exclusives, acquire). */
void tcg_check_align(CPUARMState *env, const DecodedInsn *d, uint64_t va,
                     unsigned size);
/* After writing through tcg_host_rw's pointer: dirty bit, code check. */
void tcg_host_rw_commit(CPUARMState *env, uint64_t va);
void tcg_code_write(TlbEntry *e, uint64_t va);
CodePage *tcg_code_page(CPUARMState *env, uint64_t pc);
void tcg_code_invalidate_all(void);

enum { ACC_READ = 0, ACC_WRITE = 1, ACC_EXEC = 2 };

static inline TlbEntry *tlb_entry(TlbEntry *tlb, uint64_t va)
{
    return &tlb[(va >> 12) & (TLB_SIZE - 1)];
}

static inline uint64_t tcg_ld_tlb(CPUARMState *env, const DecodedInsn *d,
                                  uint64_t va, unsigned size, TlbEntry *tlb,
                                  unsigned mmu_idx)
{
    TlbEntry *e = tlb_entry(tlb, va);
    if (__builtin_expect(e->tag_r == (va & ~0xfffULL) &&
                         (va & 0xfff) <= 0x1000 - size, 1)) {
        void *p = (void *)(uintptr_t)(va + e->addend);
        switch (size) {
        case 1: return *(uint8_t *)p;
        case 2: return *(uint16_t *)p;
        case 4: return *(uint32_t *)p;
        default: return *(uint64_t *)p;
        }
    }
    return tcg_ld_slow(env, d, va, size, mmu_idx);
}

static inline void tcg_st_tlb(CPUARMState *env, const DecodedInsn *d,
                              uint64_t va, unsigned size, uint64_t val,
                              TlbEntry *tlb, unsigned mmu_idx)
{
    TlbEntry *e = tlb_entry(tlb, va);
    if (__builtin_expect(e->tag_w == (va & ~0xfffULL) &&
                         (va & 0xfff) <= 0x1000 - size, 1)) {
        void *p = (void *)(uintptr_t)(va + e->addend);
        switch (size) {
        case 1: *(uint8_t *)p = val; break;
        case 2: *(uint16_t *)p = val; break;
        case 4: *(uint32_t *)p = val; break;
        default: *(uint64_t *)p = val; break;
        }
        /* Migration: every RAM store marks its page (issue 4 item 4). */
        memory_region_set_dirty(e->mr, e->mr_off, 1);
        if (__builtin_expect(e->codemap[e->mr_off >> 12], 0)) {
            tcg_code_write(e, va);
        }
        return;
    }
    tcg_st_slow(env, d, va, size, val, mmu_idx);
}

static inline uint64_t tcg_ld(CPUARMState *env, const DecodedInsn *d,
                              uint64_t va, unsigned size)
{
    TcgVcpu *v = env->tcg;
    return tcg_ld_tlb(env, d, va, size, v->cur_tlb, v->mmu_idx);
}

static inline void tcg_st(CPUARMState *env, const DecodedInsn *d,
                          uint64_t va, unsigned size, uint64_t val)
{
    TcgVcpu *v = env->tcg;
    tcg_st_tlb(env, d, va, size, val, v->cur_tlb, v->mmu_idx);
}

/* Unprivileged access (LDTR/STTR): EL0 permissions when run at EL1. */
static inline unsigned tcg_unpriv_idx(CPUARMState *env)
{
    if (arm_current_el(env) == 1 && !(env->pstate & PSTATE_UAO)) {
        return MMU_IDX_EL0;
    }
    return env->tcg->mmu_idx;
}

/* --- MMU walk (mmu.c) --- */
typedef struct TcgTranslation {
    uint64_t pa;
    bool r, w, x;        /* permitted at the requested mmu index */
    uint8_t attr;        /* MAIR attribute byte */
} TcgTranslation;
typedef struct TcgFault {
    uint32_t fsc;        /* DFSC/IFSC */
    bool s1ptw;
} TcgFault;
/* Walk; returns false with *f filled on a translation/permission fault. */
bool tcg_mmu_translate(CPUARMState *env, uint64_t va, int access,
                       unsigned mmu_idx, TcgTranslation *t, TcgFault *f);
uint64_t tcg_mmu_at(ARMCPU *cpu, uint64_t va, bool is_write, unsigned el);

/* --- exceptions (exception.c) --- */
/* Exception classes (Arm ARM D17.2.37 ESR_ELx.EC). */
enum {
    EC_UNKNOWN = 0x00, EC_WFX = 0x01, EC_FP_TRAP = 0x07,
    EC_ILLEGAL_STATE = 0x0e, EC_SVC64 = 0x15, EC_HVC64 = 0x16,
    EC_SMC64 = 0x17, EC_SYSREG = 0x18, EC_INSN_ABORT_LOWER = 0x20,
    EC_INSN_ABORT = 0x21, EC_PC_ALIGN = 0x22, EC_DATA_ABORT_LOWER = 0x24,
    EC_DATA_ABORT = 0x25, EC_SP_ALIGN = 0x26, EC_SERROR = 0x2f,
    EC_BRK = 0x3c,
};
enum { EXC_SYNC = 0, EXC_IRQ = 1, EXC_FIQ = 2, EXC_SERROR = 3 };

/* Take an exception to EL1; preferred return address pc. */
void tcg_take_exception(CPUARMState *env, unsigned type, uint32_t esr,
                        uint64_t far, bool far_valid, uint64_t ret_pc);
/* Synchronous exception from slot d: never returns (longjmp). */
QEMU_NORETURN void tcg_raise(CPUARMState *env, const DecodedInsn *d,
                             uint32_t esr, uint64_t far, bool far_valid);
/* Same but returns the "leave to outer loop" value (for handlers). */
const DecodedInsn *tcg_raise_ret(CPUARMState *env, const DecodedInsn *d,
                                 uint32_t esr);
void tcg_eret(CPUARMState *env);
/* Take a pending unmasked interrupt; true if one was taken. */
bool tcg_check_interrupts(CPUARMState *env);
/* Live SP <-> sp_el[] */
void tcg_sp_sync_out(CPUARMState *env);
void tcg_sp_sync_in(CPUARMState *env);

#define ESR_IL (1u << 25)
static inline uint32_t esr_make(unsigned ec, uint32_t iss)
{
    return (ec << 26) | ESR_IL | (iss & 0x1ffffff);
}

/* --- system register API: arm_cpreg_mrs / arm_cpreg_msr --- */
#include "cpregs.h"

/* --- PSCI (target/arm/psci.c) --- */
#include "psci.h"

/* --- run loop (accel/tcg) --- */
/* Run until exit request / halt / budget; returns after outer loop ends. */
void tcg_cpu_exec(TcgVcpu *v);
TcgVcpu *tcg_vcpu_create(ARMCPU *cpu);
void tcg_vcpu_destroy(TcgVcpu *v);
extern const ArmAccelHooks tcg_accel_hooks;
/* The vCPU this thread runs, NULL on other threads. */
extern __thread TcgVcpu *tcg_current_vcpu;

static inline ARMCPU *env_cpu(CPUARMState *env)
{
    return (ARMCPU *)((char *)env - offsetof(ARMCPU, env));
}

#endif
