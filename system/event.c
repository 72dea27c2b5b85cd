/*
 * The event interface between lower layers and the monitor
 * (see include/system/event.h).
 */
#include "qemu/osdep.h"
#include "system/event.h"

static QEventSink *event_sink;

void qapi_event_set_sink(QEventSink *sink)
{
    event_sink = sink;
}

void qapi_event_emit(const char *name, JsonObject *data)
{
    if (event_sink) {
        event_sink(name, data);
    } else if (data) {
        json_object_unref(data);
    }
}
