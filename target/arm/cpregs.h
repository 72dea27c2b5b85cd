/*
 * The ARM system-register table (BRIEF idea 1, STYLE 1-5).
 *
 * Each feature file (cpregs-id.c, cpregs-mem.c, ...) holds a static array
 * of ArmCPRegDesc, written with the SYSREG_* encodings of sysreg.def.  At
 * CPU creation arm_cpregs_build() asks every feature file to add its
 * arrays when the model has the feature, expands families and wildcards
 * into one ArmCPReg per encoding, sorts them by KVM ONE_REG id, checks the
 * result (sorted, unique, migrated => raw access) and derives the
 * migrated list.  Lookup is a binary search by id.
 *
 * Two ways in:
 *   - the guest (MRS/MSR/SYS through arm_cpreg_mrs/arm_cpreg_msr): access
 *     rights per EL, trap hooks, readfn/writefn with side effects;
 *   - save/restore (migration, KVM sync, QMP): arm_cpreg_raw_read/write,
 *     side-effect free (STYLE 4).
 */
#ifndef TARGET_ARM_CPREGS_H
#define TARGET_ARM_CPREGS_H

#include "cpu.h"
#include "sysreg-enc.h"

/*
 * Results of arm_cpreg_mrs/arm_cpreg_msr.  1-3 are the interface the
 * interpreter codes against; 4 and 5 are refinements an interpreter may
 * treat as UNDEF until it implements them.
 */
#define ARM_CP_EXC_NONE      0
#define ARM_CP_EXC_UNDEF     1  /* EC 0x00, Unknown reason */
#define ARM_CP_EXC_TRAP_EL2  2  /* EC 0x18 to EL2 */
#define ARM_CP_EXC_TRAP_EL3  3  /* EC 0x18 to EL3 */
#define ARM_CP_EXC_TRAP_EL1  4  /* EC 0x18 to EL1: an EL0 access disabled by
                                 * an EL1 control (SCTLR_EL1.UCT/UCI/DZE,
                                 * CNTKCTL_EL1, PMUSERENR_EL0) */
#define ARM_CP_EXC_FP_TRAP   5  /* EC 0x07: FPCR/FPSR with CPACR_EL1.FPEN
                                 * trapping the current EL */

/* Type flags (BRIEF idea 1). */
#define ARM_CP_CONST     (1u << 0)  /* reads give the value, writes ignored */
#define ARM_CP_ALIAS     (1u << 1)  /* state migrated through another entry */
#define ARM_CP_NO_RAW    (1u << 2)  /* no state of its own: not migrated */
#define ARM_CP_IO        (1u << 3)  /* touches devices/timers on access */
#define ARM_CP_64BIT     (1u << 4)  /* AArch32 view is a 64-bit MRRC/MCRR */
#define ARM_CP_RESET_UNKNOWN (1u << 5) /* reset to ARM_CP_POISON */
#define ARM_CP_ID_RAZ    (1u << 6)  /* unallocated ID register (RAZ) */
#define ARM_CP_SYS_INSN  (1u << 7)  /* DC/IC/AT/TLBI: write-only op */
#define ARM_CP_TLB_SENSITIVE (1u << 8) /* write changes translation: flush */

/* Which execution states see the register. */
#define ARM_CP_STATE_AA64 1
#define ARM_CP_STATE_AA32 2
#define ARM_CP_STATE_BOTH 3

/*
 * Access rights: two bits (R, W) per EL.  The PLn_* forms include every
 * higher EL, as the Arm ARM states rights for "EL1 and above".
 */
#define ARM_PL_R(el)  (1u << ((el) * 2))
#define ARM_PL_W(el)  (2u << ((el) * 2))
#define PL3_R  0x40u
#define PL3_W  0x80u
#define PL2_R  (0x10u | PL3_R)
#define PL2_W  (0x20u | PL3_W)
#define PL1_R  (0x04u | PL2_R)
#define PL1_W  (0x08u | PL2_W)
#define PL0_R  (0x01u | PL1_R)
#define PL0_W  (0x02u | PL1_W)
#define PL3_RW (PL3_R | PL3_W)
#define PL2_RW (PL2_R | PL2_W)
#define PL1_RW (PL1_R | PL1_W)
#define PL0_RW (PL0_R | PL0_W)

