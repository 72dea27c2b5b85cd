/*
 * JSON helpers for the QMP monitor: framing a byte stream into top-level
 * JSON texts, and writing JSON the way QEMU spaces it.
 *
 * QMP is a stream of JSON values with no length prefix or delimiter (QEMU's
 * docs/interop/qmp-spec.rst), so the server must find where each value ends
 * itself before handing it to a parser.  The framer tracks strings, escapes
 * and bracket depth only; the full grammar is json-glib's job.  Like QEMU's
 * parser (and json-glib), strings may also be single-quoted.  It bounds the
 * nesting depth and the size of one value so a hostile client cannot make us
 * recurse or buffer without limit, and resynchronises after each error.
 */
#ifndef MONITOR_QMP_JSON_H
#define MONITOR_QMP_JSON_H

#include "qemu/osdep.h"
#include <json-glib/json-glib.h>

#define JSON_FRAMER_MAX_DEPTH 64
#define JSON_FRAMER_MAX_SIZE  (1 * MiB)

/*
 * Exactly one of text (a complete top-level value, len bytes, NUL-terminated)
 * and error (a one-line message) is non-NULL.
 */
typedef void JsonFramerEmit(void *opaque, const char *text, size_t len,
                            const char *error);

typedef struct JsonFramer {
    GString *buf;
    unsigned depth;        /* open brackets of the current value */
    bool in_string;
    char quote;            /* '"', or '\'' for QEMU's single-quoted strings */
    bool escape;           /* previous byte was a backslash inside a string */
    bool in_bare;          /* a top-level scalar such as 42 or true */
    bool discarding;       /* skipping the rest of an oversized/too deep value */
    size_t max_size;
    unsigned max_depth;
    JsonFramerEmit *emit;
    void *opaque;
} JsonFramer;

void json_framer_init(JsonFramer *f, JsonFramerEmit *emit, void *opaque);
/* Forget any partial value (new client, or 0xFF reset). */
void json_framer_reset(JsonFramer *f);
void json_framer_destroy(JsonFramer *f);
/* Consume bytes; emit is called for every complete value or error. */
void json_framer_feed(JsonFramer *f, const uint8_t *data, size_t len);

/*
 * Serialise node in QEMU's compact style: ", " between members and ": "
 * after keys, object members in insertion order.  Appends to out.
 */
void qmp_json_append(GString *out, JsonNode *node);
char *qmp_json_to_string(JsonNode *node);
char *qmp_json_object_to_string(JsonObject *obj);

#endif
