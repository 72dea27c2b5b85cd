/*
 * Unit tests for the qtest protocol parser (system/qtest.c).
 *
 * Each test maps 1 MiB of RAM at 0x40000000 and a recording MMIO device
 * at 0x09000000 into address_space_memory, then feeds protocol lines to
 * qtest_process_line() and checks the reply text and the memory effects.
 * Check runs every test in its own process, so the mappings are fresh.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "system/memory.h"
#include "system/qtest.h"
#include "qemu/timer.h"

#define RAM_BASE  0x40000000ULL
#define RAM_SIZE  (1 * MiB)
#define MMIO_BASE 0x09000000ULL

static MemoryRegion *ram;

/* The MMIO device records its last access; reads return 0x11223344 + off. */
static struct {
    unsigned reads, writes, size;
    hwaddr offset;
    uint64_t value;
} dev;

static uint64_t dev_read(void *opaque, hwaddr offset, unsigned size)
{
    dev.reads++;
    dev.size = size;
    dev.offset = offset;
    return 0x11223344 + offset;
}

static void dev_write(void *opaque, hwaddr offset, uint64_t value,
                      unsigned size)
{
    dev.writes++;
    dev.size = size;
    dev.offset = offset;
    dev.value = value;
}

static const MemoryRegionOps dev_ops = {
    .read = dev_read,
    .write = dev_write,
    .min_access_size = 1,
    .max_access_size = 4,
};

static void setup(void)
{
    MemoryRegion *io = memory_region_new_io("testdev", 0x1000, &dev_ops, NULL);

    ram = memory_region_new_ram("test.ram", RAM_SIZE, NULL);
    ck_assert_ptr_nonnull(ram);
    ck_assert(address_space_map_region(&address_space_memory, ram, RAM_BASE,
                                       NULL));
    ck_assert(address_space_map_region(&address_space_memory, io, MMIO_BASE,
                                       NULL));
    memset(&dev, 0, sizeof(dev));
    qemu_clock_use_qtest();
}

static void teardown(void)
{
}

/* Run one line and compare the whole reply. */
#define ck_reply(line, expect) do {                  \
        char *r_ = qtest_process_line(line);        \
        ck_assert_ptr_nonnull(r_);                  \
        ck_assert_str_eq(r_, expect);               \
        g_free(r_);                                 \
    } while (0)

/* Run one line and check the reply's prefix. */
#define ck_reply_prefix(line, prefix) do {                          \
        char *r_ = qtest_process_line(line);                        \
        ck_assert_ptr_nonnull(r_);                                  \
        ck_assert_msg(g_str_has_prefix(r_, prefix),                 \
                      "'%s' -> '%s', expected prefix '%s'",         \
                      line, r_, prefix);                            \
        g_free(r_);                                                 \
    } while (0)

START_TEST(test_endianness)
{
    ck_reply("endianness", "OK little");
    ck_reply("endianness\r", "OK little");
    ck_reply_prefix("endianness x", "ERR endianness: expected 0 arguments");
}
END_TEST

START_TEST(test_write_read_sizes)
{
    ck_reply("writeb 0x40000000 0x12", "OK");
    ck_assert_uint_eq(ram->host[0], 0x12);
    ck_reply("readb 0x40000000", "OK 0x0000000000000012");
    ck_reply("writew 0x40000010 0xbeef", "OK");
    ck_reply("readw 0x40000010", "OK 0x000000000000beef");
    ck_assert_uint_eq(ram->host[0x10], 0xef);   /* little-endian */
    ck_reply("writel 0x40000020 0xdeadbeef", "OK");
    ck_reply("readl 0x40000020", "OK 0x00000000deadbeef");
    ck_reply("writeq 0x40000030 0xfeed12345678cafe", "OK");
    ck_reply("readq 0x40000030", "OK 0xfeed12345678cafe");
    ck_reply("readb 0x40000037", "OK 0x00000000000000fe");
    /* Decimal and octal numbers, as C's strtoull reads them. */
    ck_reply("writeb 1073741888 010", "OK");
    ck_reply("readb 0x40000040", "OK 0x0000000000000008");
    /* Values wider than the access are truncated, as QEMU does. */
    ck_reply("writeb 0x40000050 0x1ff", "OK");
    ck_reply("readw 0x40000050", "OK 0x00000000000000ff");
}
END_TEST

START_TEST(test_dirty_tracking)
{
    ck_reply("writeb 0x40003000 1", "OK");
    ck_assert(ram->dirty[0] & (1UL << 3));
}
END_TEST

START_TEST(test_mmio_access_size)
{
    ck_reply("writel 0x09000004 0xabcd", "OK");
    ck_assert_uint_eq(dev.writes, 1);
    ck_assert_uint_eq(dev.size, 4);
    ck_assert_uint_eq(dev.offset, 4);
    ck_assert_uint_eq(dev.value, 0xabcd);
    ck_reply("readw 0x09000008", "OK 0x000000000000334c");
    ck_assert_uint_eq(dev.reads, 1);
    ck_assert_uint_eq(dev.size, 2);
    ck_reply("writeb 0x09000000 0x41", "OK");
    ck_assert_uint_eq(dev.size, 1);
    ck_assert_uint_eq(dev.value, 0x41);
}
END_TEST

