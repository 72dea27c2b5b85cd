/*
 * A64 branches, exception generation and system instructions (Arm ARM
 * C4.1.87): B/BL/B.cond/CBZ/TBZ/BR/BLR/RET/ERET, SVC/HVC/SMC/BRK, hints
 * (WFI, WFE, YIELD, SEV...), barriers, MSR immediate (PSTATE fields),
 * MRS/MSR and SYS through the register table (cpregs.h API).
 */
#include "alu.h"
#include "qemu/log.h"

/*
 * ---- immediate branches: imm = byte offset, b = 1 when the target slot is
 * in the same page (known at decode: slot index + offset in 0..1023) ----
 */
static inline const DecodedInsn *branch_rel(CPUARMState *env,
                                            const DecodedInsn *d)
{
    if (d->b) {
        TcgVcpu *v = env->tcg;
        if (--v->budget > 0) {
            const DecodedInsn *next = d + ((int64_t)d->imm >> 2);
#ifdef __OPTIMIZE__
            return next->fn(env, next);
#else
            return next;
#endif
        }
    }
    return tcg_goto(env, d, insn_pc(env, d) + d->imm);
}

static const DecodedInsn *op_b(CPUARMState *env, const DecodedInsn *d)
{
    return branch_rel(env, d);
}

static const DecodedInsn *op_bl(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t pc = insn_pc(env, d);
    env->xregs[30] = pc + 4;
    return tcg_goto(env, d, pc + d->imm);
}

