/*
 * QMP JSON framing and writing (see include/monitor/qmp-json.h).
 *
 * The framer is a byte-at-a-time state machine over RFC 8259's lexical
 * structure: it only needs to know whether it is inside a string (where
 * brackets do not count), whether the previous byte escaped this one, and
 * how deep the brackets are.  Everything else (number syntax, literals,
 * matching bracket kinds, UTF-8) is validated by json-glib afterwards.
 */
#include "qemu/osdep.h"
#include "monitor/qmp-json.h"

void json_framer_init(JsonFramer *f, JsonFramerEmit *emit, void *opaque)
{
    memset(f, 0, sizeof(*f));
    f->buf = g_string_new(NULL);
    f->max_size = JSON_FRAMER_MAX_SIZE;
    f->max_depth = JSON_FRAMER_MAX_DEPTH;
    f->emit = emit;
    f->opaque = opaque;
}

void json_framer_reset(JsonFramer *f)
{
    g_string_truncate(f->buf, 0);
    f->depth = 0;
    f->in_string = false;
    f->escape = false;
    f->in_bare = false;
    f->discarding = false;
}

void json_framer_destroy(JsonFramer *f)
{
    if (f->buf) {
        g_string_free(f->buf, TRUE);
        f->buf = NULL;
    }
}

static bool json_is_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Bytes that end a top-level scalar such as 42 or true. */
static bool json_ends_bare(uint8_t c)
{
    return json_is_space(c) || c == '{' || c == '[' || c == '"' ||
           c == '\'' || c == '}' || c == ']';
}

static void json_framer_error(JsonFramer *f, const char *msg)
{
    f->emit(f->opaque, NULL, 0, msg);
}

/* A whole value has been seen: hand it over (unless it was being skipped). */
static void json_framer_complete(JsonFramer *f)
{
    bool was_discarding = f->discarding;

    if (!was_discarding) {
        f->emit(f->opaque, f->buf->str, f->buf->len, NULL);
    }
    json_framer_reset(f);
}

/* Start skipping the rest of the current value after reporting why. */
static void json_framer_discard(JsonFramer *f, const char *msg)
{
    json_framer_error(f, msg);
    g_string_truncate(f->buf, 0);
    f->discarding = true;
}

static void json_framer_append(JsonFramer *f, uint8_t c)
{
    if (f->discarding) {
        return;
    }
    g_string_append_c(f->buf, (char)c);
    if (f->buf->len > f->max_size) {
        char *msg = g_strdup_printf("JSON parse error, request exceeds %zu "
                                    "bytes", f->max_size);
        json_framer_discard(f, msg);
        g_free(msg);
    }
}

/* Inside a string: only the closing quote matters, and escapes hide it. */
static void json_framer_string_byte(JsonFramer *f, uint8_t c)
{
    json_framer_append(f, c);
    if (f->escape) {
        f->escape = false;
    } else if (c == '\\') {
        f->escape = true;
    } else if (c == (uint8_t)f->quote) {
        f->in_string = false;
        if (f->depth == 0) {
            json_framer_complete(f);
        }
    }
}

static void json_framer_byte(JsonFramer *f, uint8_t c)
{
    if (c == 0xff) {
        /*
         * 0xFF never occurs in UTF-8: QEMU's QMP spec lets a client send it
         * to reset a confused parser.  Report it only if it cut a value.
         */
        bool partial = f->buf->len > 0 || f->depth > 0 || f->discarding;

        json_framer_reset(f);
        if (partial) {
            json_framer_error(f, "JSON parse error, input reset by 0xFF byte");
        }
        return;
    }
    if (f->in_string) {
        json_framer_string_byte(f, c);
        return;
    }
    if (f->in_bare) {
        if (!json_ends_bare(c)) {
            json_framer_append(f, c);
            return;
        }
        json_framer_complete(f);
        /* fall through: c starts whatever comes next */
    }
    if (f->depth == 0) {
        if (json_is_space(c)) {
            return;
        }
        if (c == '}' || c == ']') {
            char msg[64];
            snprintf(msg, sizeof(msg), "JSON parse error, unexpected '%c'", c);
            json_framer_error(f, msg);
            return;
        }
        json_framer_append(f, c);
        if (c == '{' || c == '[') {
            f->depth = 1;
        } else if (c == '"' || c == '\'') {
            f->in_string = true;
            f->quote = (char)c;
        } else {
            f->in_bare = true;
        }
        return;
    }
    json_framer_append(f, c);
    switch (c) {
    case '"':
    case '\'':
        f->in_string = true;
        f->quote = (char)c;
        break;
    case '{':
    case '[':
        f->depth++;
        if (f->depth > f->max_depth && !f->discarding) {
            char msg[64];
            snprintf(msg, sizeof(msg),
                     "JSON parse error, nesting deeper than %u", f->max_depth);
            json_framer_discard(f, msg);
        }
        break;
    case '}':
    case ']':
        f->depth--;
        if (f->depth == 0) {
            json_framer_complete(f);
        }
        break;
    default:
        break;
    }
}