START_TEST(test_unmapped)
{
    ck_reply("readq 0x0", "OK 0x0000000000000000");
    ck_reply("writeq 0x100 5", "OK");
    ck_reply("readl 0xfffffffffffffff0", "OK 0x0000000000000000");
    ck_reply("read 0x1000 4", "OK 0x00000000");
    /* A range straddling the end of RAM: the mapped part is served. */
    ram->host[RAM_SIZE - 1] = 0x5a;
    ck_reply("read 0x400ffffe 4", "OK 0x005a0000");
    ck_reply("write 0x400fffff 2 0x6b7c", "OK");
    ck_assert_uint_eq(ram->host[RAM_SIZE - 1], 0x6b);
    ck_reply("memset 0x3ffff000 0x2000 0x77", "OK");
    ck_assert_uint_eq(ram->host[0], 0x77);
    ck_assert_uint_eq(ram->host[0x1000], 0);
}
END_TEST

START_TEST(test_read_write_hex)
{
    ck_reply("write 0x40000100 4 0x01020304", "OK");
    ck_reply("read 0x40000100 4", "OK 0x01020304");
    ck_reply("readl 0x40000100", "OK 0x0000000004030201");
    /* Short data: the rest is zero-filled. */
    ck_reply("write 0x40000100 4 0xAB", "OK");
    ck_reply("read 0x40000100 4", "OK 0xab000000");
    ck_reply("read 0x40000100 0", "OK 0x");
    ck_reply_prefix("write 0x40000100 2 0x010203", "ERR write: 3 bytes");
    ck_reply_prefix("write 0x40000100 2 0x012", "ERR write: odd");
    ck_reply_prefix("write 0x40000100 2 0x01zz", "ERR write: invalid hex");
    ck_reply_prefix("write 0x40000100 2 0102", "ERR write: data must start");
    ck_reply_prefix("write 0x40000100 2", "ERR write: expected 3 arguments");
}
END_TEST

START_TEST(test_b64)
{
    ck_reply("b64write 0x40000200 5 aGVsbG8=", "OK");
    ck_assert(memcmp(ram->host + 0x200, "hello", 5) == 0);
    ck_reply("b64read 0x40000200 5", "OK aGVsbG8=");
    /* Decoded data longer than SIZE: at most SIZE bytes are written. */
    ck_reply("b64write 0x40000300 2 aGVsbG8=", "OK");
    ck_assert(memcmp(ram->host + 0x300, "he\0", 3) == 0);
    ck_reply_prefix("b64write 0x40000300 2 a*b=", "ERR b64write: invalid");
    ck_reply_prefix("b64write 0x40000300 2 abc", "ERR b64write: invalid");
}
END_TEST

START_TEST(test_memset)
{
    ck_reply("memset 0x40000400 16 0xa5", "OK");
    ck_reply("read 0x40000400 17", "OK 0xa5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a500");
    ck_reply("memset 0x40000400 0 0xa5", "OK");
    ck_reply_prefix("memset 0x40000400 4 0x100", "ERR memset: value");
}
END_TEST

START_TEST(test_bounds)
{
    ck_reply_prefix("read 0x40000000 0x1000001", "ERR read: size 16777217 "
                    "exceeds");
    ck_reply_prefix("memset 0x40000000 0xffffffffffffffff 0", "ERR memset: size");
    ck_reply_prefix("b64read 0x40000000 99999999999", "ERR b64read: size");
    ck_reply_prefix("read 0xffffffffffffff00 0x200", "ERR read: range");
    ck_reply_prefix("read 0x40000000 0x10000000000000000", "ERR read: invalid size");
    /* The largest allowed size is served. */
    {
        char *r = qtest_process_line("read 0x40000000 0x1000000");
        ck_assert_uint_eq(strlen(r), 5 + 2 * 16 * MiB);
        g_free(r);
    }
}
END_TEST

