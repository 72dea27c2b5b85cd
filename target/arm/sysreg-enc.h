/*
 * Constants generated from sysreg.def and sysreg-fields.def (X-macros).
 *
 *   SYSREG_<NAME>                16-bit AArch64 encoding
 *                                op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2,
 *                                the same number as (insn >> 5) & 0xffff of
 *                                an MRS/MSR/SYS instruction
 *   SYSREGN_<PFX>                index of a numbered family (DBGBVR<n>...)
 *   ARM_SYSREG_KVM_ID(enc)       KVM ONE_REG id of an AArch64 sysreg
 *                                (KVM API doc, "ARM64 system registers")
 *   IDF_<REG>_<FIELD>            index into arm_id_fields[]
 *   IDF_SHIFT/WIDTH(REG, FIELD)  field position
 */
#ifndef TARGET_ARM_SYSREG_ENC_H
#define TARGET_ARM_SYSREG_ENC_H

#include "qemu/osdep.h"

#define ARM_SYSREG_ENC(op0, op1, crn, crm, op2) \
    (((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))
#define ARM_SYSREG_OP0(enc) (((enc) >> 14) & 3)
#define ARM_SYSREG_OP1(enc) (((enc) >> 11) & 7)
#define ARM_SYSREG_CRN(enc) (((enc) >> 7) & 15)
#define ARM_SYSREG_CRM(enc) (((enc) >> 3) & 15)
#define ARM_SYSREG_OP2(enc) ((enc) & 7)

/* KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG */
#define ARM_KVM_SYSREG_BASE   0x6030000000130000ULL
#define ARM_SYSREG_KVM_ID(enc) (ARM_KVM_SYSREG_BASE | (uint64_t)(enc))
#define ARM_KVM_ID_IS_SYSREG(id) (((id) & ~0xffffULL) == ARM_KVM_SYSREG_BASE)
#define ARM_KVM_ID_TO_ENC(id) ((uint32_t)((id) & 0xffff))

enum {
#define SYSREG(name, op0, op1, crn, crm, op2) \
    SYSREG_##name = ARM_SYSREG_ENC(op0, op1, crn, crm, op2),
#define SYSREG_N(pfx, sfx, cnt, op0, op1, crn, crm, op2, stride)
#include "sysreg.def"
#undef SYSREG
#undef SYSREG_N
};

enum {
#define SYSREG(name, op0, op1, crn, crm, op2)
#define SYSREG_N(pfx, sfx, cnt, op0, op1, crn, crm, op2, stride) SYSREGN_##pfx,
#include "sysreg.def"
#undef SYSREG
#undef SYSREG_N
    SYSREGN__COUNT
};

/* A numbered family: instance n is base + n * stride, named pattern(n). */
typedef struct ArmSysRegFamily {
    const char *prefix;   /* "DBGBVR" */
    const char *suffix;   /* "_EL1"   */
    uint32_t base;
    uint16_t count;
    uint16_t stride;
} ArmSysRegFamily;

extern const ArmSysRegFamily arm_sysreg_families[SYSREGN__COUNT];

static inline uint32_t arm_sysreg_family_enc(unsigned fam, unsigned n)
{
    return arm_sysreg_families[fam].base + n * arm_sysreg_families[fam].stride;
}

/*
 * Name of an AArch64 encoding from the data list ("SCTLR_EL1",
 * "DBGBVR3_EL1"), or the generic "S3_0_C1_C2_0" form when the list does
 * not name it.  Writes into buf (at least 32 bytes) and returns it.
 */
#define ARM_SYSREG_NAME_LEN 32
const char *arm_sysreg_enc_name(uint32_t enc, char *buf);
/* Inverse: encoding of a name from the list (either form), or -1. */
int arm_sysreg_enc_from_name(const char *name);

/* ---- AArch32 views (sysreg32.def) ---- */

/*
 * Low word of a KVM/QEMU AArch32 register id (facts 3.2): cp<<16 |
 * CRn<<11 | CRm<<7 | opc1<<3 | opc2, 64-bit forms without CRn/opc2.
 * ARM_AA32_IS64 marks the 64-bit forms inside our constants only.
 */
#define ARM_AA32_IS64 (1u << 24)
#define ARM_AA32_ENC(cp, opc1, crn, crm, opc2) \
    (((cp) << 16) | ((crn) << 11) | ((crm) << 7) | ((opc1) << 3) | (opc2))
#define ARM_AA32_ENC64(cp, opc1, crm) \
    (((cp) << 16) | ((crm) << 7) | ((opc1) << 3) | ARM_AA32_IS64)
/* Views are the Non-secure instance: QEMU sets bit 29 for those. */
#define ARM_AA32_NS (1u << 29)
#define ARM_AA32_KVM_ID(enc) \
    ((((enc) & ARM_AA32_IS64) ? 0x4030000000000000ULL : \
                                0x4020000000000000ULL) | ARM_AA32_NS | \
     ((enc) & 0xffffffu))

enum {
#define SYSREG32(name, cp, opc1, crn, crm, opc2) \
    SYSREG32_##name = ARM_AA32_ENC(cp, opc1, crn, crm, opc2),
#define SYSREG64(name, cp, opc1, crm) \
    SYSREG32_##name = ARM_AA32_ENC64(cp, opc1, crm),
#include "sysreg32.def"
#undef SYSREG32
#undef SYSREG64
};

/* AArch32 name of an encoding ("TPIDRURW"), or the generic p15 form. */
const char *arm_sysreg32_enc_name(uint32_t enc, char *buf);

/* ---- ID register fields ---- */
typedef enum {
    IDF_KIND_U,   /* unsigned feature level */
    IDF_KIND_S,   /* signed feature level (0xf = absent) */
    IDF_KIND_X,   /* not compared */
} ArmIdFieldKind;

typedef struct ArmIdField {
    const char *reg;      /* "ID_AA64ISAR0_EL1" */
    const char *field;    /* "AES" */
    uint32_t enc;         /* register encoding */
    uint8_t shift, width;
    ArmIdFieldKind kind;
} ArmIdField;

enum {
#define IDFIELD(reg, f, shift, width, kind) IDF_##reg##_##f,
#include "sysreg-fields.def"
#undef IDFIELD
    IDF__COUNT
};

#define IDF_SHIFT(reg, f) (arm_id_fields[IDF_##reg##_##f].shift)
extern const ArmIdField arm_id_fields[IDF__COUNT];

static inline uint64_t arm_idfield_get(uint64_t v, unsigned idx)
{
    const ArmIdField *f = &arm_id_fields[idx];
    return (v >> f->shift) & ((1ULL << f->width) - 1);
}

static inline uint64_t arm_idfield_set(uint64_t v, unsigned idx, uint64_t x)
{
    const ArmIdField *f = &arm_id_fields[idx];
    uint64_t mask = ((1ULL << f->width) - 1) << f->shift;
    return (v & ~mask) | ((x << f->shift) & mask);
}

#endif
