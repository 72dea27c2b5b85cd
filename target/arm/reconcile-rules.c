/*
 * The reconciliation rules as data: one table per direction (BRIEF idea 2:
 * "the rules live in data tables with tests, not in scattered ifs").
 *
 * A row matches an id when (id & mask) lies in [lo, hi] (mask 0 = the whole
 * id), when the id's presence (only in the source list, only in the
 * destination's, or in both) is the row's (0 = any), and when the
 * destination kernel is at least min_kernel.  The first matching row wins,
 * so specific rows come before class rows; every table ends with a
 * catch-all refusal, so an id nobody thought of is refused by name.
 *
 * Id classes (Documentation/virt/kvm/api.rst, KVM_SET_ONE_REG, arm64):
 * core 0x..0010...., demux 0x..0011...., sysreg 0x..0013...., firmware
 * 0x..0014...., SVE 0x..0015...., firmware feature bitmaps 0x..0016....;
 * AArch32 cp ids (0x40...) appear only in TCG streams.
 */
#include "qemu/osdep.h"
#include "reconcile.h"
#include "kvm-regid.h"
#include "sysreg-enc.h"

/* Class match: the architecture byte and the coprocessor field. */
#define CLASS_MASK 0xff0000000fff0000ULL
#define CLASS(c) .mask = CLASS_MASK, \
    .lo = ARM_KVM_REG_ARM64 | ((uint64_t)(c) << 16), \
    .hi = ARM_KVM_REG_ARM64 | ((uint64_t)(c) << 16)
#define ONE(id) .lo = (id), .hi = (id)
#define SYS(NAME) ONE(ARM_SYSREG_KVM_ID(SYSREG_##NAME))
/* The feature-ID space (3,0,0,0..7,op2), Arm ARM D19.2. */
#define IDSPACE .lo = 0x603000000013c000ULL, .hi = 0x603000000013c03fULL
#define AA32 .mask = 0xff00000000000000ULL, .lo = 0x4000000000000000ULL, \
    .hi = 0x4000000000000000ULL
#define ANY_ID .lo = 0, .hi = UINT64_MAX

#define SRC ARM_RECON_IN_SRC
#define DST ARM_RECON_IN_DST
#define BOTH (ARM_RECON_IN_SRC | ARM_RECON_IN_DST)

/* Reasons shared by several tables. */
#define WHY_FW "KVM's firmware interface (PSCI version, SMCCC workaround " \
    "levels; api.rst 'ARM firmware pseudo-registers'): our PSCI answers on " \
    "its own, the values travel unchanged so a return to KVM restores them"
#define WHY_BMAP "KVM's hypercall-service bitmaps (fw-pseudo-registers.rst): " \
    "carried unchanged for a return to KVM"
#define WHY_6_12 "Linux 6.12 lists TCR2_EL1, PIRE0_EL1 and PIR_EL1 for every " \
    "vCPU (6.13 stopped): without FEAT_TCR2/FEAT_S1PIE in the ID registers " \
    "no guest can have used them"
#define WHY_MPIDR "vCPU affinity is fixed by the board; KVM and we number " \
    "vCPUs the same way, so the values must be equal"
#define WHY_SYS "architectural system register: one to one (the list merge " \
    "writes it, or accepts it as a view, a RAZ ID slot or a safe-missing id)"
#define WHY_CATCH "no rule covers this id: refused rather than guessed"
#define WHY_IDENT_W "writable ID registers (Linux 6.7+, api.rst 'Writable " \
    "ID registers'): the guest keeps seeing the CPU it saw"
#define WHY_IDENT_RO "Linux before 6.7 refuses ID register writes: the " \
    "kernel's value stays and must offer every feature the guest saw"

