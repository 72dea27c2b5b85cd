/*
 * Direct kernel boot for the virt board: -kernel, -initrd, -dtb.
 *
 * An arm64 Linux "Image" (Documentation/arch/arm64/booting.rst) carries a
 * 64-byte header with its text offset and size; it is loaded at a 2 MiB
 * aligned base plus that offset.  Anything else is a raw binary loaded at
 * RAM base + 0x80000, which is where QEMU puts it and where bare-metal
 * test guests are linked.  The DTB goes at the base of RAM.
 *
 * Instead of a bootloader stub in flash, the boot CPU's registers are set
 * directly (x0 = DTB address, PC = entry, EL1h, MMU off, DAIF masked), which
 * is the state booting.rst asks for and works the same under KVM.
 */
#include "qemu/osdep.h"
#include <libfdt.h>
#include "hw/arm/virt.h"
#include "target/arm/cpu.h"

#define RAW_KERNEL_OFFSET 0x80000
#define IMAGE_BASE_OFFSET (2 * MiB)
#define ARM64_IMAGE_MAGIC 0x644d5241u    /* "ARM\x64" */
#define MAX_IMAGE_FILE (512 * MiB)

static bool load_file(const char *what, const char *path, gchar **data,
                      gsize *len, Error **errp)
{
    GError *gerr = NULL;

    if (!g_file_get_contents(path, data, len, &gerr)) {
        error_setg(errp, "%s: cannot read '%s': %s", what, path, gerr->message);
        g_error_free(gerr);
        return false;
    }
    if (*len > MAX_IMAGE_FILE) {
        error_setg(errp, "%s: '%s' is larger than %" PRIu64 " MiB", what, path,
                   MAX_IMAGE_FILE / MiB);
        g_free(*data);
        return false;
    }
    return true;
}

static bool place(VirtMachineState *vms, const char *what, hwaddr addr,
                  const void *data, uint64_t len, Error **errp)
{
    uint64_t ram_end = VIRT_RAM_BASE + vms->ms->ram_size;

    if (addr < VIRT_RAM_BASE || len > ram_end - addr) {
        error_setg(errp, "%s (%" PRIu64 " bytes at 0x%" HWADDR_PRIx
                   ") does not fit in %" PRIu64 " MiB of RAM", what, len, addr,
                   vms->ms->ram_size / MiB);
        return false;
    }
    address_space_write_rom(&address_space_memory, addr, data, len);
    return true;
}

/* Returns the end of the loaded kernel. */
static bool load_kernel(VirtMachineState *vms, hwaddr *end, Error **errp)
{
    g_autofree gchar *data = NULL;
    gsize len;
    hwaddr load;

    if (!load_file("-kernel", vms->ms->kernel_filename, &data, &len, errp)) {
        return false;
    }
    if (len >= 64 && *(uint32_t *)(data + 56) == ARM64_IMAGE_MAGIC) {
        uint64_t text_offset = *(uint64_t *)(data + 8);
        uint64_t image_size = *(uint64_t *)(data + 16);
        if (text_offset > 64 * MiB) {
            error_setg(errp, "-kernel: Image text_offset 0x%" PRIx64
                       " is implausible", text_offset);
            return false;
        }
        load = VIRT_RAM_BASE + IMAGE_BASE_OFFSET + text_offset;
        *end = load + MAX(image_size, (uint64_t)len);
    } else {
        load = VIRT_RAM_BASE + RAW_KERNEL_OFFSET;
        *end = load + len;
    }
    vms->kernel_entry = load;
    return place(vms, "-kernel", load, data, len, errp);
}

