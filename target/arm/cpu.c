/*
 * ARM vCPU objects: creation from a model name and property string,
 * architectural reset, -cpu help.
 *
 * Properties (-cpu NAME,prop=value,...):
 *   pmu=on|off                  PMUv3 (every model; default on)
 *   crypto=on|off               AES/PMULL/SHA1/SHA256 (A57, A72, max)
 *   sve=on|off                  SVE (max; default off)
 *   pauth=on|off                pointer authentication (max; default off)
 *   cntfrq=HZ                   generic timer frequency (default 62.5 MHz)
 *   x-mig-hidden-regs=ID:ID     ids removed from the migrated list
 *   x-mig-safe-missing-regs=ID:ID  incoming ids accepted without a local
 *                               register (BRIEF idea 4; facts 3.6)
 * IDs are KVM ONE_REG ids (0x6030...) or register names from sysreg.def.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "cpregs.h"
#include "cpreg-list.h"
#include "cpu-models.h"
#include "cpu-features.h"

ARMCPU *arm_cpus[ARM_MAX_CPUS];
unsigned arm_cpu_count;

void arm_cpu_list(FILE *f)
{
    for (unsigned i = 0; i < arm_cpu_model_count; i++) {
        fprintf(f, "  %-12s %s\n", arm_cpu_models[i].name,
                arm_cpu_models[i].description);
    }
    fprintf(f, "\nProperties: pmu=on|off, crypto=on|off, sve=on|off (max), "
            "pauth=on|off (max),\n  cntfrq=HZ, x-mig-hidden-regs=ID:ID..., "
            "x-mig-safe-missing-regs=ID:ID...\n");
}

bool arm_cpu_model_exists(const char *model)
{
    return arm_cpu_model_find(model) != NULL;
}

bool arm_cpu_model_kvm_only(const char *model)
{
    const ARMCPUModel *m = arm_cpu_model_find(model);
    return m && m->kvm_only;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

bool arm_cpu_import_id_regs(ARMCPU *cpu, const uint64_t *ids,
                            const uint64_t *vals, uint32_t n, Error **errp)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t enc = ARM_KVM_ID_TO_ENC(ids[i]);

        if (!ARM_KVM_ID_IS_SYSREG(ids[i])) {
            continue;
        }
        if (ARM_SYSREG_OP0(enc) == 3 && ARM_SYSREG_OP1(enc) == 0 &&
            ARM_SYSREG_CRN(enc) == 0 && ARM_SYSREG_CRM(enc) < 8 &&
            enc != SYSREG_MPIDR_EL1) {
            cpu->id.idspace[ARM_IDSPACE_IDX(ARM_SYSREG_CRM(enc),
                                            ARM_SYSREG_OP2(enc))] = vals[i];
        } else if (enc == SYSREG_CTR_EL0) {
            cpu->id.ctr = vals[i];
        } else if (enc == SYSREG_CLIDR_EL1) {
            cpu->id.clidr = vals[i];
        } else if (enc == SYSREG_DCZID_EL0) {
            cpu->id.dczid = vals[i] & 0xf;
        } else if (enc == SYSREG_AIDR_EL1) {
            cpu->id.aidr = vals[i];
        }
    }
    /* Storage lives in env, so a rebuilt table keeps every value ... */
    unsigned old_n = arm_cpreg_count(cpu);
    uint64_t *old = g_new(uint64_t, old_n ? old_n : 1);
    bool ok;

    for (unsigned i = 0; i < old_n; i++) {
        old[i] = arm_cpreg_at(cpu, i)->id;           /* sorted */
    }
    arm_cpregs_free(cpu);
    ok = arm_cpregs_build(cpu, errp) && arm_cpreg_list_init(cpu, errp);
    /* ... and registers the new features bring start from their reset. */
    for (unsigned i = 0; ok && i < arm_cpreg_count(cpu); i++) {
        const ArmCPReg *ri = arm_cpreg_at(cpu, i);
        if (!(ri->flags & ARM_CP_ALIAS) &&
            !bsearch(&ri->id, old, old_n, sizeof(uint64_t), cmp_u64)) {
            arm_cpreg_reset_one(cpu, ri);
        }
    }
    g_free(old);
    return ok;
}

