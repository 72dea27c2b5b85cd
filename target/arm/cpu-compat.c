/*
 * CPU compatibility check on arrival (BRIEF idea 5).
 *
 * Decided on architected facts carried by the incoming register list: the
 * ID-register feature fields (sysreg-fields.def; a feature level above what
 * this CPU can take - its current identification (the model's values, or
 * for -cpu host what KVM reported, or what an earlier migration brought),
 * or the interpreter's level for fields the policy table of reconcile-id.c
 * raises - means the guest may already use something we lack; never a
 * model table) and the CPU identity
 * (MIDR_EL1, judged by the destination model's "close enough" hook).  Not
 * on emulator implementation details.  Runs before the list merge so the
 * user reads why in one line, e.g.
 *   cpu: incoming cortex-a72 r0p3 (MIDR 0x410fd083) is not compatible with
 *   cortex-a57: ID_AA64ISAR0_EL1.AES 2 > 0
 */
#include "qemu/osdep.h"
#include "cpu-compat.h"
#include "cpu-models.h"
#include "cpu-features.h"
#include "reconcile.h"

static bool find_incoming(const uint64_t *ids, const uint64_t *vals,
                          uint32_t len, uint32_t enc, uint64_t *out)
{
    uint64_t id = ARM_SYSREG_KVM_ID(enc);
    uint32_t lo = 0, hi = len;

    /* The list has been checked sorted by the caller or is checked below;
     * a linear fallback keeps this correct for unsorted input too. */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ids[mid] == id) {
            *out = vals[mid];
            return true;
        }
        if (ids[mid] < id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    for (uint32_t i = 0; i < len; i++) {
        if (ids[i] == id) {
            *out = vals[i];
            return true;
        }
    }
    return false;
}

static int64_t field_level(uint64_t v, unsigned idx)
{
    uint64_t x = arm_idfield_get(v, idx);
    const ArmIdField *f = &arm_id_fields[idx];

    if (f->kind == IDF_KIND_S && (x >> (f->width - 1))) {
        return (int64_t)x - (1LL << f->width);      /* 0xf -> -1 */
    }
    return (int64_t)x;
}

void arm_cpu_describe_midr(uint64_t midr, char *buf, size_t len)
{
    const ARMCPUModel *m = arm_cpu_model_by_midr(midr);

    snprintf(buf, len, "%s r%up%u (MIDR 0x%08" PRIx64 ")",
             m ? m->name : "CPU", (unsigned)MIDR_VARIANT(midr),
             (unsigned)MIDR_REVISION(midr), midr);
}

bool arm_cpu_check_incoming(ARMCPU *cpu, const uint64_t *ids,
                            const uint64_t *vals, uint32_t len, Error **errp)
{
    const ARMCPUModel *m = cpu->model;
    uint64_t midr = 0, mine = cpu->id.idspace[0];
    bool have_midr = find_incoming(ids, vals, len, SYSREG_MIDR_EL1, &midr);
    GString *why = g_string_new("");
    unsigned bad = 0;
    char who[96];

    for (unsigned i = 0; i < IDF__COUNT; i++) {
        const ArmIdField *f = &arm_id_fields[i];
        ArmReconIdRule r = arm_recon_id_rule(i);
        uint64_t in;

        /* Platform fields and lenient ones are not compared (the policy
         * table in reconcile-id.c says why, field by field). */
        if (r.kind == ARM_RECON_ID_PLATFORM || r.kind == ARM_RECON_ID_LENIENT ||
            !find_incoming(ids, vals, len, f->enc, &in)) {
            continue;
        }
        int64_t a = field_level(in, i), b = arm_recon_id_limit(cpu, i);
        if (a > b) {
            if (bad++ < 10) {
                bool own = r.kind != ARM_RECON_ID_MODEL ||
                           strcmp(r.reason, "not emulated") != 0;
                g_string_append_printf(why, "%s%s.%s %" PRId64 " > %" PRId64
                                       "%s%s%s", why->len ? ", " : "",
                                       f->reg, f->field, a, b,
                                       own ? " (" : "", own ? r.reason : "",
                                       own ? ")" : "");
            }
        }
    }
    if (!bad && have_midr && midr != mine && m->midr_compatible &&
        !m->midr_compatible(m, midr)) {
        g_string_append_printf(why, "a different CPU (this one is MIDR "
                               "0x%08" PRIx64 ")", mine);
        bad = 1;
    }
    if (bad) {
        if (have_midr) {
            arm_cpu_describe_midr(midr, who, sizeof(who));
        } else {
            snprintf(who, sizeof(who), "CPU");
        }
        error_setg(errp, "cpu: incoming %s is not compatible with %s: %s%s",
                   who, m->name, why->str, bad > 10 ? ", ..." : "");
    }
    g_string_free(why, true);
    return !bad;
}
