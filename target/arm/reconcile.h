/*
 * KVM <-> TCG (and kernel <-> kernel) reconciliation of the register lists
 * (BRIEF ideas 2, 4 and 5; facts 3.2-3.7; docs/devel/kvm-tcg.md).
 *
 * The rules are data: reconcile-rules.c holds one table per direction, each
 * row an id range (or class) with a presence condition, a rule kind and the
 * human reason; reconcile-id.c holds the field-by-field policy for the
 * identification registers.  The functions here only walk the lists and
 * apply the first matching row, collecting one line per refusal.
 */
#ifndef TARGET_ARM_RECONCILE_H
#define TARGET_ARM_RECONCILE_H

#include "cpu.h"

/* What happens to one register id. */
typedef enum ArmReconKind {
    ARM_RECON_SAME,         /* same id, same meaning both sides: merge/write */
    ARM_RECON_ACCEPT_IF_RAZ,/* destination lacks it: accepted while the value
                             * is the reset / read-as-zero one, else refused */
    ARM_RECON_TAKE,         /* destination takes the value from the stream
                             * (identification, subject to the ID policy) */
    ARM_RECON_MUST_MATCH,   /* destination cannot change it: the guest-usable
                             * fields must offer what the source offered */
    ARM_RECON_TRANSLATE,    /* same state under another id / form */
    ARM_RECON_CARRY,        /* kept opaque, re-emitted for a later KVM */
    ARM_RECON_DROP,         /* safe to leave out (reason says why) */
    ARM_RECON_KEEP_DEST,    /* only the destination has it: its value stays */
    ARM_RECON_REFUSE,       /* the migration cannot go ahead */
    ARM_RECON__COUNT
} ArmReconKind;

/* Where the id is present (a row applies only under its condition). */
#define ARM_RECON_IN_SRC  1u
#define ARM_RECON_IN_DST  2u
#define ARM_RECON_IN_ANY  0u     /* regardless */

typedef struct ArmReconRule {
    uint64_t mask;          /* applied to the id first; 0 = whole id */
    uint64_t lo, hi;        /* (id & mask) range, inclusive */
    uint8_t presence;       /* ARM_RECON_IN_*: exact match, 0 = any */
    uint16_t min_kernel;    /* destination kernel >= (major*100+minor), 0 any */
    ArmReconKind kind;
    const char *what;       /* "firmware pseudo-registers" */
    const char *reason;     /* why this rule is right */
} ArmReconRule;

typedef enum ArmReconDir {
    ARM_RECON_KVM_TO_TCG,
    ARM_RECON_TCG_TO_KVM,
    ARM_RECON_KVM_TO_KVM,
    ARM_RECON__NDIR
} ArmReconDir;

/* The tables (reconcile-rules.c), for lookup and for the tests. */
extern const ArmReconRule arm_recon_kvm_to_tcg[];
extern const unsigned arm_recon_kvm_to_tcg_len;
extern const ArmReconRule arm_recon_tcg_to_kvm[];
extern const unsigned arm_recon_tcg_to_kvm_len;
extern const ArmReconRule arm_recon_kvm_to_kvm[];
extern const unsigned arm_recon_kvm_to_kvm_len;

/* First row of dir's table matching id, presence and kernel; never NULL
 * (every table ends with a catch-all row). */
const ArmReconRule *arm_recon_lookup(ArmReconDir dir, uint64_t id,
                                     unsigned presence, unsigned dst_kernel);
const char *arm_recon_kind_name(ArmReconKind k);
/* Linux kernel as major*100+minor; "writable ID registers" since 6.7. */
#define ARM_RECON_KERNEL(maj, min) ((unsigned)(maj) * 100u + (unsigned)(min))
#define ARM_RECON_KERNEL_ID_WRITABLE ARM_RECON_KERNEL(6, 7)

/* ---- the plan: one entry per id, and the refusals ---- */

typedef struct ArmReconEntry {
    uint64_t id;            /* id on the side the action applies to */
    uint64_t value;         /* value to write / carry / compare */
    uint64_t to_id;         /* TRANSLATE: the id on the other side */
    ArmReconKind kind;
    const ArmReconRule *rule;   /* NULL for ID-policy decisions */
} ArmReconEntry;

