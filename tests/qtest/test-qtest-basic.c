/*
 * The qtest protocol against the real binary: RAM access of every size,
 * PL011 output reaching a -serial file, out-of-range and malformed
 * requests, the virtual clock, and qtest beside -accel tcg as QEMU's
 * migration harness runs it (facts 4.2).
 */
#include "qemu/osdep.h"
#include <check.h>
#include "libqtest.h"

#define RAM_BASE   0x40000000ULL
#define PL011_DR   0x09000000ULL
#define TEST_MEM   0x40100000ULL   /* ARM_TEST_MEM_START of QEMU's harness */

static QTestState *qts;

static void teardown(void)
{
    qtest_quit(qts);
    qts = NULL;
}

static void assert_reply(const char *cmd, const char *expect)
{
    char *r = qtest_cmd(qts, "%s", cmd);

    ck_assert_msg(strcmp(r, expect) == 0, "'%s' -> '%s', expected '%s'", cmd,
                  r, expect);
    g_free(r);
}

static void assert_reply_prefix(const char *cmd, const char *prefix)
{
    char *r = qtest_cmd(qts, "%s", cmd);

    ck_assert_msg(g_str_has_prefix(r, prefix), "'%.60s' -> '%.80s', expected "
                  "'%s...'", cmd, r, prefix);
    g_free(r);
}

START_TEST(test_ram_rw)
{
    uint8_t buf[256], back[256];
    int i;

    qts = qtest_init("-M virt -m 256M");
    qtest_writeb(qts, TEST_MEM, 0xab);
    qtest_writew(qts, TEST_MEM + 2, 0xcdef);
    qtest_writel(qts, TEST_MEM + 4, 0x01234567);
    /* The migration harness's marker (facts 4.3). */
    qtest_writeq(qts, TEST_MEM + 3 * 1024 * 1024 + 1024, 0xFEED12345678CAFEULL);
    ck_assert_uint_eq(qtest_readb(qts, TEST_MEM), 0xab);
    ck_assert_uint_eq(qtest_readw(qts, TEST_MEM + 2), 0xcdef);
    ck_assert_uint_eq(qtest_readl(qts, TEST_MEM + 4), 0x01234567);
    ck_assert_uint_eq(qtest_readq(qts, TEST_MEM + 3 * 1024 * 1024 + 1024),
                      0xFEED12345678CAFEULL);
    ck_assert_uint_eq(qtest_readq(qts, TEST_MEM), 0x01234567cdef00abULL);
    assert_reply("readq 0x40100000", "OK 0x01234567cdef00ab");

    for (i = 0; i < 256; i++) {
        buf[i] = (uint8_t)(255 - i);
    }
    qtest_memwrite(qts, RAM_BASE + 0x10000, buf, sizeof(buf));
    qtest_memread(qts, RAM_BASE + 0x10000, back, sizeof(back));
    ck_assert(memcmp(buf, back, sizeof(buf)) == 0);
    qtest_memset(qts, RAM_BASE + 0x10000, 0x5a, 16);
    ck_assert_uint_eq(qtest_readq(qts, RAM_BASE + 0x10008),
                      0x5a5a5a5a5a5a5a5aULL);
    ck_assert_uint_eq(qtest_readb(qts, RAM_BASE + 0x10010), 255 - 16);
    assert_reply("b64write 0x40020000 5 aGVsbG8=", "OK");
    assert_reply("b64read 0x40020000 5", "OK aGVsbG8=");
    /* The last byte of RAM. */
    qtest_writeb(qts, RAM_BASE + 256 * 1024 * 1024 - 1, 0x99);
    ck_assert_uint_eq(qtest_readb(qts, RAM_BASE + 256 * 1024 * 1024 - 1), 0x99);
}
END_TEST

/* Poll a file until it holds at least len bytes (bounded). */
static char *wait_file(const char *path, gsize len)
{
    for (int i = 0; i < 600; i++) {
        char *contents = NULL;
        gsize got = 0;

        if (g_file_get_contents(path, &contents, &got, NULL) && got >= len) {
            return contents;
        }
        g_free(contents);
        g_usleep(100 * 1000);
    }
    return NULL;
}

START_TEST(test_pl011_serial_file)
{
    char *dir = g_dir_make_tmp("serial-XXXXXX", NULL);
    char *path = g_build_filename(dir, "serial.out", NULL);
    const char *msg = "Hello, PL011!\n";
    char *contents;

    qts = qtest_initf("-M virt -serial file:%s", path);
    /* Never initialised: QEMU's PL011 transmits anyway (facts 4.3). */
    for (const char *p = msg; *p; p++) {
        qtest_writeb(qts, PL011_DR, (uint8_t)*p);
    }
    contents = wait_file(path, strlen(msg));
    ck_assert_msg(contents, "serial file never got the bytes");
    ck_assert_str_eq(contents, msg);
    g_free(contents);
    /* A 32-bit store to DR sends its low byte. */
    qtest_writel(qts, PL011_DR, 'Z');
    contents = wait_file(path, strlen(msg) + 1);
    ck_assert_ptr_nonnull(contents);
    ck_assert_int_eq(contents[strlen(msg)], 'Z');
    g_free(contents);
    unlink(path);
    rmdir(dir);
    g_free(path);
    g_free(dir);
}
END_TEST

