/*
 * Identification policy for migration (BRIEF ideas 2 and 5): may a vCPU
 * take the identification an incoming stream carries, field by field?
 *
 * The destination takes the guest-visible identification from the stream
 * (a "host-compatible" model), so the guest keeps seeing the CPU it booted
 * on, when every feature field is one this build can honour:
 *   - up to the destination model's own level (the model is the statement
 *     of what this build offers: cpu-models.c and its properties), or
 *   - up to the level the interpreter implements (emul_max below), which
 *     may be higher than the model's: LSE atomics, CRC32, PAN, UAO, DIT,
 *     SSBS, 16K granule;
 *   - never above 0 for features we do not emulate whatever a model claims
 *     (SVE, SME, MTE, ...).
 * Fields that describe the platform rather than the guest's instruction
 * set (EL2/EL3 presence, the GIC interface, side-channel hints) keep the
 * destination's own value and are never compared.
 *
 * Arm ARM D19.2 ("Identification registers") gives the field encodings;
 * sysreg-fields.def names them.
 */
#include "qemu/osdep.h"
#include "reconcile.h"
#include "cpu-features.h"
#include "cpu-models.h"
#include "cpregs.h"

static int64_t take_limit(ARMCPU *cpu, const ArmReconIdRule *r);

#define F(reg, fld) IDF_##reg##_##fld
#define EMUL(reg, fld, lvl, why) \
    { F(reg, fld), ARM_RECON_ID_EMULATED, lvl, why }
#define NEVER(reg, fld, why) { F(reg, fld), ARM_RECON_ID_NEVER, 0, why }
#define MODEL(reg, fld, why) { F(reg, fld), ARM_RECON_ID_MODEL, 0, why }
#define LENIENT(reg, fld, why) { F(reg, fld), ARM_RECON_ID_LENIENT, 0, why }

const ArmReconIdRule arm_recon_id_rules[] = {
    /* What the interpreter implements beyond ARMv8.0 (accel/tcg). */
    EMUL(ID_AA64ISAR0_EL1, Atomic, 2, "LSE atomics above level 2 are not "
         "emulated"),
    EMUL(ID_AA64ISAR0_EL1, CRC32, 1, "CRC32 above level 1 is not emulated"),
    EMUL(ID_AA64MMFR1_EL1, PAN, 1, "PAN2/PAN3 (AT S1E1RP, EPAN) are not "
         "emulated"),
    EMUL(ID_AA64MMFR2_EL1, UAO, 1, "UAO above level 1 is not emulated"),
    EMUL(ID_AA64PFR0_EL1, DIT, 1, "DIT above level 1 is not emulated"),
    EMUL(ID_AA64PFR1_EL1, SSBS, 1, "the SSBS system register form is not "
         "emulated"),
    EMUL(ID_AA64MMFR0_EL1, TGran16, 1, "52-bit addressing with 16K pages is "
         "not emulated"),
    EMUL(ID_AA64MMFR0_EL1, TGran4, 0, "52-bit addressing with 4K pages is "
         "not emulated"),
    EMUL(ID_AA64MMFR0_EL1, TGran64, 0, "64K granule level"),
    /* Not emulated at all, whatever a model claims. */
    NEVER(ID_AA64PFR0_EL1, SVE, "SVE is not emulated"),
    NEVER(ID_AA64PFR1_EL1, SME, "SME is not emulated"),
    NEVER(ID_AA64PFR1_EL1, MTE, "memory tagging (MTE) is not emulated"),
    NEVER(ID_AA64PFR1_EL1, BT, "branch target identification (BTI) is not "
          "emulated"),
    NEVER(ID_AA64PFR0_EL1, AMU, "activity monitors (AMU) are not emulated"),
    NEVER(ID_AA64PFR0_EL1, MPAM, "MPAM is not emulated"),
    NEVER(ID_AA64PFR0_EL1, RAS, "RAS error records are not emulated"),
    NEVER(ID_AA64ZFR0_EL1, SVEver, "SVE is not emulated"),
    NEVER(ID_AA64DFR0_EL1, PMSVer, "statistical profiling (SPE) is not "
          "emulated"),
    /* Optional features the user turns on with a property. */
    MODEL(ID_AA64ISAR1_EL1, APA, "pointer authentication is not enabled on "
          "this CPU (-cpu max,pauth=on runs the HINT-space PAC instructions "
          "as NOP/strip, so KVM-signed return addresses keep working)"),
    MODEL(ID_AA64ISAR1_EL1, API, "pointer authentication with an "
          "IMPLEMENTATION DEFINED algorithm is not enabled on this CPU"),
    MODEL(ID_AA64ISAR1_EL1, GPA, "generic pointer authentication (PACGA) is "
          "not enabled on this CPU"),
    MODEL(ID_AA64ISAR1_EL1, GPI, "generic pointer authentication (PACGA) is "
          "not enabled on this CPU"),
    MODEL(ID_AA64ISAR2_EL1, APA3, "pointer authentication (QARMA3) is not "
          "enabled on this CPU"),
    MODEL(ID_AA64ISAR2_EL1, GPA3, "generic pointer authentication (QARMA3) "
          "is not enabled on this CPU"),
    MODEL(ID_AA64DFR0_EL1, PMUVer, "this PMU version is not available on "
          "this CPU (pmu=off, or a later PMU architecture)"),
    /*
     * KVM reports a debug architecture version that follows the kernel
     * (Linux 6.1: 6 = v8.0, 6.12: 9 for the same host) while what it
     * virtualises for self-hosted debug is the v8.0 breakpoint and
     * watchpoint set in every case; a difference changes a number, not
     * what the guest can use.
     */
    LENIENT(ID_AA64DFR0_EL1, DebugVer, "KVM virtualises v8.0 self-hosted "
            "debug whatever version it reports"),
};
const unsigned arm_recon_id_rules_len = ARRAY_SIZE(arm_recon_id_rules);

