/*
 * The generic timer device (hw/timer/arm-gtimer.c) under the qtest clock:
 * counter scaling and offsets, timer firing, masking, TVAL through the
 * register table, and the "arm-gtimer" section (bytes pinned, counter
 * continuity across a save/load, frequency mismatch refused).
 */
#include "qemu/osdep.h"
#include <check.h>
#include "hw/timer/arm-gtimer.h"
#include "migration/vmstate.h"
#include "cpregs.h"
#include "hw/intc/virt-intc.h"
#include "system/runstate.h"

static ARMCPU *cpu;
static int line_level[GTIMER_NUM];

static void line_handler(void *opaque, int n, int level)
{
    line_level[n] = level;
}

static qemu_irq lines[GTIMER_NUM];

static void setup(void)
{
    qemu_clock_use_qtest();
    cpu = arm_cpu_new("max", NULL, 0, &error_abort);
    arm_cpus[0] = cpu;
    arm_cpu_count = 1;
    ck_assert(arm_gtimer_init(&error_abort));
    for (int t = 0; t < GTIMER_NUM; t++) {
        lines[t] = qemu_allocate_irq(line_handler, NULL, t);
        arm_gtimer_connect(0, t, lines[t]);
        line_level[t] = -1;
    }
}

static void teardown(void)
{
    arm_gtimer_cleanup();
    vmstate_unregister_all();
    for (int t = 0; t < GTIMER_NUM; t++) {
        g_free(lines[t]);
        lines[t] = NULL;
    }
}

START_TEST(test_count_scaling)
{
    qemu_clock_qtest_set(1000000000);            /* 1 s */
    ck_assert_uint_eq(gtimer_read_count(cpu, GTIMER_PHYS), 62500000);
    cpu->env.sys.cntvoff_el2 = 100;
    ck_assert_uint_eq(gtimer_read_count(cpu, GTIMER_VIRT), 62499900);
    /* The register table reads the same counter through its hook. */
    ck_assert_uint_eq(arm_cpu_cntpct(cpu), 62500000);
    ck_assert_uint_eq(arm_cpu_cntvct(cpu), 62499900);
    /* 16 ns per tick: 15 ns later the count has not moved. */
    qemu_clock_qtest_set(1000000015);
    ck_assert_uint_eq(gtimer_read_count(cpu, GTIMER_PHYS), 62500000);
    qemu_clock_qtest_set(1000000016);
    ck_assert_uint_eq(gtimer_read_count(cpu, GTIMER_PHYS), 62500001);
}
END_TEST

START_TEST(test_set_count_offset)
{
    qemu_clock_qtest_set(2000);
    arm_gtimer_set_count(0x123456789ull);
    ck_assert_uint_eq(gtimer_read_count(cpu, GTIMER_PHYS), 0x123456789ull);
    qemu_clock_qtest_set(2000 + 1600);           /* 100 ticks */
    ck_assert_uint_eq(gtimer_read_count(cpu, GTIMER_PHYS),
                      0x123456789ull + 100);
}
END_TEST

