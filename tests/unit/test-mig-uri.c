/*
 * Migration URIs (migration/channel.c): every transport parsed, and every
 * malformed URI refused with a message naming what is missing.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "migration/migration-internal.h"

START_TEST(test_accepted)
{
    MigUri *u;

    u = mig_uri_parse("unix:/tmp/s", &error_abort);
    ck_assert_int_eq(u->transport, MIG_TRANSPORT_UNIX);
    ck_assert_str_eq(u->path, "/tmp/s");
    mig_uri_free(u);
    u = mig_uri_parse("fd:mig", &error_abort);
    ck_assert_int_eq(u->transport, MIG_TRANSPORT_FD);
    ck_assert_str_eq(u->fdname, "mig");
    mig_uri_free(u);
    u = mig_uri_parse("exec:cat > /tmp/x", &error_abort);
    ck_assert_int_eq(u->transport, MIG_TRANSPORT_EXEC);
    ck_assert_str_eq(u->cmd, "cat > /tmp/x");
    mig_uri_free(u);
    u = mig_uri_parse("tcp:127.0.0.1:4444", &error_abort);
    ck_assert_int_eq(u->transport, MIG_TRANSPORT_TCP);
    ck_assert_str_eq(u->host, "127.0.0.1");
    ck_assert_str_eq(u->port, "4444");
    mig_uri_free(u);
    u = mig_uri_parse("file:/tmp/f", &error_abort);
    ck_assert_int_eq(u->transport, MIG_TRANSPORT_FILE);
    ck_assert_str_eq(u->path, "/tmp/f");
    mig_uri_free(u);
}
END_TEST

START_TEST(test_refused)
{
    static const struct {
        const char *uri;
        const char *msg;
    } cases[] = {
        { "unix:", "unix: needs a path" },
        { "fd:", "fd: needs a name" },
        { "exec:", "exec: needs a command" },
        { "file:", "file: needs a path" },
        { "rdma:1.2.3.4:5", "unknown migration protocol: 'rdma:1.2.3.4:5' "
                            "(use tcp:, unix:, fd:, exec: or file:)" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        Error *err = NULL;
        ck_assert_ptr_null(mig_uri_parse(cases[i].uri, &err));
        ck_assert_msg(err && !strcmp(error_get_pretty(err), cases[i].msg),
                      "%s: got '%s'", cases[i].uri,
                      err ? error_get_pretty(err) : "(none)");
        error_free(err);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mig-uri");
    TCase *tc = tcase_create("parse");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_accepted);
    tcase_add_test(tc, test_refused);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
