/*
 * Applying the reconciliation tables (reconcile-rules.c) to real lists:
 * KVM -> TCG, TCG -> KVM, and KVM -> KVM across kernels; and the KVM-only
 * registers a TCG vCPU carries for a later return to KVM.
 *
 * Each function walks the lists in id order, asks the table for the first
 * matching row and records one plan entry per id; refusals become one
 * line each ("ID_AA64PFR0_EL1.SVE 1 (...): SVE is not emulated"), joined
 * into the error, so the user reads every reason at once.
 */
#include "qemu/osdep.h"
#include "reconcile.h"
#include "cpreg-list.h"
#include "cpregs.h"
#include "kvm-regid.h"
#include "cpu-compat.h"
#include "cpu-models.h"

#define ID_MIDR ARM_SYSREG_KVM_ID(SYSREG_MIDR_EL1)
#define ID_PMCR ARM_SYSREG_KVM_ID(SYSREG_PMCR_EL0)
/* PMCR_EL0 (Arm ARM D13.4): N [15:11], IDCODE [23:16], IMP [31:24]. */
#define PMCR_ID_MASK    0xfffff800ULL
#define PMCR_STATE_MASK 0x7fULL

void arm_recon_plan_init(ArmReconPlan *p)
{
    memset(p, 0, sizeof(*p));
    p->entries = g_array_new(false, false, sizeof(ArmReconEntry));
    p->problems = g_ptr_array_new_with_free_func(g_free);
    p->arch_ids = g_array_new(false, false, sizeof(uint64_t));
    p->arch_vals = g_array_new(false, false, sizeof(uint64_t));
    p->id_ids = g_array_new(false, false, sizeof(uint64_t));
    p->id_vals = g_array_new(false, false, sizeof(uint64_t));
    p->carry_ids = g_array_new(false, false, sizeof(uint64_t));
    p->carry_vals = g_array_new(false, false, sizeof(uint64_t));
}

void arm_recon_plan_free(ArmReconPlan *p)
{
    if (!p->entries) {
        return;
    }
    g_array_free(p->entries, true);
    g_ptr_array_free(p->problems, true);
    g_array_free(p->arch_ids, true);
    g_array_free(p->arch_vals, true);
    g_array_free(p->id_ids, true);
    g_array_free(p->id_vals, true);
    g_array_free(p->carry_ids, true);
    g_array_free(p->carry_vals, true);
    memset(p, 0, sizeof(*p));
}

const ArmReconEntry *arm_recon_plan_find(const ArmReconPlan *p, uint64_t id)
{
    for (unsigned i = 0; i < p->entries->len; i++) {
        const ArmReconEntry *e = &g_array_index(p->entries, ArmReconEntry, i);
        if (e->id == id) {
            return e;
        }
    }
    return NULL;
}

char *arm_recon_plan_problems(const ArmReconPlan *p)
{
    GString *s = g_string_new("");

    for (unsigned i = 0; i < p->problems->len; i++) {
        g_string_append_printf(s, "%s%s", i ? "; " : "",
                               (const char *)p->problems->pdata[i]);
    }
    return g_string_free(s, false);
}

static void add_entry(ArmReconPlan *p, uint64_t id, uint64_t value,
                      uint64_t to_id, ArmReconKind kind,
                      const ArmReconRule *rule)
{
    ArmReconEntry e = { id, value, to_id, kind, rule };

    g_array_append_val(p->entries, e);
    p->count[kind]++;
}

static void refuse(ArmReconPlan *p, uint64_t id, uint64_t value,
                   const char *fmt, ...) G_GNUC_PRINTF(4, 5);
static void refuse(ArmReconPlan *p, uint64_t id, uint64_t value,
                   const char *fmt, ...)
{
    va_list ap;
    char *msg;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_ptr_array_add(p->problems, msg);
    add_entry(p, id, value, 0, ARM_RECON_REFUSE, NULL);
}

static void push2(GArray *a, GArray *b, uint64_t x, uint64_t y)
{
    g_array_append_val(a, x);
    g_array_append_val(b, y);
}

