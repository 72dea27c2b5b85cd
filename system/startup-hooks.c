/*
 * Start-up registrations of every area (see startup-hooks.h).
 */
#include "qemu/osdep.h"
#include "startup-hooks.h"
#include "system/qtest.h"
#include "monitor/qmp.h"
#include "hw/boards.h"
#include "hw/arm/virt.h"
#include "target/arm/cpu.h"
#include "migration/migration.h"
#include "target/arm/preflight.h"

/* Each accelerator registers itself; the KVM one is a stub off aarch64. */
void tcg_accel_register(void);
void kvm_accel_register(void);

void startup_register_all(void)
{
    kvm_accel_register();
    tcg_accel_register();
    qtest_accel_register();
    qmp_register_system_commands();
    arm_cpu_qmp_register();
    arm_preflight_qmp_register();
    migration_init();
}

void startup_register_vmstate(MachineState *ms)
{
    VirtMachineState *vms = ms->board;

    for (unsigned i = 0; i < arm_cpu_count; i++) {
        arm_cpu_register_vmstate(arm_cpus[i]);
    }
    if (vms && vms->uart) {
        pl011_register_vmstate(vms->uart);
    }
    /* The pre-flight description travels first in the stream (live setup). */
    if (arm_cpu_count) {
        arm_preflight_section_register();
    }
}
