/*
 * The ARM CPU: architectural state shared by every accelerator.
 *
 * One state model (BRIEF 5): the interpreter executes on it, KVM copies into
 * and out of it, migration saves it.  System registers that have storage of
 * their own live in ArmSysRegs (named fields, so the MMU and exception code
 * can read them directly); the register table (cpregs.h) describes each one
 * and points at its field.
 *
 * Ownership of this file: the register-table work (issue 3) owns the layout;
 * the interpreter adds only what it needs, in the block marked for it.
 */
#ifndef TARGET_ARM_CPU_H
#define TARGET_ARM_CPU_H

#include "qemu/osdep.h"
#include "qapi/error.h"

/* PSTATE bits in SPSR layout (Arm ARM C5.2.19 SPSR_EL1, AArch64 state). */
#define PSTATE_SP      (1u << 0)
#define PSTATE_EL_SHIFT 2
#define PSTATE_EL_MASK (3u << 2)
#define PSTATE_nRW     (1u << 4)
#define PSTATE_F       (1u << 6)
#define PSTATE_I       (1u << 7)
#define PSTATE_A       (1u << 8)
#define PSTATE_D       (1u << 9)
#define PSTATE_BTYPE   (3u << 10)
#define PSTATE_SSBS    (1u << 12)
#define PSTATE_IL      (1u << 20)
#define PSTATE_SS      (1u << 21)
#define PSTATE_PAN     (1u << 22)
#define PSTATE_UAO     (1u << 23)
#define PSTATE_DIT     (1u << 24)
#define PSTATE_TCO     (1u << 25)
#define PSTATE_V       (1u << 28)
#define PSTATE_C       (1u << 29)
#define PSTATE_Z       (1u << 30)
#define PSTATE_N       (1u << 31)
#define PSTATE_NZCV    (0xfu << 28)
#define PSTATE_DAIF    (PSTATE_D | PSTATE_A | PSTATE_I | PSTATE_F)

/* interrupt_request bits, numbered as QEMU numbers them (facts 3.1). */
#define CPU_INTERRUPT_HARD  0x0002
#define CPU_INTERRUPT_FIQ   0x0010
#define CPU_INTERRUPT_VIRQ  0x0040
#define CPU_INTERRUPT_VSERR 0x0100
#define CPU_INTERRUPT_VFIQ  0x0200
/* Ours (QEMU tracks it elsewhere): env->serror.pending is set. */
#define CPU_INTERRUPT_SERROR 0x10000

/* PSCI power state of a vCPU. */
typedef enum {
    PSCI_ON = 0,
    PSCI_OFF = 1,
    PSCI_ON_PENDING = 2,
} ArmPowerState;

/*
 * System registers with storage.  Arrays indexed by EL hold the _ELx
 * instances (index 0 unused where no EL0 instance exists).
 */
typedef struct ArmSysRegs {
    uint64_t sctlr_el[4];
    uint64_t actlr_el[4];
    uint64_t cpacr_el1;
    uint64_t ttbr0_el[4];
    uint64_t ttbr1_el[4];
    uint64_t tcr_el[4];
    uint64_t mair_el[4];
    uint64_t amair_el[4];
    uint64_t vbar_el[4];
    uint64_t esr_el[4];
    uint64_t far_el[4];
    uint64_t afsr0_el[4];
    uint64_t afsr1_el[4];
    uint64_t par_el1;
    uint64_t contextidr_el1;
    uint64_t tpidr_el[4];        /* TPIDR_EL0..EL3 */
    uint64_t tpidrro_el0;
    uint64_t cntkctl_el1;
    uint64_t mdscr_el1;
    uint64_t oslsr_el1;
    uint64_t mdccint_el1;
    uint64_t disr_el1;
    uint64_t csselr_el1;
    uint64_t vpidr_el2;
    uint64_t vmpidr_el2;
    uint64_t hcr_el2;
    uint64_t scr_el3;
    /* Generic timer (Arm ARM D11): 0 = physical, 1 = virtual. */
    uint64_t cnt_ctl[2];
    uint64_t cnt_cval[2];
    uint64_t cntvoff_el2;
    /* Pointer authentication keys (lo, hi): APIA, APIB, APDA, APDB, APGA. */
    uint64_t apkey[5][2];
    /* PMU */
    uint64_t pmcr_el0;
    uint64_t pmcntenset_el0;
    uint64_t pmintenset_el1;
    uint64_t pmovsset_el0;
    uint64_t pmuserenr_el0;
    uint64_t pmselr_el0;
    uint64_t pmccntr_el0;
    uint64_t pmccfiltr_el0;
    uint64_t pmevcntr_el0[31];
    uint64_t pmevtyper_el0[31];
    /* Debug breakpoints and watchpoints (up to 16 each). */
    uint64_t dbgbvr[16];
    uint64_t dbgbcr[16];
    uint64_t dbgwvr[16];
    uint64_t dbgwcr[16];
    /* AArch32 views with storage of their own (AArch64-at-EL1 guests). */
    uint64_t dacr32_el2;
    uint64_t ifsr32_el2;
    uint64_t fpexc32_el2;
    uint64_t dbgvcr32_el2;
    /* Added by the register tables (issue 3). */
    uint64_t zcr_el[4];          /* SVE vector length control (ZCR_EL1) */
    uint64_t osdlr_el1;
    uint64_t dbgclaim_el1;       /* DBGCLAIMSET/CLR shared tag bits */
} ArmSysRegs;