static void idset(ARMCPU *cpu, uint32_t enc, unsigned field, uint64_t v)
{
    uint64_t *r = &cpu->id.idspace[ARM_IDSPACE_IDX(ARM_SYSREG_CRM(enc),
                                                   ARM_SYSREG_OP2(enc))];
    *r = arm_idfield_set(*r, field, v);
}

/* AArch32 field of an AArch32 ID register (no named field table needed). */
static void idset32(ARMCPU *cpu, uint32_t enc, unsigned shift, uint64_t v)
{
    uint64_t *r = &cpu->id.idspace[ARM_IDSPACE_IDX(ARM_SYSREG_CRM(enc),
                                                   ARM_SYSREG_OP2(enc))];
    *r = (*r & ~(0xfULL << shift)) | (v << shift);
}

static void feature_pmu_off(ARMCPU *cpu)
{
    idset(cpu, SYSREG_ID_AA64DFR0_EL1, IDF_ID_AA64DFR0_EL1_PMUVer, 0);
    idset32(cpu, SYSREG_ID_DFR0_EL1, 24, 0);           /* PerfMon */
}

static void feature_crypto_off(ARMCPU *cpu)
{
    idset(cpu, SYSREG_ID_AA64ISAR0_EL1, IDF_ID_AA64ISAR0_EL1_AES, 0);
    idset(cpu, SYSREG_ID_AA64ISAR0_EL1, IDF_ID_AA64ISAR0_EL1_SHA1, 0);
    idset(cpu, SYSREG_ID_AA64ISAR0_EL1, IDF_ID_AA64ISAR0_EL1_SHA2, 0);
    idset32(cpu, SYSREG_ID_ISAR5_EL1, 4, 0);           /* AES */
    idset32(cpu, SYSREG_ID_ISAR5_EL1, 8, 0);           /* SHA1 */
    idset32(cpu, SYSREG_ID_ISAR5_EL1, 12, 0);          /* SHA2 */
}

static void feature_pauth(ARMCPU *cpu, bool on)
{
    if (!on) {
        idset(cpu, SYSREG_ID_AA64ISAR1_EL1, IDF_ID_AA64ISAR1_EL1_APA, 0);
        idset(cpu, SYSREG_ID_AA64ISAR1_EL1, IDF_ID_AA64ISAR1_EL1_API, 0);
        idset(cpu, SYSREG_ID_AA64ISAR1_EL1, IDF_ID_AA64ISAR1_EL1_GPA, 0);
        idset(cpu, SYSREG_ID_AA64ISAR1_EL1, IDF_ID_AA64ISAR1_EL1_GPI, 0);
    }
}

static void feature_sve(ARMCPU *cpu, bool on)
{
    idset(cpu, SYSREG_ID_AA64PFR0_EL1, IDF_ID_AA64PFR0_EL1_SVE, on ? 1 : 0);
    /* ID_AA64ZFR0_EL1 = 0: SVE (v1) without optional extensions. */
}

void arm_cpu_set_gic_sysregs(ARMCPU *cpu, bool on)
{
    idset(cpu, SYSREG_ID_AA64PFR0_EL1, IDF_ID_AA64PFR0_EL1_GIC, on ? 1 : 0);
    idset32(cpu, SYSREG_ID_PFR1_EL1, 28, on ? 1 : 0);
}

