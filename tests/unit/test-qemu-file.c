/*
 * The migration byte stream (migration/qemu-file.c): big-endian encodings,
 * counted strings, sticky errors, truncation, descriptors, accounting and
 * the bandwidth limit.
 */
#include "qemu/osdep.h"
#include <check.h>
#include <signal.h>
#include <sys/socket.h>
#include "migration/qemu-file.h"

static uint8_t *written(QEMUFile *f, size_t *len)
{
    const uint8_t *data = qemu_file_mem_data(f, len);
    return g_memdup2(data, *len ? *len : 1);
}

START_TEST(test_put_bytes)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    static const uint8_t expect[] = {
        0xab,
        0x12, 0x34,
        0xde, 0xad, 0xbe, 0xef,
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
        0x03, 'r', 'a', 'm',
        'x', 'y',
    };
    size_t len;
    g_autofree uint8_t *data = NULL;

    qemu_put_byte(f, 0xab);
    qemu_put_be16(f, 0x1234);
    qemu_put_be32(f, 0xdeadbeef);
    qemu_put_be64(f, 0x0123456789abcdefULL);
    qemu_put_counted_string(f, "ram");
    qemu_put_buffer(f, "xy", 2);
    data = written(f, &len);
    ck_assert_uint_eq(len, sizeof(expect));
    ck_assert_mem_eq(data, expect, sizeof(expect));
    ck_assert_uint_eq(qemu_file_transferred(f), sizeof(expect));
    ck_assert_int_eq(qemu_fclose(f), 0);
}
END_TEST

START_TEST(test_get_roundtrip)
{
    static const uint8_t in[] = {
        0xab, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef,
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
        0x03, 'r', 'a', 'm', 'x', 'y',
    };
    QEMUFile *f = qemu_file_new_mem_reader(in, sizeof(in));
    char name[QEMU_FILE_IDSTR_MAX + 1];
    uint8_t xy[2];

    ck_assert_int_eq(qemu_peek_byte(f, 0), 0xab);
    ck_assert_int_eq(qemu_peek_byte(f, 1), 0x12);
    ck_assert_uint_eq(qemu_get_byte(f), 0xab);
    ck_assert_uint_eq(qemu_get_be16(f), 0x1234);
    ck_assert_uint_eq(qemu_get_be32(f), 0xdeadbeef);
    ck_assert_uint_eq(qemu_get_be64(f), 0x0123456789abcdefULL);
    ck_assert_int_eq(qemu_get_counted_string(f, name), 3);
    ck_assert_str_eq(name, "ram");
    ck_assert(qemu_get_buffer(f, xy, 2));
    ck_assert_mem_eq(xy, "xy", 2);
    ck_assert_int_eq(qemu_file_get_error(f), 0);
    ck_assert(qemu_file_eof(f));
    ck_assert_int_eq(qemu_peek_byte(f, 0), -1);
    ck_assert_uint_eq(qemu_file_transferred(f), sizeof(in));
    qemu_fclose(f);
}
END_TEST

/* Reading past the end is an error, it sticks, and later reads give 0. */
START_TEST(test_truncated_read)
{
    static const uint8_t in[] = { 0x00, 0x00, 0x01 };
    QEMUFile *f = qemu_file_new_mem_reader(in, sizeof(in));
    Error *err = NULL;

    ck_assert_uint_eq(qemu_get_be32(f), 0);
    ck_assert_int_eq(qemu_file_get_error(f), -EIO);
    ck_assert(qemu_file_get_error_obj(f, &err));
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "end of"));
    error_free(err);
    ck_assert_uint_eq(qemu_get_byte(f), 0);
    ck_assert_int_eq(qemu_fclose(f), -EIO);
}
END_TEST

START_TEST(test_first_error_wins)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    Error *e1 = NULL, *e2 = NULL, *got = NULL;
    size_t len;

    error_setg(&e1, "first");
    error_setg(&e2, "second");
    qemu_file_set_error_obj(f, -EPIPE, e1);
    qemu_file_set_error_obj(f, -EINVAL, e2);
    ck_assert_int_eq(qemu_file_get_error(f), -EPIPE);
    ck_assert(qemu_file_get_error_obj(f, &got));
    ck_assert_str_eq(error_get_pretty(got), "first");
    error_free(got);
    got = NULL;
    /* Writes after an error are dropped. */
    qemu_put_be32(f, 1);
    qemu_file_mem_data(f, &len);
    ck_assert_uint_eq(len, 0);
    ck_assert(!qemu_file_close(f, &got));
    ck_assert_str_eq(error_get_pretty(got), "first");
    error_free(got);
}
END_TEST

START_TEST(test_counted_string_too_long)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    char *s = g_strnfill(256, 'a');

    qemu_put_counted_string(f, s);
    ck_assert_int_eq(qemu_file_get_error(f), -EINVAL);
    g_free(s);
    qemu_fclose(f);
}
END_TEST

