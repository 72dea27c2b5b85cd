/*
 * The qtest protocol: a line-oriented test interface to guest memory and
 * the virtual clock (QEMU's system/qtest.c protocol, as its libqtest and
 * the migration tests speak it; facts 4.2/4.3).
 *
 * Requests are one line each, words separated by spaces; numbers in C
 * syntax (0x.. hex, 0.. octal, decimal).  Replies:
 *   OK [value]     success; readX values as "0x%016" PRIx64
 *   FAIL message   the request was understood but cannot be served
 *   ERR message    the request is malformed (QEMU's own form for bad input)
 *
 *   endianness                      -> OK little
 *   readb|readw|readl|readq ADDR    -> OK 0x<16 hex digits>
 *   writeb|writew|writel|writeq ADDR VALUE -> OK
 *   read ADDR SIZE                  -> OK 0x<hex bytes>
 *   write ADDR SIZE 0x<hex bytes>   -> OK
 *   b64read ADDR SIZE               -> OK <base64>
 *   b64write ADDR SIZE <base64>     -> OK
 *   memset ADDR SIZE BYTE           -> OK
 *   clock_step [NS]                 -> OK <virtual ns now>
 *   clock_set NS                    -> OK <virtual ns now>
 *
 * As in QEMU, accesses where nothing is mapped read as zero and writes
 * there are dropped (the bus's "unassigned" behaviour); both are logged as
 * guest errors.  Unlike QEMU, malformed input never asserts.
 */
#include "qemu/osdep.h"
#include "chardev/char.h"
#include "qemu/cutils.h"
#include "qemu/log.h"
#include "qemu/timer.h"
#include "system/memory.h"
#include "system/qtest.h"

typedef char *QTestHandler(char **argv, int argc);

typedef struct QTestCommand {
    const char *name;
    int min_args;          /* words after the command name */
    int max_args;
    QTestHandler *fn;
} QTestCommand;

/* ------------------------------------------------------------------ */
/* Argument parsing                                                    */

static bool qtest_parse_u64(const char *cmd, const char *what, const char *s,
                            uint64_t *out, char **reply)
{
    if (!qemu_strtou64(s, out)) {
        *reply = g_strdup_printf("ERR %s: invalid %s '%s'", cmd, what, s);
        return false;
    }
    return true;
}

/* ADDR SIZE with SIZE bounded and the range not wrapping past 2^64. */
static bool qtest_parse_range(char **argv, uint64_t *addr, uint64_t *size,
                              char **reply)
{
    if (!qtest_parse_u64(argv[0], "address", argv[1], addr, reply) ||
        !qtest_parse_u64(argv[0], "size", argv[2], size, reply)) {
        return false;
    }
    if (*size > QTEST_MAX_ACCESS) {
        *reply = g_strdup_printf("ERR %s: size %" PRIu64 " exceeds the limit "
                                 "of %llu bytes", argv[0], *size,
                                 (unsigned long long)QTEST_MAX_ACCESS);
        return false;
    }
    if (*size && *addr + (*size - 1) < *addr) {
        *reply = g_strdup_printf("ERR %s: range 0x%" PRIx64 "+%" PRIu64
                                 " wraps around the address space",
                                 argv[0], *addr, *size);
        return false;
    }
    return true;
}

static int qtest_hex_nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c = (char)g_ascii_tolower(c);
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    return -1;
}

/* ------------------------------------------------------------------ */
/* Memory access                                                       */

/* Start of the first region above addr, or 0 when there is none. */
static hwaddr qtest_next_region(hwaddr addr)
{
    GPtrArray *regions = address_space_memory.regions;
    guint i;

    for (i = 0; regions && i < regions->len; i++) {
        MemoryRegion *mr = g_ptr_array_index(regions, i);
        if (mr->addr > addr) {
            return mr->addr;   /* sorted by address */
        }
    }
    return 0;
}

/*
 * Access [addr, addr+len) region by region, so the mapped parts of a range
 * that straddles a hole are still served (each device sees its part once)
 * and the holes read as zero and drop writes, like QEMU's unassigned bus.
 */