static bool finish(ArmReconPlan *p, const char *what, Error **errp)
{
    if (p->problems->len) {
        g_autofree char *all = arm_recon_plan_problems(p);
        error_setg(errp, "%s: %u problem%s: %s", what, p->problems->len,
                   p->problems->len == 1 ? "" : "s", all);
        return false;
    }
    return true;
}

/* Name of an id for messages: register name (by encoding) or the id. */
static const char *id_name(uint64_t id, char *buf, size_t len)
{
    char name[ARM_SYSREG_NAME_LEN];

    if (ARM_KVM_ID_IS_SYSREG(id)) {
        snprintf(buf, len, "%s (0x%016" PRIx64 ")",
                 arm_sysreg_enc_name(ARM_KVM_ID_TO_ENC(id), name), id);
    } else {
        snprintf(buf, len, "0x%016" PRIx64, id);
    }
    return buf;
}

bool arm_reconcile_list_is_kvm_form(const uint64_t *ids, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint64_t c = (ids[i] & ARM_KVM_REG_COPROC_MASK) >>
                     ARM_KVM_REG_COPROC_SHIFT;
        if ((ids[i] & ARM_KVM_REG_ARCH_MASK) == ARM_KVM_REG_ARM64 &&
            (c == ARM_KVM_COPROC_FW || c == ARM_KVM_COPROC_FW_BMAP ||
             c == ARM_KVM_COPROC_DEMUX)) {
            return true;
        }
    }
    return false;
}

/* ---------------- KVM -> TCG ---------------- */

