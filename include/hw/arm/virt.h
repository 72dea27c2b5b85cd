/*
 * The "virt" board: a machine with no real-world counterpart, made for
 * virtual machines, laid out like QEMU's so guests and tools find things
 * where they expect them.
 *
 *   0x0000_0000 +-----------------------------+
 *               | (flash: not emulated)       |
 *   0x0800_0000 +-----------------------------+
 *               | GIC distributor    64 KiB   |
 *   0x0801_0000 | GICv2 CPU interface 64 KiB  |
 *   0x0803_0000 | GICv2 GICH/GICV (virt ext.) |
 *   0x080a_0000 | GICv3 redistributors        |
 *   0x0900_0000 +-----------------------------+
 *               | PL011 UART  4 KiB, SPI 1    |
 *   0x0900_1000 +-----------------------------+
 *               |            ...              |
 *   0x4000_0000 +-----------------------------+
 *               | RAM (-m), DTB at its base   |
 *               | raw kernel at +0x80000      |
 *               | arm64 Image at +2 MiB       |
 *               +-----------------------------+
 */
#ifndef HW_ARM_VIRT_H
#define HW_ARM_VIRT_H

#include "hw/boards.h"
#include "hw/char/pl011.h"

#define VIRT_GIC_DIST_BASE    0x08000000ULL
#define VIRT_GIC_CPU_BASE     0x08010000ULL
#define VIRT_GIC_HYP_BASE     0x08030000ULL
#define VIRT_GIC_VCPU_BASE    0x08040000ULL
#define VIRT_GIC_REDIST_BASE  0x080a0000ULL
#define VIRT_GIC_REDIST_SIZE  0x00f60000ULL
#define VIRT_UART_BASE        0x09000000ULL
#define VIRT_UART_SPI         1
#define VIRT_RAM_BASE         0x40000000ULL
/* RAM may extend to the 256 GiB mark (no highmem layout here). */
#define VIRT_RAM_MAX          (255 * GiB)

/* Generic timer PPIs, as QEMU's virt wires them (INTID = 16 + n). */
#define VIRT_TIMER_S_EL1_PPI  13
#define VIRT_TIMER_NS_EL1_PPI 14
#define VIRT_TIMER_VIRT_PPI   11
#define VIRT_TIMER_NS_EL2_PPI 10

typedef struct VirtMachineState {
    MachineState *ms;
    PL011State *uart;
    void *fdt;
    int fdt_size;
    hwaddr dtb_addr;
    hwaddr kernel_entry;
    hwaddr initrd_start;
    uint64_t initrd_size;
    qemu_irq uart_irq;
} VirtMachineState;

/* hw/arm/virt-fdt.c: build the device tree for ms (libfdt). */
void *virt_fdt_create(VirtMachineState *vms, int *size, Error **errp);
/* hw/arm/boot.c: load -kernel/-initrd/-dtb, place the DTB, set entry. */
bool virt_load_images(VirtMachineState *vms, Error **errp);
/* Point the boot CPU at the kernel (x0 = DTB), others powered off. */
void virt_reset_cpus(VirtMachineState *vms);

#endif