START_TEST(test_out_of_range)
{
    qts = qtest_init("-M virt -m 128M");
    assert_reply("readq 0x0", "OK 0x0000000000000000");
    assert_reply("writeq 0x0 0x1234", "OK");
    assert_reply("readl 0xfffffffffffffffc", "OK 0x0000000000000000");
    assert_reply("writel 0xfffffffffffffffc 1", "OK");
    assert_reply("read 0x48000000 4", "OK 0x00000000");   /* past 128M of RAM */
    assert_reply("memset 0x47fffffe 4 0xee", "OK");        /* straddles the end */
    assert_reply("read 0x47fffffe 4", "OK 0xeeee0000");
    assert_reply_prefix("read 0xfffffffffffffff0 0x20", "ERR read: range");
    assert_reply_prefix("read 0x40000000 0x40000000", "ERR read: size");
    assert_reply_prefix("memset 0x40000000 0xffffffffff 0", "ERR memset: size");
    assert_reply_prefix("b64read 0x40000000 0x2000000", "ERR b64read: size");
    /* Still working. */
    qtest_writeb(qts, RAM_BASE, 1);
    ck_assert_uint_eq(qtest_readb(qts, RAM_BASE), 1);
}
END_TEST

START_TEST(test_malformed)
{
    char *r;

    qts = qtest_init("-M virt");
    assert_reply("nonsense", "FAIL Unknown command 'nonsense'");
    assert_reply_prefix("readb", "ERR readb: expected 1 argument");
    assert_reply_prefix("readb xyz", "ERR readb: invalid address");
    assert_reply_prefix("writeb 0x40000000", "ERR writeb: expected 2");
    assert_reply_prefix("writeb 0x40000000 1 2", "ERR writeb: expected 2");
    assert_reply_prefix("write 0x40000000 2 0xzz", "ERR write: invalid hex");
    assert_reply_prefix("write 0x40000000 1 0x0102", "ERR write:");
    assert_reply_prefix("b64write 0x40000000 4 !!!!", "ERR b64write");
    assert_reply_prefix("memset 0x40000000 4 256", "ERR memset: value");
    assert_reply_prefix("clock_step abc", "ERR clock_step");
    /* Windows line endings and extra blanks. */
    assert_reply("writeb  0x40000000   0x42\r", "OK");
    ck_assert_uint_eq(qtest_readb(qts, RAM_BASE), 0x42);
    /* Blank lines get no reply: the next reply belongs to the next command. */
    qtest_send_raw(qts, "\n\n  \nendianness\n", strlen("\n\n  \nendianness\n"));
    r = qtest_recv_line(qts);
    ck_assert_str_eq(r, "OK little");
    g_free(r);
    /* Several commands in one write. */
    qtest_send_raw(qts, "readb 0x40000000\nbogus\n", 23);
    r = qtest_recv_line(qts);
    ck_assert_str_eq(r, "OK 0x0000000000000042");
    g_free(r);
    r = qtest_recv_line(qts);
    ck_assert_str_eq(r, "FAIL Unknown command 'bogus'");
    g_free(r);
    /* A NUL byte inside a line. */
    qtest_send_raw(qts, "readb\0 0x0\n", 11);
    r = qtest_recv_line(qts);
    ck_assert_str_eq(r, "ERR line contains a NUL byte");
    g_free(r);
    ck_assert_uint_eq(qtest_readb(qts, RAM_BASE), 0x42);
}
END_TEST

START_TEST(test_huge_line)
{
    const size_t chunk = 1024 * 1024;
    char *junk = g_malloc(chunk);
    char *r;

    qts = qtest_init("-M virt");
    qtest_writeb(qts, TEST_MEM, 0x33);
    memset(junk, 'a', chunk);
    /* 41 MiB without a newline, past the 40 MiB line limit. */
    for (int i = 0; i < 41; i++) {
        qtest_send_raw(qts, junk, chunk);
    }
    qtest_send_raw(qts, "\n", 1);
    r = qtest_recv_line(qts);
    ck_assert_msg(g_str_has_prefix(r, "ERR line exceeds"), "%.80s", r);
    g_free(r);
    ck_assert_uint_eq(qtest_readb(qts, TEST_MEM), 0x33);
    g_free(junk);
}
END_TEST

START_TEST(test_clock)
{
    int64_t t0, t1;

    qts = qtest_init("-M virt");
    t0 = qtest_clock_step(qts, 0);
    t1 = qtest_clock_step(qts, 1000000);
    ck_assert_int_eq(t1, t0 + 1000000);
    ck_assert_int_eq(qtest_clock_set(qts, t1 + 5000), t1 + 5000);
    /* Time never goes backwards. */
    ck_assert_int_eq(qtest_clock_set(qts, 0), t1 + 5000);
    /* Stepping to the next deadline never goes backwards either. */
    ck_assert_int_ge(qtest_clock_step(qts, -1), t1 + 5000);
    assert_reply_prefix("clock_set -1", "ERR clock_set");
}
END_TEST

/* QEMU's migration harness: -accel tcg first, libqtest's -accel qtest last. */
START_TEST(test_beside_tcg)
{
    qts = qtest_init("-accel tcg -M virt -S");
    qtest_writeq(qts, TEST_MEM, 0x1122334455667788ULL);
    ck_assert_uint_eq(qtest_readq(qts, TEST_MEM), 0x1122334455667788ULL);
    assert_reply("endianness", "OK little");
}
END_TEST

static Suite *qtest_basic_suite(void)
{
    Suite *s = suite_create("qtest-basic");
    TCase *tc = tcase_create("qtest");

    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, test_ram_rw);
    tcase_add_test(tc, test_pl011_serial_file);
    tcase_add_test(tc, test_out_of_range);
    tcase_add_test(tc, test_malformed);
    tcase_add_test(tc, test_huge_line);
    tcase_add_test(tc, test_clock);
    tcase_add_test(tc, test_beside_tcg);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(qtest_basic_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