/* Parse "ID:ID:..." (ids or names) into a new array. */
static bool parse_id_list(const char *prop, const char *s, uint64_t **out,
                          uint32_t *len, Error **errp)
{
    gchar **parts = g_strsplit_set(s, ":;", -1);
    GArray *a = g_array_new(false, false, sizeof(uint64_t));
    bool ok = true;

    for (unsigned i = 0; parts[i]; i++) {
        uint64_t id;
        int enc;
        if (!parts[i][0]) {
            continue;
        }
        if (qemu_strtou64(parts[i], &id)) {
            /* a KVM ONE_REG id */
        } else if ((enc = arm_sysreg_enc_from_name(parts[i])) >= 0) {
            id = ARM_SYSREG_KVM_ID((uint32_t)enc);
        } else {
            error_setg(errp, "cpu: property %s: '%s' is neither a register id "
                       "nor a register name", prop, parts[i]);
            ok = false;
            break;
        }
        if (a->len >= ARM_CPREG_LIST_MAX) {
            error_setg(errp, "cpu: property %s: more than %u ids", prop,
                       ARM_CPREG_LIST_MAX);
            ok = false;
            break;
        }
        g_array_append_val(a, id);
    }
    g_strfreev(parts);
    if (!ok) {
        g_array_free(a, true);
        return false;
    }
    g_free(*out);
    *len = a->len;
    *out = (uint64_t *)g_array_free(a, false);
    return true;
}

static bool parse_onoff(const char *model, const char *key, const char *val,
                        bool *out, Error **errp)
{
    if (!qemu_strtobool(val, out)) {
        error_setg(errp, "cpu %s: property '%s' expects on|off, not '%s'",
                   model, key, val);
        return false;
    }
    return true;
}

/*
 * Apply "key=value,..." to a fresh vCPU (before its table is built, so the
 * table follows the resulting ID registers).
 */
static bool arm_cpu_apply_props(ARMCPU *cpu, const char *props, Error **errp)
{
    const ARMCPUModel *m = cpu->model;
    bool pmu = true, sve = false, pauth = false, crypto = true;
    gchar **kv = g_strsplit(props ? props : "", ",", -1);
    bool ok = true;

    for (unsigned i = 0; ok && kv[i]; i++) {
        char *key = kv[i], *val = strchr(key, '=');
        uint64_t hz;

        if (!key[0]) {
            continue;
        }
        if (val) {
            *val++ = '\0';
        } else {
            val = (char *)"on";       /* bare "flag" means flag=on */
        }
        if (!strcmp(key, "pmu")) {
            ok = parse_onoff(m->name, key, val, &pmu, errp);
        } else if (!strcmp(key, "crypto") && (m->props & ARM_MODEL_PROP_CRYPTO)) {
            ok = parse_onoff(m->name, key, val, &crypto, errp);
        } else if (!strcmp(key, "sve") && (m->props & ARM_MODEL_PROP_SVE)) {
            ok = parse_onoff(m->name, key, val, &sve, errp);
        } else if (!strcmp(key, "pauth") && (m->props & ARM_MODEL_PROP_PAUTH)) {
            ok = parse_onoff(m->name, key, val, &pauth, errp);
        } else if (!strcmp(key, "cntfrq")) {
            if (!qemu_strtou64(val, &hz) || hz == 0 || hz > 10000000000ULL) {
                error_setg(errp, "cpu %s: property 'cntfrq' expects a "
                           "frequency in Hz (1..10000000000), not '%s'",
                           m->name, val);
                ok = false;
            } else {
                cpu->cntfrq_hz = hz;
            }
        } else if (!strcmp(key, "x-mig-hidden-regs")) {
            ok = parse_id_list(key, val, &cpu->mig_hidden_ids,
                               &cpu->mig_hidden_len, errp);
        } else if (!strcmp(key, "x-mig-safe-missing-regs")) {
            ok = parse_id_list(key, val, &cpu->mig_safe_missing_ids,
                               &cpu->mig_safe_missing_len, errp);
        } else {
            error_setg(errp, "cpu %s: unknown property '%s' (see -cpu help)",
                       m->name, key);
            ok = false;
        }
    }
    g_strfreev(kv);
    if (!ok) {
        return false;
    }
    if (!pmu) {
        feature_pmu_off(cpu);
    }
    if (!crypto) {
        feature_crypto_off(cpu);
    }
    if (m->props & ARM_MODEL_PROP_PAUTH) {
        feature_pauth(cpu, pauth);
    }
    if (m->props & ARM_MODEL_PROP_SVE) {
        feature_sve(cpu, sve);
    }
    return true;
}