static void qtest_mem_access(hwaddr addr, uint8_t *buf, uint64_t len,
                             bool is_write)
{
    bool hole = false;

    while (len) {
        MemoryRegion *mr = address_space_lookup(&address_space_memory, addr);
        uint64_t chunk;

        if (mr && addr >= mr->addr && addr - mr->addr < mr->size) {
            chunk = MIN(len, mr->size - (addr - mr->addr));
            if (is_write) {
                address_space_write(&address_space_memory, addr, buf, chunk);
            } else {
                address_space_read(&address_space_memory, addr, buf, chunk);
            }
        } else {
            hwaddr next = qtest_next_region(addr);

            chunk = (next > addr) ? MIN(len, next - addr) : len;
            if (!is_write) {
                memset(buf, 0, chunk);
            }
            hole = true;
        }
        addr += chunk;
        buf += chunk;
        len -= chunk;
    }
    if (hole) {
        qemu_log_mask(LOG_GUEST_ERROR, "qtest: %s touches unmapped memory "
                      "below 0x%" HWADDR_PRIx "\n",
                      is_write ? "write" : "read", addr);
    }
}

static void qtest_mem_read(hwaddr addr, uint8_t *buf, uint64_t len)
{
    memset(buf, 0, len);
    qtest_mem_access(addr, buf, len, false);
}

static void qtest_mem_write(hwaddr addr, const uint8_t *buf, uint64_t len)
{
    qtest_mem_access(addr, (uint8_t *)buf, len, true);
}

/* Size in bytes from the command's last letter: readb/w/l/q. */
static unsigned qtest_access_size(const char *cmd)
{
    switch (cmd[strlen(cmd) - 1]) {
    case 'b': return 1;
    case 'w': return 2;
    case 'l': return 4;
    default:  return 8;
    }
}

static char *qtest_cmd_endianness(char **argv, int argc)
{
    /* Our targets are little-endian only (Arm ARM A1.3.3: SCTLR.EE=0 data). */
    return g_strdup("OK little");
}

static char *qtest_cmd_readx(char **argv, int argc)
{
    unsigned size = qtest_access_size(argv[0]);
    uint64_t addr, val = 0;
    char *reply;

    if (!qtest_parse_u64(argv[0], "address", argv[1], &addr, &reply)) {
        return reply;
    }
    /* One access of exactly this size: MMIO registers care. */
    if (address_space_ld(&address_space_memory, addr, size, &val) != MEMTX_OK) {
        qemu_log_mask(LOG_GUEST_ERROR, "qtest: %s at 0x%" PRIx64
                      " failed (unmapped?)\n", argv[0], addr);
        val = 0;
    }
    return g_strdup_printf("OK 0x%016" PRIx64, val);
}

static char *qtest_cmd_writex(char **argv, int argc)
{
    unsigned size = qtest_access_size(argv[0]);
    uint64_t addr, val;
    char *reply;

    if (!qtest_parse_u64(argv[0], "address", argv[1], &addr, &reply) ||
        !qtest_parse_u64(argv[0], "value", argv[2], &val, &reply)) {
        return reply;
    }
    if (size < 8) {
        val &= (1ULL << (size * 8)) - 1;   /* QEMU truncates, so do we */
    }
    if (address_space_st(&address_space_memory, addr, size, val) != MEMTX_OK) {
        qemu_log_mask(LOG_GUEST_ERROR, "qtest: %s at 0x%" PRIx64
                      " failed (unmapped?)\n", argv[0], addr);
    }
    return g_strdup("OK");
}

static char *qtest_cmd_read(char **argv, int argc)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t addr, size, i;
    uint8_t *data;
    char *out, *reply;

    if (!qtest_parse_range(argv, &addr, &size, &reply)) {
        return reply;
    }
    data = g_malloc(size ? size : 1);
    qtest_mem_read(addr, data, size);
    /* Up to 16 MiB: a table lookup per nibble, not a printf per byte. */
    out = g_malloc(5 + 2 * size + 1);
    memcpy(out, "OK 0x", 5);
    for (i = 0; i < size; i++) {
        out[5 + 2 * i] = hex[data[i] >> 4];
        out[6 + 2 * i] = hex[data[i] & 0xf];
    }
    out[5 + 2 * size] = 0;
    g_free(data);
    return out;
}