START_TEST(test_virtual_timer_fires)
{
    qemu_clock_qtest_set(1000);
    uint64_t now = gtimer_read_count(cpu, GTIMER_VIRT);

    cpu->env.sys.cnt_cval[GTIMER_VIRT] = now + 625;   /* 10 us */
    cpu->env.sys.cnt_ctl[GTIMER_VIRT] = 1;
    gtimer_ctl_cval_changed(cpu, GTIMER_VIRT);
    ck_assert_int_eq(line_level[GTIMER_VIRT], 0);
    ck_assert(timer_pending(arm_gtimer_qemu_timer(0, GTIMER_VIRT)));
    ck_assert_int_ge(cpu->gt_timer_expire[GTIMER_VIRT], 1000);

    qemu_clock_qtest_set(1000 + 9999);
    ck_assert_int_eq(line_level[GTIMER_VIRT], 0);
    qemu_clock_qtest_set(1000 + 10000);
    ck_assert_int_eq(line_level[GTIMER_VIRT], 1);
    ck_assert(arm_gtimer_output(0, GTIMER_VIRT));
    ck_assert_int_eq(cpu->gt_timer_expire[GTIMER_VIRT], -1);
    /* ISTATUS through the register table. */
    uint64_t ctl;
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_CNTV_CTL_EL0, &ctl), 0);
    ck_assert_uint_eq(ctl, 5);

    /* IMASK lowers the line but the condition stays met. */
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_CNTV_CTL_EL0, 3), 0);
    ck_assert_int_eq(line_level[GTIMER_VIRT], 0);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_CNTV_CTL_EL0, &ctl), 0);
    ck_assert_uint_eq(ctl, 7);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_CNTV_CTL_EL0, 1), 0);
    ck_assert_int_eq(line_level[GTIMER_VIRT], 1);
    /* Moving CVAL into the future lowers it and re-arms. */
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_CNTV_CVAL_EL0, now + 10000),
                     0);
    ck_assert_int_eq(line_level[GTIMER_VIRT], 0);
    ck_assert(timer_pending(arm_gtimer_qemu_timer(0, GTIMER_VIRT)));
    /* Disabling stops it. */
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_CNTV_CTL_EL0, 0), 0);
    ck_assert(!timer_pending(arm_gtimer_qemu_timer(0, GTIMER_VIRT)));
    qemu_clock_qtest_set(1000000);
    ck_assert_int_eq(line_level[GTIMER_VIRT], 0);
    /* The physical timer's line never moved. */
    ck_assert_int_ne(line_level[GTIMER_PHYS], 1);
}
END_TEST

START_TEST(test_tval_signed)
{
    uint64_t v;

    qemu_clock_qtest_set(16000);                   /* count 1000 */
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_CNTP_CTL_EL0, 1), 0);
    /* TVAL write: CVAL = count + sign-extended 32-bit value. */
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_CNTP_TVAL_EL0, 500), 0);
    ck_assert_uint_eq(cpu->env.sys.cnt_cval[GTIMER_PHYS], 1500);
    ck_assert_int_eq(line_level[GTIMER_PHYS], 0);
    qemu_clock_qtest_set(16000 + 500 * 16);
    ck_assert_int_eq(line_level[GTIMER_PHYS], 1);
    /* TVAL read after expiry is negative (CVAL - count, 32 bits). */
    qemu_clock_qtest_set(16000 + 510 * 16);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_CNTP_TVAL_EL0, &v), 0);
    ck_assert_uint_eq(v, (uint32_t)-10);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_CNTP_TVAL_EL0, 0xffffff00u),
                     0);
    ck_assert_uint_eq(cpu->env.sys.cnt_cval[GTIMER_PHYS], 1510 - 256);
    ck_assert_int_eq(line_level[GTIMER_PHYS], 1);
}
END_TEST

static uint8_t *save_section(size_t *len)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    Error *err = NULL;
    uint8_t *buf;

    ck_assert(vmstate_save_state(f, &vmstate_arm_gtimer,
                                   arm_gtimer_vmstate_opaque(), NULL, &err));
    buf = qemu_file_mem_steal(f, len);
    qemu_fclose(f);
    return buf;
}

