/*
 * CPU model descriptions: identification values and which properties a
 * model accepts.  Data in cpu-models.c; cpu.c instantiates them.
 */
#ifndef TARGET_ARM_CPU_MODELS_H
#define TARGET_ARM_CPU_MODELS_H

#include "cpu.h"

/* Properties a model accepts (beyond pmu, cntfrq and x-mig-*). */
#define ARM_MODEL_PROP_SVE    (1u << 0)
#define ARM_MODEL_PROP_PAUTH  (1u << 1)
#define ARM_MODEL_PROP_CRYPTO (1u << 2)

typedef struct ARMCPUModel {
    const char *name;
    const char *description;
    bool aarch64;               /* false: AArch32-only (qemu-system-arm) */
    /* "host": identification comes from KVM (arm_cpu_import_id_regs). */
    bool kvm_only;
    unsigned props;             /* ARM_MODEL_PROP_* */
    ArmIdRegs id;               /* values with every optional feature on */
    /*
     * "Close enough" (BRIEF idea 5): may a vCPU whose MIDR is midr arrive
     * on this model?  NULL: same implementer and part number.
     */
    bool (*midr_compatible)(const struct ARMCPUModel *m, uint64_t midr);
} ARMCPUModel;

extern const ARMCPUModel arm_cpu_models[];
extern const unsigned arm_cpu_model_count;

const ARMCPUModel *arm_cpu_model_find(const char *name);
/* The model whose MIDR has the same implementer/part, or NULL. */
const ARMCPUModel *arm_cpu_model_by_midr(uint64_t midr);

/* MIDR_EL1 fields (D19.2.100). */
#define MIDR_IMPLEMENTER(m) (((m) >> 24) & 0xff)
#define MIDR_VARIANT(m)     (((m) >> 20) & 0xf)
#define MIDR_PARTNUM(m)     (((m) >> 4) & 0xfff)
#define MIDR_REVISION(m)    ((m) & 0xf)

#endif