bool arm_reconcile_kvm_to_tcg(ARMCPU *cpu, const uint64_t *ids,
                              const uint64_t *vals, uint32_t n,
                              ArmReconPlan *plan, Error **errp)
{
    char name[96];

    if (n > ARM_CPREG_LIST_MAX) {
        error_setg(errp, "cpu %u: incoming KVM list has %u entries, more than "
                   "%u", cpu->cpu_index, n, ARM_CPREG_LIST_MAX);
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint64_t id = ids[i], v = vals[i];
        bool ours = arm_cpreg_find(cpu, id) != NULL;
        const ArmReconRule *r = arm_recon_lookup(ARM_RECON_KVM_TO_TCG, id,
                                                 ours ? ARM_RECON_IN_SRC |
                                                 ARM_RECON_IN_DST :
                                                 ARM_RECON_IN_SRC, 0);
        switch (r->kind) {
        case ARM_RECON_DROP:
            add_entry(plan, id, v, 0, r->kind, r);
            break;
        case ARM_RECON_CARRY:
            push2(plan->carry_ids, plan->carry_vals, id, v);
            add_entry(plan, id, v, 0, r->kind, r);
            break;
        case ARM_RECON_TRANSLATE:
            if (id == ARM_KVM_TIMER_CNT) {
                plan->has_vcount = true;
                plan->vcount = v;
                add_entry(plan, id, v, 0, r->kind, r);
            } else if (id == ID_PMCR) {
                /* PMU identification into the model, state bits kept. */
                plan->has_pmcr = true;
                plan->pmcr_id = v & PMCR_ID_MASK;
                push2(plan->arch_ids, plan->arch_vals, id,
                      (v & PMCR_ID_MASK) | (v & PMCR_STATE_MASK));
                add_entry(plan, id, v, id, r->kind, r);
            } else if (id == ARM_KVM_TIMER_CVAL) {
                uint64_t to = ARM_SYSREG_KVM_ID(SYSREG_CNTV_CVAL_EL0);
                push2(plan->arch_ids, plan->arch_vals, to, v);
                add_entry(plan, id, v, to, r->kind, r);
            } else {                                /* CCSIDR demux */
                push2(plan->carry_ids, plan->carry_vals, id, v);
                add_entry(plan, id, v, 0, r->kind, r);
            }
            break;
        case ARM_RECON_TAKE:
            push2(plan->id_ids, plan->id_vals, id, v);
            push2(plan->arch_ids, plan->arch_vals, id, v);
            add_entry(plan, id, v, 0, r->kind, r);
            break;
        case ARM_RECON_MUST_MATCH:
        case ARM_RECON_SAME:
            push2(plan->arch_ids, plan->arch_vals, id, v);
            add_entry(plan, id, v, 0, r->kind, r);
            break;
        case ARM_RECON_REFUSE:
        default:
            refuse(plan, id, v, "%s %s = 0x%" PRIx64 ": %s", r->what,
                   id_name(id, name, sizeof(name)), v, r->reason);
            break;
        }
    }
    /* Identification first: what the table then has depends on it. */
    arm_recon_id_check_take(cpu, (uint64_t *)plan->id_ids->data,
                            (uint64_t *)plan->id_vals->data,
                            plan->id_ids->len, plan->problems);
    /* The model's "close enough" hook on the identity (BRIEF idea 5). */
    for (unsigned i = 0; i < plan->id_ids->len; i++) {
        uint64_t midr = g_array_index(plan->id_vals, uint64_t, i);
        const ARMCPUModel *m = cpu->model;
        char who[96];
        if (g_array_index(plan->id_ids, uint64_t, i) != ID_MIDR ||
            midr == cpu->id.idspace[0] || !m || !m->midr_compatible ||
            m->midr_compatible(m, midr)) {
            continue;
        }
        arm_cpu_describe_midr(midr, who, sizeof(who));
        g_ptr_array_add(plan->problems, g_strdup_printf("MIDR_EL1: the "
                        "incoming %s is a different CPU from this %s (MIDR "
                        "0x%08" PRIx64 ")", who, m->name, cpu->id.idspace[0]));
    }
    /*
     * The architectural part must be a list the merge accepts; timer
     * translation may break the id order, so sort a copy first.  Ids the
     * merge would refuse are named here, after identification was taken
     * into account (the merge on a scratch copy is the caller's business).
     */
    if (plan->arch_ids->len > 1) {
        /* insertion sort of pairs: lists are short and nearly sorted */
        uint64_t *a = (uint64_t *)plan->arch_ids->data;
        uint64_t *b = (uint64_t *)plan->arch_vals->data;
        for (unsigned i = 1; i < plan->arch_ids->len; i++) {
            uint64_t x = a[i], y = b[i];
            unsigned j = i;
            while (j > 0 && a[j - 1] > x) {
                a[j] = a[j - 1];
                b[j] = b[j - 1];
                j--;
            }
            a[j] = x;
            b[j] = y;
        }
    }
    if (!plan->problems->len) {
        for (unsigned i = 0; i < plan->arch_ids->len; i++) {
            uint64_t id = g_array_index(plan->arch_ids, uint64_t, i);
            uint64_t v = g_array_index(plan->arch_vals, uint64_t, i);
            if (arm_recon_is_ident(id)) {
                continue;           /* taken, checked by the ID policy */
            }
            if (arm_cpreg_incoming_kind(cpu, id, v) == ARM_CPREG_IN_UNKNOWN) {
                g_ptr_array_add(plan->problems, g_strdup_printf(
                                "%s = 0x%" PRIx64 ": this CPU does not have "
                                "this register", id_name(id, name,
                                sizeof(name)), v));
            }
        }
    }
    return finish(plan, "KVM to TCG", errp);
}

bool arm_reconcile_apply_to_tcg(ARMCPU *cpu, const ArmReconPlan *plan,
                                Error **errp)
{
    const uint64_t *cids = (const uint64_t *)plan->carry_ids->data;
    const uint64_t *cvals = (const uint64_t *)plan->carry_vals->data;

    if (plan->has_pmcr) {
        cpu->id.pmcr = (uint32_t)plan->pmcr_id;
    }
    if (!arm_recon_id_take(cpu, (uint64_t *)plan->id_ids->data,
                           (uint64_t *)plan->id_vals->data,
                           plan->id_ids->len, errp)) {
        return false;
    }
    /* CCSIDR demux index is the CSSELR value (Level << 1 | InD). */
    for (unsigned i = 0; i < plan->carry_ids->len; i++) {
        uint64_t c = (cids[i] & ARM_KVM_REG_COPROC_MASK) >>
                     ARM_KVM_REG_COPROC_SHIFT;
        unsigned sel = cids[i] & 0xff;
        if (c == ARM_KVM_COPROC_DEMUX && sel < ARRAY_SIZE(cpu->id.ccsidr)) {
            cpu->id.ccsidr[sel] = (uint32_t)cvals[i];
        }
    }
    arm_recon_id_align(cpu, (uint64_t *)plan->arch_ids->data,
                       (uint64_t *)plan->arch_vals->data, plan->arch_ids->len);
    if (!arm_cpreg_list_load(cpu, (uint64_t *)plan->arch_ids->data,
                             (uint64_t *)plan->arch_vals->data,
                             plan->arch_ids->len, NULL, errp)) {
        return false;
    }
    return arm_reconcile_carry_set(cpu, cids, cvals, plan->carry_ids->len,
                                   errp);
}

