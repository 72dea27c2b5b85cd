/*
 * The command line parser (system/vl.c): accepted forms and every refusal.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "system/vl.h"

static bool parse(VlConfig *cfg, const char *line, char **errmsg)
{
    g_auto(GStrv) argv = NULL;
    int argc;
    g_autofree char *full = g_strconcat("qemu-system-aarch64 ", line, NULL);
    Error *err = NULL;
    bool ok;

    g_assert(g_shell_parse_argv(full, &argc, &argv, NULL));
    vl_config_init(cfg);
    ok = vl_parse_args(argc, argv, cfg, &err);
    if (errmsg) {
        *errmsg = err ? g_strdup(error_get_pretty(err)) : NULL;
    }
    error_free(err);
    return ok;
}

START_TEST(test_full_harness_line)
{
    VlConfig cfg;

    /* What QEMU's migration-test harness passes (facts 4.2). */
    ck_assert(parse(&cfg, "-accel kvm -accel tcg -machine virt-7.2,gic-version=3 "
                    "-name source,debug-threads=on -machine memory-backend=mig.mem "
                    "-object memory-backend-ram,id=mig.mem,size=150M,share=off "
                    "-serial file:/tmp/s -cpu max -kernel /tmp/k "
                    "-qtest unix:/tmp/q -qtest-log /dev/null "
                    "-chardev socket,path=/tmp/m,id=char0 "
                    "-mon chardev=char0,mode=control -display none -audio none "
                    "-accel qtest -incoming defer -global migration.x-events=on",
                    NULL));
    ck_assert_int_eq(cfg.accels->len, 3);
    ck_assert_str_eq(g_ptr_array_index(cfg.accels, 0), "kvm");
    ck_assert_str_eq(g_ptr_array_index(cfg.accels, 2), "qtest");
    ck_assert_str_eq(cfg.machine_type, "virt-7.2");
    ck_assert_int_eq(cfg.gic_version, 3);
    ck_assert_str_eq(cfg.memory_backend, "mig.mem");
    ck_assert_int_eq(cfg.mem_backends->len, 1);
    ck_assert_uint_eq(g_array_index(cfg.mem_backends, VlMemBackend, 0).size,
                      150 * MiB);
    ck_assert_str_eq(cfg.name, "source");
    ck_assert_str_eq(cfg.cpu_model, "max");
    ck_assert_str_eq(cfg.incoming, "defer");
    ck_assert_int_eq(cfg.monitors->len, 1);
    vl_config_free(&cfg);
}
END_TEST

START_TEST(test_values)
{
    VlConfig cfg;

    ck_assert(parse(&cfg, "-m 2G -smp 4 -cpu cortex-a57,pmu=off -S "
                    "--nodefaults -M virt", NULL));
    ck_assert_uint_eq(cfg.ram_size, 2 * GiB);
    ck_assert_uint_eq(cfg.smp, 4);
    ck_assert_str_eq(cfg.cpu_model, "cortex-a57");
    ck_assert_str_eq(cfg.cpu_props, "pmu=off");
    ck_assert(cfg.start_paused && cfg.nodefaults);
    vl_config_free(&cfg);

    ck_assert(parse(&cfg, "-m 512", NULL));
    ck_assert_uint_eq(cfg.ram_size, 512 * MiB);
    vl_config_free(&cfg);
    ck_assert(parse(&cfg, "-smp sockets=2,cores=2", NULL));
    ck_assert_uint_eq(cfg.smp, 4);
    vl_config_free(&cfg);
    ck_assert(parse(&cfg, "-cpu help", NULL));
    ck_assert_int_eq(cfg.action, VL_CPU_HELP);
    vl_config_free(&cfg);
    ck_assert(parse(&cfg, "-machine help", NULL));
    ck_assert_int_eq(cfg.action, VL_MACHINE_HELP);
    vl_config_free(&cfg);
}
END_TEST

START_TEST(test_refusals)
{
    static const struct {
        const char *line;
        const char *msg;
    } cases[] = {
        { "-bogus", "-bogus: invalid option" },
        { "-m", "-m: requires an argument" },
        { "-m 1.5x", "-m: '1.5x' is not a valid size" },
        { "-m 0", "-m: 0 bytes: RAM must be a non-zero multiple of 1 MiB" },
        { "-m 1000k", "-m: 1024000 bytes: RAM must be a non-zero multiple of 1 MiB" },
        { "-smp 0", "-smp: 0 CPUs is out of range (1-255)" },
        { "-smp x", "-smp: 'x' is not a number" },
        { "-M virt,gic-version=4", "-M: gic-version '4' is not 2, 3, host or max" },
        { "-M virt,foo=bar", "-machine: invalid parameter 'foo'" },
        { "-M virt,virtualization=on", "-M: virtualization=on is not supported by this VMM" },
        { "-accel hax", "-accel: 'hax' is not an accelerator here (tcg, kvm, qtest)" },
        { "-accel tcg,foo=1", "-accel: invalid parameter 'foo'" },
        { "-display gtk", "-display: 'gtk' is not supported: this VMM has no display (only 'none')" },
        { "-mon chardev=x,mode=readline", "-mon: only mode=control (QMP) is supported; the human monitor is not implemented" },
        { "-mon mode=control", "-mon: chardev= is required" },
        { "-monitor stdio", "-monitor: the human monitor is not implemented; use -qmp or -mon mode=control" },
        { "-global nodot", "-global: 'nodot' is not driver.property=value" },
        { "-object foo,id=x", "-object: type 'foo' is not supported (memory-backend-ram, memory-backend-memfd)" },
        { "-object memory-backend-ram,size=1M", "-object: id= is required" },
        { "-object memory-backend-ram,id=m,size=zz", "parameter 'size' expects a size, not 'zz'" },
        { "-cpu ,pmu=on", "-cpu: missing CPU model name" },
        { "stray", "'stray': expected an option; arguments must follow an option" },
        { "-audio pa", "-audio: 'pa' is not supported (only 'none')" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        VlConfig cfg;
        g_autofree char *msg = NULL;
        ck_assert_msg(!parse(&cfg, cases[i].line, &msg), "'%s' accepted",
                      cases[i].line);
        ck_assert_msg(msg && !strcmp(msg, cases[i].msg), "'%s': got '%s'",
                      cases[i].line, msg);
        vl_config_free(&cfg);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("vl");
    TCase *tc = tcase_create("parse");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_full_harness_line);
    tcase_add_test(tc, test_values);
    tcase_add_test(tc, test_refusals);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