/* A descriptor stream: what one side writes, the other reads. */
START_TEST(test_fd_pipe)
{
    int fds[2];
    QEMUFile *w, *r;
    uint8_t big[1000];
    uint8_t back[1000];

    ck_assert_int_eq(pipe(fds), 0);
    for (size_t i = 0; i < sizeof(big); i++) {
        big[i] = i * 7;
    }
    r = qemu_file_new_fd(fds[0], false);
    w = qemu_file_new_fd(fds[1], true);
    ck_assert(qemu_file_is_writable(w));
    ck_assert(!qemu_file_is_writable(r));
    /* 1008 bytes fit in the pipe: no reader thread needed. */
    qemu_put_be64(w, 42);
    qemu_put_buffer(w, big, 1000);
    qemu_fflush(w);
    ck_assert_uint_eq(qemu_get_be64(r), 42);
    ck_assert(qemu_get_buffer(r, back, 1000));
    ck_assert_mem_eq(back, big, 1000);
    ck_assert_int_eq(qemu_fclose(w), 0);
    /* Writer closed: the reader sees the end of the stream. */
    ck_assert(qemu_file_eof(r));
    ck_assert(!qemu_get_buffer(r, back, 1));
    ck_assert_int_ne(qemu_file_get_error(r), 0);
    qemu_fclose(r);
}
END_TEST

/* Writing to a pipe nobody reads fails cleanly (no SIGPIPE death). */
START_TEST(test_fd_broken_pipe)
{
    int fds[2];
    QEMUFile *w;
    uint8_t buf[4096] = { 0 };
    Error *err = NULL;

    signal(SIGPIPE, SIG_IGN);
    ck_assert_int_eq(pipe(fds), 0);
    close(fds[0]);
    w = qemu_file_new_fd(fds[1], true);
    qemu_put_buffer(w, buf, sizeof(buf));
    qemu_fflush(w);
    ck_assert_int_eq(qemu_file_get_error(w), -EPIPE);
    ck_assert(!qemu_file_close(w, &err));
    ck_assert_ptr_nonnull(strstr(error_get_pretty(err), "write"));
    error_free(err);
}
END_TEST

START_TEST(test_rate_limit)
{
    QEMUFile *f = qemu_file_new_mem_writer();
    uint8_t buf[200] = { 0 };

    ck_assert(!qemu_file_rate_limit(f));             /* unlimited */
    qemu_put_buffer(f, buf, sizeof(buf));
    ck_assert(!qemu_file_rate_limit(f));
    /* 1000 bytes/s: a 100 ms window allows 100 bytes. */
    qemu_file_set_rate_limit(f, 1000);
    ck_assert_uint_eq(qemu_file_get_rate_limit(f), 1000);
    qemu_put_buffer(f, buf, sizeof(buf));
    ck_assert(qemu_file_rate_limit(f));
    ck_assert_int_le(qemu_file_rate_limit_wait_us(f), 100000);
    /* An errored stream always reports "limited", so senders stop. */
    qemu_file_set_rate_limit(f, 0);
    ck_assert(!qemu_file_rate_limit(f));
    qemu_file_set_error(f, -EIO);
    ck_assert(qemu_file_rate_limit(f));
    qemu_fclose(f);
}
END_TEST

START_TEST(test_skip_and_peek_buffer)
{
    static const uint8_t in[] = { 1, 2, 3, 4, 5, 6 };
    QEMUFile *f = qemu_file_new_mem_reader(in, sizeof(in));
    const uint8_t *p;

    ck_assert_uint_eq(qemu_peek_buffer(f, &p, 3, 2), 3);
    ck_assert_uint_eq(p[0], 3);
    ck_assert_uint_eq(qemu_peek_buffer(f, &p, 8, 2), 4);
    ck_assert(qemu_file_skip(f, 5));
    ck_assert_uint_eq(qemu_get_byte(f), 6);
    ck_assert(!qemu_file_skip(f, 1));
    qemu_fclose(f);
}
END_TEST

/*
 * Pages sent by reference interleave correctly with copied bytes, also
 * when more pieces are queued than one writev takes.
 */
START_TEST(test_async_pieces)
{
    int sv[2];
    QEMUFile *w, *r;
    static uint8_t pieces[300][16];
    uint8_t back[16];

    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    w = qemu_file_new_fd(sv[0], true);
    r = qemu_file_new_fd(sv[1], false);
    for (int i = 0; i < 300; i++) {
        memset(pieces[i], i, sizeof(pieces[i]));
        qemu_put_byte(w, 0xa0 + (i & 15));
        qemu_put_buffer_async(w, pieces[i], sizeof(pieces[i]));
    }
    qemu_put_be32(w, 0xfeedf00d);
    qemu_fflush(w);
    ck_assert_int_eq(qemu_file_get_error(w), 0);
    ck_assert_uint_eq(qemu_file_transferred(w), 300 * 17 + 4);
    for (int i = 0; i < 300; i++) {
        ck_assert_uint_eq(qemu_get_byte(r), 0xa0 + (i & 15));
        ck_assert(qemu_get_buffer(r, back, sizeof(back)));
        ck_assert_uint_eq(back[0], (uint8_t)i);
        ck_assert_uint_eq(back[15], (uint8_t)i);
    }
    ck_assert_uint_eq(qemu_get_be32(r), 0xfeedf00d);
    qemu_fclose(w);
    qemu_fclose(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("qemu-file");
    TCase *tc = tcase_create("stream");
    SRunner *sr;
    int failed;

    tcase_add_test(tc, test_put_bytes);
    tcase_add_test(tc, test_get_roundtrip);
    tcase_add_test(tc, test_truncated_read);
    tcase_add_test(tc, test_first_error_wins);
    tcase_add_test(tc, test_counted_string_too_long);
    tcase_add_test(tc, test_fd_pipe);
    tcase_add_test(tc, test_fd_broken_pipe);
    tcase_add_test(tc, test_rate_limit);
    tcase_add_test(tc, test_skip_and_peek_buffer);
    tcase_add_test(tc, test_async_pieces);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
