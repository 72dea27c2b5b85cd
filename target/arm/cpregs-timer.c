/*
 * Generic timer registers (Arm ARM D11 "The Generic Timer in AArch64
 * state", D24.10): CNTFRQ, CNTKCTL, the counters CNTPCT/CNTVCT, and the
 * EL1 physical and virtual timers (CTL, CVAL, TVAL).
 *
 * Counter source: arm_cntpct_hook when installed (the timer/GIC work or
 * the KVM import may add an offset), otherwise QEMU_CLOCK_VIRTUAL scaled
 * to cpu->cntfrq_hz (62.5 MHz by default, like QEMU's virt board), so the
 * count stops with the VM and follows qtest's clock.
 *
 * State: CTL and CVAL live in env->sys.cnt_ctl/cnt_cval[timer] and are
 * migrated with their architectural ids.  CNTVCT/CNTPCT/TVAL are derived
 * (NO_RAW).  KVM's timer ids swap CNT and CVAL (facts 3.2); translating a
 * KVM stream is the reconciliation pass's job, not this table's.
 */
#include "qemu/osdep.h"
#include "qemu/timer.h"
#include "cpregs.h"

uint64_t (*arm_cntpct_hook)(ARMCPU *cpu);
void (*arm_gt_update_hook)(ARMCPU *cpu, unsigned timer);

#define CNT_CTL_ENABLE  1u
#define CNT_CTL_IMASK   2u
#define CNT_CTL_ISTATUS 4u

/* CNTKCTL_EL1 EL0 access bits (D19.10.3). */
#define CNTKCTL_EL0PCTEN (1u << 0)
#define CNTKCTL_EL0VCTEN (1u << 1)
#define CNTKCTL_EL0VTEN  (1u << 8)
#define CNTKCTL_EL0PTEN  (1u << 9)

uint64_t arm_cpu_cntpct(ARMCPU *cpu)
{
    if (arm_cntpct_hook) {
        return arm_cntpct_hook(cpu);
    }
    uint64_t ns = (uint64_t)qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    unsigned __int128 t = (unsigned __int128)ns * cpu->cntfrq_hz;
    return (uint64_t)(t / 1000000000u);
}

uint64_t arm_cpu_cntvct(ARMCPU *cpu)
{
    return arm_cpu_cntpct(cpu) - cpu->env.sys.cntvoff_el2;
}

static unsigned timer_of(const ArmCPReg *ri)
{
    /* CRm 2 = physical timer, CRm 3 = virtual timer. */
    return ARM_SYSREG_CRM(ri->enc) == 3 ? ARM_GT_VIRT : ARM_GT_PHYS;
}

static uint64_t timer_count(ARMCPU *cpu, unsigned t)
{
    return t == ARM_GT_VIRT ? arm_cpu_cntvct(cpu) : arm_cpu_cntpct(cpu);
}

static void timer_changed(ARMCPU *cpu, unsigned t)
{
    if (arm_gt_update_hook) {
        arm_gt_update_hook(cpu, t);
    }
}

/* EL0 access to counters and timers is gated by CNTKCTL_EL1. */
static int el0_gate(ARMCPU *cpu, uint32_t bits)
{
    if (arm_current_el(&cpu->env) == 0 &&
        !(cpu->env.sys.cntkctl_el1 & bits)) {
        return ARM_CP_EXC_TRAP_EL1;
    }
    return ARM_CP_EXC_NONE;
}
static int cntfrq_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    return el0_gate(cpu, CNTKCTL_EL0PCTEN | CNTKCTL_EL0VCTEN);
}
static int cntpct_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    return el0_gate(cpu, CNTKCTL_EL0PCTEN);
}
static int cntvct_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    return el0_gate(cpu, CNTKCTL_EL0VCTEN);
}
static int timer_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    return el0_gate(cpu, timer_of(ri) == ARM_GT_VIRT ? CNTKCTL_EL0VTEN :
                                                       CNTKCTL_EL0PTEN);
}

static uint64_t cntfrq_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->cntfrq_hz;
}
static uint64_t cntpct_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return arm_cpu_cntpct(cpu);
}
static uint64_t cntvct_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return arm_cpu_cntvct(cpu);
}