ArmReconIdRule arm_recon_id_rule(unsigned field)
{
    ArmReconIdRule r = { field, ARM_RECON_ID_MODEL, 0, "not emulated" };

    for (unsigned i = 0; i < arm_recon_id_rules_len; i++) {
        if (arm_recon_id_rules[i].field == field) {
            return arm_recon_id_rules[i];
        }
    }
    if (field < IDF__COUNT && arm_id_fields[field].kind == IDF_KIND_X) {
        r.kind = ARM_RECON_ID_PLATFORM;
        r.reason = "describes the platform, not the guest's CPU";
    }
    return r;
}

int64_t arm_recon_id_level(uint64_t v, unsigned idx)
{
    const ArmIdField *f = &arm_id_fields[idx];
    uint64_t x = arm_idfield_get(v, idx);

    if (f->kind == IDF_KIND_S && (x >> (f->width - 1))) {
        return (int64_t)x - (1LL << f->width);      /* 0xf -> -1 */
    }
    return (int64_t)x;
}

bool arm_recon_is_ident(uint64_t id)
{
    uint32_t enc = ARM_KVM_ID_TO_ENC(id);

    if (!ARM_KVM_ID_IS_SYSREG(id) || enc == SYSREG_MPIDR_EL1) {
        return false;
    }
    if (ARM_SYSREG_OP0(enc) == 3 && ARM_SYSREG_OP1(enc) == 0 &&
        ARM_SYSREG_CRN(enc) == 0 && ARM_SYSREG_CRM(enc) < 8) {
        return true;
    }
    return enc == SYSREG_CTR_EL0 || enc == SYSREG_CLIDR_EL1 ||
           enc == SYSREG_AIDR_EL1 || enc == SYSREG_DCZID_EL0;
}

static void add_problem(GPtrArray *problems, unsigned idx, int64_t in,
                        int64_t lim, const char *why)
{
    const ArmIdField *f = &arm_id_fields[idx];

    if (problems) {
        g_ptr_array_add(problems, g_strdup_printf("%s.%s %" PRId64 " (this "
                        "CPU offers %" PRId64 "): %s", f->reg, f->field, in,
                        lim, why));
    }
}

/* Highest level of field idx the destination can honour. */
int64_t arm_recon_id_limit(ARMCPU *cpu, unsigned field)
{
    ArmReconIdRule r = arm_recon_id_rule(field);
    return take_limit(cpu, &r);
}

static int64_t take_limit(ARMCPU *cpu, const ArmReconIdRule *r)
{
    uint32_t enc = arm_id_fields[r->field].enc;
    int64_t model = arm_recon_id_level(arm_idreg(cpu, enc),
                                       r->field);

    switch (r->kind) {
    case ARM_RECON_ID_EMULATED:
        return MAX(model, (int64_t)r->emul_max);
    case ARM_RECON_ID_LENIENT:
    case ARM_RECON_ID_PLATFORM:
        return INT64_MAX;
    case ARM_RECON_ID_NEVER:    /* never raised: the model's word only */
    case ARM_RECON_ID_MODEL:
    default:
        return model;
    }
}

