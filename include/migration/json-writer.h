/*
 * A small streaming JSON writer for the migration stream's description
 * trailer (facts 1.12) and the -dump-vmstate schema.
 *
 * Compact mode writes exactly what QEMU's writer writes: members separated
 * by ", ", names followed by ": ", no newlines; strings escaped with
 * \uXXXX for control and non-ASCII bytes.  Pretty mode indents by four
 * spaces per level as QEMU's -dump-vmstate output does.
 */
#ifndef MIGRATION_JSON_WRITER_H
#define MIGRATION_JSON_WRITER_H

#include "qemu/osdep.h"

typedef struct JsonWriter JsonWriter;

JsonWriter *json_writer_new(bool pretty);
void json_writer_free(JsonWriter *w);
/* The text so far (owned by the writer). */
const char *json_writer_get(JsonWriter *w);
size_t json_writer_len(JsonWriter *w);

/* name is NULL inside arrays and for the top-level value. */
void json_writer_start_object(JsonWriter *w, const char *name);
void json_writer_end_object(JsonWriter *w);
void json_writer_start_array(JsonWriter *w, const char *name);
void json_writer_end_array(JsonWriter *w);
void json_writer_str(JsonWriter *w, const char *name, const char *value);
void json_writer_int64(JsonWriter *w, const char *name, int64_t value);
void json_writer_bool(JsonWriter *w, const char *name, bool value);

#endif
