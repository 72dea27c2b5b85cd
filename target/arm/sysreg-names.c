/*
 * Name tables generated from sysreg.def and sysreg-fields.def.
 *
 * Diagnostics name registers that the local table may not have (an
 * incoming KVM id for a feature this CPU lacks), so names come from the
 * full data list, not from the per-CPU table.
 */
#include "qemu/osdep.h"
#include "sysreg-enc.h"

const ArmSysRegFamily arm_sysreg_families[SYSREGN__COUNT] = {
#define SYSREG(name, op0, op1, crn, crm, op2)
#define SYSREG_N(pfx, sfx, cnt, op0, op1, crn, crm, op2, stride) \
    [SYSREGN_##pfx] = { #pfx, #sfx, ARM_SYSREG_ENC(op0, op1, crn, crm, op2), \
                        cnt, stride },
#include "sysreg.def"
#undef SYSREG
#undef SYSREG_N
};

typedef struct ArmSysRegName {
    const char *name;
    uint32_t enc;
} ArmSysRegName;

static const ArmSysRegName arm_sysreg_names[] = {
#define SYSREG(name, op0, op1, crn, crm, op2) \
    { #name, ARM_SYSREG_ENC(op0, op1, crn, crm, op2) },
#define SYSREG_N(pfx, sfx, cnt, op0, op1, crn, crm, op2, stride)
#include "sysreg.def"
#undef SYSREG
#undef SYSREG_N
};

static const ArmSysRegName arm_sysreg32_names[] = {
#define SYSREG32(name, cp, opc1, crn, crm, opc2) \
    { #name, ARM_AA32_ENC(cp, opc1, crn, crm, opc2) },
#define SYSREG64(name, cp, opc1, crm) { #name, ARM_AA32_ENC64(cp, opc1, crm) },
#include "sysreg32.def"
#undef SYSREG32
#undef SYSREG64
};

const char *arm_sysreg32_enc_name(uint32_t enc, char *buf)
{
    for (size_t i = 0; i < ARRAY_SIZE(arm_sysreg32_names); i++) {
        if (arm_sysreg32_names[i].enc == enc) {
            snprintf(buf, ARM_SYSREG_NAME_LEN, "%s", arm_sysreg32_names[i].name);
            return buf;
        }
    }
    if (enc & ARM_AA32_IS64) {
        snprintf(buf, ARM_SYSREG_NAME_LEN, "p%u_%u_C%u_64", (enc >> 16) & 15,
                 (enc >> 3) & 7, (enc >> 7) & 15);
    } else {
        snprintf(buf, ARM_SYSREG_NAME_LEN, "p%u_%u_C%u_C%u_%u", (enc >> 16) & 15,
                 (enc >> 3) & 7, (enc >> 11) & 15, (enc >> 7) & 15, enc & 7);
    }
    return buf;
}

const ArmIdField arm_id_fields[IDF__COUNT] = {
#define IDFIELD(reg, f, sh, wd, k) \
    [IDF_##reg##_##f] = { #reg, #f, SYSREG_##reg, sh, wd, IDF_KIND_##k },
#include "sysreg-fields.def"
#undef IDFIELD
};

const char *arm_sysreg_enc_name(uint32_t enc, char *buf)
{
    for (size_t i = 0; i < ARRAY_SIZE(arm_sysreg_names); i++) {
        if (arm_sysreg_names[i].enc == enc) {
            snprintf(buf, ARM_SYSREG_NAME_LEN, "%s", arm_sysreg_names[i].name);
            return buf;
        }
    }
    for (unsigned f = 0; f < SYSREGN__COUNT; f++) {
        const ArmSysRegFamily *fam = &arm_sysreg_families[f];
        if (enc < fam->base) {
            continue;
        }
        uint32_t d = enc - fam->base;
        if (d % fam->stride == 0 && d / fam->stride < fam->count) {
            snprintf(buf, ARM_SYSREG_NAME_LEN, "%s%u%s", fam->prefix,
                     d / fam->stride, fam->suffix);
            return buf;
        }
    }
    snprintf(buf, ARM_SYSREG_NAME_LEN, "S%u_%u_C%u_C%u_%u",
             ARM_SYSREG_OP0(enc), ARM_SYSREG_OP1(enc), ARM_SYSREG_CRN(enc),
             ARM_SYSREG_CRM(enc), ARM_SYSREG_OP2(enc));
    return buf;
}

int arm_sysreg_enc_from_name(const char *name)
{
    unsigned op0, op1, crn, crm, op2;
    char tail;

    if (sscanf(name, "S%u_%u_C%u_C%u_%u%c", &op0, &op1, &crn, &crm, &op2,
               &tail) == 5 && op0 < 4 && op1 < 8 && crn < 16 && crm < 16 &&
        op2 < 8) {
        return ARM_SYSREG_ENC(op0, op1, crn, crm, op2);
    }
    for (size_t i = 0; i < ARRAY_SIZE(arm_sysreg_names); i++) {
        if (!strcasecmp(arm_sysreg_names[i].name, name)) {
            return arm_sysreg_names[i].enc;
        }
    }
    for (unsigned f = 0; f < SYSREGN__COUNT; f++) {
        const ArmSysRegFamily *fam = &arm_sysreg_families[f];
        char buf[ARM_SYSREG_NAME_LEN];
        for (unsigned n = 0; n < fam->count; n++) {
            snprintf(buf, sizeof(buf), "%s%u%s", fam->prefix, n, fam->suffix);
            if (!strcasecmp(buf, name)) {
                return arm_sysreg_family_enc(f, n);
            }
        }
    }
    return -1;
}
