/*
 * The device tree the virt board hands to the guest (built with libfdt).
 *
 * Bindings: Documentation/devicetree/bindings in Linux (arm/cpus.yaml,
 * arm/psci.yaml, timer/arm,arch_timer.yaml, serial/arm,pl011.yaml,
 * interrupt-controller/arm,gic*.yaml).  Node names and properties are those
 * guests written for QEMU's virt expect (stdout-path, "linux,dummy-virt").
 */
#include "qemu/osdep.h"
#include <libfdt.h>
#include "hw/arm/virt.h"

#define FDT_MAX_SIZE (1 * MiB)

/* GIC interrupt specifier (interrupt-controller/arm,gic.yaml). */
#define GIC_FDT_IRQ_TYPE_SPI 0
#define GIC_FDT_IRQ_TYPE_PPI 1
#define IRQ_TYPE_LEVEL_HIGH 4
#define IRQ_TYPE_LEVEL_LOW 8

enum { PHANDLE_GIC = 1, PHANDLE_CLK = 2 };

typedef struct FdtBuilder {
    void *fdt;
    int err;
} FdtBuilder;

static void chk(FdtBuilder *b, int rc)
{
    if (rc < 0 && !b->err) {
        b->err = rc;
    }
}

static void prop_cells(FdtBuilder *b, const char *name, const uint32_t *cells,
                       int n)
{
    fdt32_t v[16];

    g_assert(n <= 16);
    for (int i = 0; i < n; i++) {
        v[i] = cpu_to_fdt32(cells[i]);
    }
    chk(b, fdt_property(b->fdt, name, v, n * sizeof(fdt32_t)));
}

static void prop_reg64(FdtBuilder *b, uint64_t addr, uint64_t size)
{
    uint32_t c[4] = { addr >> 32, (uint32_t)addr, size >> 32, (uint32_t)size };
    prop_cells(b, "reg", c, 4);
}

static void add_cpus(FdtBuilder *b, MachineState *ms)
{
    chk(b, fdt_begin_node(b->fdt, "cpus"));
    chk(b, fdt_property_u32(b->fdt, "#address-cells", 1));
    chk(b, fdt_property_u32(b->fdt, "#size-cells", 0));
    for (unsigned i = 0; i < ms->smp_cpus; i++) {
        char name[32];
        /* Affinity as the CPUs report it in MPIDR: Aff0 = index. */
        snprintf(name, sizeof(name), "cpu@%x", i);
        chk(b, fdt_begin_node(b->fdt, name));
        chk(b, fdt_property_string(b->fdt, "device_type", "cpu"));
        if (!strcmp(ms->cpu_type, "cortex-a57")) {
            chk(b, fdt_property_string(b->fdt, "compatible", "arm,cortex-a57"));
        } else if (!strcmp(ms->cpu_type, "cortex-a72")) {
            chk(b, fdt_property_string(b->fdt, "compatible", "arm,cortex-a72"));
        } else {
            chk(b, fdt_property_string(b->fdt, "compatible", "arm,armv8"));
        }
        chk(b, fdt_property_u32(b->fdt, "reg", i));
        if (ms->smp_cpus > 1) {
            chk(b, fdt_property_string(b->fdt, "enable-method", "psci"));
        }
        chk(b, fdt_end_node(b->fdt));
    }
    chk(b, fdt_end_node(b->fdt));
}

static void add_psci(FdtBuilder *b)
{
    static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";

    chk(b, fdt_begin_node(b->fdt, "psci"));
    chk(b, fdt_property(b->fdt, "compatible", compat, sizeof(compat)));
    /* No EL2/EL3 in the guest's world: the VMM answers HVC (PSCI 5.2). */
    chk(b, fdt_property_string(b->fdt, "method", "hvc"));
    /* PSCI 0.1 function ids, for old guests (SMC32 CPU_SUSPEND etc.). */
    chk(b, fdt_property_u32(b->fdt, "cpu_suspend", 0xc4000001));
    chk(b, fdt_property_u32(b->fdt, "cpu_off", 0x84000002));
    chk(b, fdt_property_u32(b->fdt, "cpu_on", 0xc4000003));
    chk(b, fdt_property_u32(b->fdt, "migrate", 0xc4000005));
    chk(b, fdt_end_node(b->fdt));
}

