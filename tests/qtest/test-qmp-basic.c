/*
 * QMP over a real socket: handshake, queries, run control with events,
 * pmemsave, getfd/closefd, quit, and every error path, each followed by a
 * check that the connection still works.
 */
#include "qemu/osdep.h"
#include <check.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include "libqtest.h"

#define RAM_BASE 0x40000000ULL

static QTestState *qts;

static void teardown(void)
{
    qtest_quit(qts);
    qts = NULL;
}

/* The connection still answers after an error. */
static void assert_alive(void)
{
    JsonObject *rsp = qtest_qmp(qts, "{\"execute\": \"query-status\"}");

    ck_assert(json_object_has_member(qmp_rsp_return_object(rsp), "status"));
    json_object_unref(rsp);
}

static void assert_error_raw(const char *raw, size_t len, const char *cls,
                             const char *needle)
{
    JsonObject *rsp;

    qtest_qmp_send_raw(qts, raw, len);
    rsp = qtest_qmp_receive(qts);
    ck_assert_msg(qmp_rsp_is_error(rsp, cls), "expected %s for '%.60s'", cls,
                  raw);
    ck_assert_msg(strstr(qmp_rsp_error_desc(rsp), needle),
                  "'%s' lacks '%s'", qmp_rsp_error_desc(rsp), needle);
    json_object_unref(rsp);
    assert_alive();
}

static void assert_error(const char *cmd, const char *cls, const char *needle)
{
    assert_error_raw(cmd, strlen(cmd), cls, needle);
}

static const char *status_of(void)
{
    static char buf[32];
    JsonObject *rsp = qtest_qmp(qts, "{\"execute\": \"query-status\"}");

    g_strlcpy(buf, json_object_get_string_member(qmp_rsp_return_object(rsp),
                                                 "status"), sizeof(buf));
    json_object_unref(rsp);
    return buf;
}

START_TEST(test_greeting_and_version)
{
    JsonObject *g, *v, *rsp;

    qts = qtest_init("-M virt");
    g = json_object_get_object_member(qtest_qmp_greeting(qts), "QMP");
    v = json_object_get_object_member(
        json_object_get_object_member(g, "version"), "qemu");
    ck_assert_int_eq(json_object_get_int_member(v, "major"), 7);
    ck_assert_str_eq(json_array_get_string_element(
        json_object_get_array_member(g, "capabilities"), 0), "oob");

    rsp = qtest_qmp(qts, "{\"execute\": \"query-version\", \"id\": \"v1\"}");
    v = qmp_rsp_return_object(rsp);
    ck_assert_int_eq(json_object_get_int_member(
        json_object_get_object_member(v, "qemu"), "major"), 7);
    ck_assert(json_object_has_member(v, "package"));
    ck_assert_str_eq(json_object_get_string_member(rsp, "id"), "v1");
    json_object_unref(rsp);

    /* A second qmp_capabilities is refused. */
    assert_error("{\"execute\": \"qmp_capabilities\"}", "CommandNotFound",
                 "already complete");
}
END_TEST

