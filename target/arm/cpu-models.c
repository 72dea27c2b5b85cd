/*
 * CPU models and their identification values.
 *
 * Values are the architected ones from each core's Technical Reference
 * Manual (Cortex-A57 TRM r1p0 section 4.3, Cortex-A72 TRM r0p3 section
 * 4.3, Cortex-A15 TRM r2p1 section 4.3), cross-checked against what KVM
 * reports for the same cores (tests/data/kvm-reglists).  Differences from
 * the TRMs, on purpose: EL2 and EL3 fields say "not implemented" (our
 * vCPUs start at EL1 and have neither), and the GIC system-register field
 * is left to the board.
 *
 * Each model lists its values with every optional feature on; CPU
 * properties (cpu.c) clear fields.  "max" is ARMv8.0 with the optional
 * crypto extension: grow it here, one field at a time, as the interpreter
 * implements features (an advertised feature the interpreter lacks breaks
 * guests that use it).
 */
#include "qemu/osdep.h"
#include "cpu-models.h"
#include "sysreg-enc.h"

#define IDX(NAME) ARM_IDSPACE_IDX(ARM_SYSREG_CRM(SYSREG_##NAME), \
                                  ARM_SYSREG_OP2(SYSREG_##NAME))

/* AArch32 ID registers shared by the Cortex-A57 and A72 (TRM 4.3). */
#define A5X_AARCH32_IDS \
    [IDX(ID_PFR0_EL1)]  = 0x00000131, \
    [IDX(ID_PFR1_EL1)]  = 0x00010001, \
    [IDX(ID_DFR0_EL1)]  = 0x03010066, \
    [IDX(ID_MMFR1_EL1)] = 0x40000000, \
    [IDX(ID_MMFR2_EL1)] = 0x01260000, \
    [IDX(ID_MMFR3_EL1)] = 0x02102211, \
    [IDX(ID_ISAR0_EL1)] = 0x02101110, \
    [IDX(ID_ISAR1_EL1)] = 0x13112111, \
    [IDX(ID_ISAR2_EL1)] = 0x21232042, \
    [IDX(ID_ISAR3_EL1)] = 0x01112131, \
    [IDX(ID_ISAR4_EL1)] = 0x00011142, \
    [IDX(ID_ISAR5_EL1)] = 0x00011121, \
    [IDX(MVFR0_EL1)]    = 0x10110222, \
    [IDX(MVFR1_EL1)]    = 0x12111111, \
    [IDX(MVFR2_EL1)]    = 0x00000043

/*
 * AArch64 ID registers of an ARMv8.0 core like the A57/A72:
 * EL0/EL1 AArch64+AArch32, FP and AdvSIMD; 6 breakpoints, 4 watchpoints,
 * PMUv3, debug v8; AES+PMULL, SHA1, SHA256, CRC32; 44-bit PA, 16-bit ASID,
 * 4K and 64K granules (16K not implemented).  ID_AA64ISAR0_EL1 is per
 * model (V80_ISAR0 for the cores; max adds what the interpreter does).
 */
#define V80_ISAR0 [IDX(ID_AA64ISAR0_EL1)] = 0x0000000000011120ULL
/* max: V80_ISAR0 + Atomic = 2 (FEAT_LSE: the interpreter implements CAS,
 * CASP, LDADD..LDUMIN, SWP; Arm ARM C6.2) */
#define MAX_ISAR0 [IDX(ID_AA64ISAR0_EL1)] = 0x0000000000211120ULL
#define V80_AARCH64_IDS \
    [IDX(ID_AA64PFR0_EL1)]  = 0x0000000000000022ULL, \
    [IDX(ID_AA64DFR0_EL1)]  = 0x0000000010305106ULL, \
    [IDX(ID_AA64MMFR0_EL1)] = 0x0000000000001124ULL

/* Caches: L1 I 48 KB 3-way, L1 D 32 KB 2-way, unified L2 (CLIDR 0x0a200023,
 * LoUU = 1, LoC = 2, LoUIS = 1). */
static bool same_part(const ARMCPUModel *m, uint64_t midr);

static bool any_midr(const ARMCPUModel *m, uint64_t midr)
{
    /* max is defined by its ID registers, not by an identity. */
    return true;
}

const ARMCPUModel arm_cpu_models[] = {
    {
        .name = "cortex-a57",
        .description = "ARM Cortex-A57 r1p0 (ARMv8.0)",
        .aarch64 = true,
        .props = ARM_MODEL_PROP_CRYPTO,
        .midr_compatible = same_part,
        .id = {
            .idspace = {
                [IDX(MIDR_EL1)] = 0x411fd070,
                [IDX(ID_MMFR0_EL1)] = 0x10101105,
                A5X_AARCH32_IDS,
                V80_AARCH64_IDS,
                V80_ISAR0,
            },
            .ctr = 0x8444c004,
            .clidr = 0x0a200023,
            .dczid = 4,                       /* 64-byte DC ZVA blocks */
            .ccsidr = { 0x701fe00a, 0x201fe012, 0x70ffe07a },  /* 2 MB L2 */
            .fpsid = 0x41034070,
            .pmcr = 0x41013000,               /* IMP 0x41, IDCODE 1, N = 6 */
        },
    },
    {
        .name = "cortex-a72",
        .description = "ARM Cortex-A72 r0p3 (ARMv8.0)",
        .aarch64 = true,
        .props = ARM_MODEL_PROP_CRYPTO,
        .midr_compatible = same_part,
        .id = {
            .idspace = {
                [IDX(MIDR_EL1)] = 0x410fd083,
                [IDX(ID_MMFR0_EL1)] = 0x10201105,
                A5X_AARCH32_IDS,
                V80_AARCH64_IDS,
                V80_ISAR0,
            },
            .ctr = 0x8444c004,
            .clidr = 0x0a200023,
            .dczid = 4,
            .ccsidr = { 0x701fe00a, 0x201fe012, 0x707fe07a },  /* 1 MB L2 */
            .fpsid = 0x41034080,
            .pmcr = 0x41023000,
        },
    },
    {
        .name = "max",
        .description = "All features this build implements (ARMv8.0 + "
                       "crypto + LSE; "
                       "optional sve, pauth)",
        .aarch64 = true,
        .props = ARM_MODEL_PROP_SVE | ARM_MODEL_PROP_PAUTH |
                 ARM_MODEL_PROP_CRYPTO,
        .midr_compatible = any_midr,
        .id = {
            .idspace = {
                /* Implementer 0: "reserved for software use"; the value
                 * QEMU's max uses, so KVM-side tools recognise it. */
                [IDX(MIDR_EL1)] = 0x000f0510,
                [IDX(ID_MMFR0_EL1)] = 0x10101105,
                A5X_AARCH32_IDS,
                V80_AARCH64_IDS,
                MAX_ISAR0,
                /* Optional, removed unless sve=on / pauth=on (cpu.c). */
                [IDX(ID_AA64ISAR1_EL1)] = 0x0000000001000010ULL, /* APA, GPA */
            },
            .ctr = 0x8444c004,
            .clidr = 0x0a200023,
            .dczid = 4,
            .ccsidr = { 0x701fe00a, 0x201fe012, 0x70ffe07a },
            .fpsid = 0x41034070,
            .pmcr = 0x41013000,
        },
    },
    {
        /*
         * KVM only: starts as max, then the KVM code imports the host
         * vCPU's identification with arm_cpu_import_id_regs().
         */
        .name = "host",
        .description = "KVM only: the host CPU, as KVM presents it",
        .aarch64 = true,
        .kvm_only = true,
        .props = ARM_MODEL_PROP_SVE | ARM_MODEL_PROP_PAUTH,
        .midr_compatible = same_part,
        .id = {
            .idspace = {
                [IDX(MIDR_EL1)] = 0x000f0510,
                [IDX(ID_MMFR0_EL1)] = 0x10101105,
                A5X_AARCH32_IDS,
                V80_AARCH64_IDS,
                V80_ISAR0,
            },
            .ctr = 0x8444c004,
            .clidr = 0x0a200023,
            .dczid = 4,
            .ccsidr = { 0x701fe00a, 0x201fe012, 0x70ffe07a },
            .fpsid = 0x41034070,
            .pmcr = 0x41013000,
        },
    },
    {
        /* Identification only for now: needs AArch32 execution. */
        .name = "cortex-a15",
        .description = "ARM Cortex-A15 r2p1 (ARMv7-A, AArch32 only)",
        .aarch64 = false,
        .midr_compatible = same_part,
        .id = {
            .idspace = {
                [IDX(MIDR_EL1)]     = 0x412fc0f1,
                [IDX(ID_PFR0_EL1)]  = 0x00001131,
                [IDX(ID_PFR1_EL1)]  = 0x00011011,
                [IDX(ID_DFR0_EL1)]  = 0x02010555,
                [IDX(ID_MMFR0_EL1)] = 0x10201105,
                [IDX(ID_MMFR1_EL1)] = 0x20000000,
                [IDX(ID_MMFR2_EL1)] = 0x01240000,
                [IDX(ID_MMFR3_EL1)] = 0x02102211,
                [IDX(ID_ISAR0_EL1)] = 0x02101110,
                [IDX(ID_ISAR1_EL1)] = 0x13112111,
                [IDX(ID_ISAR2_EL1)] = 0x21232041,
                [IDX(ID_ISAR3_EL1)] = 0x11112131,
                [IDX(ID_ISAR4_EL1)] = 0x10011142,
                [IDX(MVFR0_EL1)]    = 0x10110222,
                [IDX(MVFR1_EL1)]    = 0x11111111,
            },
            .ctr = 0x8444c004,
            .clidr = 0x0a200023,
            .ccsidr = { 0x701fe00a, 0x201fe00a, 0x711fe07a },
            .fpsid = 0x410430f0,
            .pmcr = 0x410f3000,
        },
    },
};

const unsigned arm_cpu_model_count = ARRAY_SIZE(arm_cpu_models);

static bool same_part(const ARMCPUModel *m, uint64_t midr)
{
    uint64_t own = m->id.idspace[0];
    return MIDR_IMPLEMENTER(own) == MIDR_IMPLEMENTER(midr) &&
           MIDR_PARTNUM(own) == MIDR_PARTNUM(midr);
}

const ARMCPUModel *arm_cpu_model_find(const char *name)
{
    for (unsigned i = 0; i < arm_cpu_model_count; i++) {
        if (!strcmp(arm_cpu_models[i].name, name)) {
            return &arm_cpu_models[i];
        }
    }
    return NULL;
}

const ARMCPUModel *arm_cpu_model_by_midr(uint64_t midr)
{
    for (unsigned i = 0; i < arm_cpu_model_count; i++) {
        const ARMCPUModel *m = &arm_cpu_models[i];
        if (m->midr_compatible == same_part && same_part(m, midr)) {
            return m;
        }
        if (m->id.idspace[0] == midr) {
            return m;
        }
    }
    return NULL;
}
