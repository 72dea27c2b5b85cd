/*
 * The system-register table of one vCPU: build, check, look up, reset,
 * and the guest's MRS/MSR/SYS entry points.
 *
 * Design (BRIEF idea 1, STYLE 2-5): descriptors live in per-feature files;
 * here they are expanded into a sorted array of ArmCPReg keyed by KVM
 * ONE_REG id and searched by bisection.  Guest access goes through access
 * rights, the trap hook and readfn/writefn; save/restore goes through the
 * raw accessors and never has side effects.
 */
#include "qemu/osdep.h"
#include "qemu/log.h"
#include "cpregs.h"

typedef struct ArmCPRegTable {
    ArmCPReg *regs;
    unsigned n;
} ArmCPRegTable;

struct ArmCPRegBuilder {
    GArray *regs;           /* of ArmCPReg */
};

static const ArmCPRegDesc *test_table;
static size_t test_table_len;

void arm_cpregs_set_test_table(const ArmCPRegDesc *descs, size_t n)
{
    test_table = descs;
    test_table_len = descs ? n : 0;
}

static void builder_push(ArmCPRegBuilder *b, const ArmCPRegDesc *d,
                         uint32_t enc, unsigned n, ptrdiff_t off,
                         const char *name, uint32_t extra_flags,
                         uint64_t generator_id)
{
    ArmCPReg r = {
        .id = ARM_SYSREG_KVM_ID(enc),
        .enc = enc,
        .n = n,
        .flags = d->flags | extra_flags,
        .offset = off,
        .desc = d,
    };
    r.generator_id = generator_id ? generator_id : r.id;
    snprintf(r.name, sizeof(r.name), "%s", name);
    g_array_append_val(b->regs, r);
}

/*
 * Expand one descriptor: a family gives count independent registers; a
 * wildcard gives one generator (lowest encoding) and ALIAS children that
 * share its storage; otherwise one register.
 */
/* An AArch32 entry: a view of an AArch64 register, or AArch32-only. */
static void push_aa32(ArmCPRegBuilder *b, const ArmCPRegDesc *d,
                      uint32_t aa32, ArmCPRegView view, uint32_t extra)
{
    char name[ARM_SYSREG_NAME_LEN];
    bool only = d->state == ARM_CP_STATE_AA32;
    ArmCPReg r = {
        .id = ARM_AA32_KVM_ID(aa32),
        .enc = only ? 0 : d->enc,
        .aa32_enc = aa32,
        .view = view,
        .flags = d->flags | extra |
                 ((aa32 & ARM_AA32_IS64) ? ARM_CP_64BIT : 0),
        .offset = d->fieldoffset,
        .desc = d,
    };
    r.generator_id = only ? r.id : ARM_SYSREG_KVM_ID(d->enc);
    snprintf(r.name, sizeof(r.name), "%s", arm_sysreg32_enc_name(aa32, name));
    g_array_append_val(b->regs, r);
}