/* ---------------- TCG -> KVM ---------------- */

static bool in_sorted(const uint64_t *a, size_t n, uint64_t id, size_t *at)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] == id) {
            if (at) {
                *at = mid;
            }
            return true;
        }
        if (a[mid] < id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}

static bool find_any(const uint64_t *a, size_t n, uint64_t id, size_t *at)
{
    for (size_t i = 0; i < n; i++) {
        if (a[i] == id) {
            *at = i;
            return true;
        }
    }
    return false;
}

/* Value our table holds for an architectural id (0 if none). */
static uint64_t table_value(ARMCPU *cpu, uint64_t id)
{
    const ArmCPReg *ri = arm_cpreg_find(cpu, id);

    return ri && arm_cpreg_has_raw(ri) ? arm_cpreg_raw_read(cpu, ri) : 0;
}

/*
 * Does a register hold its reset (or RAZ / UNKNOWN-poison) value?  Reset
 * functions compute values (PMCR_EL0 from the PMU identification), so ask
 * the register itself: reset it, read, and put the value back (raw access
 * is side-effect free, STYLE 4).
 */
static bool at_reset(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    uint64_t r;

    if (v == 0 || ((ri->flags & ARM_CP_RESET_UNKNOWN) && v == ARM_CP_POISON)) {
        return true;
    }
    if (ri->flags & ARM_CP_CONST) {
        return v == arm_cpreg_raw_read(cpu, ri);
    }
    arm_cpreg_reset_one(cpu, ri);
    r = arm_cpreg_raw_read(cpu, ri);
    arm_cpreg_raw_write(cpu, ri, v);
    return r == v;
}