/*
 * Identification values of one vCPU: the model's values after the CPU
 * properties (pmu=off, sve=on, ...) have been applied.  Read-only to the
 * guest; the register table reads them (cpregs-id.c).
 */
typedef struct ArmIdRegs {
    /* (op0=3, op1=0, CRn=0, CRm, op2) at [CRm * 8 + op2], CRm 0..7.
     * MIDR_EL1 is [0], REVIDR_EL1 [6]; MPIDR_EL1 ([5]) comes from
     * ARMCPU.mp_affinity instead.  Unallocated slots stay 0 (RAZ). */
    uint64_t idspace[64];
    uint64_t ctr;
    uint64_t clidr;
    uint64_t dczid;
    uint64_t aidr;
    uint32_t ccsidr[16];         /* indexed by CSSELR_EL1 (Level << 1 | InD) */
    uint32_t fpsid;              /* AArch32 only (cpu section "cpu/vfp") */
    uint32_t pmceid[2];          /* PMCEID0/1_EL0 */
    uint32_t pmcr;               /* PMCR_EL0 reset: IMP, IDCODE, N fields */
} ArmIdRegs;

#define ARM_IDSPACE_IDX(crm, op2) ((crm) * 8 + (op2))

typedef struct CPUARMState {
    /* AArch64 general-purpose registers; SP is not xregs[31]. */
    uint64_t xregs[32];
    uint64_t pc;
    uint32_t pstate;             /* SPSR layout, NZCV included */
    uint64_t sp_el[4];           /* SP_EL0..SP_EL3 */
    uint64_t elr_el[4];          /* ELR_EL1..3 at [1..3] */
    uint64_t spsr_el[4];         /* SPSR_EL1..3 at [1..3] */

    /* AArch32 view, used when PSTATE.nRW = 1 (cortex-a15 and EL0 AArch32). */
    uint32_t regs[16];
    uint32_t spsr;
    uint64_t banked_spsr[8];
    uint32_t banked_r13[8];
    uint32_t banked_r14[8];
    uint32_t usr_regs[5];
    uint32_t fiq_regs[5];

    /* FP/SIMD: V0-V31 as two little-endian doublewords each. */
    uint64_t vregs[32][2];
    uint32_t fpcr;
    uint32_t fpsr;

    /* Exclusive monitor (Arm ARM B2.9); exclusive_addr = -1 when clear. */
    uint64_t exclusive_addr;
    uint64_t exclusive_val;
    uint64_t exclusive_high;

    /* The exception being taken (syndrome, fault status and address). */
    struct {
        uint64_t syndrome;
        uint32_t fsr;
        uint64_t vaddress;
        uint32_t target_el;
    } exception;
    int32_t exception_index;     /* -1 = none pending */
    /*
     * A pending physical SError (Arm ARM D1.12.4, "SError exceptions"),
     * e.g. imported from KVM's vCPU events; taken when PSTATE.A is clear,
     * with ESR_ELx.ISS = esr when has_esr.  Raise it with
     * arm_cpu_set_serror() so the vCPU notices (CPU_INTERRUPT_SERROR).
     */
    struct {
        uint8_t pending;
        uint8_t has_esr;
        uint64_t esr;
    } serror;

    uint32_t halted;
    uint32_t interrupt_request;
    uint32_t irq_line_state;
    ArmPowerState power_state;

    ArmSysRegs sys;

    /* ---- interpreter-private block (accel/tcg may add fields here) ---- */
    uint64_t tcg_sp;             /* live SP while the interpreter runs */
    uint64_t tcg_zero;           /* XZR as a source operand: always 0 */
    uint64_t tcg_discard;        /* XZR as a destination: written, never read */
    struct TcgVcpu *tcg;         /* interpreter vCPU (TLB, decode cache) */
} CPUARMState;


typedef struct ARMCPU ARMCPU;

/*
 * What the register table needs from whichever accelerator runs the CPU:
 * side effects of TLBI/IC/AT and of context-changing register writes.  Set
 * by the accelerator; NULL hooks are skipped (qtest, KVM).
 */
typedef struct ArmAccelHooks {
    void (*tlb_flush)(ARMCPU *cpu);                 /* TLBI *ALL*, ASID, ctx */
    void (*tlb_flush_page)(ARMCPU *cpu, uint64_t va);
    void (*icache_inval)(ARMCPU *cpu);              /* IC IALLU(IS), IVAU */
    /* AT S1E{0,1}{R,W}: translate va, return the PAR_EL1 value. */
    uint64_t (*at)(ARMCPU *cpu, uint64_t va, bool is_write, unsigned el);
} ArmAccelHooks;

