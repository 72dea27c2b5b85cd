/*
 * Identification registers (Arm ARM D19.2 / D23.2 "Identification
 * registers"): MIDR, MPIDR, REVIDR, the whole feature-ID space
 * (op0=3, op1=0, CRn=0, CRm=1..7, every op2), CTR, CLIDR, CCSIDR/CSSELR,
 * AIDR, DCZID.
 *
 * Every slot of the feature-ID space exists, allocated or not: the Arm ARM
 * makes the unallocated ones RAZ, and KVM lists all 56 in KVM_GET_REG_LIST
 * (arch/arm64/kvm/sys_regs.c ID_UNALLOCATED), so a KVM stream always carries
 * them and a TCG stream must too (BRIEF idea 4).  Values come from
 * cpu->id, i.e. the model after its properties were applied.
 */
#include "qemu/osdep.h"
#include "cpregs.h"
#include "cpu-features.h"

static uint64_t idspace_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->id.idspace[ARM_IDSPACE_IDX(ARM_SYSREG_CRM(ri->enc),
                                           ARM_SYSREG_OP2(ri->enc))];
}

/* MPIDR_EL1: RES1 bit 31, U = 0 (multiprocessor), MT = 0, Aff from board. */
static uint64_t mpidr_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return (1ULL << 31) | (cpu->mp_affinity & 0xff00ffffffULL);
}

static uint64_t ctr_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->id.ctr;
}

static uint64_t clidr_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->id.clidr;
}

static uint64_t aidr_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->id.aidr;
}

/* DCZID_EL0.DZP (bit 4) reports whether DC ZVA is prohibited at this EL. */
static uint64_t dczid_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    uint64_t v = cpu->id.dczid & 0xf;
    if (arm_current_el(&cpu->env) == 0 &&
        !(cpu->env.sys.sctlr_el[1] & (1ULL << 14))) {      /* SCTLR.DZE */
        v |= 1u << 4;
    }
    return v;
}

static uint64_t ccsidr_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->id.ccsidr[cpu->env.sys.csselr_el1 & 0xf];
}

/* CSSELR_EL1: Level[3:1], InD[0] (TnD[4] only with FEAT_MTE2). */
static void csselr_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    cpu->env.sys.csselr_el1 = v & 0xf;
}

/* SCTLR_EL1.UCT (bit 15) lets EL0 read CTR_EL0 (D19.2.34). */
static int ctr_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    if (arm_current_el(&cpu->env) == 0 &&
        !(cpu->env.sys.sctlr_el[1] & (1ULL << 15))) {
        return ARM_CP_EXC_TRAP_EL1;
    }
    return ARM_CP_EXC_NONE;
}

static const ArmCPRegDesc id_regs[] = {
    { ARM_SYSREG(MIDR_EL1), ARM_AA32(MIDR), .access = PL1_R, .flags = ARM_CP_CONST,
      ARM_NO_FIELD, .readfn = idspace_read },
    { ARM_SYSREG(MPIDR_EL1), ARM_AA32(MPIDR), .access = PL1_R, .flags = ARM_CP_CONST,
      ARM_NO_FIELD, .readfn = mpidr_read },
    { ARM_SYSREG(REVIDR_EL1), ARM_AA32(REVIDR), .access = PL1_R, .flags = ARM_CP_CONST,
      ARM_NO_FIELD, .readfn = idspace_read },
    { ARM_SYSREG(CTR_EL0), ARM_AA32(CTR), .access = PL0_R, .flags = ARM_CP_CONST,
      ARM_NO_FIELD, .readfn = ctr_read, .accessfn = ctr_access },
    { ARM_SYSREG(CLIDR_EL1), ARM_AA32(CLIDR), .access = PL1_R, .flags = ARM_CP_CONST,
      ARM_NO_FIELD, .readfn = clidr_read },
    { ARM_SYSREG(AIDR_EL1), ARM_AA32(AIDR), .access = PL1_R, .flags = ARM_CP_CONST,
      ARM_NO_FIELD, .readfn = aidr_read },
    /* Not in KVM's list: DCZID is derived, CCSIDR travels as KVM's
     * DEMUX entries (reconciliation's business), so both are NO_RAW. */
    { ARM_SYSREG(DCZID_EL0), .access = PL0_R,
      .flags = ARM_CP_CONST | ARM_CP_NO_RAW, ARM_NO_FIELD,
      .readfn = dczid_read },
    { ARM_SYSREG(CCSIDR_EL1), ARM_AA32(CCSIDR), .access = PL1_R,
      .flags = ARM_CP_CONST | ARM_CP_NO_RAW, ARM_NO_FIELD,
      .readfn = ccsidr_read },
    { ARM_SYSREG(CSSELR_EL1), ARM_AA32(CSSELR), .access = PL1_RW,
      .flags = ARM_CP_RESET_UNKNOWN, ARM_FIELD(sys.csselr_el1),
      .writefn = csselr_write },
};

/*
 * The feature-ID space, CRm 1..7 x op2 0..7: built once from the data
 * list, so allocated slots get their Arm ARM name and the others the
 * S3_0_C0_Cm_n form with ARM_CP_ID_RAZ.
 */
static ArmCPRegDesc idspace_regs[56];
static char idspace_names[56][ARM_SYSREG_NAME_LEN];

static void idspace_init(void)
{
    static bool done;

    if (done) {
        return;
    }
    for (unsigned i = 0; i < 56; i++) {
        unsigned crm = 1 + i / 8, op2 = i % 8;
        uint32_t enc = ARM_SYSREG_ENC(3, 0, 0, crm, op2);
        ArmCPRegDesc *d = &idspace_regs[i];

        arm_sysreg_enc_name(enc, idspace_names[i]);
        d->name = idspace_names[i];
        d->enc = enc;
        d->access = PL1_R;
        d->flags = ARM_CP_CONST;
        if (idspace_names[i][0] == 'S' && idspace_names[i][1] == '3') {
            d->flags |= ARM_CP_ID_RAZ;     /* not named by the data list */
        }
        d->fieldoffset = -1;
        d->readfn = idspace_read;
        if (crm <= 2) {
            /* ID_PFR0..ID_ISAR6 are also MRC p15, 0, c0, c1/c2, op2. */
            d->aa32 = ARM_AA32_ENC(15, 0, 0, crm, op2);
        }
    }
    done = true;
}

void arm_cpregs_define_id(ArmCPRegBuilder *b, ARMCPU *cpu)
{
    idspace_init();
    ARM_CPREGS_ADD(b, id_regs);
    ARM_CPREGS_ADD(b, idspace_regs);
}
