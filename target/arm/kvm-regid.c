/*
 * Decoding and building of arm64 KVM ONE_REG ids and vGIC attributes
 * (see kvm-regid.h for the layouts and the documents they come from).
 * Pure functions: the unit tests run them on x86 against real lists.
 */
#include "kvm-regid.h"

ArmKvmTimerReg arm_kvm_timer_reg(uint64_t kvm_id)
{
    switch (kvm_id) {
    case ARM_KVM_TIMER_CTL:   return ARM_KVM_TIMER_VIRT_CTL;
    case ARM_KVM_TIMER_CNT:   return ARM_KVM_TIMER_VIRT_COUNT;
    case ARM_KVM_TIMER_CVAL:  return ARM_KVM_TIMER_VIRT_CVAL;
    case ARM_KVM_PTIMER_CTL:  return ARM_KVM_TIMER_PHYS_CTL;
    case ARM_KVM_PTIMER_CNT:  return ARM_KVM_TIMER_PHYS_COUNT;
    case ARM_KVM_PTIMER_CVAL: return ARM_KVM_TIMER_PHYS_CVAL;
    default:                  return ARM_KVM_TIMER_NONE;
    }
}

uint64_t arm_kvm_timer_id_to_arch(uint64_t kvm_id)
{
    /* Only the two virtual-timer ids are swapped (facts 3.2). */
    if (kvm_id == ARM_KVM_TIMER_CNT) {
        return ARM_KVM_TIMER_CVAL;
    }
    if (kvm_id == ARM_KVM_TIMER_CVAL) {
        return ARM_KVM_TIMER_CNT;
    }
    return kvm_id;
}

unsigned arm_kvm_reg_size(uint64_t id)
{
    unsigned lg = (id & ARM_KVM_REG_SIZE_MASK) >> ARM_KVM_REG_SIZE_SHIFT;

    /* 2048-bit SVE slices (lg 8) are the largest the ABI defines. */
    return lg <= 8 ? 1u << lg : 0;
}

bool arm_kvm_reg_decode(uint64_t id, ArmKvmRegInfo *info)
{
    unsigned coproc = (id & ARM_KVM_REG_COPROC_MASK) >> ARM_KVM_REG_COPROC_SHIFT;

    memset(info, 0, sizeof(*info));
    info->cls = ARM_KVM_REG_INVALID;
    if ((id & ARM_KVM_REG_ARCH_MASK) != ARM_KVM_REG_ARM64 ||
        arm_kvm_reg_size(id) == 0) {
        return false;
    }
    info->size_bits = arm_kvm_reg_size(id) * 8;
    info->index = id & 0xffff;
    switch (coproc) {
    case ARM_KVM_COPROC_CORE:
        info->cls = ARM_KVM_REG_CORE;
        break;
    case ARM_KVM_COPROC_DEMUX:
        info->cls = ARM_KVM_REG_DEMUX;
        break;
    case ARM_KVM_COPROC_SYSREG:
        info->op0 = (id >> 14) & 3;
        info->op1 = (id >> 11) & 7;
        info->crn = (id >> 7) & 15;
        info->crm = (id >> 3) & 15;
        info->op2 = id & 7;
        info->cls = arm_kvm_timer_reg(id) != ARM_KVM_TIMER_NONE ?
                    ARM_KVM_REG_TIMER : ARM_KVM_REG_SYSREG;
        break;
    case ARM_KVM_COPROC_FW:
        info->cls = ARM_KVM_REG_FW;
        break;
    case ARM_KVM_COPROC_SVE:
        info->cls = ARM_KVM_REG_SVE;
        break;
    case ARM_KVM_COPROC_FW_BMAP:
        info->cls = ARM_KVM_REG_FW_BMAP;
        break;
    default:
        return false;
    }
    return true;
}

const char *arm_kvm_reg_class_name(ArmKvmRegClass cls)
{
    static const char *const names[] = {
        [ARM_KVM_REG_INVALID] = "invalid",
        [ARM_KVM_REG_CORE] = "core",
        [ARM_KVM_REG_SYSREG] = "sysreg",
        [ARM_KVM_REG_TIMER] = "timer",
        [ARM_KVM_REG_FW] = "fw",
        [ARM_KVM_REG_FW_BMAP] = "fw-feat-bmap",
        [ARM_KVM_REG_DEMUX] = "demux-ccsidr",
        [ARM_KVM_REG_SVE] = "sve",
    };
    return cls < ARRAY_SIZE(names) ? names[cls] : "invalid";
}

