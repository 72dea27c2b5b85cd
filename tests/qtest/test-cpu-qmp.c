/*
 * x-query-cpregs over a real QMP socket with -accel qtest (issue 3): every
 * register with name, id, flags, whether it migrates, and its raw value;
 * refusals for a CPU that does not exist.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "libqtest.h"

static JsonObject *find_reg(JsonArray *regs, const char *name)
{
    for (guint i = 0; i < json_array_get_length(regs); i++) {
        JsonObject *o = json_array_get_object_element(regs, i);
        if (!strcmp(json_object_get_string_member(o, "name"), name)) {
            return o;
        }
    }
    return NULL;
}

START_TEST(test_cpregs_listed)
{
    QTestState *s = qtest_init("-M virt -cpu cortex-a57 -smp 2");
    JsonObject *rsp = qtest_qmp(s, "{'execute': 'x-query-cpregs', "
                                "'arguments': {'cpu-index': 1}}");
    JsonArray *regs = qmp_rsp_return_array(rsp);
    JsonObject *sctlr, *midr, *cntvct;

    ck_assert_ptr_nonnull(regs);
    ck_assert_uint_gt(json_array_get_length(regs), 100);
    /* SCTLR_EL1 = (3,0,1,0,0): a migrated register with a value. */
    sctlr = find_reg(regs, "SCTLR_EL1");
    ck_assert_ptr_nonnull(sctlr);
    ck_assert_str_eq(json_object_get_string_member(sctlr, "id"),
                     "0x603000000013c080");
    ck_assert(json_object_get_boolean_member(sctlr, "migrated"));
    ck_assert(json_object_has_member(sctlr, "value"));
    /* MIDR_EL1 of a Cortex-A57 r1p0, as QEMU models it. */
    midr = find_reg(regs, "MIDR_EL1");
    ck_assert_ptr_nonnull(midr);
    ck_assert_str_eq(json_object_get_string_member(midr, "value"),
                     "0x411fd070");
    /* The virtual counter has no state of its own: listed, not migrated. */
    cntvct = find_reg(regs, "CNTVCT_EL0");
    ck_assert_ptr_nonnull(cntvct);
    ck_assert(!json_object_get_boolean_member(cntvct, "migrated"));
    json_object_unref(rsp);
    qtest_quit(s);
}
END_TEST

START_TEST(test_cpregs_refusals)
{
    QTestState *s = qtest_init("-M virt -cpu max");
    JsonObject *rsp;

    rsp = qtest_qmp(s, "{'execute': 'x-query-cpregs', "
                    "'arguments': {'cpu-index': 1}}");
    ck_assert(qmp_rsp_is_error(rsp, "GenericError"));
    ck_assert_ptr_nonnull(strstr(qmp_rsp_error_desc(rsp), "is not a CPU"));
    json_object_unref(rsp);
    rsp = qtest_qmp(s, "{'execute': 'x-query-cpregs'}");
    ck_assert(qmp_rsp_is_error(rsp, "GenericError"));
    ck_assert_ptr_nonnull(strstr(qmp_rsp_error_desc(rsp), "cpu-index"));
    json_object_unref(rsp);
    rsp = qtest_qmp(s, "{'execute': 'x-query-cpregs', "
                    "'arguments': {'cpu-index': 'zero'}}");
    ck_assert(qmp_rsp_is_error(rsp, "GenericError"));
    json_object_unref(rsp);
    qtest_quit(s);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cpu-qmp");
    TCase *tc = tcase_create("x-query-cpregs");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_cpregs_listed);
    tcase_add_test(tc, test_cpregs_refusals);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
