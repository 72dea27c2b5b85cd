/*
 * The migration matrix over real sockets and processes: the A/B guest moves
 * live between two instances over every transport, and every failure leaves
 * the source running (BRIEF 5; facts 4.4 for the flows).
 */
#include "qemu/osdep.h"
#include <check.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include "framework.h"

#define COMPLETE_MS 120000

/* Live precopy, QEMU's flow: start slow, see progress, then let it finish. */
static void migrate_live(MigPair *p, const char *uri)
{
    g_autofree char *st = NULL;
    g_autofree char *dst_state = NULL;
    JsonObject *ev;

    mig_wait_for_serial_b(p->src_serial, 30000);
    mig_slow(p->src);
    mig_qmp_ok(p->src, "{'execute': 'migrate', 'arguments': {'uri': '%s'}}",
               uri);
    g_free(mig_wait_status(p->src, "active", 30000));
    /* The source guest keeps running while RAM is copied. */
    mig_wait_for_serial_b(p->src_serial, 30000);
    mig_fast(p->src);
    st = mig_wait_status(p->src, "completed", COMPLETE_MS);
    ev = qtest_qmp_eventwait(p->src, "STOP", 30000);
    ck_assert_msg(ev, "no STOP event on the source");
    json_object_unref(ev);
    ev = qtest_qmp_eventwait(p->dst, "RESUME", 30000);
    ck_assert_msg(ev, "no RESUME event on the destination");
    json_object_unref(ev);
    dst_state = mig_runstate(p->dst);
    ck_assert_str_eq(dst_state, "running");
    g_free(mig_runstate(p->src));
}

START_TEST(test_precopy_unix)
{
    MigPair *p;
    g_autofree char *uri = NULL;
    g_autofree char *tmp = g_dir_make_tmp("armvm-sock-XXXXXX", NULL);

    uri = g_strdup_printf("unix:%s/mig.sock", tmp);
    p = mig_pair_new(uri);
    migrate_live(p, uri);
    mig_check_destination(p);
    {
        g_autofree char *src_state = mig_runstate(p->src);
        ck_assert_str_eq(src_state, "postmigrate");
    }
    mig_pair_free(p);
    g_autofree char *sock = g_strdup_printf("%s/mig.sock", tmp);
    unlink(sock);
    rmdir(tmp);
}
END_TEST

