/*
 * The migrated register list: build, save, and merge on load.
 *
 * Rules (BRIEF idea 4: a destination is permissive, a source conservative,
 * writes preserve values; facts 3.3 and 3.6 for upstream's behaviour):
 *   - the list is every table entry that is not ALIAS / NO_RAW / SYS_INSN,
 *     minus x-mig-hidden-regs, sorted by KVM id as u64;
 *   - an incoming id we do not list fails the load, unless it is a view of
 *     state we list (alias/no-raw entry of our table), the architectural
 *     RAZ value of an unallocated ID register, named by
 *     x-mig-safe-missing-regs, or in the known-quirk table below;
 *   - a constant register whose incoming value differs fails, naming both;
 *   - every write is confirmed by reading it back;
 *   - a listed register the stream lacks is reset (not left stale: the
 *     upstream quirk of facts 3.3).
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "cpreg-list.h"
#include "cpu-models.h"

/*
 * Ids some KVM versions list although the vCPU lacks the feature, with a
 * value no guest could have set: safe to drop when we lack the register.
 * Linux 6.12 lists TCR2_EL1, PIRE0_EL1 and PIR_EL1 for every vCPU; 6.13
 * stopped (facts 3.6; tests/data/kvm-reglists/k612-*).
 */
static const struct {
    uint32_t enc;
    const char *why;
} kvm_quirk_safe[] = {
    { SYSREG_TCR2_EL1,  "listed unconditionally by Linux 6.12 KVM" },
    { SYSREG_PIRE0_EL1, "listed unconditionally by Linux 6.12 KVM" },
    { SYSREG_PIR_EL1,   "listed unconditionally by Linux 6.12 KVM" },
};

bool (*arm_cpreg_const_policy)(ARMCPU *cpu, const ArmCPReg *ri,
                              uint64_t incoming, uint64_t local);

static bool id_in(const uint64_t *arr, uint32_t n, uint64_t id)
{
    for (uint32_t i = 0; i < n; i++) {
        if (arr[i] == id) {
            return true;
        }
    }
    return false;
}

static bool is_hidden(ARMCPU *cpu, uint64_t id)
{
    return id_in(cpu->mig_hidden_ids, cpu->mig_hidden_len, id);
}

bool arm_cpreg_list_init(ARMCPU *cpu, Error **errp)
{
    unsigned n = arm_cpreg_count(cpu), k = 0;

    g_free(cpu->cpreg_indexes);
    cpu->cpreg_indexes = g_new(uint64_t, n ? n : 1);
    for (unsigned i = 0; i < n; i++) {
        const ArmCPReg *ri = arm_cpreg_at(cpu, i);
        if (arm_cpreg_is_migrated(ri) && !is_hidden(cpu, ri->id)) {
            cpu->cpreg_indexes[k++] = ri->id;      /* table is id-sorted */
        }
    }
    if (k > ARM_CPREG_LIST_MAX) {
        error_setg(errp, "cpu: register list of %u entries exceeds %u", k,
                   ARM_CPREG_LIST_MAX);
        return false;
    }
    cpu->cpreg_array_len = k;
    if (!cpu->cpreg_vmstate_indexes) {
        cpu->cpreg_vmstate_indexes = g_new0(uint64_t, ARM_CPREG_LIST_MAX);
        cpu->cpreg_vmstate_values = g_new0(uint64_t, ARM_CPREG_LIST_MAX);
    }
    cpu->cpreg_vmstate_array_len = k;
    return true;
}

void arm_cpreg_list_free(ARMCPU *cpu)
{
    g_free(cpu->cpreg_indexes);
    g_free(cpu->cpreg_vmstate_indexes);
    g_free(cpu->cpreg_vmstate_values);
    cpu->cpreg_indexes = NULL;
    cpu->cpreg_vmstate_indexes = NULL;
    cpu->cpreg_vmstate_values = NULL;
    cpu->cpreg_array_len = 0;
}

unsigned arm_cpreg_list_save(ARMCPU *cpu, uint64_t *ids, uint64_t *vals)
{
    for (uint32_t i = 0; i < cpu->cpreg_array_len; i++) {
        const ArmCPReg *ri = arm_cpreg_find(cpu, cpu->cpreg_indexes[i]);
        ids[i] = cpu->cpreg_indexes[i];
        vals[i] = arm_cpreg_raw_read(cpu, ri);
    }
    return cpu->cpreg_array_len;
}