/* One vCPU.  Created by the board through arm_cpu_new(). */
struct ARMCPU {
    CPUARMState env;
    unsigned cpu_index;
    uint64_t mp_affinity;        /* MPIDR affinity fields */
    const struct ARMCPUModel *model;
    void *accel;                 /* accelerator-private vCPU state */
    void *regs;                  /* register table instance (cpregs.c) */
    const ArmAccelHooks *hooks;

    /* ---- Register-table state (issue 3; cpregs.c, cpreg-list.c) ---- */
    ArmIdRegs id;
    uint32_t cntfrq_hz;          /* CNTFRQ_EL0: 62.5 MHz like QEMU's virt */
    /*
     * The migrated register list: KVM ONE_REG ids sorted as u64, ALIAS and
     * NO_RAW entries and x-mig-hidden-regs excluded (BRIEF idea 1).
     */
    uint64_t *cpreg_indexes;
    uint32_t cpreg_array_len;
    /* CPU properties x-mig-hidden-regs / x-mig-safe-missing-regs. */
    uint64_t *mig_hidden_ids;
    uint32_t mig_hidden_len;
    uint64_t *mig_safe_missing_ids;
    uint32_t mig_safe_missing_len;
    /*
     * Staging arrays for the "cpu" VMState section (machine.c): filled by
     * pre_save, read by post_load.  Capacity ARM_CPREG_STREAM_MAX.
     */
    uint64_t *cpreg_vmstate_indexes;
    uint64_t *cpreg_vmstate_values;
    int32_t cpreg_vmstate_array_len;
    /* Other "cpu"/"cpu_common" wire fields with no home in env (machine.c). */
    uint32_t vmstate_vfp_xregs[16];  /* AArch32 VFP system regs (cpu/vfp) */
    uint64_t vmstate_fpcr64, vmstate_fpsr64;  /* cpu/vfp/fpcr_fpsr */
    int64_t gt_timer_expire[2];      /* QEMU "timer" fields; -1 when idle */
    bool crash_occurred;             /* cpu_common/crash_occurred */
};

/*
 * Create vCPU index from a model name ("max", "cortex-a57", ...) and an
 * optional property string ("pmu=off,sve=off"); fails naming the model or
 * property.  The CPU is reset.
 */
ARMCPU *arm_cpu_new(const char *model, const char *props, unsigned index,
                    Error **errp);
void arm_cpu_free(ARMCPU *cpu);
/* Architectural reset (registers to reset values, PC set by the board). */
void arm_cpu_reset(ARMCPU *cpu);
/* Print the model list for -cpu help. */
void arm_cpu_list(FILE *f);
bool arm_cpu_model_exists(const char *model);
/* "host": usable only under KVM (the caller refuses it otherwise). */
bool arm_cpu_model_kvm_only(const char *model);
/*
 * Replace the vCPU's identification with values read from KVM (ids/vals:
 * KVM ONE_REG ids of MIDR, REVIDR, AIDR, CTR, CLIDR, DCZID and the feature
 * ID space; others are ignored), then rebuild the register table so the
 * feature-dependent registers follow.  Register state is kept.
 */
bool arm_cpu_import_id_regs(ARMCPU *cpu, const uint64_t *ids,
                            const uint64_t *vals, uint32_t n, Error **errp);
/*
 * The board has a GICv3 whose CPU interface is system registers: advertise
 * it in ID_AA64PFR0_EL1.GIC and ID_PFR1_EL1.GIC (Arm ARM D19.2.64), as
 * guests look there before using ICC_* registers.  Call after arm_cpu_new.
 */
void arm_cpu_set_gic_sysregs(ARMCPU *cpu, bool on);
/* Register the "cpu_common" and "cpu" sections (instance = cpu_index). */
void arm_cpu_register_vmstate(ARMCPU *cpu);
/* Register x-query-cpregs with the QMP registry (called at start-up). */
void arm_cpu_qmp_register(void);

/* All vCPUs of the machine, in index order. */
extern ARMCPU *arm_cpus[];
extern unsigned arm_cpu_count;
#define ARM_MAX_CPUS 8

/* Make a physical SError pending on cpu (ISS = esr when has_esr). */
static inline void arm_cpu_set_serror(ARMCPU *cpu, bool has_esr, uint64_t esr)
{
    cpu->env.serror.has_esr = has_esr;
    cpu->env.serror.esr = esr;
    cpu->env.serror.pending = 1;
    __atomic_fetch_or(&cpu->env.interrupt_request, CPU_INTERRUPT_SERROR,
                      __ATOMIC_RELEASE);
}

static inline unsigned arm_current_el(const CPUARMState *env)
{
    return (env->pstate & PSTATE_EL_MASK) >> PSTATE_EL_SHIFT;
}

#endif
