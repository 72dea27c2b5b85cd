/*
 * Interrupts and time across live migration (issue 6): the timer,
 * SGI ping-pong and GICv2 hypervisor-interface guests migrate mid-run
 * under gic-version=2, 2 with the virtualization extensions, and 3.  On
 * the destination the timer keeps firing with no interrupt lost or doubled
 * (the guest compares its tick count with what its counter implies), the
 * counter never goes backwards, and it does not jump forward by more than
 * the wall time that passed (a margin of 100 ms for polling).
 */
#include "qemu/osdep.h"
#include <check.h>
#include "framework.h"

#define WAIT_MS 60000
/* The timer guest ticks at 100 Hz and prints every 100 ticks. */
#define TIMER_HZ 100

static void migrate_now(MigPair *p, const char *uri)
{
    JsonObject *ev;

    mig_fast(p->src);
    mig_qmp_ok(p->src, "{'execute': 'migrate', 'arguments': {'uri': '%s'}}",
               uri);
    g_free(mig_wait_status(p->src, "completed", WAIT_MS));
    ev = qtest_qmp_eventwait(p->dst, "RESUME", 30000);
    ck_assert_msg(ev, "no RESUME on the destination");
    json_object_unref(ev);
}

static void timer_case(const char *machine)
{
    g_autofree char *guest = mig_guest_named("timer-guest");
    g_autofree char *tmp = g_dir_make_tmp("armvm-gic-XXXXXX", NULL);
    g_autofree char *uri = g_strdup_printf("unix:%s/mig.sock", tmp);
    g_autofree char *before = NULL, *after = NULL, *later = NULL;
    MigPair *p;
    int64_t t_before, t_after, exp_delta;

    ck_assert_ptr_nonnull(guest);
    p = mig_pair_new_guest(uri, guest, machine);
    before = mig_wait_lines(p->src_serial, "T ", 1, WAIT_MS);
    t_before = g_get_monotonic_time();
    migrate_now(p, uri);
    after = mig_wait_lines(p->dst_serial, "T ", 1, WAIT_MS);
    t_after = g_get_monotonic_time();
    later = mig_wait_lines(p->dst_serial, "T ", 1, WAIT_MS);

    for (const char *l = after; l; l = (l == after ? later : NULL)) {
        int64_t ticks = mig_line_value(l, "ticks");
        int64_t exp = mig_line_value(l, "exp");
        ck_assert_msg(ticks >= 0 && exp >= 0, "bad line '%s'", l);
        ck_assert_msg(ticks >= exp - 1 && ticks <= exp + 1,
                      "interrupts lost or doubled: %s", l);
        ck_assert_msg(mig_line_value(l, "back") == 0,
                      "counter went backwards: %s", l);
        ck_assert_msg(mig_line_value(l, "spurious") == 0, "spurious: %s", l);
    }
    /* Guest time between the two lines never exceeds the wall time. */
    exp_delta = mig_line_value(after, "exp") - mig_line_value(before, "exp");
    ck_assert_msg(exp_delta * (1000000 / TIMER_HZ) <=
                  (t_after - t_before) + 100000,
                  "guest counter advanced %" PRId64 " us in %" PRId64
                  " us of wall time", exp_delta * (1000000 / TIMER_HZ),
                  t_after - t_before);
    printf("%s: guest time %" PRId64 " ms over %" PRId64 " ms of wall "
           "time across the migration\n", machine,
           exp_delta * (1000 / TIMER_HZ), (t_after - t_before) / 1000);
    mig_pair_free(p);
    {
        g_autofree char *sock = g_strdup_printf("%s/mig.sock", tmp);
        unlink(sock);
        rmdir(tmp);
    }
}

START_TEST(test_timer_gicv2)
{
    timer_case("-M gic-version=2");
}
END_TEST

START_TEST(test_timer_gicv3)
{
    timer_case("-M gic-version=3");
}
END_TEST

START_TEST(test_timer_gicv2_virt_ext)
{
    timer_case("-M gic-version=2 "
               "-global arm_gic.has-virtualization-extensions=on");
}
END_TEST

