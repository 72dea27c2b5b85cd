/*
 * Self-hosted debug registers (Arm ARM D2, D19.3): MDSCR, MDCCINT, the OS
 * lock (OSLAR/OSLSR), OSDLR, the claim tags, and the breakpoint and
 * watchpoint value/control registers.
 *
 * KVM lists all 16 DBGB/DBGW pairs whatever ID_AA64DFR0_EL1.BRPs/WRPs say,
 * so all 16 exist here with storage and migrate; the guest may use only
 * the implemented ones (the rest UNDEF).  Registers KVM does not list and
 * that carry no state we model (MDRAR, OSDLR, DBGPRCR, claim tags,
 * authentication status) are constants outside the list (NO_RAW).
 * Breakpoints do not fire yet: that is the interpreter's part.
 */
#include "qemu/osdep.h"
#include "cpregs.h"
#include "cpu-features.h"

/* OSLSR_EL1: OSLM = 0b10 (bit 3 set, bit 0 clear), OSLK bit 1 (D19.3.27).
 * The OS lock is set at cold reset. */
#define OSLSR_OSLM 0x8u
#define OSLSR_OSLK 0x2u

static void oslar_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    cpu->env.sys.oslsr_el1 = OSLSR_OSLM | ((v & 1) ? OSLSR_OSLK : 0);
}
static void oslsr_raw_write(ARMCPU *cpu, const ArmCPReg *ri, uint64_t v)
{
    cpu->env.sys.oslsr_el1 = OSLSR_OSLM | (v & OSLSR_OSLK);
}
static uint64_t oslsr_raw_read(ARMCPU *cpu, const ArmCPReg *ri)
{
    return cpu->env.sys.oslsr_el1;
}

static int bp_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    return ri->n < arm_num_brps(cpu) ? ARM_CP_EXC_NONE : ARM_CP_EXC_UNDEF;
}
static int wp_access(ARMCPU *cpu, const ArmCPReg *ri, bool isread)
{
    return ri->n < arm_num_wrps(cpu) ? ARM_CP_EXC_NONE : ARM_CP_EXC_UNDEF;
}

#define DBG_CONST(NAME, acc, val) \
    { ARM_SYSREG(NAME), .access = (acc), \
      .flags = ARM_CP_CONST | ARM_CP_NO_RAW, ARM_NO_FIELD, .resetvalue = (val) }

static const ArmCPRegDesc debug_regs[] = {
    { ARM_SYSREG(MDSCR_EL1), .access = PL1_RW, ARM_FIELD(sys.mdscr_el1) },
    { ARM_SYSREG(MDCCINT_EL1), .access = PL1_RW, ARM_FIELD(sys.mdccint_el1) },
    { ARM_SYSREG(OSLAR_EL1), .access = PL1_W, .flags = ARM_CP_NO_RAW,
      ARM_NO_FIELD, .writefn = oslar_write },
    { ARM_SYSREG(OSLSR_EL1), .access = PL1_R, ARM_FIELD(sys.oslsr_el1),
      .resetvalue = OSLSR_OSLM | OSLSR_OSLK,
      .raw_readfn = oslsr_raw_read, .raw_writefn = oslsr_raw_write },
    /* Writes ignored: DoubleLock only matters around powerdown. */
    DBG_CONST(OSDLR_EL1, PL1_RW, 0),
    DBG_CONST(DBGPRCR_EL1, PL1_RW, 0),
    DBG_CONST(MDRAR_EL1, PL1_R, 0),
    DBG_CONST(MDCCSR_EL0, PL0_R, 0),
    /* Eight claim tags implemented, none set and none kept. */
    DBG_CONST(DBGCLAIMSET_EL1, PL1_RW, 0xff),
    DBG_CONST(DBGCLAIMCLR_EL1, PL1_RW, 0),
    /* Non-secure invasive and non-invasive debug implemented, disabled. */
    DBG_CONST(DBGAUTHSTATUS_EL1, PL1_R, 0xa),
    { ARM_SYSREG(DBGVCR32_EL2), .access = PL2_RW,
      ARM_FIELD(sys.dbgvcr32_el2) },
    { ARM_SYSREG_FAMILY(DBGBVR), .access = PL1_RW, ARM_FIELD(sys.dbgbvr[0]),
      .accessfn = bp_access },
    { ARM_SYSREG_FAMILY(DBGBCR), .access = PL1_RW, ARM_FIELD(sys.dbgbcr[0]),
      .accessfn = bp_access },
    { ARM_SYSREG_FAMILY(DBGWVR), .access = PL1_RW, ARM_FIELD(sys.dbgwvr[0]),
      .accessfn = wp_access },
    { ARM_SYSREG_FAMILY(DBGWCR), .access = PL1_RW, ARM_FIELD(sys.dbgwcr[0]),
      .accessfn = wp_access },
};

void arm_cpregs_define_debug(ArmCPRegBuilder *b, ARMCPU *cpu)
{
    ARM_CPREGS_ADD(b, debug_regs);
}