typedef struct ArmReconPlan {
    GArray *entries;            /* ArmReconEntry, in id order */
    GPtrArray *problems;        /* char *, one line each: "what: why" */
    unsigned count[ARM_RECON__COUNT];
    /* KVM -> TCG: the list in architectural ids for arm_cpreg_list_load,
     * the identification to adopt, and the virtual count if carried. */
    GArray *arch_ids, *arch_vals;   /* uint64_t */
    GArray *id_ids, *id_vals;       /* uint64_t: identification to take */
    GArray *carry_ids, *carry_vals; /* uint64_t: KVM-only, carried */
    bool has_pmcr;
    uint64_t pmcr_id;               /* PMCR_EL0 identification bits */
    bool has_vcount;
    uint64_t vcount;                /* KVM TIMER_CNT: the virtual count */
} ArmReconPlan;

void arm_recon_plan_init(ArmReconPlan *p);
void arm_recon_plan_free(ArmReconPlan *p);
/* Entry for id, or NULL. */
const ArmReconEntry *arm_recon_plan_find(const ArmReconPlan *p, uint64_t id);
/* All problems joined with "; " (caller frees), "" when none. */
char *arm_recon_plan_problems(const ArmReconPlan *p);

/*
 * KVM -> TCG: an incoming list in KVM id form (as QEMU's KVM sends it, or
 * a captured KVM_GET_REG_LIST: sysreg, timer, fw, fw-bmap, demux; core ids
 * are ignored, SVE ids refused) against destination vCPU cpu.  Fills plan;
 * false with the refusals joined in errp.  Changes nothing in cpu.
 */
bool arm_reconcile_kvm_to_tcg(ARMCPU *cpu, const uint64_t *ids,
                              const uint64_t *vals, uint32_t n,
                              ArmReconPlan *plan, Error **errp);
/* Apply a successful KVM -> TCG plan: adopt the identification, merge the
 * list (arm_cpreg_list_load), keep the KVM-only ids for a return trip. */
bool arm_reconcile_apply_to_tcg(ARMCPU *cpu, const ArmReconPlan *plan,
                                Error **errp);

/*
 * TCG (or any vCPU state held in our table) -> KVM: for each id of the
 * destination kernel's list (kvm_ids, with the kernel's current values
 * kvm_vals, which may be NULL to skip value checks), what to write; for
 * each register of cpu's migrated list the kernel lacks, accept it when it
 * holds its reset / RAZ value, else refuse naming it.  Identification is
 * written where the kernel allows it (>= 6.7) and otherwise must offer the
 * guest at least what it saw.  Carried KVM-only values are written back.
 * Plan entries are keyed by KVM id: SAME/TAKE/TRANSLATE/CARRY = write
 * entry.value; KEEP_DEST / MUST_MATCH = leave the kernel's value.
 */
bool arm_reconcile_for_kvm(ARMCPU *cpu, const uint64_t *kvm_ids,
                           const uint64_t *kvm_vals, size_t n,
                           int kernel_major, int kernel_minor,
                           ArmReconPlan *plan, Error **errp);

/*
 * KVM -> KVM across kernels: source list (ids/values, KVM form) and kernel,
 * destination list and kernel.  Plan entries keyed by destination id.
 */
bool arm_reconcile_kvm_to_kvm(const uint64_t *src_ids,
                              const uint64_t *src_vals, size_t src_n,
                              unsigned src_kernel,
                              const uint64_t *dst_ids,
                              const uint64_t *dst_vals, size_t dst_n,
                              unsigned dst_kernel,
                              ArmReconPlan *plan, Error **errp);

/* Is this list in KVM id form (holds firmware/demux ids, which only a KVM
 * source sends)?  Our own streams never carry them in the main list. */
bool arm_reconcile_list_is_kvm_form(const uint64_t *ids, uint32_t n);

/*
 * Load the list of an incoming "cpu" section into cpu (machine.c): either
 * form (arm_reconcile_list_is_kvm_form), identification check and take,
 * then the merge.  Also the pre-flight's dry run on a scratch vCPU.
 */
bool arm_cpu_load_incoming_list(ARMCPU *cpu, const uint64_t *ids,
                                const uint64_t *vals, uint32_t len,
                                Error **errp);

/* ---- KVM-only registers carried through TCG ("cpu/kvm-only-regs") ---- */