bool arm_reconcile_for_kvm(ARMCPU *cpu, const uint64_t *kvm_ids,
                           const uint64_t *kvm_vals, size_t n,
                           int kernel_major, int kernel_minor,
                           ArmReconPlan *plan, Error **errp)
{
    unsigned kernel = ARM_RECON_KERNEL(kernel_major, kernel_minor);
    const uint64_t *cids, *cvals;
    uint32_t cn = arm_reconcile_carry_get(cpu, &cids, &cvals);
    g_autofree uint64_t *sorted = g_memdup2(kvm_ids, n * sizeof(uint64_t));
    g_autofree char *host = g_strdup_printf("the KVM host (Linux %d.%d)",
                                            kernel_major, kernel_minor);
    char name[96];

    if (n > ARM_CPREG_LIST_MAX * 4) {
        error_setg(errp, "KVM register list of %zu entries is implausible", n);
        return false;
    }
    for (size_t i = 1; i < n; i++) {   /* sort a copy for lookups */
        uint64_t x = sorted[i];
        size_t j = i;
        while (j > 0 && sorted[j - 1] > x) {
            sorted[j] = sorted[j - 1];
            j--;
        }
        sorted[j] = x;
    }

    /* Every id of the kernel's list: what to write. */
    for (size_t i = 0; i < n; i++) {
        uint64_t id = kvm_ids[i];
        uint64_t kval = kvm_vals ? kvm_vals[i] : 0;
        bool ours = arm_cpreg_find(cpu, arm_kvm_timer_id_to_arch(id)) != NULL;
        ArmKvmRegInfo info;
        const ArmReconRule *r;
        size_t at;

        if (arm_kvm_reg_decode(id, &info) && (info.cls == ARM_KVM_REG_CORE ||
                                              info.cls == ARM_KVM_REG_SVE)) {
            continue;           /* synced by hand (cpu section fields) */
        }
        r = arm_recon_lookup(ARM_RECON_TCG_TO_KVM, id,
                             ours ? ARM_RECON_IN_SRC | ARM_RECON_IN_DST :
                             ARM_RECON_IN_DST, kernel);
        switch (r->kind) {
        case ARM_RECON_TRANSLATE:
            if (id == ARM_KVM_TIMER_CVAL) {
                uint64_t from = ARM_SYSREG_KVM_ID(SYSREG_CNTV_CVAL_EL0);
                add_entry(plan, id, table_value(cpu, from), from, r->kind, r);
            } else if (id == ARM_KVM_TIMER_CNT) {
                add_entry(plan, id, arm_cpu_cntvct(cpu), 0, r->kind, r);
            } else {
                add_entry(plan, id, arm_cpu_cntpct(cpu), 0, r->kind, r);
            }
            break;
        case ARM_RECON_CARRY:
            if (find_any(cids, cn, id, &at)) {
                add_entry(plan, id, cvals[at], 0, ARM_RECON_CARRY, r);
            } else {
                add_entry(plan, id, kval, 0, ARM_RECON_KEEP_DEST, r);
            }
            break;
        case ARM_RECON_TAKE:
        case ARM_RECON_SAME:
            add_entry(plan, id, table_value(cpu, id), 0, r->kind, r);
            break;
        case ARM_RECON_MUST_MATCH:
            if (kvm_vals) {
                uint64_t mine = table_value(cpu, id);
                unsigned before = plan->problems->len;
                arm_recon_id_check_keep(ARM_KVM_ID_TO_ENC(id), mine, kval,
                                        host, plan->problems);
                if (plan->problems->len != before) {
                    add_entry(plan, id, mine, 0, ARM_RECON_REFUSE, r);
                    break;
                }
            }
            add_entry(plan, id, kval, 0, r->kind, r);
            break;
        case ARM_RECON_KEEP_DEST:
        case ARM_RECON_DROP:
            add_entry(plan, id, kval, 0, r->kind, r);
            break;
        default:
            refuse(plan, id, kval, "%s %s: %s", r->what,
                   id_name(id, name, sizeof(name)), r->reason);
            break;
        }
    }
    /*
     * Identification against what the host can offer even where it is
     * writable: writable ID registers only lower features (api.rst), so a
     * feature the guest saw that the host lacks is refused by name.
     */
    for (size_t i = 0; kvm_vals && i < n; i++) {
        uint32_t enc = ARM_KVM_ID_TO_ENC(kvm_ids[i]);
        const ArmReconRule *r = arm_recon_lookup(ARM_RECON_TCG_TO_KVM,
                                  kvm_ids[i], ARM_RECON_IN_SRC |
                                  ARM_RECON_IN_DST, kernel);
        if (r->kind == ARM_RECON_TAKE && arm_recon_is_ident(kvm_ids[i]) &&
            ARM_SYSREG_CRM(enc) >= 4) {     /* AArch64 feature registers */
            for (unsigned k = 0; k < IDF__COUNT; k++) {
                if (arm_id_fields[k].enc != enc) {
                    continue;
                }
                ArmReconIdRule ir = arm_recon_id_rule(k);
                if (ir.kind == ARM_RECON_ID_LENIENT ||
                    ir.kind == ARM_RECON_ID_PLATFORM) {
                    continue;
                }
                int64_t a = arm_recon_id_level(table_value(cpu, kvm_ids[i]), k);
                int64_t b = arm_recon_id_level(kvm_vals[i], k);
                if (a > b) {
                    g_ptr_array_add(plan->problems, g_strdup_printf(
                        "%s.%s %" PRId64 " (%s offers %" PRId64 "): the "
                        "guest may already use it", arm_id_fields[k].reg,
                        arm_id_fields[k].field, a, host, b));
                }
            }
        }
    }
    /* Every register we migrate that the kernel lacks. */
    for (uint32_t i = 0; i < cpu->cpreg_array_len; i++) {
        uint64_t id = cpu->cpreg_indexes[i];
        const ArmCPReg *ri = arm_cpreg_find(cpu, id);
        uint64_t v = arm_cpreg_raw_read(cpu, ri);
        const ArmReconRule *r;

        if (in_sorted(sorted, n, id, NULL)) {
            continue;
        }
        if (id == ARM_SYSREG_KVM_ID(SYSREG_CNTV_CVAL_EL0) &&
            in_sorted(sorted, n, ARM_KVM_TIMER_CVAL, NULL)) {
            continue;           /* goes to TIMER_CVAL (translated above) */
        }
        r = arm_recon_lookup(ARM_RECON_TCG_TO_KVM, id, ARM_RECON_IN_SRC,
                             kernel);
        if (r->kind == ARM_RECON_ACCEPT_IF_RAZ && !at_reset(cpu, ri, v)) {
            refuse(plan, id, v, "%s = 0x%" PRIx64 ": %s", ri->name, v,
                   r->reason);
        } else if (r->kind == ARM_RECON_REFUSE) {
            refuse(plan, id, v, "%s: %s", ri->name, r->reason);
        } else {
            add_entry(plan, id, v, 0, r->kind == ARM_RECON_ACCEPT_IF_RAZ ?
                      ARM_RECON_DROP : r->kind, r);
        }
    }
    return finish(plan, "TCG to KVM", errp);
}

