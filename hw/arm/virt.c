/*
 * The virt board: RAM, the PL011, the CPUs and the boot images.
 * The memory map is drawn in include/hw/arm/virt.h.
 *
 * Machine types are versioned like QEMU's: "virt-7.2" describes the device
 * set and migration layout of this release, and "virt" is an alias for the
 * newest.  A new release that changes guest-visible state adds a new
 * versioned type and keeps the old ones loading old streams (BRIEF idea 3).
 */
#include "qemu/osdep.h"
#include "hw/arm/virt.h"
#include "system/runstate.h"
#include "target/arm/cpu.h"
#include "hw/intc/virt-intc.h"

MachineState *current_machine;

static void virt_reset(void *opaque)
{
    VirtMachineState *vms = opaque;

    pl011_reset(vms->uart);
    /* Images are reloaded: the guest may have overwritten them. */
    virt_load_images(vms, &error_abort);
    virt_reset_cpus(vms);
    virt_intc_reset();
}

static bool virt_create_cpus(MachineState *ms, Error **errp)
{
    for (unsigned i = 0; i < ms->smp_cpus; i++) {
        ARMCPU *cpu = arm_cpu_new(ms->cpu_type, ms->cpu_props, i, errp);
        if (!cpu) {
            return false;
        }
        arm_cpus[i] = cpu;
        arm_cpu_count = i + 1;
    }
    return true;
}

static bool virt_init(MachineState *ms, Error **errp)
{
    VirtMachineState *vms = g_new0(VirtMachineState, 1);

    vms->ms = ms;
    ms->board = vms;
    if (ms->ram_size > VIRT_RAM_MAX) {
        error_setg(errp, "-m: %" PRIu64 " MiB is more than the virt board's "
                   "%" PRIu64 " MiB of RAM space", ms->ram_size / MiB,
                   VIRT_RAM_MAX / MiB);
        return false;
    }
    if (ms->smp_cpus > ARM_MAX_CPUS) {
        error_setg(errp, "-smp %u: the virt board supports at most %d CPUs",
                   ms->smp_cpus, ARM_MAX_CPUS);
        return false;
    }
    if (ms->gic_version == 2 && ms->smp_cpus > 8) {
        error_setg(errp, "gic-version=2 supports at most 8 CPUs");
        return false;
    }
    if (!ms->ram) {
        ms->ram = memory_region_new_ram("mach-virt.ram", ms->ram_size, errp);
        if (!ms->ram) {
            return false;
        }
    }
    if (!address_space_map_region(&address_space_memory, ms->ram,
                                  VIRT_RAM_BASE, errp)) {
        return false;
    }
    /* CPUs first: the GIC and timers attach to them, devices to the GIC. */
    if (!virt_create_cpus(ms, errp)) {
        return false;
    }
    if (!virt_intc_create(ms, ms->gic_version, ms->gic_virt_ext, errp)) {
        return false;
    }
    for (unsigned i = 0; i < arm_cpu_count; i++) {
        /* ID_AA64PFR0_EL1.GIC advertises the system-register interface. */
        arm_cpu_set_gic_sysregs(arm_cpus[i], ms->gic_version == 3);
    }
    vms->uart_irq = virt_intc_spi(VIRT_UART_SPI);
    vms->uart = pl011_create(VIRT_UART_BASE, ms->serial, vms->uart_irq, errp);
    if (!vms->uart) {
        return false;
    }
    if (!virt_load_images(vms, errp)) {
        return false;
    }
    if (ms->dumpdtb_filename) {
        GError *gerr = NULL;
        if (!g_file_set_contents(ms->dumpdtb_filename, vms->fdt,
                                 vms->fdt_size, &gerr)) {
            error_setg(errp, "dumpdtb: %s", gerr->message);
            g_error_free(gerr);
            return false;
        }
        exit(0);
    }
    virt_reset_cpus(vms);
    qemu_register_reset(virt_reset, vms);
    return true;
}

/*
 * "none": no devices, no CPUs; RAM only if -m was given.  Management tools
 * and QEMU's test harness start it to probe a binary's capabilities.
 */
static bool none_init(MachineState *ms, Error **errp)
{
    return true;
}

static const MachineClass virt_7_2 = {
    .name = "virt-7.2",
    .alias = "virt",
    .desc = "ARM Virtual Machine (state layout of this release)",
    .max_cpus = ARM_MAX_CPUS,
    .default_cpu_type = "cortex-a57",   /* QEMU: cortex-a15; see docs */
    .default_ram_size = 128 * MiB,
    .init = virt_init,
};

static const MachineClass machine_none = {
    .name = "none",
    .desc = "empty machine",
    .max_cpus = 1,
    .default_ram_size = 0,
    .init = none_init,
};

static const MachineClass *const machines[] = {
    &virt_7_2,
    &machine_none,
    NULL,
};

const MachineClass *const *machine_list(void)
{
    return machines;
}

const MachineClass *machine_find(const char *name)
{
    for (int i = 0; machines[i]; i++) {
        if (!strcmp(machines[i]->name, name) ||
            (machines[i]->alias && !strcmp(machines[i]->alias, name))) {
            return machines[i];
        }
    }
    return NULL;
}