const ArmReconRule arm_recon_kvm_to_tcg[] = {
    { CLASS(ARM_KVM_COPROC_CORE), .kind = ARM_RECON_DROP,
      .what = "core registers", .reason = "travel in the cpu section's own "
      "fields (x0-x30, sp, pc, pstate, V), not in the list" },
    { CLASS(ARM_KVM_COPROC_SVE), .kind = ARM_RECON_REFUSE,
      .what = "SVE state", .reason = "SVE is not emulated" },
    { CLASS(ARM_KVM_COPROC_FW), .kind = ARM_RECON_CARRY,
      .what = "firmware pseudo-register", .reason = WHY_FW },
    { CLASS(ARM_KVM_COPROC_FW_BMAP), .kind = ARM_RECON_CARRY,
      .what = "firmware feature bitmap", .reason = WHY_BMAP },
    { CLASS(ARM_KVM_COPROC_DEMUX), .kind = ARM_RECON_TRANSLATE,
      .what = "CCSIDR demux entry", .reason = "the cache geometry KVM "
      "shows (CCSIDR selected by CSSELR) becomes this vCPU's, and is carried "
      "for a return to KVM" },
    { ONE(ARM_KVM_TIMER_CNT), .kind = ARM_RECON_TRANSLATE,
      .what = "KVM TIMER_CNT", .reason = "the virtual count (its id is "
      "CNTV_CVAL_EL0's encoding, a KVM ABI mistake): becomes the timer "
      "model's count so the guest's counter continues" },
    { ONE(ARM_KVM_TIMER_CVAL), .kind = ARM_RECON_TRANSLATE,
      .what = "KVM TIMER_CVAL", .reason = "the virtual compare value (its id "
      "is CNTVCT_EL0's encoding): becomes CNTV_CVAL_EL0" },
    { ONE(ARM_KVM_PTIMER_CNT), .kind = ARM_RECON_DROP,
      .what = "KVM PTIMER_CNT", .reason = "the physical count is derived: the "
      "timer model keeps one counter, and CNTVOFF relates the two" },
    { SYS(MPIDR_EL1), .kind = ARM_RECON_MUST_MATCH,
      .what = "MPIDR_EL1", .reason = WHY_MPIDR },
    { IDSPACE, .kind = ARM_RECON_TAKE, .what = "ID register",
      .reason = "identification comes from the stream (a host-compatible "
      "model) when every feature field is one we emulate" },
    { SYS(CTR_EL0), .kind = ARM_RECON_TAKE, .what = "CTR_EL0",
      .reason = "cache type: taken so the guest's cache maintenance strides "
      "stay right (we keep no caches, any value is honoured)" },
    { SYS(CLIDR_EL1), .kind = ARM_RECON_TAKE, .what = "CLIDR_EL1",
      .reason = "cache levels: taken with the CCSIDR demux entries" },
    { SYS(AIDR_EL1), .kind = ARM_RECON_TAKE, .what = "AIDR_EL1",
      .reason = "IMPLEMENTATION DEFINED identification: taken" },
    { SYS(DCZID_EL0), .kind = ARM_RECON_TAKE, .what = "DCZID_EL0",
      .reason = "DC ZVA block size: taken (the interpreter zeroes any size)" },
    { SYS(TCR2_EL1), .presence = SRC, .kind = ARM_RECON_DROP,
      .what = "TCR2_EL1", .reason = WHY_6_12 },
    { SYS(PIRE0_EL1), .presence = SRC, .kind = ARM_RECON_DROP,
      .what = "PIRE0_EL1", .reason = WHY_6_12 },
    { SYS(PIR_EL1), .presence = SRC, .kind = ARM_RECON_DROP,
      .what = "PIR_EL1", .reason = WHY_6_12 },
    { SYS(PMCR_EL0), .presence = BOTH, .kind = ARM_RECON_TRANSLATE,
      .what = "PMCR_EL0", .reason = "IMP, IDCODE and N (bits 31:11) "
      "identify the PMU and are taken; E..DP (bits 6:0) are state; LP (bit "
      "7, PMUv3p5) is RES0 on the PMU we emulate (Linux 6.1 reports it set)" },
    { CLASS(ARM_KVM_COPROC_SYSREG), .kind = ARM_RECON_SAME,
      .what = "system register", .reason = WHY_SYS },
    { ANY_ID, .kind = ARM_RECON_REFUSE, .what = "register",
      .reason = WHY_CATCH },
};
const unsigned arm_recon_kvm_to_tcg_len = ARRAY_SIZE(arm_recon_kvm_to_tcg);

/*
 * TCG -> KVM.  Ids are KVM's for rows that need the destination (DST,
 * BOTH), the stream's for SRC-only rows.
 */
