/*
 * KVM ONE_REG register ids and vGIC device attributes for arm64, decoded
 * and built without the kernel headers, so the same code (and its unit
 * tests) runs on x86 build hosts.
 *
 * Layout of an arm64 ONE_REG id (Documentation/virt/kvm/api.rst 4.68,
 * "KVM_SET_ONE_REG", arm64 section; uapi asm/kvm.h):
 *   bits 63..56  architecture (0x60 = arm64)
 *   bits 55..52  log2 of the size in bytes (2 = 32, 3 = 64, 4 = 128 bit)
 *   bits 31..16  coprocessor class: 0x10 core, 0x11 demux, 0x13 sysreg,
 *                0x14 firmware, 0x15 SVE, 0x16 firmware feature bitmap
 *   bits 15..0   index within the class (sysreg: op0:op1:CRn:CRm:op2)
 * Core registers are indexed by the 32-bit word offset of the field in
 * struct kvm_regs.
 *
 * The vGIC device-attribute encodings follow
 * Documentation/virt/kvm/devices/arm-vgic.rst and arm-vgic-v3.rst.
 */
#ifndef TARGET_ARM_KVM_REGID_H
#define TARGET_ARM_KVM_REGID_H

#include "qemu/osdep.h"

#define ARM_KVM_REG_ARM64        0x6000000000000000ULL
#define ARM_KVM_REG_ARCH_MASK    0xff00000000000000ULL
#define ARM_KVM_REG_SIZE_SHIFT   52
#define ARM_KVM_REG_SIZE_MASK    0x00f0000000000000ULL
#define ARM_KVM_REG_SIZE_U32     0x0020000000000000ULL
#define ARM_KVM_REG_SIZE_U64     0x0030000000000000ULL
#define ARM_KVM_REG_SIZE_U128    0x0040000000000000ULL
#define ARM_KVM_REG_COPROC_SHIFT 16
#define ARM_KVM_REG_COPROC_MASK  0x000000000fff0000ULL

/* Coprocessor classes (bits 31..16). */
#define ARM_KVM_COPROC_CORE      0x0010
#define ARM_KVM_COPROC_DEMUX     0x0011
#define ARM_KVM_COPROC_SYSREG    0x0013
#define ARM_KVM_COPROC_FW        0x0014
#define ARM_KVM_COPROC_SVE       0x0015
#define ARM_KVM_COPROC_FW_BMAP   0x0016

/* What kind of register an id names. */
typedef enum ArmKvmRegClass {
    ARM_KVM_REG_INVALID,     /* not an arm64 id or unknown class */
    ARM_KVM_REG_CORE,        /* x0-x30, SP, PC, PSTATE, ELR, SPSR, V, FP */
    ARM_KVM_REG_SYSREG,      /* architectural system register */
    ARM_KVM_REG_TIMER,       /* one of the KVM timer ids (see below) */
    ARM_KVM_REG_FW,          /* firmware pseudo-register (PSCI version...) */
    ARM_KVM_REG_FW_BMAP,     /* firmware feature bitmap */
    ARM_KVM_REG_DEMUX,       /* CCSIDR values selected by CSSELR */
    ARM_KVM_REG_SVE,         /* Z/P/FFR slices and SVE_VLS */
} ArmKvmRegClass;

/* AArch64 system-register id from its encoding. */
static inline uint64_t arm_kvm_sysreg_id(unsigned op0, unsigned op1,
                                         unsigned crn, unsigned crm,
                                         unsigned op2)
{
    return ARM_KVM_REG_ARM64 | ARM_KVM_REG_SIZE_U64 |
           ((uint64_t)ARM_KVM_COPROC_SYSREG << ARM_KVM_REG_COPROC_SHIFT) |
           ((uint64_t)(op0 & 3) << 14) | ((uint64_t)(op1 & 7) << 11) |
           ((uint64_t)(crn & 15) << 7) | ((uint64_t)(crm & 15) << 3) |
           (op2 & 7);
}

/*
 * The timer ids of the KVM ABI.  CTL carries CNTV_CTL_EL0's encoding, but
 * CNT carries CNTV_CVAL_EL0's (3,3,14,3,2) and CVAL carries CNTVCT_EL0's
 * (3,3,14,0,2): the two are swapped against the architecture, a mistake
 * the kernel keeps forever (facts 3.2).  The physical ones (6.12 and
 * later) are encoded correctly.
 */
#define ARM_KVM_TIMER_CTL   0x603000000013df19ULL   /* (3,3,14,3,1) */
#define ARM_KVM_TIMER_CNT   0x603000000013df1aULL   /* (3,3,14,3,2)! */
#define ARM_KVM_TIMER_CVAL  0x603000000013df02ULL   /* (3,3,14,0,2)! */
#define ARM_KVM_PTIMER_CTL  0x603000000013df11ULL   /* (3,3,14,2,1) */
#define ARM_KVM_PTIMER_CVAL 0x603000000013df12ULL   /* (3,3,14,2,2) */
#define ARM_KVM_PTIMER_CNT  0x603000000013df01ULL   /* (3,3,14,0,1) */

/* What a timer id means architecturally. */
typedef enum ArmKvmTimerReg {
    ARM_KVM_TIMER_NONE,
    ARM_KVM_TIMER_VIRT_CTL,     /* CNTV_CTL_EL0 */
    ARM_KVM_TIMER_VIRT_COUNT,   /* CNTVCT_EL0: the virtual count */
    ARM_KVM_TIMER_VIRT_CVAL,    /* CNTV_CVAL_EL0 */
    ARM_KVM_TIMER_PHYS_CTL,     /* CNTP_CTL_EL0 */
    ARM_KVM_TIMER_PHYS_COUNT,   /* CNTPCT_EL0 */
    ARM_KVM_TIMER_PHYS_CVAL,    /* CNTP_CVAL_EL0 */
} ArmKvmTimerReg;