static void add_timer(FdtBuilder *b, MachineState *ms)
{
    /* GICv2 PPIs carry a CPU mask in bits [15:8] of the flags cell. */
    uint32_t cpumask = ms->gic_version == 2 ?
                       ((1u << ms->smp_cpus) - 1) << 8 : 0;
    uint32_t flags = cpumask | IRQ_TYPE_LEVEL_LOW;
    uint32_t irqs[12] = {
        GIC_FDT_IRQ_TYPE_PPI, VIRT_TIMER_S_EL1_PPI, flags,
        GIC_FDT_IRQ_TYPE_PPI, VIRT_TIMER_NS_EL1_PPI, flags,
        GIC_FDT_IRQ_TYPE_PPI, VIRT_TIMER_VIRT_PPI, flags,
        GIC_FDT_IRQ_TYPE_PPI, VIRT_TIMER_NS_EL2_PPI, flags,
    };
    static const char compat[] = "arm,armv8-timer\0arm,armv7-timer";

    chk(b, fdt_begin_node(b->fdt, "timer"));
    chk(b, fdt_property(b->fdt, "compatible", compat, sizeof(compat)));
    prop_cells(b, "interrupts", irqs, 12);
    chk(b, fdt_property(b->fdt, "always-on", NULL, 0));
    chk(b, fdt_end_node(b->fdt));
}

static void add_gic(FdtBuilder *b, MachineState *ms)
{
    char name[32];

    snprintf(name, sizeof(name), "intc@%llx", VIRT_GIC_DIST_BASE);
    chk(b, fdt_begin_node(b->fdt, name));
    chk(b, fdt_property_u32(b->fdt, "#interrupt-cells", 3));
    chk(b, fdt_property(b->fdt, "interrupt-controller", NULL, 0));
    chk(b, fdt_property_u32(b->fdt, "#address-cells", 2));
    chk(b, fdt_property_u32(b->fdt, "#size-cells", 2));
    chk(b, fdt_property(b->fdt, "ranges", NULL, 0));
    if (ms->gic_version == 2) {
        /* GICD, GICC, then GICH and GICV with the extensions. */
        uint32_t reg[16] = {
            0, (uint32_t)VIRT_GIC_DIST_BASE, 0, 0x10000,
            0, (uint32_t)VIRT_GIC_CPU_BASE, 0, 0x10000,
            0, (uint32_t)VIRT_GIC_HYP_BASE, 0, 0x10000,
            0, (uint32_t)VIRT_GIC_VCPU_BASE, 0, 0x10000,
        };
        chk(b, fdt_property_string(b->fdt, "compatible", "arm,cortex-a15-gic"));
        prop_cells(b, "reg", reg, ms->gic_virt_ext ? 16 : 8);
        if (ms->gic_virt_ext) {
            /* Maintenance interrupt: PPI 9 (arm,gic.yaml). */
            uint32_t maint[3] = { GIC_FDT_IRQ_TYPE_PPI, 9,
                                  (((1u << ms->smp_cpus) - 1) << 8) |
                                  IRQ_TYPE_LEVEL_HIGH };
            prop_cells(b, "interrupts", maint, 3);
        }
    } else {
        uint64_t redist = (uint64_t)ms->smp_cpus * 0x20000;
        uint32_t reg[8] = {
            0, (uint32_t)VIRT_GIC_DIST_BASE, 0, 0x10000,
            0, (uint32_t)VIRT_GIC_REDIST_BASE, 0, (uint32_t)redist,
        };
        uint32_t maint[3] = { GIC_FDT_IRQ_TYPE_PPI, 9, IRQ_TYPE_LEVEL_HIGH };
        chk(b, fdt_property_string(b->fdt, "compatible", "arm,gic-v3"));
        chk(b, fdt_property_u32(b->fdt, "#redistributor-regions", 1));
        prop_cells(b, "reg", reg, 8);
        prop_cells(b, "interrupts", maint, 3);
    }
    chk(b, fdt_property_u32(b->fdt, "phandle", PHANDLE_GIC));
    chk(b, fdt_end_node(b->fdt));
}

