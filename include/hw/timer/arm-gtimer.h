/*
 * The ARM generic timer of each vCPU (Arm ARM D11 "The Generic Timer in
 * AArch64 state"): the system counter, and per vCPU the EL1 physical timer
 * and the virtual timer, each an output line to a GIC PPI.
 *
 * Register storage is the CPU's (CPUARMState.sys.cnt_ctl[2], cnt_cval[2],
 * cntkctl_el1, cntvoff_el2), accessed by the register table in
 * target/arm/cpregs-timer.c.  This device supplies what the table cannot:
 * the count (a QEMU_CLOCK_VIRTUAL reading scaled to CNTFRQ plus a machine
 * offset) and the timers that raise the PPIs when the count reaches CVAL.
 * It plugs into the table through arm_cntpct_hook and arm_gt_update_hook
 * (target/arm/cpregs.h); arm_gtimer_init() installs both.
 *
 * Migration: the section "arm-gtimer" (instance 0, one per machine) carries
 * the physical count at save time and CNTFRQ; docs/devel/gic-timer.md
 * states the counter policy it implements.
 */
#ifndef HW_TIMER_ARM_GTIMER_H
#define HW_TIMER_ARM_GTIMER_H

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/timer.h"
#include "hw/irq.h"
#include "migration/vmstate.h"
#include "target/arm/cpu.h"

#define GTIMER_PHYS 0             /* == ARM_GT_PHYS */
#define GTIMER_VIRT 1             /* == ARM_GT_VIRT */
#define GTIMER_NUM  2

/* GIC interrupt ids (INTIDs) of the timers on virt (PPI n = INTID 16 + n). */
#define GTIMER_INTID_VIRT 27
#define GTIMER_INTID_PHYS 30

/*
 * Set up the timers of the vCPUs in arm_cpus[0..arm_cpu_count), install
 * the register-table hooks, register the "arm-gtimer" section and a VM
 * run-state handler.  Call once, after the CPUs exist.
 */
bool arm_gtimer_init(Error **errp);
/* Undo arm_gtimer_init (unit tests, machine teardown). */
void arm_gtimer_cleanup(void);
/* Connect timer which (GTIMER_*) of vCPU cpu_index to an input line. */
void arm_gtimer_connect(unsigned cpu_index, int which, qemu_irq irq);

/* Count of timer which: CNTPCT_EL0 (PHYS) or CNTVCT_EL0 (VIRT). */
uint64_t gtimer_read_count(ARMCPU *cpu, int which);
/* CTL/CVAL (or TVAL, CNTVOFF) of timer which changed: re-arm, update line. */
void gtimer_ctl_cval_changed(ARMCPU *cpu, int which);
/* Re-evaluate every timer of every vCPU (after a load, on VM start). */
void arm_gtimer_update_all(void);
/* Current level of a timer's output line (tests, QMP). */
bool arm_gtimer_output(unsigned cpu_index, int which);

/*
 * The machine-wide counter offset: CNTPCT = ticks(QEMU_CLOCK_VIRTUAL) +
 * offset.  arm_gtimer_set_count() makes the physical count read value now
 * (the KVM import uses it when a stream comes from a kernel counter).
 */
void arm_gtimer_set_count(uint64_t value);
int64_t arm_gtimer_get_offset(void);

/*
 * The host timer behind timer which of vCPU cpu_index, for the "cpu"
 * section's gt_timer fields (facts 3.1: two `timer` fields).  Their
 * loaded expiry is only a hint: arm_gtimer_update_all() re-arms from CVAL.
 */
QEMUTimer *arm_gtimer_qemu_timer(unsigned cpu_index, int which);

/* The "arm-gtimer" section and the state it saves (unit tests). */
extern const VMStateDescription vmstate_arm_gtimer;
void *arm_gtimer_vmstate_opaque(void);

#endif