/* ---------------- KVM -> KVM ---------------- */

bool arm_reconcile_kvm_to_kvm(const uint64_t *src_ids,
                              const uint64_t *src_vals, size_t src_n,
                              unsigned src_kernel,
                              const uint64_t *dst_ids,
                              const uint64_t *dst_vals, size_t dst_n,
                              unsigned dst_kernel,
                              ArmReconPlan *plan, Error **errp)
{
    g_autofree char *host = g_strdup_printf("Linux %u.%u", dst_kernel / 100,
                                            dst_kernel % 100);
    char name[96];
    size_t at;

    (void)src_kernel;
    for (size_t i = 0; i < dst_n; i++) {
        uint64_t id = dst_ids[i];
        bool both = find_any(src_ids, src_n, id, &at);
        uint64_t sv = both ? src_vals[at] : 0;
        const ArmReconRule *r = arm_recon_lookup(ARM_RECON_KVM_TO_KVM, id,
                                  both ? ARM_RECON_IN_SRC | ARM_RECON_IN_DST :
                                  ARM_RECON_IN_DST, dst_kernel);
        switch (r->kind) {
        case ARM_RECON_SAME:
        case ARM_RECON_TAKE:
            add_entry(plan, id, sv, 0, r->kind, r);
            break;
        case ARM_RECON_MUST_MATCH: {
            unsigned before = plan->problems->len;
            if (arm_recon_is_ident(id)) {
                arm_recon_id_check_keep(ARM_KVM_ID_TO_ENC(id), sv,
                                        dst_vals[i], host, plan->problems);
            } else if (sv != dst_vals[i]) {
                g_ptr_array_add(plan->problems, g_strdup_printf(
                    "%s 0x%" PRIx64 " (%s has 0x%" PRIx64 "): %s",
                    id_name(id, name, sizeof(name)), sv, host, dst_vals[i],
                    r->reason));
            }
            add_entry(plan, id, dst_vals[i], 0, plan->problems->len != before ?
                      ARM_RECON_REFUSE : r->kind, r);
            break;
        }
        case ARM_RECON_DROP:
        case ARM_RECON_KEEP_DEST:
            add_entry(plan, id, dst_vals[i], 0, r->kind, r);
            break;
        default:
            refuse(plan, id, sv, "%s %s: %s", r->what,
                   id_name(id, name, sizeof(name)), r->reason);
            break;
        }
    }
    for (size_t i = 0; i < src_n; i++) {
        uint64_t id = src_ids[i], v = src_vals[i];
        const ArmReconRule *r;

        if (find_any(dst_ids, dst_n, id, &at)) {
            continue;
        }
        r = arm_recon_lookup(ARM_RECON_KVM_TO_KVM, id, ARM_RECON_IN_SRC,
                             dst_kernel);
        /* PTIMER_CTL: "off" means ENABLE (bit 0) clear. */
        bool raz = id == ARM_KVM_PTIMER_CTL ? !(v & 1) : v == 0;
        if (r->kind == ARM_RECON_DROP ||
            (r->kind == ARM_RECON_ACCEPT_IF_RAZ && raz)) {
            add_entry(plan, id, v, 0, r->kind, r);
        } else if (r->kind == ARM_RECON_ACCEPT_IF_RAZ) {
            refuse(plan, id, v, "%s = 0x%" PRIx64 ": %s",
                   id_name(id, name, sizeof(name)), v, r->reason);
        } else {
            refuse(plan, id, v, "%s %s: %s", r->what,
                   id_name(id, name, sizeof(name)), r->reason);
        }
    }
    return finish(plan, "KVM to KVM", errp);
}