static int free_tcp_port(void)
{
    struct sockaddr_in sa = { .sin_family = AF_INET,
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    ck_assert(fd >= 0);
    ck_assert(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    ck_assert(getsockname(fd, (struct sockaddr *)&sa, &len) == 0);
    port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

START_TEST(test_precopy_tcp)
{
    MigPair *p;
    g_autofree char *uri = NULL;

    uri = g_strdup_printf("tcp:127.0.0.1:%d", free_tcp_port());
    p = mig_pair_new(uri);
    migrate_live(p, uri);
    mig_check_destination(p);
    mig_pair_free(p);
}
END_TEST

START_TEST(test_precopy_defer)
{
    MigPair *p;
    g_autofree char *uri = NULL;

    p = mig_pair_new("defer");
    {
        g_autofree char *state = mig_runstate(p->dst);
        ck_assert_str_eq(state, "inmigrate");
    }
    uri = mig_listen(p, "defer");
    migrate_live(p, uri);
    mig_check_destination(p);
    mig_pair_free(p);
}
END_TEST

/* "stop" on a destination still waiting: it arrives paused (QEMU's rule). */
START_TEST(test_stop_during_incoming)
{
    MigPair *p = mig_pair_new("defer");
    g_autofree char *uri = mig_listen(p, "stopped");
    g_autofree char *state = NULL;

    mig_qmp_ok(p->dst, "{'execute': 'stop'}");
    mig_wait_for_serial_b(p->src_serial, 30000);
    mig_fast(p->src);
    mig_qmp_ok(p->src, "{'execute': 'migrate', 'arguments': {'uri': '%s'}}",
               uri);
    g_free(mig_wait_status(p->src, "completed", COMPLETE_MS));
    g_free(mig_wait_status(p->dst, "completed", COMPLETE_MS));
    state = mig_runstate(p->dst);
    ck_assert_str_eq(state, "paused");
    mig_qmp_ok(p->dst, "{'execute': 'cont'}");
    mig_check_destination(p);
    mig_pair_free(p);
}
END_TEST

START_TEST(test_precopy_fd)
{
    MigPair *p;
    int sv[2];

    p = mig_pair_new("defer");
    ck_assert(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    /* Each side gets one end through QMP getfd (SCM_RIGHTS). */
    qtest_qmp_send_fd(p->dst, sv[1], "{'execute': 'getfd', 'arguments': "
                      "{'fdname': 'fd-mig'}}");
    json_object_unref(qtest_qmp_receive(p->dst));
    qtest_qmp_send_fd(p->src, sv[0], "{'execute': 'getfd', 'arguments': "
                      "{'fdname': 'fd-mig'}}");
    json_object_unref(qtest_qmp_receive(p->src));
    close(sv[0]);
    close(sv[1]);
    mig_qmp_ok(p->dst, "{'execute': 'migrate-incoming', 'arguments': "
               "{'uri': 'fd:fd-mig'}}");
    migrate_live(p, "fd:fd-mig");
    mig_check_destination(p);
    mig_pair_free(p);
}
END_TEST

/* Non-live through a file: the source is stopped, the file then loaded. */
START_TEST(test_file_and_exec)
{
    MigPair *p;
    g_autofree char *file = NULL;
    g_autofree char *st = NULL;

    p = mig_pair_new("defer");
    file = mig_path(p, "migfile");
    mig_wait_for_serial_b(p->src_serial, 30000);
    mig_qmp_ok(p->src, "{'execute': 'stop'}");
    mig_qmp_ok(p->src, "{'execute': 'migrate', 'arguments': "
               "{'uri': 'exec:cat > %s'}}", file);
    st = mig_wait_status(p->src, "completed", COMPLETE_MS);
    {
        g_autofree gchar *data = NULL;
        gsize len;
        ck_assert(g_file_get_contents(file, &data, &len, NULL));
        ck_assert_uint_ge(len, 8);
        /* "QEVM", version 3 (facts 1.3). */
        ck_assert_mem_eq(data, "QEVM\x00\x00\x00\x03", 8);
    }
    mig_qmp_ok(p->dst, "{'execute': 'migrate-incoming', 'arguments': "
               "{'uri': 'file:%s'}}", file);
    g_free(mig_wait_status(p->dst, "completed", COMPLETE_MS));
    {
        /* A paused source arrives paused (facts: QEMU 7.2 does the same). */
        g_autofree char *state = mig_runstate(p->dst);
        ck_assert_str_eq(state, "paused");
    }
    mig_qmp_ok(p->dst, "{'execute': 'cont'}");
    mig_check_destination(p);
    mig_pair_free(p);
}
END_TEST

/* Failures: the source keeps running and can migrate again. */
START_TEST(test_cancel_then_succeed)
{
    MigPair *p = mig_pair_new("defer");
    g_autofree char *uri = mig_listen(p, "cancel");
    g_autofree char *st = NULL;
    g_autofree char *state = NULL;

    mig_start_unfinished(p, uri);
    mig_qmp_ok(p->src, "{'execute': 'migrate_cancel'}");
    st = mig_wait_status(p->src, "cancelled", 30000);
    state = mig_runstate(p->src);
    ck_assert_str_eq(state, "running");
    mig_wait_for_serial_b(p->src_serial, 30000);

    /* The destination gave up on the broken stream: start a fresh one. */
    mig_start_dst(p, uri);
    migrate_live(p, uri);
    mig_check_destination(p);
    mig_pair_free(p);
}
END_TEST

START_TEST(test_bad_destination)
{
    MigPair *p = mig_pair_new("defer");
    JsonObject *rsp, *ret;

    mig_wait_for_serial_b(p->src_serial, 30000);
    mig_qmp_ok(p->src, "{'execute': 'migrate', 'arguments': "
               "{'uri': 'unix:%s/nobody-listens.sock'}}", p->tmpdir);
    mig_wait_failed_source_runs(p, 10000);
    rsp = qtest_qmp(p->src, "{'execute': 'query-migrate'}");
    ret = qmp_rsp_return_object(rsp);
    ck_assert(json_object_has_member(ret, "error-desc"));
    ck_assert_ptr_nonnull(strstr(json_object_get_string_member(ret,
                                 "error-desc"), "nobody-listens.sock"));
    json_object_unref(rsp);
    mig_wait_for_serial_b(p->src_serial, 30000);
    mig_pair_free(p);
}
END_TEST

/*
 * A source the destination cannot take (pointer authentication on, off
 * here): the pre-flight names the reason, and the live migration is
 * refused with that same reason before any RAM page is sent; the source
 * keeps running.
 */
START_TEST(test_refused_before_ram)
{
    MigPair *p = mig_pair_new_mismatch("defer", mig_guest_path(), "",
                                       "-cpu max,pauth=on");
    g_autofree char *uri = mig_listen(p, "refused");
    JsonObject *src_desc, *rsp, *ret;
    JsonArray *problems;
    g_autofree char *reason = NULL;

    mig_wait_for_serial_b(p->src_serial, 30000);
    src_desc = qtest_qmp(p->src, "{'execute': 'x-query-migration-source'}");
    ret = qmp_rsp_return_object(src_desc);
    ck_assert_ptr_nonnull(ret);
    {
        g_autoptr(JsonNode) node = json_node_alloc();
        g_autofree char *text = NULL;
        json_node_init_object(node, ret);
        text = json_to_string(node, FALSE);
        rsp = qtest_qmp(p->dst, "{'execute': 'x-query-migration-compat', "
                        "'arguments': {'source': %s}}", text);
    }
    json_object_unref(src_desc);
    ret = qmp_rsp_return_object(rsp);
    ck_assert_ptr_nonnull(ret);
    ck_assert(!json_object_get_boolean_member(ret, "compatible"));
    problems = json_object_get_array_member(ret, "problems");
    ck_assert_uint_ge(json_array_get_length(problems), 1);
    reason = g_strdup(json_object_get_string_member(
        json_array_get_object_element(problems, 0), "reason"));
    ck_assert_ptr_nonnull(strstr(reason, "APA"));
    json_object_unref(rsp);

    mig_fast(p->src);
    mig_qmp_ok(p->src, "{'execute': 'migrate', 'arguments': {'uri': '%s'}}",
               uri);
    mig_wait_failed_source_runs(p, 30000);
    rsp = qtest_qmp(p->dst, "{'execute': 'query-migrate'}");
    ret = qmp_rsp_return_object(rsp);
    ck_assert(json_object_has_member(ret, "error-desc"));
    {
        const char *desc = json_object_get_string_member(ret, "error-desc");
        ck_assert_msg(strstr(desc, "refused before RAM") &&
                      strstr(desc, reason), "'%s' vs pre-flight '%s'", desc,
                      reason);
    }
    json_object_unref(rsp);
    mig_wait_for_serial_b(p->src_serial, 30000);
    mig_pair_free(p);
}
END_TEST

START_TEST(test_destination_killed)
{
    MigPair *p = mig_pair_new("defer");
    g_autofree char *uri = mig_listen(p, "killed");

    mig_start_unfinished(p, uri);
    kill(qtest_pid(p->dst), SIGKILL);
    mig_wait_failed_source_runs(p, 30000);
    mig_wait_for_serial_b(p->src_serial, 30000);
    /* And a second migration to a new destination succeeds. */
    mig_start_dst(p, uri);
    migrate_live(p, uri);
    mig_check_destination(p);
    mig_pair_free(p);
}
END_TEST

int main(void)
{
    Suite *s;
    TCase *tc = tcase_create("precopy");
    SRunner *sr;
    int failed;

    if (!mig_guest_path()) {
        /* 77: meson's "skipped", with the reason. */
        printf("SKIP: the A/B guest is missing (ARMVM_AB_GUEST=%s); it is "
               "built with gcc-aarch64-linux-gnu\n",
               getenv("ARMVM_AB_GUEST") ? getenv("ARMVM_AB_GUEST") : "");
        return 77;
    }
    s = suite_create("migration");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_precopy_unix);
    tcase_add_test(tc, test_precopy_tcp);
    tcase_add_test(tc, test_precopy_defer);
    tcase_add_test(tc, test_precopy_fd);
    tcase_add_test(tc, test_stop_during_incoming);
    tcase_add_test(tc, test_file_and_exec);
    tcase_add_test(tc, test_cancel_then_succeed);
    tcase_add_test(tc, test_bad_destination);
    tcase_add_test(tc, test_refused_before_ram);
    tcase_add_test(tc, test_destination_killed);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