static void expand_one(ArmCPRegBuilder *b, const ArmCPRegDesc *d)
{
    char name[ARM_SYSREG_NAME_LEN];

    if (d->state == ARM_CP_STATE_AA32) {
        push_aa32(b, d, d->aa32, (d->aa32 & ARM_AA32_IS64) ?
                  ARM_CP_VIEW_FULL : ARM_CP_VIEW_LO32, 0);
        return;
    }
    /* AArch32 views of an AArch64 register: ALIAS, state is the owner's. */
    if (d->aa32) {
        push_aa32(b, d, d->aa32, ARM_CP_VIEW_LO32, ARM_CP_ALIAS);
    }
    if (d->aa32_hi) {
        push_aa32(b, d, d->aa32_hi, ARM_CP_VIEW_HI32, ARM_CP_ALIAS);
    }
    if (d->aa32_64) {
        push_aa32(b, d, d->aa32_64, ARM_CP_VIEW_FULL, ARM_CP_ALIAS);
    }
    if (d->family) {
        const ArmSysRegFamily *fam = &arm_sysreg_families[d->family - 1];
        for (unsigned n = 0; n < fam->count; n++) {
            ptrdiff_t off = d->fieldoffset >= 0 ?
                d->fieldoffset + (ptrdiff_t)(n * sizeof(uint64_t)) : -1;
            snprintf(name, sizeof(name), "%s%u%s", fam->prefix, n,
                     fam->suffix);
            builder_push(b, d, arm_sysreg_family_enc(d->family - 1, n), n,
                         off, name, 0, 0);
        }
        return;
    }
    if (d->wild_mask) {
        uint32_t base = d->enc & ~(uint32_t)d->wild_mask;
        uint32_t sub = 0;
        uint64_t gen = ARM_SYSREG_KVM_ID(base);
        do {
            uint32_t enc = base | sub;
            if (sub == 0) {
                snprintf(name, sizeof(name), "%s", d->name);
                builder_push(b, d, enc, 0, d->fieldoffset, name, 0, 0);
            } else {
                arm_sysreg_enc_name(enc, name);
                builder_push(b, d, enc, 0, d->fieldoffset, name,
                             ARM_CP_ALIAS, gen);
            }
            sub = (sub - d->wild_mask) & d->wild_mask;
        } while (sub != 0);
        return;
    }
    builder_push(b, d, d->enc, 0, d->fieldoffset, d->name, 0, 0);
}

void arm_cpregs_add(ArmCPRegBuilder *b, const ArmCPRegDesc *descs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        expand_one(b, &descs[i]);
    }
}

static int cmp_cpreg(const void *a, const void *b)
{
    uint64_t x = ((const ArmCPReg *)a)->id, y = ((const ArmCPReg *)b)->id;
    return x < y ? -1 : x > y;
}

static ArmCPRegTable *table_of(ARMCPU *cpu)
{
    return cpu->regs;
}

bool arm_cpregs_check(ARMCPU *cpu, Error **errp)
{
    ArmCPRegTable *t = table_of(cpu);

    if (!t || t->n == 0) {
        error_setg(errp, "cpregs: empty register table");
        return false;
    }
    for (unsigned i = 0; i < t->n; i++) {
        const ArmCPReg *ri = &t->regs[i];
        if (i && t->regs[i - 1].id >= ri->id) {
            error_setg(errp, "cpregs: %s and %s share or misorder id 0x%016"
                       PRIx64, t->regs[i - 1].name, ri->name, ri->id);
            return false;
        }
        if (arm_cpreg_is_migrated(ri) && !arm_cpreg_has_raw(ri)) {
            error_setg(errp, "cpregs: migrated register %s (0x%016" PRIx64
                       ") has no raw access", ri->name, ri->id);
            return false;
        }
        if (ri->offset >= 0 &&
            (size_t)ri->offset + sizeof(uint64_t) > sizeof(CPUARMState)) {
            error_setg(errp, "cpregs: %s storage outside the CPU state",
                       ri->name);
            return false;
        }
        if ((ri->flags & ARM_CP_ID_RAZ) && !(ri->flags & ARM_CP_CONST)) {
            error_setg(errp, "cpregs: RAZ ID register %s is not constant",
                       ri->name);
            return false;
        }
        if (ri->generator_id != ri->id) {
            const ArmCPReg *g = arm_cpreg_find(cpu, ri->generator_id);
            if (!g || !(ri->flags & ARM_CP_ALIAS) ||
                g->generator_id != g->id) {
                error_setg(errp, "cpregs: wildcard child %s has no generator",
                           ri->name);
                return false;
            }
        }
        if (!ri->desc->access && !(ri->flags & ARM_CP_ALIAS) &&
            arm_cpreg_is_migrated(ri) && !(ri->flags & ARM_CP_CONST) &&
            ri->offset < 0) {
            error_setg(errp, "cpregs: %s is inaccessible and stateless",
                       ri->name);
            return false;
        }
    }
    return true;
}