START_TEST(test_queries)
{
    JsonObject *rsp, *o;
    JsonArray *a;
    guint i;
    bool found_virt = false;
    static const char *const needed[] = {
        "qmp_capabilities", "query-version", "query-status", "query-commands",
        "query-machines", "query-cpus-fast", "query-name", "stop", "cont",
        "system_reset", "quit", "pmemsave", "getfd", "closefd",
    };

    qts = qtest_init("-M virt -smp 2 -name guest1");
    rsp = qtest_qmp(qts, "{\"execute\": \"query-status\"}");
    o = qmp_rsp_return_object(rsp);
    ck_assert_str_eq(json_object_get_string_member(o, "status"), "running");
    ck_assert(json_object_get_boolean_member(o, "running"));
    ck_assert(!json_object_get_boolean_member(o, "singlestep"));
    json_object_unref(rsp);

    rsp = qtest_qmp(qts, "{\"execute\": \"query-name\"}");
    ck_assert_str_eq(json_object_get_string_member(
        qmp_rsp_return_object(rsp), "name"), "guest1");
    json_object_unref(rsp);

    rsp = qtest_qmp(qts, "{\"execute\": \"query-target\"}");
    ck_assert_str_eq(json_object_get_string_member(
        qmp_rsp_return_object(rsp), "arch"), "aarch64");
    json_object_unref(rsp);

    /* Under -accel qtest KVM is never the accelerator in use. */
    rsp = qtest_qmp(qts, "{\"execute\": \"query-kvm\"}");
    ck_assert(!json_object_get_boolean_member(qmp_rsp_return_object(rsp),
                                              "enabled"));
    json_object_unref(rsp);

    rsp = qtest_qmp(qts, "{\"execute\": \"query-commands\"}");
    a = qmp_rsp_return_array(rsp);
    for (size_t k = 0; k < G_N_ELEMENTS(needed); k++) {
        bool seen = false;
        for (i = 0; i < json_array_get_length(a); i++) {
            const char *n = json_object_get_string_member(
                json_array_get_object_element(a, i), "name");
            seen |= strcmp(n, needed[k]) == 0;
        }
        ck_assert_msg(seen, "query-commands lacks %s", needed[k]);
    }
    json_object_unref(rsp);

    /* The alias "virt" names a versioned machine type (facts 4.2). */
    rsp = qtest_qmp(qts, "{\"execute\": \"query-machines\"}");
    a = qmp_rsp_return_array(rsp);
    for (i = 0; i < json_array_get_length(a); i++) {
        o = json_array_get_object_element(a, i);
        if (json_object_has_member(o, "alias") &&
            !strcmp(json_object_get_string_member(o, "alias"), "virt")) {
            found_virt = true;
            ck_assert(g_str_has_prefix(json_object_get_string_member(o, "name"),
                                       "virt-"));
            ck_assert_int_ge(json_object_get_int_member(o, "cpu-max"), 2);
        }
    }
    ck_assert(found_virt);
    json_object_unref(rsp);

    rsp = qtest_qmp(qts, "{\"execute\": \"query-cpus-fast\"}");
    a = qmp_rsp_return_array(rsp);
    ck_assert_uint_eq(json_array_get_length(a), 2);
    for (i = 0; i < 2; i++) {
        o = json_array_get_object_element(a, i);
        ck_assert_int_eq(json_object_get_int_member(o, "cpu-index"), i);
        ck_assert_str_eq(json_object_get_string_member(o, "target"), "aarch64");
        ck_assert_int_gt(json_object_get_int_member(o, "thread-id"), 0);
        ck_assert_int_eq(json_object_get_int_member(
            json_object_get_object_member(o, "props"), "core-id"), i);
    }
    json_object_unref(rsp);
}
END_TEST

START_TEST(test_start_paused)
{
    qts = qtest_init("-M virt -S");
    ck_assert_str_eq(status_of(), "prelaunch");
}
END_TEST

START_TEST(test_stop_cont_events)
{
    JsonObject *rsp, *ev;

    qts = qtest_init("-M virt");
    rsp = qtest_qmp(qts, "{\"execute\": \"stop\"}");
    qmp_rsp_return_object(rsp);
    json_object_unref(rsp);
    ev = qtest_qmp_eventwait(qts, "STOP", QTEST_TIMEOUT_MS);
    ck_assert_ptr_nonnull(ev);
    ck_assert(json_object_has_member(
        json_object_get_object_member(ev, "timestamp"), "seconds"));
    ck_assert(json_object_has_member(
        json_object_get_object_member(ev, "timestamp"), "microseconds"));
    json_object_unref(ev);
    ck_assert_str_eq(status_of(), "paused");

    rsp = qtest_qmp(qts, "{\"execute\": \"cont\"}");
    qmp_rsp_return_object(rsp);
    json_object_unref(rsp);
    ev = qtest_qmp_eventwait(qts, "RESUME", QTEST_TIMEOUT_MS);
    ck_assert_ptr_nonnull(ev);
    json_object_unref(ev);
    ck_assert_str_eq(status_of(), "running");

    rsp = qtest_qmp(qts, "{\"execute\": \"system_reset\"}");
    qmp_rsp_return_object(rsp);
    json_object_unref(rsp);
    ev = qtest_qmp_eventwait(qts, "RESET", QTEST_TIMEOUT_MS);
    ck_assert_ptr_nonnull(ev);
    ck_assert_str_eq(json_object_get_string_member(
        json_object_get_object_member(ev, "data"), "reason"),
        "host-qmp-system-reset");
    json_object_unref(ev);
}
END_TEST

