/*
 * Unit test of QMP x-query-cpregs (arm-qmp-cmds.c), called through the QMP
 * registry as the monitor calls it.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "qapi/qmp-registry.h"
#include "cpregs.h"

static JsonObject *find_reg(JsonArray *arr, const char *name)
{
    for (guint i = 0; i < json_array_get_length(arr); i++) {
        JsonObject *o = json_array_get_object_element(arr, i);
        if (!strcmp(json_object_get_string_member(o, "name"), name)) {
            return o;
        }
    }
    return NULL;
}

static JsonNode *call(const char *json, Error **errp)
{
    const QmpCommand *cmd = qmp_find_command("x-query-cpregs");
    JsonNode *args = json_from_string(json, NULL);
    JsonNode *ret = NULL;

    ck_assert_ptr_nonnull(cmd);
    cmd->fn(json_node_get_object(args), &ret, errp);
    json_node_unref(args);
    return ret;
}

START_TEST(test_query_cpregs)
{
    Error *err = NULL;
    ARMCPU *cpu = arm_cpu_new("cortex-a57", "x-mig-hidden-regs=DISR_EL1", 1,
                              &err);
    ck_assert_ptr_nonnull(cpu);
    arm_cpus[0] = NULL;
    arm_cpus[1] = cpu;
    arm_cpu_count = 2;
    arm_cpu_qmp_register();
    cpu->env.sys.tpidr_el[1] = 0xfedcba9876543210ULL;

    JsonNode *ret = call("{\"cpu-index\": 1}", &err);
    ck_assert_msg(ret, "%s", err ? error_get_pretty(err) : "");
    JsonArray *arr = json_node_get_array(ret);
    ck_assert_uint_eq(json_array_get_length(arr), arm_cpreg_count(cpu));

    JsonObject *o = find_reg(arr, "TPIDR_EL1");
    ck_assert_ptr_nonnull(o);
    ck_assert_str_eq(json_object_get_string_member(o, "id"),
                     "0x603000000013c684");
    ck_assert_str_eq(json_object_get_string_member(o, "value"),
                     "0xfedcba9876543210");
    ck_assert(json_object_get_boolean_member(o, "migrated"));
    o = find_reg(arr, "DISR_EL1");                  /* hidden */
    ck_assert(!json_object_get_boolean_member(o, "migrated"));
    o = find_reg(arr, "MIDR_EL1");
    ck_assert_str_eq(json_array_get_string_element(
                         json_object_get_array_member(o, "flags"), 0), "const");
    ck_assert_str_eq(json_object_get_string_member(o, "value"), "0x411fd070");
    o = find_reg(arr, "PMCNTENCLR_EL0");
    ck_assert(!json_object_get_boolean_member(o, "migrated"));
    o = find_reg(arr, "TLBI_VMALLE1IS");
    ck_assert(!json_object_has_member(o, "value"));
    json_node_unref(ret);

    ck_assert_ptr_null(call("{\"cpu-index\": 0}", &err));   /* no CPU 0 */
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "cpu-index"));
    error_free(err);
    err = NULL;
    ck_assert_ptr_null(call("{\"cpu-index\": 99}", &err));
    error_free(err);
    err = NULL;
    ck_assert_ptr_null(call("{}", &err));
    ck_assert_ptr_nonnull(err);
    error_free(err);
    arm_cpu_free(cpu);
    arm_cpu_count = 0;
}
END_TEST

int main(void)
{
    Suite *s = suite_create("arm-cpu-qmp");
    TCase *tc = tcase_create("x-query-cpregs");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_query_cpregs);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