START_TEST(test_section_bytes_and_continuity)
{
    size_t len;
    static const uint8_t expect[12] = {
        0, 0, 0, 0, 0x07, 0x73, 0x59, 0x40,      /* count 125000000 */
        0x03, 0xb9, 0xac, 0xa0,                  /* 62500000 Hz */
    };

    qemu_clock_qtest_set(2000000000);            /* 2 s */
    cpu->env.sys.cnt_cval[GTIMER_VIRT] = 125000000 + 62500;   /* +1 ms */
    cpu->env.sys.cnt_ctl[GTIMER_VIRT] = 1;
    gtimer_ctl_cval_changed(cpu, GTIMER_VIRT);
    g_autofree uint8_t *buf = save_section(&len);
    ck_assert_uint_eq(len, 12);
    ck_assert_mem_eq(buf, expect, 12);

    /*
     * Destination: a fresh timer on a clock 5 s ahead.  The count resumes
     * exactly where the source stopped: no jump, never backwards.
     */
    arm_gtimer_cleanup();
    ck_assert(arm_gtimer_init(&error_abort));
    arm_gtimer_connect(0, GTIMER_VIRT, lines[GTIMER_VIRT]);
    line_level[GTIMER_VIRT] = -1;
    qemu_clock_qtest_set(7000000000);
    QEMUFile *r = qemu_file_new_mem_reader(buf, len);
    Error *err = NULL;
    ck_assert(vmstate_load_state(r, &vmstate_arm_gtimer,
                                   arm_gtimer_vmstate_opaque(), 1, &err));
    qemu_fclose(r);
    ck_assert_uint_eq(gtimer_read_count(cpu, GTIMER_PHYS), 125000000);
    /* The loaded timer still fires 1 ms of guest time later. */
    ck_assert_int_eq(line_level[GTIMER_VIRT], 0);
    qemu_clock_qtest_set(7000000000 + 999999);
    ck_assert_int_eq(line_level[GTIMER_VIRT], 0);
    qemu_clock_qtest_set(7000000000 + 1000000);
    ck_assert_int_eq(line_level[GTIMER_VIRT], 1);
}
END_TEST

/*
 * If another section moves the virtual clock after ours was loaded (QEMU's
 * "timer" section does), the count is put back when the guest starts.
 */
START_TEST(test_count_reapplied_on_start)
{
    size_t len;
    Error *err = NULL;

    qemu_clock_qtest_set(1000000000);
    g_autofree uint8_t *buf = save_section(&len);
    arm_gtimer_cleanup();
    ck_assert(arm_gtimer_init(&error_abort));
    qemu_clock_qtest_set(7000000000);
    QEMUFile *r = qemu_file_new_mem_reader(buf, len);
    ck_assert(vmstate_load_state(r, &vmstate_arm_gtimer,
                                 arm_gtimer_vmstate_opaque(), 1, &err));
    qemu_fclose(r);
    ck_assert_uint_eq(gtimer_read_count(cpu, GTIMER_PHYS), 62500000);
    qemu_clock_qtest_set(9000000000);
    ck_assert_uint_ne(gtimer_read_count(cpu, GTIMER_PHYS), 62500000);
    vm_start();
    ck_assert_uint_eq(gtimer_read_count(cpu, GTIMER_PHYS), 62500000);
    /* Only once: a later stop/start does not rewind the counter. */
    qemu_clock_qtest_set(9000000016);
    vm_stop(RUN_STATE_PAUSED);
    vm_start();
    ck_assert_uint_eq(gtimer_read_count(cpu, GTIMER_PHYS), 62500001);
}
END_TEST

START_TEST(test_section_frequency_mismatch)
{
    size_t len;
    g_autofree uint8_t *buf = save_section(&len);
    Error *err = NULL;

    cpu->cntfrq_hz = 1000000000;
    QEMUFile *r = qemu_file_new_mem_reader(buf, len);
    ck_assert(!vmstate_load_state(r, &vmstate_arm_gtimer,
                                   arm_gtimer_vmstate_opaque(), 1, &err));
    qemu_fclose(r);
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "62500000 Hz"));
    ck_assert_ptr_null(strchr(error_get_pretty(err), '\n'));
    error_free(err);
}
END_TEST

START_TEST(test_section_truncated)
{
    size_t len;
    g_autofree uint8_t *buf = save_section(&len);
    Error *err = NULL;

    QEMUFile *r = qemu_file_new_mem_reader(buf, 7);
    ck_assert(!vmstate_load_state(r, &vmstate_arm_gtimer,
                                   arm_gtimer_vmstate_opaque(), 1, &err));
    qemu_fclose(r);
    ck_assert_ptr_nonnull(err);
    error_free(err);
}
END_TEST