ARMCPU *arm_cpu_new(const char *model, const char *props, unsigned index,
                    Error **errp)
{
    const ARMCPUModel *m = arm_cpu_model_find(model ? model : "");
    ARMCPU *cpu;

    if (!m) {
        error_setg(errp, "unknown CPU model '%s' (use -cpu help)",
                   model ? model : "");
        return NULL;
    }
    if (!m->aarch64) {
        error_setg(errp, "CPU model '%s' needs AArch32 execution, which this "
                   "build does not implement yet", model);
        return NULL;
    }
    if (index >= ARM_MAX_CPUS) {
        error_setg(errp, "cpu index %u out of range (max %u CPUs)", index,
                   ARM_MAX_CPUS);
        return NULL;
    }
    cpu = g_new0(ARMCPU, 1);
    cpu->model = m;
    cpu->cpu_index = index;
    /* QEMU virt's layout: 8 CPUs per cluster, Aff1 = cluster (facts/FDT). */
    cpu->mp_affinity = ((uint64_t)(index / 8) << 8) | (index % 8);
    cpu->id = m->id;
    cpu->cntfrq_hz = ARM_CNTFRQ_DEFAULT;
    cpu->gt_timer_expire[0] = cpu->gt_timer_expire[1] = -1;

    if (!arm_cpu_apply_props(cpu, props, errp) ||
        !arm_cpregs_build(cpu, errp) ||
        !arm_cpreg_list_init(cpu, errp)) {
        arm_cpu_free(cpu);
        return NULL;
    }
    arm_cpu_reset(cpu);
    return cpu;
}

void arm_cpu_free(ARMCPU *cpu)
{
    if (!cpu) {
        return;
    }
    for (unsigned i = 0; i < ARM_MAX_CPUS; i++) {
        if (arm_cpus[i] == cpu) {
            arm_cpus[i] = NULL;
        }
    }
    arm_cpregs_free(cpu);
    arm_cpreg_list_free(cpu);
    g_free(cpu->mig_hidden_ids);
    g_free(cpu->mig_safe_missing_ids);
    g_free(cpu);
}

/*
 * Architectural reset into AArch64 EL1h with DAIF masked (Arm ARM D1.9,
 * "Reset"); general registers are UNKNOWN at reset, we use zero so runs
 * are reproducible.  The board sets PC and X0 afterwards.
 */
void arm_cpu_reset(ARMCPU *cpu)
{
    CPUARMState *env = &cpu->env;

    memset(env->xregs, 0, sizeof(env->xregs));
    memset(env->sp_el, 0, sizeof(env->sp_el));
    memset(env->elr_el, 0, sizeof(env->elr_el));
    memset(env->spsr_el, 0, sizeof(env->spsr_el));
    memset(env->regs, 0, sizeof(env->regs));
    memset(env->banked_spsr, 0, sizeof(env->banked_spsr));
    memset(env->banked_r13, 0, sizeof(env->banked_r13));
    memset(env->banked_r14, 0, sizeof(env->banked_r14));
    memset(env->usr_regs, 0, sizeof(env->usr_regs));
    memset(env->fiq_regs, 0, sizeof(env->fiq_regs));
    memset(env->vregs, 0, sizeof(env->vregs));
    env->spsr = 0;
    env->pc = 0;
    env->pstate = PSTATE_DAIF | (1u << PSTATE_EL_SHIFT) | PSTATE_SP;
    env->fpcr = 0;
    env->fpsr = 0;
    env->exclusive_addr = (uint64_t)-1;
    env->exclusive_val = 0;
    env->exclusive_high = 0;
    memset(&env->exception, 0, sizeof(env->exception));
    env->exception_index = -1;
    memset(&env->serror, 0, sizeof(env->serror));
    env->halted = 0;
    env->interrupt_request = 0;
    env->irq_line_state = 0;
    arm_cpregs_reset(cpu);
}
