/*
 * The virt board's device tree (hw/arm/virt-fdt.c): the nodes a guest
 * needs, with the values QEMU's virt uses.
 */
#include "qemu/osdep.h"
#include <check.h>
#include <libfdt.h>
#include "hw/arm/virt.h"

static void *make(MachineState *ms, VirtMachineState *vms, int *size)
{
    memset(vms, 0, sizeof(*vms));
    vms->ms = ms;
    return virt_fdt_create(vms, size, &error_abort);
}

static uint32_t cell(const void *fdt, const char *path, const char *prop,
                     int idx)
{
    int node = fdt_path_offset(fdt, path);
    int len;
    const fdt32_t *p;

    ck_assert_msg(node >= 0, "node %s missing", path);
    p = fdt_getprop(fdt, node, prop, &len);
    ck_assert_msg(p && len >= (idx + 1) * 4, "%s:%s missing", path, prop);
    return fdt32_to_cpu(p[idx]);
}

static const char *str(const void *fdt, const char *path, const char *prop)
{
    int node = fdt_path_offset(fdt, path);
    const char *p = node >= 0 ? fdt_getprop(fdt, node, prop, NULL) : NULL;

    ck_assert_msg(p, "%s:%s missing", path, prop);
    return p;
}

START_TEST(test_nodes)
{
    MachineState ms = { .ram_size = 256 * MiB, .smp_cpus = 2,
                        .cpu_type = (char *)"cortex-a57", .gic_version = 3,
                        .kernel_cmdline = (char *)"console=ttyAMA0" };
    VirtMachineState vms;
    int size;
    void *fdt = make(&ms, &vms, &size);

    ck_assert_int_eq(fdt_check_header(fdt), 0);
    ck_assert_str_eq(str(fdt, "/", "compatible"), "linux,dummy-virt");
    ck_assert_str_eq(str(fdt, "/chosen", "bootargs"), "console=ttyAMA0");
    ck_assert_str_eq(str(fdt, "/chosen", "stdout-path"), "/pl011@9000000");
    /* memory reg = <0 0x40000000 0 256M> */
    ck_assert_uint_eq(cell(fdt, "/memory@40000000", "reg", 1), 0x40000000);
    ck_assert_uint_eq(cell(fdt, "/memory@40000000", "reg", 3), 256 * MiB);
    ck_assert_str_eq(str(fdt, "/cpus/cpu@1", "compatible"), "arm,cortex-a57");
    ck_assert_str_eq(str(fdt, "/cpus/cpu@1", "enable-method"), "psci");
    ck_assert_str_eq(str(fdt, "/psci", "method"), "hvc");
    ck_assert_str_eq(str(fdt, "/psci", "compatible"), "arm,psci-1.0");
    ck_assert_str_eq(str(fdt, "/timer", "compatible"), "arm,armv8-timer");
    /* Virtual timer is the third PPI: INTID 27 = PPI 11. */
    ck_assert_uint_eq(cell(fdt, "/timer", "interrupts", 7), 11);
    ck_assert_str_eq(str(fdt, "/intc@8000000", "compatible"), "arm,gic-v3");
    ck_assert_uint_eq(cell(fdt, "/pl011@9000000", "interrupts", 1), 1);
    ck_assert_uint_eq(cell(fdt, "/pl011@9000000", "reg", 1), 0x09000000);
    g_free(fdt);
}
END_TEST

START_TEST(test_gicv2)
{
    MachineState ms = { .ram_size = 128 * MiB, .smp_cpus = 1,
                        .cpu_type = (char *)"max", .gic_version = 2 };
    VirtMachineState vms;
    int size;
    void *fdt = make(&ms, &vms, &size);

    ck_assert_str_eq(str(fdt, "/intc@8000000", "compatible"),
                     "arm,cortex-a15-gic");
    ck_assert_uint_eq(cell(fdt, "/intc@8000000", "reg", 5), 0x08010000);
    /* GICv2 PPI flags carry the CPU mask: 1 CPU -> 0x100 | level-low. */
    ck_assert_uint_eq(cell(fdt, "/timer", "interrupts", 2), 0x108);
    ck_assert_int_lt(fdt_path_offset(fdt, "/chosen/bootargs"), 0);
    g_free(fdt);

    /* With the virtualization extensions: GICH, GICV and PPI 9. */
    ms.gic_virt_ext = true;
    fdt = make(&ms, &vms, &size);
    ck_assert_uint_eq(cell(fdt, "/intc@8000000", "reg", 9), 0x08030000);
    ck_assert_uint_eq(cell(fdt, "/intc@8000000", "reg", 13), 0x08040000);
    ck_assert_uint_eq(cell(fdt, "/intc@8000000", "interrupts", 1), 9);
    g_free(fdt);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("virt-fdt");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_nodes);
    tcase_add_test(tc, test_gicv2);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