/* CTL.ISTATUS is computed: enabled and count >= CVAL (D11.2.4). */
static uint64_t ctl_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    unsigned t = timer_of(ri);
    uint64_t ctl = cpu->env.sys.cnt_ctl[t] & (CNT_CTL_ENABLE | CNT_CTL_IMASK);

    if ((ctl & CNT_CTL_ENABLE) &&
        timer_count(cpu, t) >= cpu->env.sys.cnt_cval[t]) {
        ctl |= CNT_CTL_ISTATUS;
    }
    return ctl;
}
static void ctl_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    unsigned t = timer_of(ri);
    cpu->env.sys.cnt_ctl[t] = v & (CNT_CTL_ENABLE | CNT_CTL_IMASK);
    timer_changed(cpu, t);
}
static void cval_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    unsigned t = timer_of(ri);
    cpu->env.sys.cnt_cval[t] = v;
    timer_changed(cpu, t);
}
/* TVAL = (CVAL - count) as a signed 32-bit value (D11.2.4). */
static uint64_t tval_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    unsigned t = timer_of(ri);
    return (uint32_t)(cpu->env.sys.cnt_cval[t] - timer_count(cpu, t));
}
static void tval_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    unsigned t = timer_of(ri);
    cpu->env.sys.cnt_cval[t] = timer_count(cpu, t) + (int64_t)(int32_t)v;
    timer_changed(cpu, t);
}

static const ArmCPRegDesc timer_regs[] = {
    { ARM_SYSREG(CNTKCTL_EL1), ARM_AA32(CNTKCTL), .access = PL1_RW, ARM_FIELD(sys.cntkctl_el1) },
    /* Writable only at the highest EL (EL3/EL2), which we do not have. */
    { ARM_SYSREG(CNTFRQ_EL0), ARM_AA32(CNTFRQ), .access = PL0_R,
      .flags = ARM_CP_CONST | ARM_CP_NO_RAW, ARM_NO_FIELD,
      .readfn = cntfrq_read, .accessfn = cntfrq_access },
    { ARM_SYSREG(CNTPCT_EL0), ARM_AA32_64(CNTPCT), .access = PL0_R,
      .flags = ARM_CP_NO_RAW | ARM_CP_IO, ARM_NO_FIELD,
      .readfn = cntpct_read, .accessfn = cntpct_access },
    { ARM_SYSREG(CNTVCT_EL0), ARM_AA32_64(CNTVCT), .access = PL0_R,
      .flags = ARM_CP_NO_RAW | ARM_CP_IO, ARM_NO_FIELD,
      .readfn = cntvct_read, .accessfn = cntvct_access },
    { ARM_SYSREG(CNTP_CTL_EL0), ARM_AA32(CNTP_CTL), .access = PL0_RW, .flags = ARM_CP_IO,
      ARM_FIELD(sys.cnt_ctl[ARM_GT_PHYS]), .accessfn = timer_access,
      .readfn = ctl_read, .writefn = ctl_write },
    { ARM_SYSREG(CNTP_CVAL_EL0), ARM_AA32_64(CNTP_CVAL),
      .access = PL0_RW,
      .flags = ARM_CP_IO | ARM_CP_RESET_UNKNOWN,
      ARM_FIELD(sys.cnt_cval[ARM_GT_PHYS]), .accessfn = timer_access,
      .writefn = cval_write },
    { ARM_SYSREG(CNTP_TVAL_EL0), ARM_AA32(CNTP_TVAL), .access = PL0_RW,
      .flags = ARM_CP_IO | ARM_CP_NO_RAW, ARM_NO_FIELD,
      .accessfn = timer_access, .readfn = tval_read, .writefn = tval_write },
    { ARM_SYSREG(CNTV_CTL_EL0), ARM_AA32(CNTV_CTL), .access = PL0_RW, .flags = ARM_CP_IO,
      ARM_FIELD(sys.cnt_ctl[ARM_GT_VIRT]), .accessfn = timer_access,
      .readfn = ctl_read, .writefn = ctl_write },
    { ARM_SYSREG(CNTV_CVAL_EL0), ARM_AA32_64(CNTV_CVAL),
      .access = PL0_RW,
      .flags = ARM_CP_IO | ARM_CP_RESET_UNKNOWN,
      ARM_FIELD(sys.cnt_cval[ARM_GT_VIRT]), .accessfn = timer_access,
      .writefn = cval_write },
    { ARM_SYSREG(CNTV_TVAL_EL0), ARM_AA32(CNTV_TVAL), .access = PL0_RW,
      .flags = ARM_CP_IO | ARM_CP_NO_RAW, ARM_NO_FIELD,
      .accessfn = timer_access, .readfn = tval_read, .writefn = tval_write },
};

void arm_cpregs_define_timer(ArmCPRegBuilder *b, ARMCPU *cpu)
{
    ARM_CPREGS_ADD(b, timer_regs);
}