/*
 * The value UNKNOWN-reset registers get: the pattern KVM itself uses
 * (arch/arm64/kvm/sys_regs.h reset_unknown), so a register nobody set is
 * recognisable in logs and x-query-cpregs and the same under both.
 */
#define ARM_CP_POISON 0x1de7ec7edbadc0deULL

typedef struct ArmCPReg ArmCPReg;
typedef struct ArmCPRegDesc ArmCPRegDesc;

/* Trap hook: ARM_CP_EXC_* for this access at the current EL. */
typedef int ArmCPAccessFn(ARMCPU *cpu, const ArmCPReg *ri, bool isread);
typedef uint64_t ArmCPReadFn(ARMCPU *cpu, const ArmCPReg *ri);
typedef void ArmCPWriteFn(ARMCPU *cpu, const ArmCPReg *ri, uint64_t value);
typedef void ArmCPResetFn(ARMCPU *cpu, const ArmCPReg *ri);

/*
 * One definition in a feature table.  Fill it with ARM_SYSREG(NAME) or
 * ARM_SYSREG_FAMILY(PFX) for name and encoding, then the rest.
 */
struct ArmCPRegDesc {
    const char *name;       /* Arm ARM name (single registers) */
    uint32_t enc;           /* AArch64 encoding, see sysreg-enc.h */
    int16_t family;         /* SYSREGN_* + 1 for a numbered family, else 0 */
    /*
     * Wildcard: encoding bits that take every value (e.g. CRm any =
     * 0xf << 3).  Each expansion gets its own id; the lowest is the
     * generator and carries the state, the others are ALIAS children
     * that read and write the generator's storage.
     */
    uint16_t wild_mask;
    uint8_t state;          /* ARM_CP_STATE_* (0 means AA64) */
    uint16_t access;        /* PLn_* bits */
    uint32_t flags;         /* ARM_CP_* */
    /* Storage: offsetof(CPUARMState, ...) or -1 (none); families add
     * n * sizeof(uint64_t). */
    ptrdiff_t fieldoffset;
    uint64_t resetvalue;
    ArmCPAccessFn *accessfn;
    ArmCPReadFn *readfn;        /* guest read; default: field / const */
    ArmCPWriteFn *writefn;      /* guest write; default: field store */
    ArmCPReadFn *raw_readfn;    /* save/restore read; default: field */
    ArmCPWriteFn *raw_writefn;  /* save/restore write; default: field */
    ArmCPResetFn *resetfn;      /* default: field = resetvalue */
    /*
     * AArch32 views (SYSREG32_* constants, 0 = none).  With the AArch64
     * encoding set, the register is STATE_BOTH: one storage, and each view
     * is an ALIAS entry with an AArch32 id over bits [31:0] (aa32), bits
     * [63:32] (aa32_hi, e.g. IFAR over FAR_EL1) or all 64 bits (aa32_64,
     * an MRRC/MCRR form).  With state AA32 the descriptor is AArch32 only
     * and aa32 is its encoding.
     */
    uint32_t aa32;
    uint32_t aa32_hi;
    uint32_t aa32_64;
};

#define ARM_SYSREG(NAME) .name = #NAME, .enc = SYSREG_##NAME
#define ARM_SYSREG_FAMILY(PFX) .family = SYSREGN_##PFX + 1
#define ARM_FIELD(f) .fieldoffset = offsetof(CPUARMState, f)
#define ARM_NO_FIELD .fieldoffset = -1
#define ARM_AA32(NAME) .aa32 = SYSREG32_##NAME
#define ARM_AA32_HI(NAME) .aa32_hi = SYSREG32_##NAME
#define ARM_AA32_64(NAME) .aa32_64 = SYSREG32_##NAME