static char *qtest_cmd_write(char **argv, int argc)
{
    uint64_t addr, size, i, digits;
    const char *hex = argv[3];
    uint8_t *data;
    char *reply;

    if (!qtest_parse_range(argv, &addr, &size, &reply)) {
        return reply;
    }
    if (strncmp(hex, "0x", 2) != 0 && strncmp(hex, "0X", 2) != 0) {
        return g_strdup("ERR write: data must start with 0x");
    }
    hex += 2;
    digits = strlen(hex);
    if (digits % 2) {
        return g_strdup("ERR write: odd number of hex digits");
    }
    if (digits / 2 > size) {
        return g_strdup_printf("ERR write: %" PRIu64 " bytes of data for a "
                               "size of %" PRIu64, digits / 2, size);
    }
    /* Missing trailing bytes are zero, as in QEMU. */
    data = g_malloc0(size ? size : 1);
    for (i = 0; i < digits / 2; i++) {
        int hi = qtest_hex_nibble(hex[2 * i]);
        int lo = qtest_hex_nibble(hex[2 * i + 1]);

        if (hi < 0 || lo < 0) {
            g_free(data);
            return g_strdup_printf("ERR write: invalid hex digit at offset "
                                   "%" PRIu64, 2 * i + 2);
        }
        data[i] = (uint8_t)(hi << 4 | lo);
    }
    qtest_mem_write(addr, data, size);
    g_free(data);
    return g_strdup("OK");
}

static char *qtest_cmd_b64read(char **argv, int argc)
{
    uint64_t addr, size;
    uint8_t *data;
    char *enc, *reply;

    if (!qtest_parse_range(argv, &addr, &size, &reply)) {
        return reply;
    }
    data = g_malloc(size ? size : 1);
    qtest_mem_read(addr, data, size);
    enc = g_base64_encode(data, size);
    reply = g_strdup_printf("OK %s", enc);
    g_free(enc);
    g_free(data);
    return reply;
}

static bool qtest_is_base64(const char *s)
{
    for (; *s; s++) {
        if (!g_ascii_isalnum(*s) && *s != '+' && *s != '/' && *s != '=') {
            return false;
        }
    }
    return true;
}

static char *qtest_cmd_b64write(char **argv, int argc)
{
    uint64_t addr, size;
    gsize len = 0;
    guchar *data;
    char *reply;

    if (!qtest_parse_range(argv, &addr, &size, &reply)) {
        return reply;
    }
    if (!qtest_is_base64(argv[3]) || strlen(argv[3]) % 4) {
        return g_strdup("ERR b64write: invalid base64 data");
    }
    data = g_base64_decode(argv[3], &len);
    /*
     * QEMU writes what it decoded, at most SIZE bytes, and only logs a
     * length mismatch; keep that, the harness relies on it.
     */
    qtest_mem_write(addr, data, MIN((uint64_t)len, size));
    g_free(data);
    return g_strdup("OK");
}

static char *qtest_cmd_memset(char **argv, int argc)
{
    uint64_t addr, size, val;
    uint8_t *data;
    char *reply;

    if (!qtest_parse_range(argv, &addr, &size, &reply) ||
        !qtest_parse_u64(argv[0], "value", argv[3], &val, &reply)) {
        return reply;
    }
    if (val > 0xff) {
        return g_strdup_printf("ERR memset: value 0x%" PRIx64 " is not a "
                               "byte", val);
    }
    data = g_malloc(size ? size : 1);
    memset(data, (int)val, size);
    qtest_mem_write(addr, data, size);
    g_free(data);
    return g_strdup("OK");
}

/* ------------------------------------------------------------------ */
/* Virtual clock                                                       */