bool arm_cpregs_build(ARMCPU *cpu, Error **errp)
{
    ArmCPRegBuilder b = { .regs = g_array_new(false, true, sizeof(ArmCPReg)) };
    ArmCPRegTable *t = g_new0(ArmCPRegTable, 1);

    arm_cpregs_define_id(&b, cpu);
    arm_cpregs_define_mem(&b, cpu);
    arm_cpregs_define_sysinsn(&b, cpu);
    arm_cpregs_define_exc(&b, cpu);
    arm_cpregs_define_timer(&b, cpu);
    arm_cpregs_define_pmu(&b, cpu);
    arm_cpregs_define_debug(&b, cpu);
    arm_cpregs_define_pauth(&b, cpu);
    arm_cpregs_define_sve(&b, cpu);
    arm_cpregs_define_gic(&b, cpu);
    if (test_table) {
        arm_cpregs_add(&b, test_table, test_table_len);
    }

    t->n = b.regs->len;
    t->regs = (ArmCPReg *)g_array_free(b.regs, false);
    qsort(t->regs, t->n, sizeof(ArmCPReg), cmp_cpreg);
    cpu->regs = t;
    if (!arm_cpregs_check(cpu, errp)) {
        arm_cpregs_free(cpu);
        return false;
    }
    return true;
}

void arm_cpregs_free(ARMCPU *cpu)
{
    ArmCPRegTable *t = table_of(cpu);

    if (t) {
        g_free(t->regs);
        g_free(t);
        cpu->regs = NULL;
    }
}

const ArmCPReg *arm_cpreg_find(ARMCPU *cpu, uint64_t id)
{
    ArmCPRegTable *t = table_of(cpu);
    unsigned lo = 0, hi = t ? t->n : 0;

    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (t->regs[mid].id == id) {
            return &t->regs[mid];
        }
        if (t->regs[mid].id < id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

const ArmCPReg *arm_cpreg_find_name(ARMCPU *cpu, const char *name)
{
    ArmCPRegTable *t = table_of(cpu);

    for (unsigned i = 0; t && i < t->n; i++) {
        if (!strcasecmp(t->regs[i].name, name)) {
            return &t->regs[i];
        }
    }
    return NULL;
}

unsigned arm_cpreg_count(ARMCPU *cpu)
{
    ArmCPRegTable *t = table_of(cpu);
    return t ? t->n : 0;
}

const ArmCPReg *arm_cpreg_at(ARMCPU *cpu, unsigned i)
{
    ArmCPRegTable *t = table_of(cpu);
    return t && i < t->n ? &t->regs[i] : NULL;
}

bool arm_cpreg_has_raw(const ArmCPReg *ri)
{
    const ArmCPRegDesc *d = ri->desc;

    return (d->raw_readfn && d->raw_writefn) || (ri->flags & ARM_CP_CONST) ||
           ri->offset >= 0;
}

/* Value of a CONST entry: its readfn (model-dependent) or resetvalue. */
static uint64_t const_value(ARMCPU *cpu, const ArmCPReg *ri)
{
    return ri->desc->readfn ? ri->desc->readfn(cpu, ri) : ri->desc->resetvalue;
}

/* The part of the full value an entry shows, and its inverse. */
static uint64_t view_get(const ArmCPReg *ri, uint64_t full)
{
    switch (ri->view) {
    case ARM_CP_VIEW_LO32:
        return (uint32_t)full;
    case ARM_CP_VIEW_HI32:
        return full >> 32;
    default:
        return full;
    }
}

static uint64_t view_put(const ArmCPReg *ri, uint64_t full, uint64_t v)
{
    switch (ri->view) {
    case ARM_CP_VIEW_LO32:
        return (full & 0xffffffff00000000ULL) | (uint32_t)v;
    case ARM_CP_VIEW_HI32:
        return (full & 0xffffffffULL) | (v << 32);
    default:
        return v;
    }
}

static uint64_t raw_read_full(ARMCPU *cpu, const ArmCPReg *ri)
{
    const ArmCPRegDesc *d = ri->desc;

    if (d->raw_readfn) {
        return d->raw_readfn(cpu, ri);
    }
    if (ri->flags & ARM_CP_CONST) {
        return const_value(cpu, ri);
    }
    if (ri->offset >= 0) {
        return *arm_cpreg_ptr(cpu, ri);
    }
    return 0;
}

uint64_t arm_cpreg_raw_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return view_get(ri, raw_read_full(cpu, ri));
}

void arm_cpreg_raw_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    const ArmCPRegDesc *d = ri->desc;

    if (ri->view != ARM_CP_VIEW_FULL) {
        v = view_put(ri, raw_read_full(cpu, ri), v);
    }
    if (d->raw_writefn) {
        d->raw_writefn(cpu, ri, v);
    } else if (ri->flags & ARM_CP_CONST) {
        /* Ignored: the read-back check reports a differing value. */
    } else if (ri->offset >= 0) {
        *arm_cpreg_ptr(cpu, ri) = v;
    }
}