static bool patch_user_dtb(VirtMachineState *vms, Error **errp)
{
    MachineState *ms = vms->ms;
    int chosen, rc = 0;

    chosen = fdt_path_offset(vms->fdt, "/chosen");
    if (chosen < 0) {
        chosen = fdt_add_subnode(vms->fdt, 0, "chosen");
    }
    if (chosen >= 0 && ms->kernel_cmdline) {
        rc = fdt_setprop_string(vms->fdt, chosen, "bootargs",
                                ms->kernel_cmdline);
    }
    if (chosen >= 0 && rc == 0 && vms->initrd_size) {
        rc = fdt_setprop_u64(vms->fdt, chosen, "linux,initrd-start",
                             vms->initrd_start);
        if (rc == 0) {
            rc = fdt_setprop_u64(vms->fdt, chosen, "linux,initrd-end",
                                 vms->initrd_start + vms->initrd_size);
        }
    }
    if (chosen < 0 || rc < 0) {
        error_setg(errp, "-dtb: cannot update /chosen: %s",
                   fdt_strerror(chosen < 0 ? chosen : rc));
        return false;
    }
    fdt_pack(vms->fdt);
    vms->fdt_size = fdt_totalsize(vms->fdt);
    return true;
}

static bool load_user_dtb(VirtMachineState *vms, Error **errp)
{
    gchar *data;
    gsize len;
    int rc;

    if (!load_file("-dtb", vms->ms->dtb_filename, &data, &len, errp)) {
        return false;
    }
    rc = fdt_check_header(data);
    if (rc || fdt_totalsize(data) > len || len > 16 * MiB) {
        error_setg(errp, "-dtb: '%s' is not a valid device tree blob",
                   vms->ms->dtb_filename);
        g_free(data);
        return false;
    }
    /* Room for the properties we add. */
    vms->fdt = g_malloc0(len + 4096);
    fdt_open_into(data, vms->fdt, len + 4096);
    g_free(data);
    return patch_user_dtb(vms, errp);
}

bool virt_load_images(VirtMachineState *vms, Error **errp)
{
    MachineState *ms = vms->ms;
    hwaddr kernel_end = VIRT_RAM_BASE + IMAGE_BASE_OFFSET;

    if (ms->kernel_filename && !load_kernel(vms, &kernel_end, errp)) {
        return false;
    }
    if (ms->initrd_filename) {
        g_autofree gchar *data = NULL;
        gsize len;
        if (!ms->kernel_filename) {
            error_setg(errp, "-initrd needs -kernel");
            return false;
        }
        if (!load_file("-initrd", ms->initrd_filename, &data, &len, errp)) {
            return false;
        }
        vms->initrd_start = QEMU_ALIGN_UP(kernel_end, 2 * MiB);
        vms->initrd_size = len;
        if (!place(vms, "-initrd", vms->initrd_start, data, len, errp)) {
            return false;
        }
    }
    /* On reset the tree is rebuilt: drop the previous one. */
    g_free(vms->fdt);
    vms->fdt = NULL;
    if (ms->dtb_filename) {
        if (!load_user_dtb(vms, errp)) {
            return false;
        }
    } else {
        vms->fdt = virt_fdt_create(vms, &vms->fdt_size, errp);
        if (!vms->fdt) {
            return false;
        }
    }
    vms->dtb_addr = VIRT_RAM_BASE;
    if (ms->kernel_filename &&
        vms->dtb_addr + vms->fdt_size > MIN(vms->kernel_entry,
                                            VIRT_RAM_BASE + RAW_KERNEL_OFFSET)) {
        error_setg(errp, "device tree (%d bytes) does not fit below the kernel",
                   vms->fdt_size);
        return false;
    }
    return place(vms, "device tree", vms->dtb_addr, vms->fdt, vms->fdt_size,
                 errp);
}

void virt_reset_cpus(VirtMachineState *vms)
{
    for (unsigned i = 0; i < arm_cpu_count; i++) {
        ARMCPU *cpu = arm_cpus[i];
        CPUARMState *env = &cpu->env;

        arm_cpu_reset(cpu);
        if (i == 0) {
            /* booting.rst: x0 = DTB, x1-x3 = 0, EL1h, DAIF masked. */
            env->xregs[0] = vms->dtb_addr;
            env->pc = vms->ms->kernel_filename ? vms->kernel_entry :
                      VIRT_RAM_BASE;
            env->pstate = PSTATE_DAIF | (1u << PSTATE_EL_SHIFT) | PSTATE_SP;
            env->power_state = PSCI_ON;
            env->halted = 0;
        } else {
            /* Secondaries wait for PSCI CPU_ON. */
            env->power_state = PSCI_OFF;
            env->halted = 1;
        }
    }
}