static char *qtest_clock_reply(void)
{
    return g_strdup_printf("OK %" PRIi64, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
}

static bool qtest_check_clock(const char *cmd, char **reply)
{
    if (!qemu_clock_is_qtest()) {
        /* Another accelerator owns guest time; moving it would desync vCPUs. */
        *reply = g_strdup_printf("FAIL %s needs the qtest accelerator", cmd);
        return false;
    }
    return true;
}

static char *qtest_cmd_clock_step(char **argv, int argc)
{
    int64_t now, step;
    char *reply;

    if (!qtest_check_clock(argv[0], &reply)) {
        return reply;
    }
    now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    if (argc > 1) {
        if (!qemu_strtoi64(argv[1], &step) || step < 0) {
            return g_strdup_printf("ERR clock_step: invalid step '%s'",
                                   argv[1]);
        }
    } else {
        /* No argument: run to the next timer, or stay when none is armed. */
        step = qemu_clock_deadline_virtual();
        if (step < 0) {
            step = 0;
        }
    }
    if (step > INT64_MAX - now) {
        return g_strdup_printf("ERR clock_step: step %" PRIi64 " overflows "
                               "the clock", step);
    }
    /* Also with step 0: timers due now still run. */
    qemu_clock_qtest_set(now + step);
    return qtest_clock_reply();
}

static char *qtest_cmd_clock_set(char **argv, int argc)
{
    int64_t ns;
    char *reply;

    if (!qtest_check_clock(argv[0], &reply)) {
        return reply;
    }
    if (!qemu_strtoi64(argv[1], &ns) || ns < 0) {
        return g_strdup_printf("ERR clock_set: invalid time '%s'", argv[1]);
    }
    /* Time never runs backwards: an earlier value leaves the clock alone. */
    if (ns > qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL)) {
        qemu_clock_qtest_set(ns);
    }
    return qtest_clock_reply();
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */

static const QTestCommand qtest_commands[] = {
    { "endianness", 0, 0, qtest_cmd_endianness },
    { "readb",      1, 1, qtest_cmd_readx },
    { "readw",      1, 1, qtest_cmd_readx },
    { "readl",      1, 1, qtest_cmd_readx },
    { "readq",      1, 1, qtest_cmd_readx },
    { "writeb",     2, 2, qtest_cmd_writex },
    { "writew",     2, 2, qtest_cmd_writex },
    { "writel",     2, 2, qtest_cmd_writex },
    { "writeq",     2, 2, qtest_cmd_writex },
    { "read",       2, 2, qtest_cmd_read },
    { "write",      3, 3, qtest_cmd_write },
    { "b64read",    2, 2, qtest_cmd_b64read },
    { "b64write",   3, 3, qtest_cmd_b64write },
    { "memset",     3, 3, qtest_cmd_memset },
    { "clock_step", 0, 1, qtest_cmd_clock_step },
    { "clock_set",  1, 1, qtest_cmd_clock_set },
};

char *qtest_process_line(const char *line)
{
    const QTestCommand *cmd = NULL;
    char **words, **argv;
    int argc = 0, i, n;
    char *reply;
    size_t k;

    if (!line) {
        return NULL;
    }
    words = g_strsplit_set(line, " \t\r", -1);
    n = (int)g_strv_length(words);
    /* Drop empty words so repeated blanks and a trailing \r do not count. */
    argv = g_new0(char *, n + 1);
    for (i = 0; i < n; i++) {
        if (words[i][0]) {
            argv[argc++] = words[i];
        }
    }
    if (argc == 0) {
        reply = NULL;
        goto out;
    }
    for (k = 0; k < ARRAY_SIZE(qtest_commands); k++) {
        if (strcmp(argv[0], qtest_commands[k].name) == 0) {
            cmd = &qtest_commands[k];
            break;
        }
    }
    if (!cmd) {
        /* QEMU's exact wording, with the name cut short if it is huge. */
        reply = g_strdup_printf("FAIL Unknown command '%.64s'", argv[0]);
    } else if (argc - 1 < cmd->min_args || argc - 1 > cmd->max_args) {
        if (cmd->min_args == cmd->max_args) {
            reply = g_strdup_printf("ERR %s: expected %d argument%s, got %d",
                                    cmd->name, cmd->min_args,
                                    cmd->min_args == 1 ? "" : "s", argc - 1);
        } else {
            reply = g_strdup_printf("ERR %s: expected %d to %d arguments, "
                                    "got %d", cmd->name, cmd->min_args,
                                    cmd->max_args, argc - 1);
        }
    } else {
        reply = cmd->fn(argv, argc);
    }
out:
    g_free(argv);
    g_strfreev(words);
    return reply;
}

/* ------------------------------------------------------------------ */
/* Server on a chardev                                                 */

typedef struct QTestServer {
    Chardev *chr;
    GString *inbuf;
    bool discarding;       /* rest of an over-long line is being skipped */
    FILE *log;
    GTimer *timer;
} QTestServer;

static void qtest_log(QTestServer *s, char dir, const char *text)
{
    if (s->log) {
        fprintf(s->log, "[%c +%f] %s\n", dir, g_timer_elapsed(s->timer, NULL),
                text);
        fflush(s->log);
    }
}

static void qtest_send(QTestServer *s, const char *reply)
{
    size_t len = strlen(reply);
    char *buf = g_malloc(len + 1);

    qtest_log(s, 'S', reply);
    memcpy(buf, reply, len);
    buf[len] = '\n';
    qemu_chr_fe_write_all(s->chr, (const uint8_t *)buf, (int)(len + 1));
    g_free(buf);
}

static int qtest_can_read(void *opaque)
{
    return 64 * 1024;
}

static void qtest_handle_line(QTestServer *s, const char *line)
{
    char *reply;

    qtest_log(s, 'R', line);
    reply = qtest_process_line(line);
    if (reply) {
        qtest_send(s, reply);
        g_free(reply);
    }
}

static void qtest_read(void *opaque, const uint8_t *buf, int size)
{
    QTestServer *s = opaque;
    const uint8_t *end = buf + (size > 0 ? size : 0);

    while (buf < end) {
        const uint8_t *nl = memchr(buf, '\n', end - buf);
        size_t chunk = (nl ? nl : end) - buf;

        if (!s->discarding) {
            g_string_append_len(s->inbuf, (const char *)buf, chunk);
            if (s->inbuf->len > QTEST_MAX_LINE) {
                g_string_truncate(s->inbuf, 0);
                s->discarding = true;
                qtest_send(s, "ERR line exceeds the limit of 40 MiB");
            }
        }
        buf += chunk;
        if (!nl) {
            break;
        }
        buf++;   /* the newline */
        if (s->discarding) {
            s->discarding = false;
        } else {
            /* A NUL inside the line would hide the rest: refuse it. */
            if (memchr(s->inbuf->str, '\0', s->inbuf->len)) {
                qtest_log(s, 'R', "(line with a NUL byte)");
                qtest_send(s, "ERR line contains a NUL byte");
            } else {
                qtest_handle_line(s, s->inbuf->str);
            }
        }
        g_string_truncate(s->inbuf, 0);
    }
}

static void qtest_event(void *opaque, ChrEvent event)
{
    QTestServer *s = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
        g_string_truncate(s->inbuf, 0);
        s->discarding = false;
        qtest_log(s, 'I', "OPENED");
        break;
    case CHR_EVENT_CLOSED:
        qtest_log(s, 'I', "CLOSED");
        break;
    }
}

bool qtest_server_init(Chardev *chr, const char *log_path, Error **errp)
{
    QTestServer *s;
    FILE *log = NULL;

    if (!chr) {
        error_setg(errp, "qtest needs a chardev");
        return false;
    }
    /*
     * As in QEMU: without -qtest-log the traffic is logged to stderr, and
     * "-qtest-log none" turns logging off.
     */
    if (!log_path) {
        log = stderr;
    } else if (strcmp(log_path, "none") != 0) {
        log = fopen(log_path, "w");
        if (!log) {
            error_setg_errno(errp, errno, "-qtest-log: cannot open '%s'",
                             log_path);
            return false;
        }
    }
    s = g_new0(QTestServer, 1);
    s->chr = chr;
    s->inbuf = g_string_new(NULL);
    s->log = log;
    s->timer = g_timer_new();
    qemu_chr_fe_set_handlers(chr, qtest_can_read, qtest_read, qtest_event, s);
    return true;
}