void arm_cpreg_reset_one(ARMCPU *cpu, const ArmCPReg *ri)
{
    const ArmCPRegDesc *d = ri->desc;

    if (d->resetfn) {
        d->resetfn(cpu, ri);
    } else if (!(ri->flags & ARM_CP_CONST) && ri->offset >= 0) {
        *arm_cpreg_ptr(cpu, ri) = (ri->flags & ARM_CP_RESET_UNKNOWN) ?
                                  ARM_CP_POISON : d->resetvalue;
    }
}

void arm_cpregs_reset(ARMCPU *cpu)
{
    ArmCPRegTable *t = table_of(cpu);

    for (unsigned i = 0; t && i < t->n; i++) {
        if (!(t->regs[i].flags & ARM_CP_ALIAS)) {
            arm_cpreg_reset_one(cpu, &t->regs[i]);
        }
    }
}

void arm_cpreg_flags_str(const ArmCPReg *ri, char *buf, size_t len)
{
    static const struct { uint32_t bit; const char *name; } names[] = {
        { ARM_CP_CONST, "const" }, { ARM_CP_ALIAS, "alias" },
        { ARM_CP_NO_RAW, "no-raw" }, { ARM_CP_IO, "io" },
        { ARM_CP_64BIT, "64bit" }, { ARM_CP_RESET_UNKNOWN, "reset-unknown" },
        { ARM_CP_ID_RAZ, "raz" }, { ARM_CP_SYS_INSN, "sys-insn" },
    };
    size_t pos = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if ((ri->flags & names[i].bit) && pos < len) {
            pos += snprintf(buf + pos, len - pos, "%s%s", pos ? "," : "",
                            names[i].name);
        }
    }
}

/* ---- guest access ---- */

static const ArmCPReg *guest_lookup(ARMCPU *cpu, uint32_t enc, bool isread)
{
    const ArmCPReg *ri = arm_cpreg_find(cpu, ARM_SYSREG_KVM_ID(enc & 0xffff));

    if (!ri) {
        char name[ARM_SYSREG_NAME_LEN];
        qemu_log_mask(LOG_UNIMP, "cpu%u: %s to unimplemented system register "
                      "%s\n", cpu->cpu_index, isread ? "MRS" : "MSR",
                      arm_sysreg_enc_name(enc & 0xffff, name));
    }
    return ri;
}

static int guest_check(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    unsigned el = arm_current_el(&cpu->env);
    unsigned need = isread ? ARM_PL_R(el) : ARM_PL_W(el);

    if (!(ri->desc->access & need)) {
        return ARM_CP_EXC_UNDEF;
    }
    return ri->desc->accessfn ? ri->desc->accessfn(cpu, ri, isread) :
                                ARM_CP_EXC_NONE;
}

