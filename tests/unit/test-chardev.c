/*
 * Character devices (chardev/): the legacy spec parser, file output, and a
 * socket server whose client stops reading (queued, then dropped, never
 * blocking the caller).
 */
#include "qemu/osdep.h"
#include <check.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "chardev/char.h"
#include "qemu/main-loop.h"

static int nevents_opened, nevents_closed;

static void on_event(void *opaque, ChrEvent ev)
{
    if (ev == CHR_EVENT_OPENED) {
        nevents_opened++;
    } else {
        nevents_closed++;
    }
}

START_TEST(test_spec_errors)
{
    static const struct {
        const char *spec;
        const char *msg;
    } cases[] = {
        { "vc", "'vc' is not a supported character device (stdio, null, "
                "file:, pipe:, unix:, tcp:, chardev:)" },
        { "tcp:nocolon", "'tcp:nocolon': expected tcp:HOST:PORT" },
        { "chardev:missing", "chardev 'missing' not found" },
        { "unix:/tmp/x,bogus=1", "chardev 'bad': invalid parameter 'bogus'" },
        { "file:/nonexistent-dir/x", "chardev 'bad': cannot open "
                                     "'/nonexistent-dir/x': No such file or directory" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        Error *err = NULL;
        ck_assert_ptr_null(qemu_chr_new("bad", cases[i].spec, &err));
        ck_assert_msg(err && !strcmp(error_get_pretty(err), cases[i].msg),
                      "%s: got '%s'", cases[i].spec,
                      err ? error_get_pretty(err) : "(none)");
        error_free(err);
    }
}
END_TEST

START_TEST(test_file_output)
{
    g_autofree char *path = g_strdup_printf("/tmp/test-chardev-%d", getpid());
    g_autofree char *spec = g_strdup_printf("file:%s", path);
    Chardev *chr = qemu_chr_new("f", spec, &error_abort);
    g_autofree gchar *data = NULL;
    gsize len;

    ck_assert_int_eq(qemu_chr_fe_write_all(chr, (const uint8_t *)"abc", 3), 3);
    ck_assert(g_file_get_contents(path, &data, &len, NULL));
    ck_assert_uint_eq(len, 3);
    unlink(path);
    qemu_chr_cleanup();
}
END_TEST

START_TEST(test_slow_client_dropped)
{
    g_autofree char *path = g_strdup_printf("/tmp/test-chardev-%d.sock",
                                            getpid());
    g_autofree char *spec = g_strdup_printf("unix:%s,server=on,wait=off",
                                            path);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    Chardev *chr = qemu_chr_new("s", spec, &error_abort);
    g_autofree uint8_t *chunk = g_malloc0(MiB);
    int fd, rc = 0;
    uint64_t written = 0;

    qemu_chr_fe_set_handlers(chr, NULL, NULL, on_event, NULL);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    strcpy(sa.sun_path, path);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    for (int i = 0; i < 100 && !qemu_chr_fe_connected(chr); i++) {
        main_loop_wait(false);
        g_usleep(1000);
    }
    ck_assert(qemu_chr_fe_connected(chr));
    ck_assert_int_eq(nevents_opened, 1);
    /* The client never reads: writes queue, then the client is dropped. */
    while (written < 64 * MiB) {
        rc = qemu_chr_fe_write_all(chr, chunk, MiB);
        if (rc < 0) {
            break;
        }
        written += MiB;
    }
    ck_assert_int_eq(rc, -1);
    ck_assert_uint_ge(written, 16 * MiB);
    ck_assert(!qemu_chr_fe_connected(chr));
    ck_assert_int_eq(nevents_closed, 1);
    close(fd);
    qemu_chr_cleanup();
}
END_TEST

/* -chardev null with a stray option is refused and leaves nothing behind. */
START_TEST(test_null_stray_option)
{
    Error *err = NULL;
    QemuOpts *opts = qemu_opts_parse("null,id=n0,bogus=1", "backend",
                                     &error_abort);

    ck_assert_ptr_null(qemu_chr_new_from_opts(opts, &err));
    ck_assert_str_eq(error_get_pretty(err),
                     "chardev 'n0': invalid parameter 'bogus'");
    ck_assert_ptr_null(qemu_chr_find("n0"));
    error_free(err);
    qemu_opts_free(opts);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("chardev");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    qemu_init_main_loop();
    tcase_add_test(tc, test_spec_errors);
    tcase_add_test(tc, test_file_output);
    tcase_add_test(tc, test_null_stray_option);
    tcase_add_test(tc, test_slow_client_dropped);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