START_TEST(test_error_paths)
{
    GString *big;
    int i;

    qts = qtest_init("-M virt");
    assert_error("{\"execute\": \"no-such-command\"}", "CommandNotFound",
                 "The command no-such-command has not been found");
    assert_error("{\"execute\": \"query-status\", \"arguments\": {\"x\": 1}}",
                 "GenericError", "Parameter 'x' is unexpected");
    assert_error("{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 0, "
                 "\"size\": 1}}", "GenericError",
                 "Parameter 'filename' is missing");
    assert_error("{\"execute\": \"pmemsave\", \"arguments\": {\"val\": \"0\", "
                 "\"size\": 1, \"filename\": \"/dev/null\"}}", "GenericError",
                 "Invalid parameter type for 'val'");
    assert_error("{\"execute\": \"query-status\", \"arguments\": 5}",
                 "GenericError", "'arguments' must be an object");
    assert_error("{\"execute\": }", "GenericError", "JSON parse error");
    assert_error("{\"execute\": \"query-status\"]", "GenericError",
                 "JSON parse error");
    assert_error("]", "GenericError", "JSON parse error");
    assert_error("[\"execute\"]", "GenericError",
                 "QMP input must be a JSON object");
    assert_error("{\"exec\": \"stop\"}", "GenericError",
                 "QMP input member 'exec' is unexpected");
    assert_error("{\"arguments\": {}}", "GenericError",
                 "QMP input lacks member 'execute'");
    assert_error("{\"exec-oob\": \"query-status\"}", "GenericError", "oob");
    assert_error("garbage\n", "GenericError", "JSON parse error");

    /* Nesting far beyond the limit. */
    big = g_string_new("{\"execute\": \"query-status\", \"arguments\": {\"a\": ");
    for (i = 0; i < 10000; i++) {
        g_string_append_c(big, '[');
    }
    for (i = 0; i < 10000; i++) {
        g_string_append_c(big, ']');
    }
    g_string_append(big, "}}");
    assert_error_raw(big->str, big->len, "GenericError", "nesting deeper");

    /* A request of 3 MiB. */
    g_string_assign(big, "{\"execute\": \"query-status\", \"arguments\": "
                    "{\"a\": \"");
    for (i = 0; i < 3 * 1024 * 1024; i++) {
        g_string_append_c(big, 'x');
    }
    g_string_append(big, "\"}}");
    assert_error_raw(big->str, big->len, "GenericError", "exceeds");
    g_string_free(big, TRUE);

    /* A half request cut off with QMP's reset byte. */
    assert_error("{\"execute\": \"query-st\xff", "GenericError", "0xFF");
}
END_TEST

START_TEST(test_id_echo)
{
    JsonObject *rsp;

    qts = qtest_init("-M virt");
    rsp = qtest_qmp(qts, "{\"execute\": \"query-status\", \"id\": 42}");
    ck_assert_int_eq(json_object_get_int_member(rsp, "id"), 42);
    json_object_unref(rsp);
    rsp = qtest_qmp(qts, "{\"execute\": \"nope\", \"id\": [\"a\", 1]}");
    ck_assert(qmp_rsp_is_error(rsp, "CommandNotFound"));
    ck_assert_uint_eq(json_array_get_length(
        json_object_get_array_member(rsp, "id")), 2);
    json_object_unref(rsp);
}
END_TEST