static const DecodedInsn *op_bcond(CPUARMState *env, const DecodedInsn *d)
{
    if (cond_holds(env, d->c)) {
        return branch_rel(env, d);
    }
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_cbz64(CPUARMState *env, const DecodedInsn *d)
{
    if (REG(d->rd) == 0) {
        return branch_rel(env, d);
    }
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_cbnz64(CPUARMState *env, const DecodedInsn *d)
{
    if (REG(d->rd) != 0) {
        return branch_rel(env, d);
    }
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_cbz32(CPUARMState *env, const DecodedInsn *d)
{
    if (REG32(d->rd) == 0) {
        return branch_rel(env, d);
    }
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_cbnz32(CPUARMState *env, const DecodedInsn *d)
{
    if (REG32(d->rd) != 0) {
        return branch_rel(env, d);
    }
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_tbz(CPUARMState *env, const DecodedInsn *d)
{
    if (!((REG(d->rd) >> d->a) & 1)) {
        return branch_rel(env, d);
    }
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_tbnz(CPUARMState *env, const DecodedInsn *d)
{
    if ((REG(d->rd) >> d->a) & 1) {
        return branch_rel(env, d);
    }
    TCG_NEXT(env, d);
}

/* ---- register branches ---- */
static const DecodedInsn *op_br(CPUARMState *env, const DecodedInsn *d)
{
    return tcg_goto(env, d, REG(d->rn));
}

static const DecodedInsn *op_blr(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t target = REG(d->rn);
    env->xregs[30] = insn_pc(env, d) + 4;
    return tcg_goto(env, d, target);
}

static const DecodedInsn *op_eret(CPUARMState *env, const DecodedInsn *d)
{
    if (arm_current_el(env) == 0) {
        return tcg_op_undef(env, d);
    }
    tcg_eret(env);
    return NULL;
}

/* ---- exception generation ---- */
static const DecodedInsn *op_svc(CPUARMState *env, const DecodedInsn *d)
{
    tcg_take_exception(env, EXC_SYNC, esr_make(EC_SVC64, d->imm), 0, false,
                       insn_pc(env, d) + 4);
    return NULL;
}

static const DecodedInsn *op_brk(CPUARMState *env, const DecodedInsn *d)
{
    return tcg_raise_ret(env, d, esr_make(EC_BRK, d->imm));
}

/*
 * HVC/SMC: no EL2/EL3 is implemented, so the VMM answers as firmware would
 * (PSCI over SMCCC, like QEMU's "psci-conduit").  At EL0 both are UNDEF.
 */
static const DecodedInsn *op_hvc_smc(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t next = insn_pc(env, d) + 4;
    if (arm_current_el(env) == 0) {
        return tcg_op_undef(env, d);
    }
    env->pc = next;
    tcg_sp_sync_out(env);
    arm_psci_call(env_cpu(env));
    tcg_sp_sync_in(env);
    /* CPU_OFF / SYSTEM_OFF change run state: let the outer loop look. */
    return tcg_exit_to(env, env->pc);
}

/* ---- hints and barriers ---- */
static const DecodedInsn *op_nop(CPUARMState *env, const DecodedInsn *d)
{
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_wfi(CPUARMState *env, const DecodedInsn *d)
{
    /* Wakes on any pending interrupt, masked or not (Arm ARM D1.6.2). */
    if (!(__atomic_load_n(&env->interrupt_request, __ATOMIC_RELAXED) &
          (CPU_INTERRUPT_HARD | CPU_INTERRUPT_FIQ |
             CPU_INTERRUPT_SERROR))) {
        env->halted = 1;
    }
    return tcg_exit_to(env, insn_pc(env, d) + 4);
}

/* WFE/YIELD: give other threads a chance; events are not modelled. */
static const DecodedInsn *op_yield(CPUARMState *env, const DecodedInsn *d)
{
    return tcg_exit_to(env, insn_pc(env, d) + 4);
}

/*
 * Pointer authentication, HINT-space forms (Arm ARM C6.2 AUTIASP etc.).
 * We do not compute PACs: PAC* are NOPs, so pointers signed here carry no
 * code, and AUTxx and XPACLRI strip the PAC field instead of checking it.  That
 * keeps guests working whose return addresses were signed before they
 * migrated from KVM (where PAuth is real), at the price of no protection.
 * The PAC field is bits [54:64-TxSZ], plus [63:56] without top-byte ignore
 * for instructions (TBI off, or TBID set) (Arm ARM D8.9 "PAC field").
 */
static uint64_t pac_strip(CPUARMState *env, uint64_t ptr)
{
    uint64_t tcr = env->sys.tcr_el[1];
    bool hi = (ptr >> 55) & 1;
    unsigned tsz = hi ? (tcr >> 16) & 0x3f : tcr & 0x3f;
    bool tbi = (tcr >> (hi ? 38 : 37)) & 1;
    bool tbid = (tcr >> (hi ? 52 : 51)) & 1;
    uint64_t mask;

    if (!(env->sys.sctlr_el[1] & 1)) {
        tsz = 16;                       /* MMU off: 48-bit addresses */
    }
    tsz = tsz < 16 ? 16 : tsz > 39 ? 39 : tsz;
    mask = ((1ULL << 55) - 1) & ~((1ULL << (64 - tsz)) - 1);
    if (!tbi || tbid) {
        mask |= 0xffULL << 56;
    }
    return hi ? ptr | mask : ptr & ~mask;
}

/* a = register to strip: 30 (LR) or 17 (X17) */
static const DecodedInsn *op_pac_strip(CPUARMState *env, const DecodedInsn *d)
{
    env->xregs[d->a] = pac_strip(env, env->xregs[d->a]);
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_dmb(CPUARMState *env, const DecodedInsn *d)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    TCG_NEXT(env, d);
}

static const DecodedInsn *op_isb(CPUARMState *env, const DecodedInsn *d)
{
    /* Context synchronization: re-enter the outer loop (new EL/MMU state). */
    return tcg_exit_to(env, insn_pc(env, d) + 4);
}

static const DecodedInsn *op_clrex(CPUARMState *env, const DecodedInsn *d)
{
    env->exclusive_addr = -1;
    TCG_NEXT(env, d);
}

/* ---- MSR (immediate): a = field selector, b = CRm ---- */
enum { PF_SPSEL, PF_DAIFSET, PF_DAIFCLR, PF_PAN, PF_UAO, PF_SSBS, PF_DIT };

static const DecodedInsn *op_msr_imm(CPUARMState *env, const DecodedInsn *d)
{
    unsigned el = arm_current_el(env);
    uint32_t crm = d->b;

    if (el == 0 && d->a != PF_DAIFSET && d->a != PF_DAIFCLR &&
        d->a != PF_SSBS && d->a != PF_DIT) {
        return tcg_op_undef(env, d);
    }
    if (el == 0 && !(env->sys.sctlr_el[1] & (1u << 9))) {   /* SCTLR.UMA */
        if (d->a == PF_DAIFSET || d->a == PF_DAIFCLR) {
            return tcg_raise_ret(env, d, esr_make(EC_SYSREG, 0));
        }
    }
    tcg_sp_sync_out(env);
    switch (d->a) {
    case PF_SPSEL:
        env->pstate = (env->pstate & ~PSTATE_SP) | (crm & 1);
        break;
    case PF_DAIFSET:
        env->pstate |= (crm & 0xf) << 6;
        break;
    case PF_DAIFCLR:
        env->pstate &= ~((crm & 0xf) << 6);
        break;
    case PF_PAN:
        env->pstate = (env->pstate & ~PSTATE_PAN) | ((crm & 1) ? PSTATE_PAN : 0);
        break;
    case PF_UAO:
        env->pstate = (env->pstate & ~PSTATE_UAO) | ((crm & 1) ? PSTATE_UAO : 0);
        break;
    case PF_SSBS:
        env->pstate = (env->pstate & ~PSTATE_SSBS) |
                      ((crm & 1) ? PSTATE_SSBS : 0);
        break;
    case PF_DIT:
        env->pstate = (env->pstate & ~PSTATE_DIT) | ((crm & 1) ? PSTATE_DIT : 0);
        break;
    }
    tcg_sp_sync_in(env);
    tcg_update_mmu_idx(env);
    /* Unmasking may make an interrupt deliverable: back to the outer loop. */
    return tcg_exit_to(env, insn_pc(env, d) + 4);
}

/* ---- MRS / MSR / SYS through the register table ---- */
/*
 * ISS for EC 0x18 (Arm ARM D17.2.37 "ISS encoding for an exception from
 * MSR, MRS, or System instruction"): Op0, Op2, Op1, CRn, Rt, CRm, Direction.
 */
static uint32_t sysreg_iss(const DecodedInsn *d)
{
    uint32_t insn = d->insn;
    return ((insn >> 19) & 3) << 20 | ((insn >> 5) & 7) << 17 |
           ((insn >> 16) & 7) << 14 | ((insn >> 12) & 15) << 10 |
           (insn & 31) << 5 | ((insn >> 8) & 15) << 1 | ((insn >> 21) & 1);
}

static const DecodedInsn *sysreg_fail(CPUARMState *env, const DecodedInsn *d,
                                      int rc)
{
    switch (rc) {
    case ARM_CP_EXC_TRAP_EL1:
        return tcg_raise_ret(env, d, esr_make(EC_SYSREG, sysreg_iss(d)));
    case ARM_CP_EXC_FP_TRAP:
        /* ISS: CV=1, COND=0xe (Arm ARM D17.2.37, EC 0x07) */
        return tcg_raise_ret(env, d, esr_make(EC_FP_TRAP, 0x1e00000));
    case ARM_CP_EXC_UNDEF:
        break;
    default:
        qemu_log_mask(LOG_UNIMP, "tcg: sysreg insn 0x%08x traps to EL%d, "
                      "which does not exist: UNDEF\n", d->insn, rc);
        break;
    }
    return tcg_op_undef(env, d);
}

static const DecodedInsn *op_mrs(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t val = 0;
    int rc;

    tcg_sp_sync_out(env);
    rc = arm_cpreg_mrs(env_cpu(env), (uint32_t)d->imm, &val);
    if (rc) {
        return sysreg_fail(env, d, rc);
    }
    REG(d->rd) = val;
    return d + 1;           /* not a tail call: &val escapes (see TCG_NEXT) */
}

/* Registers whose writes change translation: flush our TLB ourselves. */
static bool enc_affects_mmu(uint32_t enc)
{
    switch (enc) {
    case 0xc080: /* SCTLR_EL1 (3,0,1,0,0) */
    case 0xc100: /* TTBR0_EL1 */
    case 0xc101: /* TTBR1_EL1 */
    case 0xc102: /* TCR_EL1 */
    case 0xc510: /* MAIR_EL1 */
        return true;
    default:
        return false;
    }
}

static const DecodedInsn *op_msr(CPUARMState *env, const DecodedInsn *d)
{
    uint32_t enc = (uint32_t)d->imm;
    int rc;

    tcg_sp_sync_out(env);
    rc = arm_cpreg_msr(env_cpu(env), enc, REG(d->rd));
    if (rc) {
        return sysreg_fail(env, d, rc);
    }
    tcg_sp_sync_in(env);
    if (enc_affects_mmu(enc)) {
        tcg_tlb_flush(env->tcg);
    }
    tcg_update_mmu_idx(env);
    /* DAIF/NZCV/SPSel writes and context changes: resync in outer loop. */
    return tcg_exit_to(env, insn_pc(env, d) + 4);
}

/* DC ZVA (Arm ARM C5.3.8): zero a DCZID_EL0-sized aligned block. */
static const DecodedInsn *op_dc_zva(CPUARMState *env, const DecodedInsn *d)
{
    uint64_t dczid = 4, va;
    unsigned bytes;
    int rc = arm_cpreg_msr(env_cpu(env), (uint32_t)d->imm, REG(d->rd));

    if (rc) {
        return sysreg_fail(env, d, rc);
    }
    if (arm_cpreg_mrs(env_cpu(env), 0xd807, &dczid) != 0) {  /* DCZID_EL0 */
        dczid = 4;
    }
    if (dczid & 0x10) {                 /* DZP: prohibited */
        return tcg_op_undef(env, d);
    }
    bytes = 4u << (dczid & 0xf);
    va = REG(d->rd) & ~(uint64_t)(bytes - 1);
    for (unsigned i = 0; i < bytes; i += 8) {
        tcg_st(env, d, va + i, 8, 0);
    }
    return d + 1;
}

static bool decode_system(DecodedInsn *d, uint32_t insn)
{
    bool l = (insn >> 21) & 1;
    unsigned op0 = (insn >> 19) & 3, op1 = (insn >> 16) & 7;
    unsigned crn = (insn >> 12) & 0xf, crm = (insn >> 8) & 0xf;
    unsigned op2 = (insn >> 5) & 7, rt = insn & 31;

    if (op0 == 0 && !l) {
        if (crn == 2 && rt == 31) {                 /* hints */
            switch (crm << 3 | op2) {
            case 1: case 2: d->fn = op_yield; return true; /* YIELD, WFE */
            case 3: d->fn = op_wfi; return true;
            case 0x07:                          /* XPACLRI */
            case 0x1c: case 0x1d: case 0x1e: case 0x1f: /* AUTI[AB]{Z,SP} */
                d->a = 30;
                d->fn = op_pac_strip;
                return true;
            case 0x0c: case 0x0e:               /* AUTIA1716, AUTIB1716 */
                d->a = 17;
                d->fn = op_pac_strip;
                return true;
            default: d->fn = op_nop; return true;  /* NOP, SEV, PAC, BTI.. */
            }
        }
        if (crn == 3 && op1 == 3 && rt == 31) {      /* barriers */
            switch (op2) {
            case 2: d->fn = op_clrex; return true;
            case 4: case 5: d->fn = op_dmb; return true;
            case 6: d->fn = op_isb; return true;
            case 7: d->fn = op_nop; return crm == 0;  /* SB */
            default: return false;
            }
        }
        if (crn == 4 && rt == 31) {                  /* MSR (immediate) */
            d->b = crm;
            switch (op1 << 3 | op2) {
            case 0x05: d->a = PF_SPSEL; break;
            case 0x1e: d->a = PF_DAIFSET; break;
            case 0x1f: d->a = PF_DAIFCLR; break;
            case 0x04: d->a = PF_PAN; break;
            case 0x03: d->a = PF_UAO; break;
            case 0x19: d->a = PF_SSBS; break;
            case 0x1a: d->a = PF_DIT; break;
            default: return false;
            }
            d->fn = op_msr_imm;
            return true;
        }
        return false;
    }
    if (op0 == 0) {
        return false;
    }
    d->imm = (insn >> 5) & 0xffff;
    d->a = d->imm & 0xff;
    d->b = d->imm >> 8;
    if (l) {
        d->rd = reg_zw(rt);
        d->fn = op_mrs;
    } else {
        d->rd = reg_zr(rt);
        d->fn = (d->imm == 0x5ba1) ? op_dc_zva : op_msr;  /* DC ZVA 1,3,7,4,1 */
    }
    return true;
}

static bool same_page(const DecodedInsn *d)
{
    int64_t slot = (int64_t)d->idx + ((int64_t)d->imm >> 2);
    return slot >= 0 && slot < CODE_PAGE_INSNS;
}

bool tcg_decode_branch_sys(DecodedInsn *d, uint32_t insn)
{
    if (((insn >> 26) & 0x1f) == 5) {               /* B, BL */
        d->imm = sext((insn & 0x3ffffff) << 2, 28);
        d->fn = (insn >> 31) ? op_bl : op_b;
        d->b = same_page(d);
        return true;
    }
    if ((insn >> 24) == 0x54) {                     /* B.cond */
        if (insn & 0x10) {
            return false;
        }
        d->imm = sext(((insn >> 5) & 0x7ffff) << 2, 21);
        d->c = insn & 0xf;
        d->fn = op_bcond;
        d->b = same_page(d);
        return true;
    }
    if (((insn >> 25) & 0x3f) == 0x1a) {            /* CBZ, CBNZ */
        bool sf = insn >> 31, nz = (insn >> 24) & 1;
        d->imm = sext(((insn >> 5) & 0x7ffff) << 2, 21);
        d->rd = reg_zr(insn & 31);
        d->fn = sf ? (nz ? op_cbnz64 : op_cbz64) : (nz ? op_cbnz32 : op_cbz32);
        d->b = same_page(d);
        return true;
    }
    if (((insn >> 25) & 0x3f) == 0x1b) {            /* TBZ, TBNZ */
        d->imm = sext(((insn >> 5) & 0x3fff) << 2, 16);
        d->rd = reg_zr(insn & 31);
        d->a = ((insn >> 31) << 5) | ((insn >> 19) & 31);
        d->fn = ((insn >> 24) & 1) ? op_tbnz : op_tbz;
        d->b = same_page(d);
        return true;
    }
    if ((insn >> 24) == 0xd4) {                     /* exception generation */
        unsigned opc = (insn >> 21) & 7, ll = insn & 3;
        d->imm = (insn >> 5) & 0xffff;
        if ((insn >> 2) & 7) {
            return false;
        }
        if (opc == 0 && ll == 1) {
            d->fn = op_svc;
            return true;
        }
        if (opc == 0 && (ll == 2 || ll == 3)) {
            d->fn = op_hvc_smc;
            return true;
        }
        if (opc == 1 && ll == 0) {
            d->fn = op_brk;
            return true;
        }
        return false;
    }
    if ((insn >> 22) == 0x354) {                    /* system */
        return decode_system(d, insn);
    }
    if ((insn >> 25) == 0x6b) {                     /* branch to register */
        unsigned opc = (insn >> 21) & 0xf;
        if (((insn >> 16) & 0x1f) != 0x1f || ((insn >> 10) & 0x3f) ||
            (insn & 31)) {
            return false;                           /* PAuth forms */
        }
        d->rn = reg_zr((insn >> 5) & 31);
        switch (opc) {
        case 0: case 2: d->fn = op_br; return true;  /* BR, RET */
        case 1: d->fn = op_blr; return true;
        case 4:
            d->fn = op_eret;
            return ((insn >> 5) & 31) == 31;
        default: return false;
        }
    }
    return false;
}
