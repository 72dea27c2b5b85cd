/*
 * Size, number and option-string parsing (util/cutils.c, util/qemu-option.c).
 */
#include "qemu/osdep.h"
#include <check.h>
#include "qemu/cutils.h"
#include "qemu/option.h"

START_TEST(test_strtosz)
{
    static const struct {
        const char *in;
        char def;
        bool ok;
        uint64_t val;
    } cases[] = {
        { "0", 'B', true, 0 },
        { "512", 'B', true, 512 },
        { "512", 'M', true, 512 * MiB },
        { "1G", 'M', true, GiB },
        { "1g", 'M', true, GiB },
        { "1.5G", 'B', true, GiB + GiB / 2 },
        { "4k", 'B', true, 4096 },
        { "0x1000", 'B', true, 4096 },
        { "16E", 'B', false, 0 },         /* overflow */
        { "1.5", 'B', false, 0 },         /* fractional bytes */
        { "", 'B', false, 0 },
        { "-1", 'B', false, 0 },
        { "12Q", 'B', false, 0 },
        { "12MB", 'B', false, 0 },
        { " 12", 'B', false, 0 },
        { "0x1.8G", 'B', false, 0 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        uint64_t v = 0;
        bool ok = qemu_strtosz(cases[i].in, cases[i].def, &v);
        ck_assert_msg(ok == cases[i].ok, "'%s': ok=%d", cases[i].in, ok);
        if (ok) {
            ck_assert_msg(v == cases[i].val, "'%s' -> %" PRIu64,
                          cases[i].in, v);
        }
    }
}
END_TEST

START_TEST(test_strtou64)
{
    uint64_t v;
    int64_t s;
    bool b;

    ck_assert(qemu_strtou64("0xffffffffffffffff", &v) && v == UINT64_MAX);
    ck_assert(!qemu_strtou64("0x10000000000000000", &v));
    ck_assert(!qemu_strtou64("12x", &v));
    ck_assert(!qemu_strtou64("-3", &v));
    ck_assert(qemu_strtoi64("-3", &s) && s == -3);
    ck_assert(!qemu_strtoi64("", &s));
    ck_assert(qemu_strtobool("on", &b) && b);
    ck_assert(qemu_strtobool("off", &b) && !b);
    ck_assert(!qemu_strtobool("maybe", &b));
}
END_TEST

START_TEST(test_opts_parse)
{
    Error *err = NULL;
    QemuOpts *o = qemu_opts_parse("virt,gic-version=3,dumpdtb=a,,b.dtb,x",
                                  "type", &err);

    ck_assert_ptr_nonnull(o);
    ck_assert_str_eq(qemu_opt_get(o, "type"), "virt");
    ck_assert_str_eq(qemu_opt_get(o, "gic-version"), "3");
    ck_assert_str_eq(qemu_opt_get(o, "dumpdtb"), "a,b.dtb");
    ck_assert_str_eq(qemu_opt_get(o, "x"), "on");
    ck_assert(qemu_opts_check_unused(o, "-machine", &err));
    qemu_opts_free(o);

    o = qemu_opts_parse("id=a,bogus=1", NULL, &err);
    qemu_opt_get(o, "id");
    ck_assert(!qemu_opts_check_unused(o, "-thing", &err));
    ck_assert_str_eq(error_get_pretty(err), "-thing: invalid parameter 'bogus'");
    error_free(err);
    err = NULL;
    ck_assert(!qemu_opt_get_bool(o, "bogus", false, &err));
    ck_assert_ptr_nonnull(err);
    error_free(err);
    qemu_opts_free(o);

    err = NULL;
    o = qemu_opts_parse("=3", NULL, &err);
    ck_assert_ptr_null(o);
    ck_assert_ptr_nonnull(err);
    error_free(err);
}
END_TEST

START_TEST(test_opts_too_long)
{
    Error *err = NULL;
    char *big = g_strnfill(QEMU_OPTS_MAX_LEN + 1, 'a');

    ck_assert_ptr_null(qemu_opts_parse(big, NULL, &err));
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "longer than"));
    error_free(err);
    g_free(big);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cutils");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_strtosz);
    tcase_add_test(tc, test_strtou64);
    tcase_add_test(tc, test_opts_parse);
    tcase_add_test(tc, test_opts_too_long);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
