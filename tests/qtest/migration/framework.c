/*
 * The migration test framework (see framework.h).
 */
#include "qemu/osdep.h"
#include <check.h>
#include <stdarg.h>
#include "framework.h"

#define GUEST_RAM "150M"

const char *mig_guest_path(void)
{
    const char *p = getenv("ARMVM_AB_GUEST");

    return p && g_file_test(p, G_FILE_TEST_EXISTS) ? p : NULL;
}

char *mig_path(MigPair *p, const char *name)
{
    return g_build_filename(p->tmpdir, name, NULL);
}

static QTestState *start_vm(MigPair *p, const char *name, const char *serial,
                            const char *incoming)
{
    const char *only = !incoming && p->src_extra ? p->src_extra : "";
    g_autofree char *inc = incoming ?
        g_strdup_printf("-incoming %s", incoming) : g_strdup("");

    /* The command line of QEMU's harness (facts 4.2), tcg before qtest. */
    return qtest_initf("-accel tcg -machine virt-7.2 -name %s,debug-threads=on "
                       "-machine memory-backend=mig.mem "
                       "-object memory-backend-ram,id=mig.mem,size=" GUEST_RAM
                       ",share=off -serial file:%s -cpu max -kernel %s %s %s %s",
                       name, serial, p->guest, p->extra, only, inc);
}

MigPair *mig_pair_new(const char *incoming)
{
    return mig_pair_new_guest(incoming, mig_guest_path(), "");
}

char *mig_guest_named(const char *name)
{
    const char *ab = mig_guest_path();
    g_autofree char *dir = ab ? g_path_get_dirname(ab) : NULL;
    char *path = dir ? g_strdup_printf("%s/%s.bin", dir, name) : NULL;

    if (path && !g_file_test(path, G_FILE_TEST_EXISTS)) {
        g_free(path);
        return NULL;
    }
    return path;
}

MigPair *mig_pair_new_guest(const char *incoming, const char *guest,
                            const char *extra)
{
    return mig_pair_new_mismatch(incoming, guest, extra, NULL);
}

MigPair *mig_pair_new_mismatch(const char *incoming, const char *guest,
                               const char *extra, const char *src_extra)
{
    MigPair *p = g_new0(MigPair, 1);

    ck_assert_ptr_nonnull(guest);
    p->guest = g_strdup(guest);
    p->extra = g_strdup(extra);
    p->src_extra = g_strdup(src_extra);
    p->tmpdir = g_dir_make_tmp("armvm-mig-XXXXXX", NULL);
    ck_assert_ptr_nonnull(p->tmpdir);
    p->src_serial = mig_path(p, "src_serial");
    p->dst_serial = mig_path(p, "dst_serial");
    p->src = start_vm(p, "source", p->src_serial, NULL);
    mig_start_dst(p, incoming);
    return p;
}

void mig_start_dst(MigPair *p, const char *incoming)
{
    if (p->dst) {
        qtest_quit(p->dst);
    }
    unlink(p->dst_serial);
    p->dst = start_vm(p, "target", p->dst_serial, incoming);
    qtest_qmp(p->dst, "{'execute': 'migrate-set-capabilities', 'arguments': "
              "{'capabilities': [{'capability': 'events', 'state': true}]}}");
}

void mig_pair_free(MigPair *p)
{
    g_autoptr(GDir) dir = NULL;
    const char *name;

    if (p->src) {
        qtest_quit(p->src);
    }
    if (p->dst) {
        qtest_quit(p->dst);
    }
    dir = g_dir_open(p->tmpdir, 0, NULL);
    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *f = g_build_filename(p->tmpdir, name, NULL);
        unlink(f);
    }
    rmdir(p->tmpdir);
    g_free(p->tmpdir);
    g_free(p->src_serial);
    g_free(p->dst_serial);
    g_free(p->guest);
    g_free(p->extra);
    g_free(p->src_extra);
    g_free(p);
}