const char *arm_cpreg_id_name(ARMCPU *cpu, uint64_t id, char *buf,
                              size_t len)
{
    const ArmCPReg *ri = arm_cpreg_find(cpu, id);
    char name[ARM_SYSREG_NAME_LEN];

    if (ri) {
        snprintf(buf, len, "%s (0x%016" PRIx64 ")", ri->name, id);
    } else if (ARM_KVM_ID_IS_SYSREG(id)) {
        snprintf(buf, len, "%s (0x%016" PRIx64 ")",
                 arm_sysreg_enc_name(ARM_KVM_ID_TO_ENC(id), name), id);
    } else {
        snprintf(buf, len, "0x%016" PRIx64, id);
    }
    return buf;
}

/* The ID space (3,0,0,0..7,op2): Arm ARM D19.2 makes unallocated slots RAZ. */
static bool is_id_space(uint64_t id)
{
    uint32_t enc = ARM_KVM_ID_TO_ENC(id);
    return ARM_KVM_ID_IS_SYSREG(id) && ARM_SYSREG_OP0(enc) == 3 &&
           ARM_SYSREG_OP1(enc) == 0 && ARM_SYSREG_CRN(enc) == 0 &&
           ARM_SYSREG_CRM(enc) < 8;
}

ArmCPRegIncoming arm_cpreg_incoming_kind(ARMCPU *cpu, uint64_t id,
                                         uint64_t value)
{
    const ArmCPReg *ri = arm_cpreg_find(cpu, id);

    if (ri && !is_hidden(cpu, id)) {
        return arm_cpreg_is_migrated(ri) ? ARM_CPREG_IN_LOCAL :
                                           ARM_CPREG_IN_VIEW;
    }
    if (id_in(cpu->mig_safe_missing_ids, cpu->mig_safe_missing_len, id)) {
        return ARM_CPREG_IN_SAFE;
    }
    if (!ri && is_id_space(id) && value == 0) {
        return ARM_CPREG_IN_RAZ;
    }
    if (!ri && ARM_KVM_ID_IS_SYSREG(id)) {
        for (size_t i = 0; i < ARRAY_SIZE(kvm_quirk_safe); i++) {
            if (ARM_SYSREG_KVM_ID(kvm_quirk_safe[i].enc) == id) {
                return ARM_CPREG_IN_SAFE;
            }
        }
    }
    return ARM_CPREG_IN_UNKNOWN;
}

/* Collects up to ARM_CPREG_REPORT_MAX items of one kind for a message. */
typedef struct Problems {
    unsigned count;
    GString *text;
} Problems;

static void problem_add(Problems *p, const char *fmt, ...) QEMU_PRINTF(2, 3);
static void problem_add(Problems *p, const char *fmt, ...)
{
    va_list ap;

    if (p->count++ >= ARM_CPREG_REPORT_MAX) {
        return;
    }
    if (p->text->len) {
        g_string_append(p->text, ", ");
    }
    va_start(ap, fmt);
    g_string_append_vprintf(p->text, fmt, ap);
    va_end(ap);
}

static void problems_emit(GString *msg, const Problems *p, const char *what)
{
    if (!p->count) {
        return;
    }
    g_string_append_printf(msg, "%s%u %s: %s%s", msg->len ? "; " : "",
                           p->count, what, p->text->str,
                           p->count > ARM_CPREG_REPORT_MAX ? ", ..." : "");
}