unsigned arm_recon_id_check_take(ARMCPU *cpu, const uint64_t *ids,
                                 const uint64_t *vals, uint32_t n,
                                 GPtrArray *problems)
{
    unsigned bad = 0;

    for (uint32_t i = 0; i < n; i++) {
        if (!ARM_KVM_ID_IS_SYSREG(ids[i])) {
            continue;
        }
        uint32_t enc = ARM_KVM_ID_TO_ENC(ids[i]);
        for (unsigned k = 0; k < IDF__COUNT; k++) {
            if (arm_id_fields[k].enc != enc) {
                continue;
            }
            ArmReconIdRule r = arm_recon_id_rule(k);
            int64_t in = arm_recon_id_level(vals[i], k);
            int64_t lim = take_limit(cpu, &r);
            if (in > lim) {
                add_problem(problems, k, in, lim, r.reason);
                bad++;
            }
        }
    }
    return bad;
}

/*
 * AArch32 ID registers have no field table (sysreg-fields.def is AArch64):
 * the bits that describe the platform rather than the guest's instruction
 * set, ignored when a destination keeps its own value.  ID_PFR1_EL1
 * (Arm ARM G8.2.90): Security [7:4], Virtualization [15:12], Sec_frac
 * [23:20], Virt_frac [27:24], GIC [31:28] - Linux 6.1 and 6.12 report
 * different GIC and Virtualization values for the same host.  ID_DFR0_EL1
 * (G8.2.69): CopSDbg [7:4] (Secure state debug: our vCPUs have no Secure
 * state), CopTrc [15:12] and MMapTrc [19:16] (trace, which KVM hides).
 */
static const struct {
    uint32_t enc;
    uint64_t mask;
} aa32_platform[] = {
    { SYSREG_ID_PFR1_EL1, 0xfff0f0f0ULL },
    { SYSREG_ID_DFR0_EL1, 0x000ff0f0ULL },
};

unsigned arm_recon_id_check_keep(uint32_t enc, uint64_t src, uint64_t dst,
                                 const char *what, GPtrArray *problems)
{
    unsigned bad = 0;
    bool named = false;

    for (unsigned k = 0; k < IDF__COUNT; k++) {
        if (arm_id_fields[k].enc != enc) {
            continue;
        }
        named = true;
        ArmReconIdRule r = arm_recon_id_rule(k);
        if (r.kind == ARM_RECON_ID_LENIENT || r.kind == ARM_RECON_ID_PLATFORM) {
            continue;
        }
        int64_t a = arm_recon_id_level(src, k), b = arm_recon_id_level(dst, k);
        if (a > b) {
            if (problems) {
                g_ptr_array_add(problems, g_strdup_printf("%s.%s %" PRId64
                                " (%s offers %" PRId64 "): the guest may "
                                "already use it", arm_id_fields[k].reg,
                                arm_id_fields[k].field, a, what, b));
            }
            bad++;
        }
    }
    /* Registers without named fields (AArch32 ID registers, CTR, RAZ
     * slots): only equal values are known to be safe, platform bits aside. */
    uint64_t ignore = 0;
    for (unsigned i = 0; i < ARRAY_SIZE(aa32_platform); i++) {
        if (aa32_platform[i].enc == enc) {
            ignore = aa32_platform[i].mask;
        }
    }
    if (!named && (src & ~ignore) != (dst & ~ignore)) {
        char name[ARM_SYSREG_NAME_LEN];
        if (problems) {
            g_ptr_array_add(problems, g_strdup_printf("%s 0x%" PRIx64 " (%s "
                            "has 0x%" PRIx64 " and cannot change it)",
                            arm_sysreg_enc_name(enc, name), src, what, dst));
        }
        bad++;
    }
    return bad;
}