/* Which part of the underlying value an entry shows. */
typedef enum {
    ARM_CP_VIEW_FULL = 0,   /* AArch64 register, or a 64-bit AArch32 view */
    ARM_CP_VIEW_LO32,       /* AArch32 view of bits [31:0] */
    ARM_CP_VIEW_HI32,       /* AArch32 view of bits [63:32] */
} ArmCPRegView;

/* One concrete register of one vCPU (an expanded ArmCPRegDesc). */
struct ArmCPReg {
    uint64_t id;            /* KVM ONE_REG id: the key (STYLE 3) */
    /* AArch64 encoding; for an AArch32 view, that of its AArch64 register
     * (0 for AArch32-only entries), so accessors can key on it. */
    uint32_t enc;
    uint32_t aa32_enc;      /* SYSREG32_* of an AArch32 entry, else 0 */
    uint8_t view;           /* ArmCPRegView */
    uint16_t n;             /* family instance number */
    uint32_t flags;         /* desc flags, plus ALIAS for children */
    ptrdiff_t offset;       /* resolved storage offset, or -1 */
    uint64_t generator_id;  /* wildcard child: its generator; else own id */
    const ArmCPRegDesc *desc;
    char name[ARM_SYSREG_NAME_LEN];
};

/* Is this entry in the migrated list (before x-mig-hidden-regs)? */
static inline bool arm_cpreg_is_migrated(const ArmCPReg *ri)
{
    return !(ri->flags & (ARM_CP_ALIAS | ARM_CP_NO_RAW | ARM_CP_SYS_INSN));
}

/* ---- the interpreter's interface ---- */

/*
 * MRS / MSR / SYS at the current EL.  enc = op0<<14 | op1<<11 | CRn<<7 |
 * CRm<<3 | op2 (== (insn >> 5) & 0xffff).  SYS instructions (op0 = 1: DC,
 * IC, TLBI, AT) go through arm_cpreg_msr with the Xt value.  Returns 0 or
 * ARM_CP_EXC_*; *val is written only on success.  DC ZVA is accepted (access
 * checked) and does nothing here: the interpreter zeroes the block itself.
 */
int arm_cpreg_mrs(ARMCPU *cpu, uint32_t enc, uint64_t *val);
int arm_cpreg_msr(ARMCPU *cpu, uint32_t enc, uint64_t val);

/*
 * MRC/MCR (is64 = false) and MRRC/MCRR (is64 = true, crn and opc2 ignored)
 * for AArch32 execution: same rules and results as arm_cpreg_mrs/msr.
 */
int arm_cpreg_cp_read(ARMCPU *cpu, unsigned cp, bool is64, unsigned opc1,
                      unsigned crn, unsigned crm, unsigned opc2,
                      uint64_t *val);
int arm_cpreg_cp_write(ARMCPU *cpu, unsigned cp, bool is64, unsigned opc1,
                       unsigned crn, unsigned crm, unsigned opc2,
                       uint64_t val);

/*
 * Counter source for CNTPCT_EL0/CNTVCT_EL0 and the timer compare logic.
 * NULL (default): QEMU_CLOCK_VIRTUAL converted at cpu->cntfrq_hz.  The
 * GIC/timer work installs its own (e.g. to add a KVM-imported offset).
 */
extern uint64_t (*arm_cntpct_hook)(ARMCPU *cpu);
uint64_t arm_cpu_cntpct(ARMCPU *cpu);
/* Virtual count: CNTPCT - CNTVOFF_EL2 (D11.1.2). */
uint64_t arm_cpu_cntvct(ARMCPU *cpu);
/*
 * Called after the guest changed CNT{P,V}_CTL/CVAL/TVAL of timer 0 (phys)
 * or 1 (virt), so the timer device can re-arm and update its IRQ line.
 */
extern void (*arm_gt_update_hook)(ARMCPU *cpu, unsigned timer);
#define ARM_GT_PHYS 0
#define ARM_GT_VIRT 1
/*
 * The GICv3 CPU interface (ICC_*_EL1) is a view of GIC state: the GIC
 * installs these when the machine has a GICv3; while they are NULL the
 * ICC registers UNDEF, as on a CPU without the system-register interface.
 * false = the GIC does not implement that register (read 0 / ignore).
 */