size_t mig_count_b(const char *serial)
{
    g_autofree gchar *data = NULL;
    gsize len = 0;
    size_t bs = 0;

    if (!g_file_get_contents(serial, &data, &len, NULL)) {
        return 0;
    }
    for (gsize i = 0; i < len; i++) {
        ck_assert_msg(data[i] == 'A' || data[i] == 'B',
                      "%s: unexpected byte 0x%02x at %zu", serial,
                      (unsigned char)data[i], (size_t)i);
        bs += data[i] == 'B';
    }
    return bs;
}

void mig_wait_for_serial_b(const char *serial, int timeout_ms)
{
    size_t start = mig_count_b(serial);

    for (int waited = 0; waited < timeout_ms; waited += 20) {
        if (mig_count_b(serial) > start) {
            return;
        }
        g_usleep(20 * 1000);
    }
    ck_abort_msg("%s: no new 'B' within %d ms", serial, timeout_ms);
}

void mig_qmp_ok(QTestState *s, const char *fmt, ...)
{
    va_list ap;
    g_autofree char *cmd = NULL;
    JsonObject *rsp;

    va_start(ap, fmt);
    cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    rsp = qtest_qmp(s, "%s", cmd);
    ck_assert_msg(!json_object_has_member(rsp, "error"), "%s: %s", cmd,
                  qmp_rsp_error_desc(rsp));
    json_object_unref(rsp);
}

static char *query_string(QTestState *s, const char *cmd, const char *member)
{
    JsonObject *rsp = qtest_qmp(s, "{'execute': '%s'}", cmd);
    JsonObject *ret = qmp_rsp_return_object(rsp);
    char *v;

    ck_assert_msg(ret, "%s failed: %s", cmd, qmp_rsp_error_desc(rsp));
    v = g_strdup(json_object_has_member(ret, member) ?
                 json_object_get_string_member(ret, member) : "none");
    json_object_unref(rsp);
    return v;
}

char *mig_status(QTestState *s)
{
    return query_string(s, "query-migrate", "status");
}

char *mig_runstate(QTestState *s)
{
    return query_string(s, "query-status", "status");
}

char *mig_wait_status(QTestState *s, const char *states, int timeout_ms)
{
    g_auto(GStrv) want = g_strsplit(states, "|", -1);

    for (int waited = 0; waited < timeout_ms; waited += 20) {
        char *st = mig_status(s);
        if (g_strv_contains((const char *const *)want, st)) {
            return st;
        }
        /* A failure nobody waits for ends the wait with its reason. */
        if (!strcmp(st, "failed")) {
            JsonObject *rsp = qtest_qmp(s, "{'execute': 'query-migrate'}");
            JsonObject *ret = qmp_rsp_return_object(rsp);
            ck_abort_msg("migration failed: %s",
                         ret && json_object_has_member(ret, "error-desc") ?
                         json_object_get_string_member(ret, "error-desc") :
                         "(no error-desc)");
        }
        g_free(st);
        g_usleep(20 * 1000);
    }
    ck_abort_msg("migration did not reach %s within %d ms", states,
                 timeout_ms);
    return NULL;
}

char *mig_listen(MigPair *p, const char *name)
{
    char *uri = g_strdup_printf("unix:%s/%s.sock", p->tmpdir, name);

    mig_qmp_ok(p->dst, "{'execute': 'migrate-incoming', 'arguments': "
               "{'uri': '%s'}}", uri);
    return uri;
}

void mig_start_unfinished(MigPair *p, const char *uri)
{
    mig_wait_for_serial_b(p->src_serial, 30000);
    mig_slow(p->src);
    mig_qmp_ok(p->src, "{'execute': 'migrate', 'arguments': {'uri': '%s'}}",
               uri);
    g_free(mig_wait_status(p->src, "active", 30000));
}