/* Guest-visible full value (readfn side effects allowed). */
static uint64_t guest_read_full(ARMCPU *cpu, const ArmCPReg *ri)
{
    if (ri->desc->readfn) {
        return ri->desc->readfn(cpu, ri);
    } else if (ri->flags & ARM_CP_CONST) {
        return ri->desc->resetvalue;
    } else if (ri->offset >= 0) {
        return *arm_cpreg_ptr(cpu, ri);
    }
    return 0;
}

static int guest_read(ARMCPU *cpu, const ArmCPReg *ri, uint64_t *val)
{
    int exc;

    /* SYS instructions have no read form (SYSL is UNDEF for them). */
    if (!ri || (ri->flags & ARM_CP_SYS_INSN)) {
        return ARM_CP_EXC_UNDEF;
    }
    exc = guest_check(cpu, ri, true);
    if (exc) {
        return exc;
    }
    *val = view_get(ri, guest_read_full(cpu, ri));
    return ARM_CP_EXC_NONE;
}

static int guest_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t val);

int arm_cpreg_mrs(ARMCPU *cpu, uint32_t enc, uint64_t *val)
{
    return guest_read(cpu, guest_lookup(cpu, enc, true), val);
}

int arm_cpreg_msr(ARMCPU *cpu, uint32_t enc, uint64_t val)
{
    return guest_write(cpu, guest_lookup(cpu, enc, false), val);
}

static const ArmCPReg *cp_lookup(ARMCPU *cpu, unsigned cp, bool is64,
                                 unsigned opc1, unsigned crn, unsigned crm,
                                 unsigned opc2, bool isread)
{
    uint32_t enc = is64 ? ARM_AA32_ENC64(cp & 15, opc1 & 7, crm & 15) :
                   ARM_AA32_ENC(cp & 15, opc1 & 7, crn & 15, crm & 15,
                                opc2 & 7);
    const ArmCPReg *ri = arm_cpreg_find(cpu, ARM_AA32_KVM_ID(enc));

    if (!ri) {
        char name[ARM_SYSREG_NAME_LEN];
        qemu_log_mask(LOG_UNIMP, "cpu%u: %s to unimplemented register %s\n",
                      cpu->cpu_index, isread ? "MRC" : "MCR",
                      arm_sysreg32_enc_name(enc, name));
    }
    return ri;
}

int arm_cpreg_cp_read(ARMCPU *cpu, unsigned cp, bool is64, unsigned opc1,
                      unsigned crn, unsigned crm, unsigned opc2,
                      uint64_t *val)
{
    return guest_read(cpu, cp_lookup(cpu, cp, is64, opc1, crn, crm, opc2,
                                     true), val);
}

int arm_cpreg_cp_write(ARMCPU *cpu, unsigned cp, bool is64, unsigned opc1,
                       unsigned crn, unsigned crm, unsigned opc2,
                       uint64_t val)
{
    return guest_write(cpu, cp_lookup(cpu, cp, is64, opc1, crn, crm, opc2,
                                      false), val);
}

static int guest_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t val)
{
    int exc;

    if (!ri) {
        return ARM_CP_EXC_UNDEF;
    }
    exc = guest_check(cpu, ri, false);
    if (exc) {
        return exc;
    }
    if (ri->view != ARM_CP_VIEW_FULL) {
        /* A 32-bit view writes its half; the other half is kept. */
        val = view_put(ri, (ri->flags & ARM_CP_SYS_INSN) ? 0 :
                       guest_read_full(cpu, ri), val);
    }
    if (ri->desc->writefn) {
        ri->desc->writefn(cpu, ri, val);
    } else if (ri->flags & ARM_CP_CONST) {
        /* write-ignored */
    } else if (ri->offset >= 0) {
        uint64_t *p = arm_cpreg_ptr(cpu, ri);
        bool changed = *p != val;
        *p = val;
        /* Translation-affecting registers: cached walks are now stale. */
        if (changed && (ri->flags & ARM_CP_TLB_SENSITIVE) && cpu->hooks &&
            cpu->hooks->tlb_flush) {
            cpu->hooks->tlb_flush(cpu);
        }
    }
    return ARM_CP_EXC_NONE;
}