const ArmReconRule arm_recon_tcg_to_kvm[] = {
    { AA32, .kind = ARM_RECON_DROP, .what = "AArch32 view",
      .reason = "an AArch32 view of AArch64 state: KVM lists none, the "
      "AArch64 register carries the state" },
    /*
     * Timer ids, whatever our table says about the same numbers (the
     * stream's CNTV_CVAL_EL0 id is KVM's TIMER_CNT): CNTV_CVAL_EL0 goes to
     * TIMER_CVAL, the counts come from the timer model.
     */
    { ONE(ARM_KVM_TIMER_CNT), .kind = ARM_RECON_TRANSLATE,
      .what = "KVM TIMER_CNT", .reason = "written with the timer model's "
      "virtual count (not CNTV_CVAL_EL0, whose id KVM misuses)" },
    { ONE(ARM_KVM_TIMER_CVAL), .kind = ARM_RECON_TRANSLATE,
      .what = "KVM TIMER_CVAL", .reason = "written with CNTV_CVAL_EL0" },
    { ONE(ARM_KVM_PTIMER_CNT), .kind = ARM_RECON_TRANSLATE,
      .what = "KVM PTIMER_CNT", .reason = "written with the timer model's "
      "physical count" },
    { CLASS(ARM_KVM_COPROC_FW), .presence = DST, .kind = ARM_RECON_CARRY,
      .what = "firmware pseudo-register", .reason = WHY_FW },
    { CLASS(ARM_KVM_COPROC_FW_BMAP), .presence = DST, .kind = ARM_RECON_CARRY,
      .what = "firmware feature bitmap", .reason = WHY_BMAP },
    { CLASS(ARM_KVM_COPROC_DEMUX), .presence = DST, .kind = ARM_RECON_CARRY,
      .what = "CCSIDR demux entry", .reason = "carried value when the "
      "stream brought one (it came from KVM), else the kernel's geometry" },
    { SYS(MIDR_EL1), .presence = BOTH, .kind = ARM_RECON_KEEP_DEST,
      .what = "MIDR_EL1", .reason = "the host's identity stays (writable "
      "only in later kernels): errata workarounds the guest chose at boot "
      "stay in place" },
    { SYS(REVIDR_EL1), .presence = BOTH, .kind = ARM_RECON_KEEP_DEST,
      .what = "REVIDR_EL1", .reason = "follows MIDR_EL1" },
    { SYS(AIDR_EL1), .presence = BOTH, .kind = ARM_RECON_KEEP_DEST,
      .what = "AIDR_EL1", .reason = "follows MIDR_EL1" },
    { SYS(MPIDR_EL1), .presence = BOTH, .kind = ARM_RECON_KEEP_DEST,
      .what = "MPIDR_EL1", .reason = WHY_MPIDR },
    { SYS(CLIDR_EL1), .presence = BOTH, .min_kernel = 603,
      .kind = ARM_RECON_TAKE, .what = "CLIDR_EL1", .reason = "writable "
      "since Linux 6.3 (KVM's cache-geometry rework)" },
    { SYS(CLIDR_EL1), .presence = BOTH, .kind = ARM_RECON_KEEP_DEST,
      .what = "CLIDR_EL1", .reason = "cache geometry only matters to "
      "set/way maintenance, which KVM traps and performs itself" },
    { SYS(CTR_EL0), .presence = BOTH, .kind = ARM_RECON_MUST_MATCH,
      .what = "CTR_EL0", .reason = "cache line sizes drive the guest's "
      "maintenance loops: a different value could skip lines" },
    { IDSPACE, .presence = BOTH, .min_kernel = 607, .kind = ARM_RECON_TAKE,
      .what = "ID register", .reason = WHY_IDENT_W },
    { IDSPACE, .presence = BOTH, .kind = ARM_RECON_MUST_MATCH,
      .what = "ID register", .reason = WHY_IDENT_RO },
    { CLASS(ARM_KVM_COPROC_SYSREG), .presence = BOTH, .kind = ARM_RECON_SAME,
      .what = "system register", .reason = "same id both sides: written" },
    { CLASS(ARM_KVM_COPROC_SYSREG), .presence = DST,
      .kind = ARM_RECON_KEEP_DEST, .what = "system register",
      .reason = "we do not emulate it, so the guest cannot have changed it: "
      "the kernel's reset value stays" },
    { CLASS(ARM_KVM_COPROC_SYSREG), .presence = SRC,
      .kind = ARM_RECON_ACCEPT_IF_RAZ, .what = "system register",
      .reason = "the KVM host lacks it: it must hold its reset value" },
    { ANY_ID, .kind = ARM_RECON_REFUSE, .what = "register",
      .reason = WHY_CATCH },
};
const unsigned arm_recon_tcg_to_kvm_len = ARRAY_SIZE(arm_recon_tcg_to_kvm);