void mig_wait_failed_source_runs(MigPair *p, int timeout_ms)
{
    g_autofree char *state = NULL;

    for (int waited = 0; ; waited += 20) {
        g_autofree char *st = mig_status(p->src);
        if (!strcmp(st, "failed")) {
            break;
        }
        ck_assert_msg(strcmp(st, "completed"), "the migration completed");
        ck_assert_msg(waited < timeout_ms, "source still '%s' after %d ms",
                      st, timeout_ms);
        g_usleep(20 * 1000);
    }
    state = mig_runstate(p->src);
    ck_assert_str_eq(state, "running");
}

void mig_slow(QTestState *src)
{
    mig_qmp_ok(src, "{'execute': 'migrate-set-parameters', 'arguments': "
               "{'max-bandwidth': 3000000, 'downtime-limit': 1}}");
}

void mig_fast(QTestState *src)
{
    mig_qmp_ok(src, "{'execute': 'migrate-set-parameters', 'arguments': "
               "{'max-bandwidth': 1000000000, 'downtime-limit': 30000}}");
}

void mig_check_destination(MigPair *p)
{
    g_autofree char *dump = mig_path(p, "dst_ram");
    g_autofree gchar *ram = NULL;
    gsize len;
    uint64_t size = MIG_TEST_MEM_END - MIG_TEST_MEM_START;
    unsigned steps = 0;

    mig_wait_for_serial_b(p->dst_serial, 30000);
    mig_qmp_ok(p->dst, "{'execute': 'stop'}");
    mig_qmp_ok(p->dst, "{'execute': 'pmemsave', 'arguments': {'val': %llu, "
               "'size': %llu, 'filename': '%s'}}",
               (unsigned long long)MIG_TEST_MEM_START,
               (unsigned long long)size, dump);
    ck_assert(g_file_get_contents(dump, &ram, &len, NULL));
    ck_assert_uint_eq(len, size);
    for (gsize off = MIG_PAGE_SIZE; off < len; off += MIG_PAGE_SIZE) {
        uint8_t prev = ram[off - MIG_PAGE_SIZE], cur = ram[off];
        if (cur == prev) {
            continue;
        }
        ck_assert_msg((uint8_t)(cur + 1) == prev,
                      "page 0x%llx holds %u after %u: memory was not "
                      "migrated consistently",
                      (unsigned long long)(MIG_TEST_MEM_START + off), cur,
                      prev);
        steps++;
    }
    ck_assert_msg(steps <= 1, "%u steps in the page counters (at most 1)",
                  steps);
    unlink(dump);
}

/* Lines of serial starting with prefix. */
static GPtrArray *serial_lines(const char *serial, const char *prefix)
{
    g_autofree gchar *data = NULL;
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    g_auto(GStrv) lines = NULL;

    if (!g_file_get_contents(serial, &data, NULL, NULL)) {
        return out;
    }
    lines = g_strsplit(data, "\n", -1);
    /* The last element is an unfinished line (or empty): skip it. */
    for (int i = 0; lines[i] && lines[i + 1]; i++) {
        if (g_str_has_prefix(lines[i], prefix)) {
            g_ptr_array_add(out, g_strdup(lines[i]));
        }
    }
    return out;
}

char *mig_wait_lines(const char *serial, const char *prefix, unsigned n,
                     int timeout_ms)
{
    g_autoptr(GPtrArray) first = serial_lines(serial, prefix);
    unsigned start = first->len;

    for (int waited = 0; waited < timeout_ms; waited += 20) {
        g_autoptr(GPtrArray) now = serial_lines(serial, prefix);
        if (now->len >= start + n) {
            return g_strdup(g_ptr_array_index(now, now->len - 1));
        }
        g_usleep(20 * 1000);
    }
    ck_abort_msg("%s: fewer than %u new '%s' lines within %d ms", serial, n,
                 prefix, timeout_ms);
    return NULL;
}

int64_t mig_line_value(const char *line, const char *key)
{
    g_autofree char *pat = g_strdup_printf(" %s=", key);
    const char *p = strstr(line, pat);

    return p ? g_ascii_strtoll(p + strlen(pat), NULL, 10) : -1;
}