/* Meaning of a KVM timer id, or ARM_KVM_TIMER_NONE. */
ArmKvmTimerReg arm_kvm_timer_reg(uint64_t kvm_id);
/*
 * The id the architecture (and so our register table and TCG streams)
 * gives the same state: swaps TIMER_CNT and TIMER_CVAL, identity for every
 * other id.  Its own inverse.
 */
uint64_t arm_kvm_timer_id_to_arch(uint64_t kvm_id);

/* Decoded id. */
typedef struct ArmKvmRegInfo {
    ArmKvmRegClass cls;
    unsigned size_bits;          /* 32, 64, 128, ... 2048 */
    unsigned index;              /* bits 15..0 */
    /* ARM_KVM_REG_SYSREG / TIMER: the encoding fields. */
    unsigned op0, op1, crn, crm, op2;
} ArmKvmRegInfo;

/* Decode; false (cls INVALID) for non-arm64 ids and unknown classes. */
bool arm_kvm_reg_decode(uint64_t id, ArmKvmRegInfo *info);
/* Size of the value in bytes (4, 8, 16, ...), 0 for a malformed size. */
unsigned arm_kvm_reg_size(uint64_t id);
/* "sysreg", "core", "timer", ... for logs and tests. */
const char *arm_kvm_reg_class_name(ArmKvmRegClass cls);

/*
 * Core registers: id of each field of struct kvm_regs, indexed by its
 * 32-bit word offset (struct user_pt_regs regs[31], sp, pc, pstate; then
 * sp_el1, elr_el1, spsr[5]; then the 16-byte aligned user_fpsimd_state
 * vregs[32], fpsr, fpcr).
 */
#define ARM_KVM_CORE_X(n)      (2u * (n))
#define ARM_KVM_CORE_SP        62u
#define ARM_KVM_CORE_PC        64u
#define ARM_KVM_CORE_PSTATE    66u
#define ARM_KVM_CORE_SP_EL1    68u
#define ARM_KVM_CORE_ELR_EL1   70u
#define ARM_KVM_CORE_SPSR(n)   (72u + 2u * (n))   /* EL1, ABT, UND, IRQ, FIQ */
#define ARM_KVM_CORE_V(n)      (84u + 4u * (n))
#define ARM_KVM_CORE_FPSR      212u
#define ARM_KVM_CORE_FPCR      213u
#define ARM_KVM_CORE_COUNT     75u               /* ids without SVE */

uint64_t arm_kvm_core_id(unsigned word_offset, unsigned size_bits);

/* One core register: its id and a name ("x3", "pc", "v7", "spsr[2]"). */
typedef struct ArmKvmCoreReg {
    uint64_t id;
    char name[12];
} ArmKvmCoreReg;
/* The 75 core ids of a vCPU without SVE, in id order. */
void arm_kvm_core_list(ArmKvmCoreReg out[ARM_KVM_CORE_COUNT]);

/* ---- vGIC device attributes ---- */

#define ARM_KVM_DEV_TYPE_VGIC_V2      5
#define ARM_KVM_DEV_TYPE_VGIC_V3      7

#define ARM_KVM_VGIC_GRP_ADDR         0
#define ARM_KVM_VGIC_GRP_DIST_REGS    1
#define ARM_KVM_VGIC_GRP_CPU_REGS     2   /* GICv2 CPU interface */
#define ARM_KVM_VGIC_GRP_NR_IRQS      3
#define ARM_KVM_VGIC_GRP_CTRL         4
#define ARM_KVM_VGIC_GRP_REDIST_REGS  5
#define ARM_KVM_VGIC_GRP_CPU_SYSREGS  6   /* GICv3 ICC_* */
#define ARM_KVM_VGIC_GRP_LEVEL_INFO   7

#define ARM_KVM_VGIC_V2_ADDR_DIST     0
#define ARM_KVM_VGIC_V2_ADDR_CPU      1
#define ARM_KVM_VGIC_V3_ADDR_DIST     2
#define ARM_KVM_VGIC_V3_ADDR_REDIST   3

#define ARM_KVM_VGIC_CTRL_INIT        0

/* GICv2 DIST_REGS / CPU_REGS: CPU index in bits 39..32, offset in 31..0. */
uint64_t arm_kvm_vgic_v2_attr(unsigned cpu, uint32_t offset);
/*
 * GICv3 DIST_REGS / REDIST_REGS / CPU_SYSREGS / LEVEL_INFO: the vCPU's
 * affinity (Aff3:Aff2:Aff1:Aff0 from MPIDR, 8 bits each) in bits 63..32.
 */
uint64_t arm_kvm_vgic_v3_attr(uint64_t mpidr, uint32_t low);
/* CPU_SYSREGS: low bits are op0:op1:CRn:CRm:op2 as in a sysreg id. */
uint64_t arm_kvm_vgic_v3_sysreg_attr(uint64_t mpidr, unsigned op0,
                                     unsigned op1, unsigned crn,
                                     unsigned crm, unsigned op2);
/* LEVEL_INFO: info type in bits 31..10 (0 = line level), INTID base in
 * bits 9..0 (a multiple of 32: one 32-bit level word). */
uint64_t arm_kvm_vgic_v3_level_attr(uint64_t mpidr, unsigned intid);
/* Inverse of the v3 encodings, for tests and logs. */
uint64_t arm_kvm_vgic_v3_attr_mpidr(uint64_t attr);

#endif
