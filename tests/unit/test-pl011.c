/*
 * The PL011 UART (hw/char/pl011.c): reset values, transmit while disabled,
 * receive FIFO and interrupts, and its migration section byte for byte.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "hw/char/pl011.h"
#include "chardev/char-internal.h"
#include "migration/vmstate.h"

#define BASE 0x09000000

static PL011State *uart;
static Chardev *chr;
static char *outfile;
static int irq_level;

static void irq_handler(void *opaque, int n, int level)
{
    irq_level = level;
}

static uint32_t rd(hwaddr off)
{
    uint64_t v;
    ck_assert_int_eq(address_space_ld(&address_space_memory, BASE + off, 4, &v),
                     MEMTX_OK);
    return v;
}

static void wr(hwaddr off, uint32_t v)
{
    ck_assert_int_eq(address_space_st(&address_space_memory, BASE + off, 4, v),
                     MEMTX_OK);
}

static void setup(void)
{
    g_autofree char *spec = NULL;
    static int n;
    g_autofree char *label = g_strdup_printf("s%d", n++);

    outfile = g_strdup_printf("/tmp/test-pl011-%d.out", getpid());
    spec = g_strdup_printf("file:%s", outfile);
    chr = qemu_chr_new(label, spec, &error_abort);
    uart = pl011_create(BASE, chr, qemu_allocate_irq(irq_handler, NULL, 0),
                        &error_abort);
}

static void teardown(void)
{
    address_space_unmap_all(&address_space_memory);
    unlink(outfile);
    g_free(outfile);
}

START_TEST(test_reset_and_id)
{
    ck_assert_uint_eq(rd(0x18), 0x90);          /* FR: TXFE | RXFE */
    ck_assert_uint_eq(rd(0x30), 0x300);         /* CR: TXE | RXE */
    ck_assert_uint_eq(rd(0x34), 0x12);          /* IFLS */
    ck_assert_uint_eq(rd(0xfe0), 0x11);
    ck_assert_uint_eq(rd(0xff0), 0x0d);
    ck_assert_uint_eq(rd(0xffc), 0xb1);
}
END_TEST

START_TEST(test_transmit_disabled)
{
    g_autofree gchar *data = NULL;
    gsize len;

    /* The A/B guest never enables the UART; QEMU sends anyway. */
    wr(0x00, 'A');
    wr(0x00, 'B');
    ck_assert(g_file_get_contents(outfile, &data, &len, NULL));
    ck_assert_uint_eq(len, 2);
    ck_assert_mem_eq(data, "AB", 2);
    ck_assert_uint_eq(rd(0x3c) & 0x20, 0x20);   /* RIS.TX */
    ck_assert_int_eq(irq_level, 0);             /* masked */
    wr(0x38, 0x20);                             /* IMSC.TX */
    ck_assert_int_eq(irq_level, 1);
    wr(0x44, 0x20);                             /* ICR */
    ck_assert_int_eq(irq_level, 0);
}
END_TEST

START_TEST(test_receive_fifo)
{
    const uint8_t in[] = "hello";

    wr(0x2c, 0x10);                              /* LCR_H.FEN */
    ck_assert_int_eq(chr->fe_can_read(chr->fe_opaque), PL011_FIFO_DEPTH);
    chr->fe_read(chr->fe_opaque, in, 5);
    ck_assert_uint_eq(rd(0x18) & 0x10, 0);       /* not empty */
    for (int i = 0; i < 5; i++) {
        ck_assert_uint_eq(rd(0x00), in[i]);
    }
    ck_assert_uint_eq(rd(0x18) & 0x10, 0x10);    /* empty again */
    /* Without the FIFO, one character at a time. */
    wr(0x2c, 0);
    ck_assert_int_eq(chr->fe_can_read(chr->fe_opaque), 1);
}
END_TEST

/* QEMU's "pl011" v2 body: 8 u32, 16 u32 FIFO, 4 u32, 3 i32 = 124 bytes. */
START_TEST(test_vmstate_bytes)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    const uint8_t *buf;
    size_t len;
    Error *err = NULL;

    wr(0x24, 0x1234);                            /* IBRD */
    ck_assert(vmstate_save_state(f, &vmstate_pl011, uart, NULL, &err));
    qemu_fflush(f);
    buf = qemu_file_mem_data(f, &len);
    ck_assert_uint_eq(len, 124);
    /* flags (FR) is the second word, big-endian. */
    ck_assert_mem_eq(buf + 4, "\x00\x00\x00\x90", 4);
    /* ibrd sits after 8 words and 16 FIFO words, then ilpr. */
    ck_assert_mem_eq(buf + 4 * (8 + 16 + 1), "\x00\x00\x12\x34", 4);
    /* read_trigger (last): 1 without FIFO. */
    ck_assert_mem_eq(buf + 120, "\x00\x00\x00\x01", 4);
    qemu_fclose(f);
}
END_TEST

START_TEST(test_vmstate_hostile)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    QEMUFile *r;
    uint8_t *buf;
    size_t len;
    Error *err = NULL;

    ck_assert(vmstate_save_state(f, &vmstate_pl011, uart, NULL, &err));
    qemu_fflush(f);
    buf = qemu_file_mem_steal(f, &len);
    qemu_fclose(f);
    /* read_pos = 0x7fffffff would index far outside the FIFO. */
    memcpy(buf + 112, "\x7f\xff\xff\xff", 4);
    r = qemu_file_new_mem_reader(buf, len);
    ck_assert(!vmstate_load_state(r, &vmstate_pl011, uart, 2, &err));
    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err),
                                 "receive FIFO position 2147483647"));
    error_free(err);
    qemu_fclose(r);
    g_free(buf);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pl011");
    TCase *tc = tcase_create("core");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_and_id);
    tcase_add_test(tc, test_transmit_disabled);
    tcase_add_test(tc, test_receive_fifo);
    tcase_add_test(tc, test_vmstate_bytes);
    tcase_add_test(tc, test_vmstate_hostile);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