bool arm_cpreg_list_load(ARMCPU *cpu, const uint64_t *ids,
                         const uint64_t *vals, uint32_t len,
                         ArmCPRegMergeReport *rep, Error **errp)
{
    ArmCPRegMergeReport local_rep;
    Problems unknown = { 0, g_string_new("") };
    Problems mismatch = { 0, g_string_new("") };
    Problems readback = { 0, g_string_new("") };
    GString *msg = g_string_new("");
    char name[80];
    bool ok = false;
    uint32_t i, j;

    if (!rep) {
        rep = &local_rep;
    }
    memset(rep, 0, sizeof(*rep));
    if (len > ARM_CPREG_LIST_MAX) {
        error_setg(errp, "cpu %u: incoming register list has %u entries, "
                   "more than the limit %u", cpu->cpu_index, len,
                   ARM_CPREG_LIST_MAX);
        goto out;
    }
    for (i = 1; i < len; i++) {
        if (ids[i] <= ids[i - 1]) {
            error_setg(errp, "cpu %u: incoming register list not sorted or "
                       "not unique at entry %u (0x%016" PRIx64 " after 0x%016"
                       PRIx64 ")", cpu->cpu_index, i, ids[i], ids[i - 1]);
            goto out;
        }
    }

    /* Pass 1: classify every incoming id; check constants. No writes. */
    for (i = 0; i < len; i++) {
        const ArmCPReg *ri;
        switch (arm_cpreg_incoming_kind(cpu, ids[i], vals[i])) {
        case ARM_CPREG_IN_LOCAL:
            ri = arm_cpreg_find(cpu, ids[i]);
            if (ri->flags & ARM_CP_CONST) {
                uint64_t mine = arm_cpreg_raw_read(cpu, ri);
                if (mine != vals[i] && arm_cpreg_const_policy &&
                    arm_cpreg_const_policy(cpu, ri, vals[i], mine)) {
                    rep->const_kept++;
                } else if (mine != vals[i]) {
                    problem_add(&mismatch, "%s incoming 0x%" PRIx64 " local 0x%"
                                PRIx64, arm_cpreg_id_name(cpu, ids[i], name,
                                sizeof(name)), vals[i], mine);
                }
            }
            break;
        case ARM_CPREG_IN_VIEW:
            rep->views++;
            break;
        case ARM_CPREG_IN_RAZ:
            rep->raz++;
            break;
        case ARM_CPREG_IN_SAFE:
            rep->safe++;
            break;
        case ARM_CPREG_IN_UNKNOWN:
            problem_add(&unknown, "%s = 0x%" PRIx64,
                        arm_cpreg_id_name(cpu, ids[i], name, sizeof(name)),
                        vals[i]);
            break;
        }
    }
    if (unknown.count || mismatch.count) {
        problems_emit(msg, &unknown, "incoming registers this CPU does not "
                      "have (x-mig-safe-missing-regs can accept them)");
        problems_emit(msg, &mismatch, "constant registers differ");
        error_setg(errp, "cpu %u (%s): %s", cpu->cpu_index, cpu->model->name,
                   msg->str);
        goto out;
    }

    /* Pass 2: walk both sorted lists; write+verify or reset. */
    for (i = 0, j = 0; i < cpu->cpreg_array_len; i++) {
        uint64_t id = cpu->cpreg_indexes[i];
        const ArmCPReg *ri = arm_cpreg_find(cpu, id);

        while (j < len && ids[j] < id) {
            j++;
        }
        if (j < len && ids[j] == id && (ri->flags & ARM_CP_CONST)) {
            rep->written++;         /* compared in pass 1 */
        } else if (j < len && ids[j] == id) {
            uint64_t back;
            arm_cpreg_raw_write(cpu, ri, vals[j]);
            back = arm_cpreg_raw_read(cpu, ri);
            if (back != vals[j]) {
                problem_add(&readback, "%s wrote 0x%" PRIx64 " read 0x%"
                            PRIx64, arm_cpreg_id_name(cpu, id, name,
                            sizeof(name)), vals[j], back);
            }
            rep->written++;
        } else {
            arm_cpreg_reset_one(cpu, ri);
            if (rep->reset < ARM_CPREG_REPORT_MAX) {
                rep->reset_ids[rep->reset] = id;
            }
            rep->reset++;
        }
    }
    if (readback.count) {
        problems_emit(msg, &readback, "registers did not keep the incoming "
                      "value");
        error_setg(errp, "cpu %u (%s): %s", cpu->cpu_index, cpu->model->name,
                   msg->str);
        goto out;
    }
    if (rep->reset) {
        qemu_log_mask(LOG_MIGRATION, "cpu %u: %u registers absent from the "
                      "stream were reset (first: 0x%016" PRIx64 ")\n",
                      cpu->cpu_index, rep->reset, rep->reset_ids[0]);
    }
    ok = true;
out:
    g_string_free(unknown.text, true);
    g_string_free(mismatch.text, true);
    g_string_free(readback.text, true);
    g_string_free(msg, true);
    return ok;
}