/* The board wiring: timer -> GIC PPI -> vCPU IRQ line, both GICs. */
static void wired_machine(int version)
{
    MachineState ms = { .smp_cpus = 1, .accel = "qtest" };
    uint64_t v;

    qemu_clock_use_qtest();
    cpu = arm_cpu_new("max", NULL, 0, &error_abort);
    arm_cpus[0] = cpu;
    arm_cpu_count = 1;
    ck_assert(virt_intc_create(&ms, version, false, &error_abort));
    if (version == 2) {
        GICState *g = virt_intc_gicv2();
        ck_assert_ptr_nonnull(g);
        g->ctlr = 1;
        g->cpu_ctlr[0] = 1;
        g->priority_mask[0] = 0xff;
        g->irq_state[GTIMER_INTID_VIRT].enabled = 1;
    } else {
        GICv3State *g = virt_intc_gicv3();
        ck_assert_ptr_nonnull(g);
        ck_assert(gicv3_icc_write(g, 0, ICC_PMR_EL1, 0xff));
        ck_assert(gicv3_icc_write(g, 0, ICC_IGRPEN1_EL1, 1));
        ck_assert_int_eq(address_space_st(&address_space_memory,
                                          0x08000000, 4, 2), MEMTX_OK);
        ck_assert_int_eq(address_space_st(&address_space_memory,
                                          0x080a0000 + 0x10080, 4,
                                          1u << GTIMER_INTID_VIRT), MEMTX_OK);
        ck_assert_int_eq(address_space_st(&address_space_memory,
                                          0x080a0000 + 0x10100, 4,
                                          1u << GTIMER_INTID_VIRT), MEMTX_OK);
    }
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_CNTV_TVAL_EL0, 62500), 0);
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_CNTV_CTL_EL0, 1), 0);
    qemu_clock_qtest_set(999999);
    ck_assert_uint_eq(cpu->env.interrupt_request & CPU_INTERRUPT_HARD, 0);
    qemu_clock_qtest_set(1000000);
    ck_assert_uint_eq(cpu->env.interrupt_request & CPU_INTERRUPT_HARD,
                      CPU_INTERRUPT_HARD);
    /* The guest's handler masks the timer: the level drops. */
    ck_assert_int_eq(arm_cpreg_msr(cpu, SYSREG_CNTV_CTL_EL0, 3), 0);
    ck_assert_uint_eq(cpu->env.interrupt_request & CPU_INTERRUPT_HARD, 0);
    ck_assert_int_eq(arm_cpreg_mrs(cpu, SYSREG_CNTV_CTL_EL0, &v), 0);
    ck_assert_uint_eq(v, 7);
}

START_TEST(test_wired_gicv2)
{
    wired_machine(2);
}
END_TEST

START_TEST(test_wired_gicv3)
{
    wired_machine(3);
}
END_TEST

START_TEST(test_virt_ext_refusals)
{
    MachineState kvm = { .smp_cpus = 1, .accel = "kvm" };
    MachineState tcg = { .smp_cpus = 1, .accel = "tcg" };
    Error *err = NULL;

    ck_assert(!virt_intc_create(&kvm, 2, true, &err));
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "in-kernel"));
    error_free(err);
    err = NULL;
    ck_assert(!virt_intc_create(&tcg, 3, true, &err));
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "gic-version=2"));
    error_free(err);
    err = NULL;
    ck_assert(!virt_intc_create(&tcg, 4, false, &err));
    error_free(err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gtimer");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_count_scaling);
    tcase_add_test(tc, test_set_count_offset);
    tcase_add_test(tc, test_virtual_timer_fires);
    tcase_add_test(tc, test_tval_signed);
    tcase_add_test(tc, test_section_bytes_and_continuity);
    tcase_add_test(tc, test_count_reapplied_on_start);
    tcase_add_test(tc, test_section_frequency_mismatch);
    tcase_add_test(tc, test_section_truncated);
    suite_add_tcase(s, tc);
    TCase *wired = tcase_create("wired");
    tcase_add_test(wired, test_wired_gicv2);
    tcase_add_test(wired, test_wired_gicv3);
    tcase_add_test(wired, test_virt_ext_refusals);
    suite_add_tcase(s, wired);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