extern bool (*arm_icc_read_hook)(ARMCPU *cpu, uint32_t enc, uint64_t *val);
extern bool (*arm_icc_write_hook)(ARMCPU *cpu, uint32_t enc, uint64_t val);
#define ARM_CNTFRQ_DEFAULT 62500000u   /* 62.5 MHz, as QEMU's virt */

/* ---- table access ---- */

/* Build the table of a new vCPU from its model and properties. */
bool arm_cpregs_build(ARMCPU *cpu, Error **errp);
void arm_cpregs_free(ARMCPU *cpu);
/* Reset every stateful register to its reset value (UNKNOWN -> poison). */
void arm_cpregs_reset(ARMCPU *cpu);
/* Reset one register (and, for a generator, its shared state). */
void arm_cpreg_reset_one(ARMCPU *cpu, const ArmCPReg *ri);

const ArmCPReg *arm_cpreg_find(ARMCPU *cpu, uint64_t id);
const ArmCPReg *arm_cpreg_find_name(ARMCPU *cpu, const char *name);
unsigned arm_cpreg_count(ARMCPU *cpu);
const ArmCPReg *arm_cpreg_at(ARMCPU *cpu, unsigned i);   /* id order */

/* Side-effect-free access for save/restore (CONST: write is a no-op). */
uint64_t arm_cpreg_raw_read(ARMCPU *cpu, const ArmCPReg *ri);
void arm_cpreg_raw_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v);
/* Has raw access at all (field, raw accessors or CONST). */
bool arm_cpreg_has_raw(const ArmCPReg *ri);

/*
 * Consistency check of a built table: ids strictly increasing, every
 * migrated entry has raw access, every wildcard child has its generator.
 * Called by arm_cpregs_build and by the unit test.
 */
bool arm_cpregs_check(ARMCPU *cpu, Error **errp);

/* Text of an entry's flags ("const,alias"), for QMP and logs. */
void arm_cpreg_flags_str(const ArmCPReg *ri, char *buf, size_t len);

/*
 * Field helpers for the feature files: pointer to an entry's storage.
 */
static inline uint64_t *arm_cpreg_ptr(ARMCPU *cpu, const ArmCPReg *ri)
{
    return (uint64_t *)((char *)&cpu->env + ri->offset);
}

/* ---- feature tables (cpregs-*.c); each adds its arrays if present ---- */
typedef struct ArmCPRegBuilder ArmCPRegBuilder;
void arm_cpregs_add(ArmCPRegBuilder *b, const ArmCPRegDesc *descs, size_t n);
#define ARM_CPREGS_ADD(b, arr) arm_cpregs_add((b), (arr), ARRAY_SIZE(arr))

void arm_cpregs_define_id(ArmCPRegBuilder *b, ARMCPU *cpu);
void arm_cpregs_define_mem(ArmCPRegBuilder *b, ARMCPU *cpu);
void arm_cpregs_define_sysinsn(ArmCPRegBuilder *b, ARMCPU *cpu);
void arm_cpregs_define_exc(ArmCPRegBuilder *b, ARMCPU *cpu);
void arm_cpregs_define_timer(ArmCPRegBuilder *b, ARMCPU *cpu);
void arm_cpregs_define_pmu(ArmCPRegBuilder *b, ARMCPU *cpu);
void arm_cpregs_define_debug(ArmCPRegBuilder *b, ARMCPU *cpu);
void arm_cpregs_define_pauth(ArmCPRegBuilder *b, ARMCPU *cpu);
void arm_cpregs_define_sve(ArmCPRegBuilder *b, ARMCPU *cpu);
void arm_cpregs_define_gic(ArmCPRegBuilder *b, ARMCPU *cpu);

/*
 * Test hook: extra tables added to every CPU built afterwards (unit tests
 * exercise wildcard expansion and the checker with it).  NULL to clear.
 */
void arm_cpregs_set_test_table(const ArmCPRegDesc *descs, size_t n);

#endif