void json_framer_feed(JsonFramer *f, const uint8_t *data, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        json_framer_byte(f, data[i]);
    }
}

/* ------------------------------------------------------------------ */
/* Writer                                                              */

static void qmp_json_append_string(GString *out, const char *s)
{
    const unsigned char *p;

    g_string_append_c(out, '"');
    for (p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':  g_string_append(out, "\\\""); break;
        case '\\': g_string_append(out, "\\\\"); break;
        case '\b': g_string_append(out, "\\b"); break;
        case '\f': g_string_append(out, "\\f"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\r': g_string_append(out, "\\r"); break;
        case '\t': g_string_append(out, "\\t"); break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                g_string_append_printf(out, "\\u%04x", *p);
            } else {
                g_string_append_c(out, (char)*p);
            }
        }
    }
    g_string_append_c(out, '"');
}

static void qmp_json_append_value(GString *out, JsonNode *node)
{
    GType type = json_node_get_value_type(node);

    if (type == G_TYPE_INT64) {
        g_string_append_printf(out, "%" PRId64, json_node_get_int(node));
    } else if (type == G_TYPE_DOUBLE) {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_string_append(out, g_ascii_dtostr(buf, sizeof(buf),
                                            json_node_get_double(node)));
    } else if (type == G_TYPE_BOOLEAN) {
        g_string_append(out, json_node_get_boolean(node) ? "true" : "false");
    } else if (type == G_TYPE_STRING) {
        qmp_json_append_string(out, json_node_get_string(node));
    } else {
        g_string_append(out, "null");
    }
}

static void qmp_json_append_object(GString *out, JsonObject *obj)
{
    /* json-glib >= 1.6 returns members in insertion order. */
    GList *members = json_object_get_members(obj), *l;

    g_string_append_c(out, '{');
    for (l = members; l; l = l->next) {
        const char *key = l->data;
        if (l != members) {
            g_string_append(out, ", ");
        }
        qmp_json_append_string(out, key);
        g_string_append(out, ": ");
        qmp_json_append(out, json_object_get_member(obj, key));
    }
    g_string_append_c(out, '}');
    g_list_free(members);
}

void qmp_json_append(GString *out, JsonNode *node)
{
    JsonArray *arr;
    guint i, n;

    if (!node) {
        g_string_append(out, "null");
        return;
    }
    switch (JSON_NODE_TYPE(node)) {
    case JSON_NODE_OBJECT:
        qmp_json_append_object(out, json_node_get_object(node));
        break;
    case JSON_NODE_ARRAY:
        arr = json_node_get_array(node);
        n = json_array_get_length(arr);
        g_string_append_c(out, '[');
        for (i = 0; i < n; i++) {
            if (i) {
                g_string_append(out, ", ");
            }
            qmp_json_append(out, json_array_get_element(arr, i));
        }
        g_string_append_c(out, ']');
        break;
    case JSON_NODE_VALUE:
        qmp_json_append_value(out, node);
        break;
    case JSON_NODE_NULL:
    default:
        g_string_append(out, "null");
        break;
    }
}

char *qmp_json_to_string(JsonNode *node)
{
    GString *out = g_string_new(NULL);

    qmp_json_append(out, node);
    return g_string_free(out, FALSE);
}

char *qmp_json_object_to_string(JsonObject *obj)
{
    GString *out = g_string_new(NULL);

    qmp_json_append_object(out, obj);
    return g_string_free(out, FALSE);
}