uint64_t arm_kvm_core_id(unsigned word_offset, unsigned size_bits)
{
    uint64_t size = size_bits == 32 ? ARM_KVM_REG_SIZE_U32 :
                    size_bits == 128 ? ARM_KVM_REG_SIZE_U128 :
                    ARM_KVM_REG_SIZE_U64;

    return ARM_KVM_REG_ARM64 | size |
           ((uint64_t)ARM_KVM_COPROC_CORE << ARM_KVM_REG_COPROC_SHIFT) |
           word_offset;
}

void arm_kvm_core_list(ArmKvmCoreReg out[ARM_KVM_CORE_COUNT])
{
    unsigned n = 0, i;

    for (i = 0; i < 31; i++, n++) {
        out[n].id = arm_kvm_core_id(ARM_KVM_CORE_X(i), 64);
        snprintf(out[n].name, sizeof(out[n].name), "x%u", i);
    }
    out[n].id = arm_kvm_core_id(ARM_KVM_CORE_SP, 64);
    snprintf(out[n++].name, sizeof(out[0].name), "sp_el0");
    out[n].id = arm_kvm_core_id(ARM_KVM_CORE_PC, 64);
    snprintf(out[n++].name, sizeof(out[0].name), "pc");
    out[n].id = arm_kvm_core_id(ARM_KVM_CORE_PSTATE, 64);
    snprintf(out[n++].name, sizeof(out[0].name), "pstate");
    out[n].id = arm_kvm_core_id(ARM_KVM_CORE_SP_EL1, 64);
    snprintf(out[n++].name, sizeof(out[0].name), "sp_el1");
    out[n].id = arm_kvm_core_id(ARM_KVM_CORE_ELR_EL1, 64);
    snprintf(out[n++].name, sizeof(out[0].name), "elr_el1");
    for (i = 0; i < 5; i++, n++) {
        out[n].id = arm_kvm_core_id(ARM_KVM_CORE_SPSR(i), 64);
        snprintf(out[n].name, sizeof(out[n].name), "spsr[%u]", i);
    }
    for (i = 0; i < 32; i++, n++) {
        out[n].id = arm_kvm_core_id(ARM_KVM_CORE_V(i), 128);
        snprintf(out[n].name, sizeof(out[n].name), "v%u", i);
    }
    out[n].id = arm_kvm_core_id(ARM_KVM_CORE_FPSR, 32);
    snprintf(out[n++].name, sizeof(out[0].name), "fpsr");
    out[n].id = arm_kvm_core_id(ARM_KVM_CORE_FPCR, 32);
    snprintf(out[n++].name, sizeof(out[0].name), "fpcr");
    g_assert(n == ARM_KVM_CORE_COUNT);
}

/* ---- vGIC attributes ---- */

uint64_t arm_kvm_vgic_v2_attr(unsigned cpu, uint32_t offset)
{
    return ((uint64_t)(cpu & 0xff) << 32) | offset;
}

/* MPIDR Aff3 (bits 39..32) and Aff2..Aff0 (23..0) packed as 4 bytes. */
static uint32_t vgic_v3_affinity(uint64_t mpidr)
{
    return (uint32_t)(((mpidr >> 32) & 0xff) << 24) | (mpidr & 0xffffff);
}

uint64_t arm_kvm_vgic_v3_attr(uint64_t mpidr, uint32_t low)
{
    return ((uint64_t)vgic_v3_affinity(mpidr) << 32) | low;
}

uint64_t arm_kvm_vgic_v3_sysreg_attr(uint64_t mpidr, unsigned op0,
                                     unsigned op1, unsigned crn,
                                     unsigned crm, unsigned op2)
{
    return arm_kvm_vgic_v3_attr(mpidr, arm_kvm_sysreg_id(op0, op1, crn, crm,
                                                         op2) & 0xffff);
}

uint64_t arm_kvm_vgic_v3_level_attr(uint64_t mpidr, unsigned intid)
{
    /* Info type 0 (VGIC_LEVEL_INFO_LINE_LEVEL) in bits 31..10. */
    return arm_kvm_vgic_v3_attr(mpidr, intid & 0x3ff);
}

uint64_t arm_kvm_vgic_v3_attr_mpidr(uint64_t attr)
{
    uint32_t aff = attr >> 32;

    return ((uint64_t)(aff >> 24) << 32) | (aff & 0xffffff);
}