static void sgi_case(const char *machine)
{
    g_autofree char *guest = mig_guest_named("sgi-pingpong");
    MigPair *p;
    g_autofree char *uri = NULL, *after = NULL, *later = NULL;

    ck_assert_ptr_nonnull(guest);
    p = mig_pair_new_guest("defer", guest, machine);
    uri = mig_listen(p, "mig");
    g_free(mig_wait_lines(p->src_serial, "P ", 1, WAIT_MS));
    migrate_now(p, uri);
    after = mig_wait_lines(p->dst_serial, "P ", 1, WAIT_MS);
    later = mig_wait_lines(p->dst_serial, "P ", 1, WAIT_MS);
    ck_assert_msg(mig_line_value(later, "order_err") == 0, "%s", later);
    /* Every CPU keeps taking part: the rounds advance. */
    ck_assert_int_gt(mig_line_value(later, "rounds"),
                     mig_line_value(after, "rounds"));
    mig_pair_free(p);
}

START_TEST(test_sgi_smp2_gicv3)
{
    sgi_case("-M gic-version=3 -smp 2");
}
END_TEST

START_TEST(test_sgi_smp4_gicv3)
{
    sgi_case("-M gic-version=3 -smp 4");
}
END_TEST

START_TEST(test_sgi_smp2_gicv2)
{
    sgi_case("-M gic-version=2 -smp 2");
}
END_TEST

START_TEST(test_gicv2_hyp_interface)
{
    g_autofree char *guest = mig_guest_named("gicv2-hyp");
    MigPair *p;
    g_autofree char *uri = NULL, *after = NULL, *later = NULL;

    ck_assert_ptr_nonnull(guest);
    p = mig_pair_new_guest("defer", guest, "-M gic-version=2 -global "
                           "arm_gic.has-virtualization-extensions=on");
    uri = mig_listen(p, "mig");
    g_free(mig_wait_lines(p->src_serial, "H ", 1, WAIT_MS));
    migrate_now(p, uri);
    after = mig_wait_lines(p->dst_serial, "H ", 1, WAIT_MS);
    later = mig_wait_lines(p->dst_serial, "H ", 1, WAIT_MS);
    ck_assert_msg(mig_line_value(later, "errors") == 0, "%s", later);
    ck_assert_int_gt(mig_line_value(later, "maint"),
                     mig_line_value(after, "maint"));
    mig_pair_free(p);
}
END_TEST

/*
 * A stream with the extension state into a GIC without the property is
 * refused by the destination; the source keeps running the guest.
 */
START_TEST(test_virt_ext_refused)
{
    g_autofree char *guest = mig_guest_named("gicv2-hyp");
    MigPair *p;
    g_autofree char *uri = NULL;

    ck_assert_ptr_nonnull(guest);
    /* Only the source has the extensions. */
    p = mig_pair_new_mismatch("defer", guest, "-M gic-version=2",
                              "-global arm_gic.has-virtualization-extensions=on");
    uri = mig_listen(p, "mig");
    g_free(mig_wait_lines(p->src_serial, "H ", 1, WAIT_MS));
    mig_fast(p->src);
    mig_qmp_ok(p->src, "{'execute': 'migrate', 'arguments': {'uri': '%s'}}",
               uri);
    mig_wait_failed_source_runs(p, 30000);
    g_free(mig_wait_lines(p->src_serial, "H ", 1, WAIT_MS));
    {
        /* The destination says why, in query-migrate. */
        JsonObject *rsp = qtest_qmp(p->dst, "{'execute': 'query-migrate'}");
        JsonObject *ret = qmp_rsp_return_object(rsp);
        const char *desc = ret && json_object_has_member(ret, "error-desc") ?
                           json_object_get_string_member(ret, "error-desc") :
                           "";
        ck_assert_msg(strstr(desc, "virtualization"), "reason: '%s'", desc);
        json_object_unref(rsp);
    }
    mig_pair_free(p);
}
END_TEST

int main(void)
{
    Suite *s;
    TCase *tc;
    SRunner *sr;
    int failed;
    g_autofree char *timer = mig_guest_named("timer-guest");

    if (!timer) {
        printf("SKIP: guests missing (ARMVM_AB_GUEST=%s); they are built "
               "with gcc-aarch64-linux-gnu\n",
               getenv("ARMVM_AB_GUEST") ? getenv("ARMVM_AB_GUEST") : "");
        return 77;
    }
    s = suite_create("migration-gic");
    tc = tcase_create("gic");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_timer_gicv2);
    tcase_add_test(tc, test_timer_gicv3);
    tcase_add_test(tc, test_timer_gicv2_virt_ext);
    tcase_add_test(tc, test_sgi_smp2_gicv3);
    tcase_add_test(tc, test_sgi_smp4_gicv3);
    tcase_add_test(tc, test_sgi_smp2_gicv2);
    tcase_add_test(tc, test_gicv2_hyp_interface);
    tcase_add_test(tc, test_virt_ext_refused);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