/* Fields the destination keeps (platform) are copied back after import. */
static void keep_platform_fields(ARMCPU *cpu, const uint64_t *saved)
{
    for (unsigned k = 0; k < IDF__COUNT; k++) {
        const ArmIdField *f = &arm_id_fields[k];
        if (arm_recon_id_rule(k).kind != ARM_RECON_ID_PLATFORM) {
            continue;
        }
        unsigned idx = ARM_IDSPACE_IDX(ARM_SYSREG_CRM(f->enc),
                                       ARM_SYSREG_OP2(f->enc));
        cpu->id.idspace[idx] = arm_idfield_set(cpu->id.idspace[idx], k,
                                   arm_idfield_get(saved[idx], k));
    }
    /* ID_PFR1_EL1.GIC (bits 31:28, AArch32 view of the same board fact). */
    unsigned pfr1 = ARM_IDSPACE_IDX(ARM_SYSREG_CRM(SYSREG_ID_PFR1_EL1),
                                    ARM_SYSREG_OP2(SYSREG_ID_PFR1_EL1));
    cpu->id.idspace[pfr1] = (cpu->id.idspace[pfr1] & ~0xf0000000ULL) |
                            (saved[pfr1] & 0xf0000000ULL);
}

static bool ident_differs(ARMCPU *cpu, const uint64_t *ids,
                          const uint64_t *vals, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const ArmCPReg *ri = arm_cpreg_find(cpu, ids[i]);
        if (!ri || !arm_cpreg_has_raw(ri) ||
            arm_cpreg_raw_read(cpu, ri) != vals[i]) {
            return true;
        }
    }
    return false;
}

bool arm_recon_id_take(ARMCPU *cpu, const uint64_t *ids,
                       const uint64_t *vals, uint32_t n, Error **errp)
{
    uint64_t saved[64];
    bool differs = false;
    g_autofree uint64_t *tids = g_new(uint64_t, n ? n : 1);
    g_autofree uint64_t *tvals = g_new(uint64_t, n ? n : 1);
    uint32_t k = 0;

    for (uint32_t i = 0; i < n; i++) {
        if (arm_recon_is_ident(ids[i])) {
            tids[k] = ids[i];
            tvals[k++] = vals[i];
        }
    }
    if (!ident_differs(cpu, tids, tvals, k)) {
        return true;        /* the usual TCG -> TCG case: nothing to do */
    }
    memcpy(saved, cpu->id.idspace, sizeof(saved));
    ArmIdRegs before = cpu->id;
    if (!arm_cpu_import_id_regs(cpu, tids, tvals, k, errp)) {
        return false;
    }
    keep_platform_fields(cpu, saved);
    differs = memcmp(&before, &cpu->id, sizeof(before)) != 0;
    if (differs) {
        /* Platform fields changed back after the rebuild: rebuild again so
         * the table follows the final values (cheap, migration time only). */
        return arm_cpu_import_id_regs(cpu, NULL, NULL, 0, errp);
    }
    return true;
}

void arm_recon_id_align(ARMCPU *cpu, const uint64_t *ids, uint64_t *vals,
                        uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        const ArmCPReg *ri;
        if (arm_recon_is_ident(ids[i]) &&
            (ri = arm_cpreg_find(cpu, ids[i])) && arm_cpreg_has_raw(ri)) {
            vals[i] = arm_cpreg_raw_read(cpu, ri);
        }
    }
}

/*
 * PMCR_EL0 (Arm ARM D13.4.7) mixes identification with state: IMP [31:24],
 * IDCODE [23:16] and N [15:11] identify the PMU like the ID registers do,
 * and are read-only to the guest; E..LC [6:0] are state.  A destination
 * with a PMU (the PMUVer check has passed by now) takes the identification
 * from the stream, as arm_recon_id_take does for the ID registers, so the
 * merge's read-back matches and the guest keeps seeing the PMU it probed.
 * N up to 31 is always honoured: every event counter exists in the table
 * (cpregs-pmu.c); LP [7] and the bits above it that our PMUv3 does not
 * implement read as zero, as on the KVM-form path (reconcile-rules.c).
 */
#define PMCR_ID_MASK    0xfffff800ULL
#define PMCR_STATE_MASK 0x7fULL

bool arm_recon_pmcr_take(ARMCPU *cpu, const uint64_t *ids, uint64_t *vals,
                         uint32_t n)
{
    uint64_t id = ARM_SYSREG_KVM_ID(SYSREG_PMCR_EL0);
    const ArmCPReg *ri = arm_cpreg_find(cpu, id);

    if (!ri) {
        return false;           /* no PMU here: nothing to take */
    }
    for (uint32_t i = 0; i < n; i++) {
        if (ids[i] == id) {
            cpu->id.pmcr = (uint32_t)(vals[i] & PMCR_ID_MASK);
            vals[i] = (vals[i] & PMCR_STATE_MASK) | cpu->id.pmcr;
            return true;
        }
    }
    return false;
}