/* KVM -> KVM across kernels (6.1 <-> 6.12 and later): no per-host lists. */
const ArmReconRule arm_recon_kvm_to_kvm[] = {
    { CLASS(ARM_KVM_COPROC_CORE), .kind = ARM_RECON_DROP,
      .what = "core registers", .reason = "travel in the cpu section" },
    { CLASS(ARM_KVM_COPROC_SVE), .presence = BOTH, .kind = ARM_RECON_SAME,
      .what = "SVE state", .reason = "same vector length both sides" },
    { SYS(MIDR_EL1), .presence = BOTH, .kind = ARM_RECON_MUST_MATCH,
      .what = "MIDR_EL1", .reason = "same host CPU required between kernels" },
    { SYS(MPIDR_EL1), .presence = BOTH, .kind = ARM_RECON_KEEP_DEST,
      .what = "MPIDR_EL1", .reason = WHY_MPIDR },
    { SYS(CLIDR_EL1), .presence = BOTH, .min_kernel = 603,
      .kind = ARM_RECON_TAKE, .what = "CLIDR_EL1",
      .reason = "writable since Linux 6.3: the source's geometry is kept" },
    { SYS(CLIDR_EL1), .presence = BOTH, .kind = ARM_RECON_KEEP_DEST,
      .what = "CLIDR_EL1", .reason = "cache geometry only matters to "
      "set/way maintenance, which KVM traps and performs itself (6.12 "
      "synthesises a different CLIDR than 6.1 for the same host)" },
    { CLASS(ARM_KVM_COPROC_DEMUX), .presence = BOTH, .min_kernel = 603,
      .kind = ARM_RECON_TAKE, .what = "CCSIDR demux entry",
      .reason = "writable with CLIDR since Linux 6.3" },
    { CLASS(ARM_KVM_COPROC_DEMUX), .presence = BOTH,
      .kind = ARM_RECON_KEEP_DEST, .what = "CCSIDR demux entry",
      .reason = "follows CLIDR_EL1 (kernel's geometry stays)" },
    { CLASS(ARM_KVM_COPROC_DEMUX), .presence = SRC, .kind = ARM_RECON_DROP,
      .what = "CCSIDR demux entry", .reason = "a cache level the "
      "destination kernel does not describe (6.12 lists 14, 6.1 lists 3)" },
    { IDSPACE, .presence = BOTH, .min_kernel = 607, .kind = ARM_RECON_TAKE,
      .what = "ID register", .reason = WHY_IDENT_W },
    { IDSPACE, .presence = BOTH, .kind = ARM_RECON_MUST_MATCH,
      .what = "ID register", .reason = WHY_IDENT_RO },
    { SYS(TCR2_EL1), .presence = SRC, .kind = ARM_RECON_DROP,
      .what = "TCR2_EL1", .reason = WHY_6_12 },
    { SYS(PIRE0_EL1), .presence = SRC, .kind = ARM_RECON_DROP,
      .what = "PIRE0_EL1", .reason = WHY_6_12 },
    { SYS(PIR_EL1), .presence = SRC, .kind = ARM_RECON_DROP,
      .what = "PIR_EL1", .reason = WHY_6_12 },
    { ONE(ARM_KVM_PTIMER_CNT), .presence = SRC, .kind = ARM_RECON_DROP,
      .what = "KVM PTIMER_CNT", .reason = "the destination kernel does not "
      "expose the physical timer (before 6.x): its counter follows the host" },
    { ONE(ARM_KVM_PTIMER_CTL), .presence = SRC, .kind = ARM_RECON_ACCEPT_IF_RAZ,
      .what = "KVM PTIMER_CTL", .reason = "the destination kernel cannot "
      "restore the physical timer: accepted while it is off (ENABLE = 0)" },
    { ONE(ARM_KVM_PTIMER_CVAL), .presence = SRC, .kind = ARM_RECON_DROP,
      .what = "KVM PTIMER_CVAL", .reason = "meaningless while PTIMER_CTL "
      "is off (checked on its own row)" },
    { CLASS(ARM_KVM_COPROC_FW), .presence = BOTH, .kind = ARM_RECON_SAME,
      .what = "firmware pseudo-register", .reason = "same interface: written" },
    { CLASS(ARM_KVM_COPROC_FW_BMAP), .presence = BOTH, .kind = ARM_RECON_SAME,
      .what = "firmware feature bitmap", .reason = "same interface: written" },
    { CLASS(ARM_KVM_COPROC_FW_BMAP), .presence = SRC,
      .kind = ARM_RECON_ACCEPT_IF_RAZ, .what = "firmware feature bitmap",
      .reason = "services the destination kernel lacks (e.g. 6.16's "
      "VENDOR_HYP_BMAP_2): accepted only if the guest was offered none" },
    { CLASS(ARM_KVM_COPROC_SYSREG), .presence = BOTH, .kind = ARM_RECON_SAME,
      .what = "system register", .reason = "same id both sides: written" },
    { CLASS(ARM_KVM_COPROC_SYSREG), .presence = SRC,
      .kind = ARM_RECON_ACCEPT_IF_RAZ, .what = "system register",
      .reason = "the destination kernel lacks it: accepted at zero" },
    { .lo = 0, .hi = UINT64_MAX, .presence = DST, .kind = ARM_RECON_KEEP_DEST,
      .what = "register", .reason = "only the destination kernel lists it: "
      "its reset value stays" },
    { ANY_ID, .kind = ARM_RECON_REFUSE, .what = "register",
      .reason = WHY_CATCH },
};
const unsigned arm_recon_kvm_to_kvm_len = ARRAY_SIZE(arm_recon_kvm_to_kvm);