static void add_uart(FdtBuilder *b)
{
    static const char compat[] = "arm,pl011\0arm,primecell";
    static const char clock_names[] = "uartclk\0apb_pclk";
    uint32_t irq[3] = { GIC_FDT_IRQ_TYPE_SPI, VIRT_UART_SPI,
                        IRQ_TYPE_LEVEL_HIGH };
    uint32_t clocks[2] = { PHANDLE_CLK, PHANDLE_CLK };
    char name[32];

    chk(b, fdt_begin_node(b->fdt, "apb-pclk"));
    chk(b, fdt_property_string(b->fdt, "compatible", "fixed-clock"));
    chk(b, fdt_property_u32(b->fdt, "#clock-cells", 0));
    chk(b, fdt_property_u32(b->fdt, "clock-frequency", 24000000));
    chk(b, fdt_property_string(b->fdt, "clock-output-names", "clk24mhz"));
    chk(b, fdt_property_u32(b->fdt, "phandle", PHANDLE_CLK));
    chk(b, fdt_end_node(b->fdt));

    snprintf(name, sizeof(name), "pl011@%llx", VIRT_UART_BASE);
    chk(b, fdt_begin_node(b->fdt, name));
    chk(b, fdt_property(b->fdt, "compatible", compat, sizeof(compat)));
    prop_reg64(b, VIRT_UART_BASE, PL011_MMIO_SIZE);
    prop_cells(b, "interrupts", irq, 3);
    prop_cells(b, "clocks", clocks, 2);
    chk(b, fdt_property(b->fdt, "clock-names", clock_names,
                        sizeof(clock_names)));
    chk(b, fdt_end_node(b->fdt));
}

void *virt_fdt_create(VirtMachineState *vms, int *size, Error **errp)
{
    MachineState *ms = vms->ms;
    FdtBuilder b = { .fdt = g_malloc0(FDT_MAX_SIZE) };
    char name[64];

    chk(&b, fdt_create(b.fdt, FDT_MAX_SIZE));
    chk(&b, fdt_finish_reservemap(b.fdt));
    chk(&b, fdt_begin_node(b.fdt, ""));
    chk(&b, fdt_property_string(b.fdt, "compatible", "linux,dummy-virt"));
    chk(&b, fdt_property_string(b.fdt, "model", "linux,dummy-virt"));
    chk(&b, fdt_property_u32(b.fdt, "#address-cells", 2));
    chk(&b, fdt_property_u32(b.fdt, "#size-cells", 2));
    chk(&b, fdt_property_u32(b.fdt, "interrupt-parent", PHANDLE_GIC));

    chk(&b, fdt_begin_node(b.fdt, "chosen"));
    snprintf(name, sizeof(name), "/pl011@%llx", VIRT_UART_BASE);
    chk(&b, fdt_property_string(b.fdt, "stdout-path", name));
    if (ms->kernel_cmdline) {
        chk(&b, fdt_property_string(b.fdt, "bootargs", ms->kernel_cmdline));
    }
    if (vms->initrd_size) {
        chk(&b, fdt_property_u64(b.fdt, "linux,initrd-start",
                                 vms->initrd_start));
        chk(&b, fdt_property_u64(b.fdt, "linux,initrd-end",
                                 vms->initrd_start + vms->initrd_size));
    }
    chk(&b, fdt_end_node(b.fdt));

    snprintf(name, sizeof(name), "memory@%llx", VIRT_RAM_BASE);
    chk(&b, fdt_begin_node(b.fdt, name));
    chk(&b, fdt_property_string(b.fdt, "device_type", "memory"));
    prop_reg64(&b, VIRT_RAM_BASE, ms->ram_size);
    chk(&b, fdt_end_node(b.fdt));

    add_cpus(&b, ms);
    add_psci(&b);
    add_timer(&b, ms);
    add_gic(&b, ms);
    add_uart(&b);

    chk(&b, fdt_end_node(b.fdt));
    chk(&b, fdt_finish(b.fdt));
    if (b.err) {
        error_setg(errp, "device tree: %s", fdt_strerror(b.err));
        g_free(b.fdt);
        return NULL;
    }
    *size = fdt_totalsize(b.fdt);
    return b.fdt;
}