START_TEST(test_pmemsave)
{
    char *dir = g_dir_make_tmp("pmem-XXXXXX", NULL);
    char *path = g_build_filename(dir, "dump", NULL);
    char *contents = NULL;
    gsize len = 0;
    JsonObject *rsp;
    uint8_t pattern[64];
    int i;

    qts = qtest_init("-M virt -m 128M");
    for (i = 0; i < 64; i++) {
        pattern[i] = (uint8_t)(i * 7 + 3);
    }
    qtest_memwrite(qts, RAM_BASE + 0x1000, pattern, sizeof(pattern));
    rsp = qtest_qmp(qts, "{\"execute\": \"pmemsave\", \"arguments\": "
                    "{\"val\": %llu, \"size\": 64, \"filename\": \"%s\"}}",
                    (unsigned long long)(RAM_BASE + 0x1000), path);
    qmp_rsp_return_object(rsp);
    json_object_unref(rsp);
    ck_assert(g_file_get_contents(path, &contents, &len, NULL));
    ck_assert_uint_eq(len, 64);
    ck_assert(memcmp(contents, pattern, 64) == 0);
    g_free(contents);
    unlink(path);

    /* Unmapped guest-physical memory is an error, and no file is left. */
    assert_error("{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 16, "
                 "\"size\": 64, \"filename\": \"/tmp/never-written\"}}",
                 "GenericError", "Invalid addr");
    /* Past the end of RAM. */
    rsp = qtest_qmp(qts, "{\"execute\": \"pmemsave\", \"arguments\": "
                    "{\"val\": %llu, \"size\": 8192, \"filename\": \"%s\"}}",
                    (unsigned long long)(RAM_BASE + 128 * 1024 * 1024 - 4096),
                    path);
    ck_assert(qmp_rsp_is_error(rsp, "GenericError"));
    json_object_unref(rsp);
    ck_assert(!g_file_test(path, G_FILE_TEST_EXISTS));
    assert_error("{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 1073741824, "
                 "\"size\": 8, \"filename\": \"/nonexistent-dir/x\"}}",
                 "GenericError", "Could not open");
    assert_error("{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 1073741824, "
                 "\"size\": -8, \"filename\": \"/tmp/x\"}}",
                 "GenericError", "size");
    g_free(path);
    rmdir(dir);
    g_free(dir);
}
END_TEST

START_TEST(test_getfd_closefd)
{
    JsonObject *rsp;
    int fds[2];

    qts = qtest_init("-M virt");
    ck_assert_int_eq(pipe(fds), 0);
    qtest_qmp_send_fd(qts, fds[1], "{\"execute\": \"getfd\", \"arguments\": "
                      "{\"fdname\": \"myfd\"}}");
    rsp = qtest_qmp_receive(qts);
    qmp_rsp_return_object(rsp);
    json_object_unref(rsp);
    close(fds[1]);
    rsp = qtest_qmp(qts, "{\"execute\": \"closefd\", \"arguments\": "
                    "{\"fdname\": \"myfd\"}}");
    qmp_rsp_return_object(rsp);
    json_object_unref(rsp);
    close(fds[0]);
    assert_error("{\"execute\": \"closefd\", \"arguments\": "
                 "{\"fdname\": \"myfd\"}}", "GenericError", "not found");
    assert_error("{\"execute\": \"getfd\", \"arguments\": {\"fdname\": \"x\"}}",
                 "GenericError", "SCM_RIGHTS");
}
END_TEST