START_TEST(test_malformed)
{
    ck_assert_ptr_null(qtest_process_line(""));
    ck_assert_ptr_null(qtest_process_line("   \r"));
    ck_assert_ptr_null(qtest_process_line(NULL));
    ck_reply("frobnicate 1 2", "FAIL Unknown command 'frobnicate'");
    ck_reply("READB 0x0", "FAIL Unknown command 'READB'");
    ck_reply_prefix("readb", "ERR readb: expected 1 argument, got 0");
    ck_reply_prefix("readb 1 2", "ERR readb: expected 1 argument, got 2");
    ck_reply_prefix("readb zz", "ERR readb: invalid address 'zz'");
    ck_reply_prefix("readb -1", "ERR readb: invalid address");
    ck_reply_prefix("readb 0x", "ERR readb: invalid address");
    ck_reply_prefix("writel 0x40000000 0xg", "ERR writel: invalid value");
    ck_reply_prefix("writel 0x40000000", "ERR writel: expected 2");
    ck_reply_prefix("read 0x40000000 ten", "ERR read: invalid size 'ten'");
    ck_reply_prefix("clock_set", "ERR clock_set: expected 1 argument");
    ck_reply_prefix("clock_step 1 2", "ERR clock_step: expected 0 to 1");
    /* Extra blanks between words are tolerated. */
    ck_reply("writeb  0x40000000\t 7 ", "OK");
    ck_reply("readb 0x40000000", "OK 0x0000000000000007");
    /* A huge unknown command name is cut short in the reply. */
    {
        char *name = g_strnfill(1000, 'x');
        char *r = qtest_process_line(name);
        ck_assert(g_str_has_prefix(r, "FAIL Unknown command 'xxx"));
        ck_assert_uint_lt(strlen(r), 100);
        g_free(r);
        g_free(name);
    }
}
END_TEST

static int timer_fired;
static int64_t timer_fired_at;

static void timer_cb(void *opaque)
{
    timer_fired++;
    timer_fired_at = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

START_TEST(test_clock)
{
    QEMUTimer *t = timer_new_ns(QEMU_CLOCK_VIRTUAL, timer_cb, NULL);
    int64_t start = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    char *expect;

    /* Nothing armed: clock_step without argument leaves time alone. */
    expect = g_strdup_printf("OK %" PRIi64, start);
    ck_reply("clock_step", expect);
    g_free(expect);

    timer_mod_ns(t, start + 1000);
    expect = g_strdup_printf("OK %" PRIi64, start + 1000);
    ck_reply("clock_step", expect);   /* runs to the deadline */
    g_free(expect);
    ck_assert_int_eq(timer_fired, 1);
    ck_assert_int_eq(timer_fired_at, start + 1000);

    timer_mod_ns(t, start + 1500);
    expect = g_strdup_printf("OK %" PRIi64, start + 3000);
    ck_reply("clock_step 2000", expect);
    g_free(expect);
    ck_assert_int_eq(timer_fired, 2);

    ck_reply("clock_set 5000000", "OK 5000000");
    /* Backwards is refused silently: time stays. */
    ck_reply("clock_set 100", "OK 5000000");
    ck_reply_prefix("clock_step -5", "ERR clock_step: invalid step");
    ck_reply_prefix("clock_set x", "ERR clock_set: invalid time");
    ck_reply_prefix("clock_step 9223372036854775807", "ERR clock_step: step");
    timer_free(t);
}
END_TEST

/*
 * Lines assembled from protocol words and random numbers, fixed seed:
 * every line gets a well-formed reply (or none, when blank) and nothing
 * crashes; under ASan this also checks every buffer access.
 */
START_TEST(test_random_lines)
{
    static const char *const words[] = {
        "readb", "readw", "readl", "readq", "writeb", "writew", "writel",
        "writeq", "read", "write", "b64read", "b64write", "memset",
        "clock_step", "clock_set", "endianness", "0x", "-1", "zz", "0x0",
        "0x40000000", "0x400ffff0", "0xffffffffffffffff", "16", "0x1000001",
        "0xab", "aGk=", "0x0102", "", "\t",
    };
    GRand *rng = g_rand_new_with_seed(4242);
    int i, j;

    for (i = 0; i < 5000; i++) {
        GString *line = g_string_new(NULL);
        int n = g_rand_int_range(rng, 0, 5);
        char *r;

        for (j = 0; j < n; j++) {
            if (g_rand_boolean(rng)) {
                g_string_append(line, words[g_rand_int_range(
                    rng, 0, G_N_ELEMENTS(words))]);
            } else {
                g_string_append_printf(line, "0x%x", g_rand_int(rng));
            }
            g_string_append_c(line, ' ');
        }
        r = qtest_process_line(line->str);
        ck_assert_msg(!r || g_str_has_prefix(r, "OK") ||
                      g_str_has_prefix(r, "ERR ") ||
                      g_str_has_prefix(r, "FAIL "), "'%s' -> '%s'",
                      line->str, r);
        g_free(r);
        g_string_free(line, TRUE);
    }
    g_rand_free(rng);
}
END_TEST

static Suite *qtest_parser_suite(void)
{
    Suite *s = suite_create("qtest-parser");
    TCase *tc = tcase_create("parser");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_endianness);
    tcase_add_test(tc, test_write_read_sizes);
    tcase_add_test(tc, test_dirty_tracking);
    tcase_add_test(tc, test_mmio_access_size);
    tcase_add_test(tc, test_unmapped);
    tcase_add_test(tc, test_read_write_hex);
    tcase_add_test(tc, test_b64);
    tcase_add_test(tc, test_memset);
    tcase_add_test(tc, test_bounds);
    tcase_add_test(tc, test_malformed);
    tcase_add_test(tc, test_clock);
    tcase_add_test(tc, test_random_lines);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(qtest_parser_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