static const char *const kind_names[ARM_RECON__COUNT] = {
    [ARM_RECON_SAME] = "same",
    [ARM_RECON_ACCEPT_IF_RAZ] = "accept-if-raz",
    [ARM_RECON_TAKE] = "take-from-stream",
    [ARM_RECON_MUST_MATCH] = "must-match",
    [ARM_RECON_TRANSLATE] = "translate",
    [ARM_RECON_CARRY] = "carry-unchanged",
    [ARM_RECON_DROP] = "drop",
    [ARM_RECON_KEEP_DEST] = "keep-destination",
    [ARM_RECON_REFUSE] = "refuse-with-reason",
};

const char *arm_recon_kind_name(ArmReconKind k)
{
    return (unsigned)k < ARM_RECON__COUNT ? kind_names[k] : "?";
}

static bool row_matches(const ArmReconRule *r, uint64_t id, unsigned presence,
                        unsigned kernel)
{
    uint64_t v = r->mask ? (id & r->mask) : id;

    return v >= r->lo && v <= r->hi &&
           (!r->presence || r->presence == presence) &&
           kernel >= r->min_kernel;
}

const ArmReconRule *arm_recon_lookup(ArmReconDir dir, uint64_t id,
                                     unsigned presence, unsigned dst_kernel)
{
    static const struct {
        const ArmReconRule *rows;
        const unsigned *len;
    } tables[ARM_RECON__NDIR] = {
        [ARM_RECON_KVM_TO_TCG] = { arm_recon_kvm_to_tcg,
                                   &arm_recon_kvm_to_tcg_len },
        [ARM_RECON_TCG_TO_KVM] = { arm_recon_tcg_to_kvm,
                                   &arm_recon_tcg_to_kvm_len },
        [ARM_RECON_KVM_TO_KVM] = { arm_recon_kvm_to_kvm,
                                   &arm_recon_kvm_to_kvm_len },
    };
    const ArmReconRule *rows = tables[dir].rows;
    unsigned n = *tables[dir].len;

    for (unsigned i = 0; i < n; i++) {
        if (row_matches(&rows[i], id, presence, dst_kernel)) {
            return &rows[i];
        }
    }
    return &rows[n - 1];        /* the catch-all refusal */
}