/* ---------------- carried KVM-only registers ---------------- */

/*
 * Per-vCPU storage keyed by the vCPU (cpu.h is shared and has no field for
 * it); the "cpu/kvm-only-regs" subsection (machine.c) reads and writes it.
 * Callers that free a vCPU which carried registers clear it first
 * (arm_reconcile_carry_clear), as the pre-flight's scratch vCPUs do.
 */
typedef struct Carried {
    uint32_t n;
    uint64_t ids[ARM_RECON_CARRY_MAX];
    uint64_t vals[ARM_RECON_CARRY_MAX];
} Carried;

static GHashTable *carried;

static bool kvm_only_class(uint64_t id)
{
    uint64_t c = (id & ARM_KVM_REG_COPROC_MASK) >> ARM_KVM_REG_COPROC_SHIFT;

    return (id & ARM_KVM_REG_ARCH_MASK) == ARM_KVM_REG_ARM64 &&
           (c == ARM_KVM_COPROC_FW || c == ARM_KVM_COPROC_FW_BMAP ||
            c == ARM_KVM_COPROC_DEMUX);
}

bool arm_reconcile_carry_set(ARMCPU *cpu, const uint64_t *ids,
                             const uint64_t *vals, uint32_t n, Error **errp)
{
    Carried *c;

    if (n > ARM_RECON_CARRY_MAX) {
        error_setg(errp, "cpu %u: %u KVM-only registers, more than %u",
                   cpu->cpu_index, n, ARM_RECON_CARRY_MAX);
        return false;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (!kvm_only_class(ids[i])) {
            error_setg(errp, "cpu %u: 0x%016" PRIx64 " is not a KVM-only "
                       "register id (firmware, bitmap or demux)",
                       cpu->cpu_index, ids[i]);
            return false;
        }
    }
    if (!n) {
        arm_reconcile_carry_clear(cpu);
        return true;
    }
    if (!carried) {
        carried = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                        g_free);
    }
    c = g_new0(Carried, 1);
    c->n = n;
    /* Kept sorted by id, as every list in a stream (facts 3.2). */
    for (uint32_t i = 0; i < n; i++) {
        uint32_t j = i;
        while (j > 0 && c->ids[j - 1] > ids[i]) {
            c->ids[j] = c->ids[j - 1];
            c->vals[j] = c->vals[j - 1];
            j--;
        }
        c->ids[j] = ids[i];
        c->vals[j] = vals[i];
    }
    g_hash_table_replace(carried, cpu, c);
    return true;
}

uint32_t arm_reconcile_carry_get(ARMCPU *cpu, const uint64_t **ids,
                                 const uint64_t **vals)
{
    Carried *c = carried ? g_hash_table_lookup(carried, cpu) : NULL;

    if (!c) {
        *ids = *vals = NULL;
        return 0;
    }
    *ids = c->ids;
    *vals = c->vals;
    return c->n;
}

void arm_reconcile_carry_clear(ARMCPU *cpu)
{
    if (carried) {
        g_hash_table_remove(carried, cpu);
    }
}

void arm_reconcile_capture_kvm_only(ARMCPU *cpu, const uint64_t *kvm_ids,
                                    const uint64_t *kvm_vals, size_t n)
{
    uint64_t ids[ARM_RECON_CARRY_MAX], vals[ARM_RECON_CARRY_MAX];
    uint32_t k = 0;

    for (size_t i = 0; i < n && k < ARM_RECON_CARRY_MAX; i++) {
        if (kvm_only_class(kvm_ids[i])) {
            ids[k] = kvm_ids[i];
            vals[k++] = kvm_vals[i];
        }
    }
    arm_reconcile_carry_set(cpu, ids, vals, k, NULL);
}
