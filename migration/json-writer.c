/*
 * Streaming JSON writer (see include/migration/json-writer.h).
 *
 * Output format matters: the stream's description trailer is read by
 * QEMU's scripts/analyze-migration.py, and people diff our -dump-vmstate
 * files against QEMU's, so the separators follow QEMU's writers (facts 1.12).
 */
#include "qemu/osdep.h"
#include "migration/json-writer.h"

struct JsonWriter {
    GString *out;
    bool pretty;
    /* One entry per open container: has it got a member yet? */
    GArray *need_comma;
};

JsonWriter *json_writer_new(bool pretty)
{
    JsonWriter *w = g_new0(JsonWriter, 1);

    w->out = g_string_new(NULL);
    w->pretty = pretty;
    w->need_comma = g_array_new(false, false, sizeof(bool));
    return w;
}

void json_writer_free(JsonWriter *w)
{
    if (w) {
        g_string_free(w->out, true);
        g_array_free(w->need_comma, true);
        g_free(w);
    }
}

const char *json_writer_get(JsonWriter *w)
{
    return w->out->str;
}

size_t json_writer_len(JsonWriter *w)
{
    return w->out->len;
}

static void newline_indent(JsonWriter *w)
{
    g_string_append_c(w->out, '\n');
    for (guint i = 0; i < w->need_comma->len; i++) {
        g_string_append(w->out, "  ");
    }
}

static void quoted(JsonWriter *w, const char *s)
{
    g_string_append_c(w->out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':  g_string_append(w->out, "\\\""); break;
        case '\\': g_string_append(w->out, "\\\\"); break;
        case '\b': g_string_append(w->out, "\\b"); break;
        case '\f': g_string_append(w->out, "\\f"); break;
        case '\n': g_string_append(w->out, "\\n"); break;
        case '\r': g_string_append(w->out, "\\r"); break;
        case '\t': g_string_append(w->out, "\\t"); break;
        default:
            /* Keep the trailer pure ASCII and free of NUL (facts 1.17). */
            if (*p < 0x20 || *p >= 0x7f) {
                g_string_append_printf(w->out, "\\u%04x", *p);
            } else {
                g_string_append_c(w->out, *p);
            }
        }
    }
    g_string_append_c(w->out, '"');
}

/* Separator and member name before a value. */
static void begin_value(JsonWriter *w, const char *name)
{
    if (w->need_comma->len) {
        bool *nc = &g_array_index(w->need_comma, bool, w->need_comma->len - 1);
        if (*nc) {
            g_string_append_c(w->out, ',');
            if (!w->pretty) {
                g_string_append_c(w->out, ' ');
            }
        }
        *nc = true;
        if (w->pretty) {
            newline_indent(w);
        }
    }
    if (name) {
        quoted(w, name);
        g_string_append(w->out, ": ");
    }
}

static void open_container(JsonWriter *w, const char *name, char c)
{
    bool f = false;

    begin_value(w, name);
    g_string_append_c(w->out, c);
    g_array_append_val(w->need_comma, f);
}

static void close_container(JsonWriter *w, char c)
{
    bool had = false;

    g_assert(w->need_comma->len > 0);
    had = g_array_index(w->need_comma, bool, w->need_comma->len - 1);
    g_array_set_size(w->need_comma, w->need_comma->len - 1);
    if (w->pretty && had) {
        newline_indent(w);
    }
    g_string_append_c(w->out, c);
    if (w->pretty && w->need_comma->len == 0) {
        g_string_append_c(w->out, '\n');
    }
}

void json_writer_start_object(JsonWriter *w, const char *name)
{
    open_container(w, name, '{');
}

void json_writer_end_object(JsonWriter *w)
{
    close_container(w, '}');
}

void json_writer_start_array(JsonWriter *w, const char *name)
{
    open_container(w, name, '[');
}

void json_writer_end_array(JsonWriter *w)
{
    close_container(w, ']');
}

void json_writer_str(JsonWriter *w, const char *name, const char *value)
{
    begin_value(w, name);
    quoted(w, value ? value : "");
}

void json_writer_int64(JsonWriter *w, const char *name, int64_t value)
{
    begin_value(w, name);
    g_string_append_printf(w->out, "%" PRId64, value);
}

void json_writer_bool(JsonWriter *w, const char *name, bool value)
{
    begin_value(w, name);
    g_string_append(w->out, value ? "true" : "false");
}
