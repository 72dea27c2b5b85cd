/*
 * Events for management tools (QMP "event" messages).
 *
 * Lower layers (run state, migration, devices) emit events here; the monitor
 * registers itself as the sink.  Nothing below the monitor calls it directly.
 * Emitting is safe from any thread holding the big lock.
 */
#ifndef SYSTEM_EVENT_H
#define SYSTEM_EVENT_H

#include "qemu/osdep.h"
#include <json-glib/json-glib.h>

/* data may be NULL; the sink takes ownership of it. */
typedef void QEventSink(const char *name, JsonObject *data);

void qapi_event_set_sink(QEventSink *sink);
void qapi_event_emit(const char *name, JsonObject *data);

#endif
