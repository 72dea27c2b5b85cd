/*
 * The qtest accelerator: a machine with no executing vCPUs.
 *
 * The board still creates its ARMCPU objects (query-cpus-fast lists them,
 * as QEMU's does under qtest), but nothing runs guest code: the test drives
 * memory over the qtest protocol, and the virtual clock moves only on
 * clock_step/clock_set (include/qemu/timer.h, qemu_clock_use_qtest).
 */
#include "qemu/osdep.h"
#include "system/cpus.h"
#include "system/qtest.h"
#include "qemu/timer.h"
#include "hw/boards.h"
#include "cpu.h"

static bool qtest_accel_available(void)
{
    return true;   /* needs nothing from the host */
}

static bool qtest_accel_init_vcpus(MachineState *ms, Error **errp)
{
    qemu_clock_use_qtest();
    return true;
}

static unsigned qtest_accel_nr_vcpus(void)
{
    return arm_cpu_count;
}

static int qtest_accel_vcpu_thread_id(unsigned index)
{
    /* No vCPU threads: report the main thread, which serves the protocol. */
    return getpid();
}

static const AccelOps qtest_accel_ops = {
    .name = "qtest",
    .available = qtest_accel_available,
    .init_vcpus = qtest_accel_init_vcpus,
    .nr_vcpus = qtest_accel_nr_vcpus,
    .vcpu_thread_id = qtest_accel_vcpu_thread_id,
    /* resume/pause/kick/synchronize: nothing runs, nothing to do. */
};

void qtest_accel_register(void)
{
    if (!accel_find("qtest")) {
        accel_register(&qtest_accel_ops);
    }
}

bool qtest_enabled(void)
{
    return current_accel() == &qtest_accel_ops;
}