#define ARM_RECON_CARRY_MAX 256u

/* Keep the KVM-only ids (fw, fw-bmap, demux classes) of a KVM list for the
 * stream; other ids are ignored.  Called by the KVM get path. */
void arm_reconcile_capture_kvm_only(ARMCPU *cpu, const uint64_t *kvm_ids,
                                    const uint64_t *kvm_vals, size_t n);
bool arm_reconcile_carry_set(ARMCPU *cpu, const uint64_t *ids,
                             const uint64_t *vals, uint32_t n, Error **errp);
/* Carried entries (pointers valid until the next set); returns count. */
uint32_t arm_reconcile_carry_get(ARMCPU *cpu, const uint64_t **ids,
                                 const uint64_t **vals);
void arm_reconcile_carry_clear(ARMCPU *cpu);

/* ---- identification policy (reconcile-id.c) ---- */

typedef enum ArmReconIdKind {
    ARM_RECON_ID_EMULATED,  /* taken up to max(emul_max, model's level) */
    ARM_RECON_ID_MODEL,     /* taken up to the destination model's level */
    ARM_RECON_ID_NEVER,     /* not emulated: never raised above the model
                             * (only a model property turns it on) */
    ARM_RECON_ID_LENIENT,   /* any difference accepted (reason says why) */
    ARM_RECON_ID_PLATFORM,  /* describes the platform: destination keeps its
                             * own value, never compared */
} ArmReconIdKind;

typedef struct ArmReconIdRule {
    unsigned field;         /* IDF_* of sysreg-fields.def */
    ArmReconIdKind kind;
    int8_t emul_max;        /* EMULATED: highest level the interpreter does */
    const char *reason;     /* shown when refused (or why lenient) */
} ArmReconIdRule;

extern const ArmReconIdRule arm_recon_id_rules[];
extern const unsigned arm_recon_id_rules_len;

/* The rule of a field (a default one for fields the table leaves out). */
ArmReconIdRule arm_recon_id_rule(unsigned field);
/* Highest level of a field cpu can take from a stream (policy + model). */
int64_t arm_recon_id_limit(ARMCPU *cpu, unsigned field);
/* Signed/unsigned level of field idx in v (0xf of a signed field -> -1). */
int64_t arm_recon_id_level(uint64_t v, unsigned idx);
/*
 * May the destination take the incoming identification?  Checks every
 * named field of every incoming feature ID register against the policy
 * and cpu's model; appends "ID_AA64PFR0_EL1.SVE 1: SVE is not emulated"
 * lines to problems (may be NULL).  Returns the number of refusals.
 */
unsigned arm_recon_id_check_take(ARMCPU *cpu, const uint64_t *ids,
                                 const uint64_t *vals, uint32_t n,
                                 GPtrArray *problems);
/*
 * Source identification (src) against what a destination that cannot be
 * written will show (dst): a guest-usable field lower on the destination is
 * a refusal.  what: "KVM host (Linux 6.1)".  Returns refusals.
 */
unsigned arm_recon_id_check_keep(uint32_t enc, uint64_t src, uint64_t dst,
                                 const char *what, GPtrArray *problems);
/* Adopt incoming identification into cpu (platform fields kept). */
bool arm_recon_id_take(ARMCPU *cpu, const uint64_t *ids,
                       const uint64_t *vals, uint32_t n, Error **errp);

/*
 * After arm_recon_id_take: replace the identification values of a list by
 * what cpu now holds (equal except the platform fields it kept), so the
 * merge's constant comparison passes for what the policy accepted.
 */
void arm_recon_id_align(ARMCPU *cpu, const uint64_t *ids, uint64_t *vals,
                        uint32_t n);

/*
 * PMCR_EL0's identification bits (IMP, IDCODE, N) from an incoming list
 * (architectural ids) into cpu, when cpu has a PMU; the list's value is
 * rewritten to what the register will read back (state bits 6:0 kept).
 * True when taken.
 */
bool arm_recon_pmcr_take(ARMCPU *cpu, const uint64_t *ids, uint64_t *vals,
                         uint32_t n);

/* Is id an identification register taken from the stream (MIDR, REVIDR,
 * AIDR, CTR, CLIDR, DCZID, the feature-ID space)?  MPIDR is not. */
bool arm_recon_is_ident(uint64_t id);

#endif