START_TEST(test_quit)
{
    JsonObject *rsp, *ev;
    int status = -1;

    qts = qtest_init("-M virt");
    rsp = qtest_qmp(qts, "{\"execute\": \"quit\"}");
    qmp_rsp_return_object(rsp);
    json_object_unref(rsp);
    ev = qtest_qmp_eventwait(qts, "SHUTDOWN", QTEST_TIMEOUT_MS);
    ck_assert_ptr_nonnull(ev);
    ck_assert_str_eq(json_object_get_string_member(
        json_object_get_object_member(ev, "data"), "reason"), "host-qmp-quit");
    json_object_unref(ev);
    ck_assert(qtest_wait_exit(qts, QTEST_TIMEOUT_MS, &status));
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

/* Read one line from a raw socket, bounded by a 60 s receive timeout. */
static char *raw_line(int fd)
{
    GString *s = g_string_new(NULL);
    char c;

    while (read(fd, &c, 1) == 1 && c != '\n') {
        g_string_append_c(s, c);
    }
    return g_string_free(s, FALSE);
}

/*
 * The "done when" command line: an extra -qmp unix server that an
 * independent client connects to; negotiation is enforced there, and events
 * reach both negotiated monitors.
 */
START_TEST(test_second_monitor_server)
{
    char *dir = g_dir_make_tmp("qmp2-XXXXXX", NULL);
    char *path = g_build_filename(dir, "q2", NULL);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    struct timeval tv = { .tv_sec = 60 };
    JsonObject *rsp, *ev;
    char *line;
    int fd;

    qts = qtest_initf("-M virt -qmp unix:%s,server=on,wait=off", path);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    g_strlcpy(addr.sun_path, path, sizeof(addr.sun_path));
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    line = raw_line(fd);
    ck_assert(g_str_has_prefix(line, "{\"QMP\": {\"version\""));
    g_free(line);
    ck_assert_int_eq(write(fd, "{\"execute\": \"stop\"}", 19), 19);
    line = raw_line(fd);
    ck_assert_msg(strstr(line, "Expecting capabilities negotiation"), "%s", line);
    g_free(line);
    ck_assert_int_eq(write(fd, "{\"execute\": \"qmp_capabilities\"}\n", 32), 32);
    line = raw_line(fd);
    ck_assert_str_eq(line, "{\"return\": {}}");
    g_free(line);

    /* stop on the libqtest monitor: both see STOP. */
    rsp = qtest_qmp(qts, "{\"execute\": \"stop\"}");
    json_object_unref(rsp);
    ev = qtest_qmp_eventwait(qts, "STOP", QTEST_TIMEOUT_MS);
    ck_assert_ptr_nonnull(ev);
    json_object_unref(ev);
    line = raw_line(fd);
    ck_assert_msg(strstr(line, "\"event\": \"STOP\""), "%s", line);
    g_free(line);
    close(fd);
    assert_alive();

    /* A new client on the same server starts negotiation afresh. */
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    line = raw_line(fd);
    ck_assert(g_str_has_prefix(line, "{\"QMP\": "));
    g_free(line);
    ck_assert_int_eq(write(fd, "{\"execute\": \"cont\"}", 19), 19);
    line = raw_line(fd);
    ck_assert_msg(strstr(line, "Expecting capabilities negotiation"), "%s", line);
    g_free(line);
    close(fd);
    ck_assert_str_eq(status_of(), "paused");
    unlink(path);
    rmdir(dir);
    g_free(path);
    g_free(dir);
}
END_TEST

static Suite *qmp_basic_suite(void)
{
    Suite *s = suite_create("qmp-basic");
    TCase *tc = tcase_create("qmp");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_greeting_and_version);
    tcase_add_test(tc, test_queries);
    tcase_add_test(tc, test_start_paused);
    tcase_add_test(tc, test_stop_cont_events);
    tcase_add_test(tc, test_error_paths);
    tcase_add_test(tc, test_id_echo);
    tcase_add_test(tc, test_pmemsave);
    tcase_add_test(tc, test_getfd_closefd);
    tcase_add_test(tc, test_quit);
    tcase_add_test(tc, test_second_monitor_server);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(qmp_basic_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
