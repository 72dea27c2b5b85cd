/*
 * The QMP server on a chardev (-qmp SPEC, -mon chardev=ID,mode=control).
 *
 * Binds a QmpSession to a chardev: the greeting goes out when a client
 * connects (CHR_EVENT_OPENED), input bytes go to the session's framer, and
 * replies and events are written back one JSON text per line.  Events reach
 * every client that has finished capabilities negotiation, as in QEMU
 * (docs/interop/qmp-spec.rst, "Asynchronous events").
 *
 * Everything here runs on the main thread with the big lock held.
 */
#include "qemu/osdep.h"
#include "chardev/char.h"
#include "monitor/qmp.h"
#include "qemu/timer.h"
#include "system/event.h"
#include "qemu/main-loop.h"

typedef struct MonitorQMP {
    Chardev *chr;
    QmpSession *session;
    bool connected;       /* between OPENED and CLOSED */
} MonitorQMP;

static GPtrArray *qmp_monitors;

static void monitor_qmp_write(MonitorQMP *mon, const char *line)
{
    size_t len = strlen(line);
    char *buf = g_malloc(len + 1);

    memcpy(buf, line, len);
    buf[len] = '\n';
    /* -1 means the client has gone; CLOSED will follow. */
    qemu_chr_fe_write_all(mon->chr, (const uint8_t *)buf, (int)(len + 1));
    g_free(buf);
}

static void monitor_qmp_out(void *opaque, const char *line)
{
    monitor_qmp_write(opaque, line);
}

static int monitor_qmp_take_fd(void *opaque)
{
    MonitorQMP *mon = opaque;

    return qemu_chr_fe_get_msgfd(mon->chr);
}

static int monitor_qmp_can_read(void *opaque)
{
    /* The framer bounds what it buffers, so any chunk size is safe. */
    return 4096;
}

static void monitor_qmp_read(void *opaque, const uint8_t *buf, int size)
{
    MonitorQMP *mon = opaque;

    if (size > 0) {
        qmp_session_feed(mon->session, buf, (size_t)size);
    }
}

static void monitor_qmp_opened(MonitorQMP *mon)
{
    char *greeting;

    if (mon->connected) {
        return;   /* already greeted this client */
    }
    mon->connected = true;
    qmp_session_reset(mon->session);
    greeting = qmp_greeting_line();
    monitor_qmp_write(mon, greeting);
    g_free(greeting);
}

static void monitor_qmp_event(void *opaque, ChrEvent event)
{
    MonitorQMP *mon = opaque;

    switch (event) {
    case CHR_EVENT_OPENED:
        monitor_qmp_opened(mon);
        break;
    case CHR_EVENT_CLOSED:
        mon->connected = false;
        qmp_session_reset(mon->session);
        break;
    }
}

/*
 * A backend that is connected from the start (stdio, pipe, an outgoing
 * socket that connected before we registered) may never send OPENED to us;
 * greet it from the main loop once set-up is over.
 */
static void monitor_qmp_initial_greeting(void *opaque)
{
    MonitorQMP *mon = opaque;

    if (qemu_chr_fe_connected(mon->chr)) {
        monitor_qmp_opened(mon);
    }
}

static void monitor_qmp_event_sink(const char *name, JsonObject *data)
{
    char *line = NULL;
    guint i;

    for (i = 0; qmp_monitors && i < qmp_monitors->len; i++) {
        MonitorQMP *mon = g_ptr_array_index(qmp_monitors, i);

        if (!mon->connected || !mon->session->negotiated) {
            continue;
        }
        if (!line) {
            line = qmp_event_line(name, data, get_clock_realtime_ns());
        }
        monitor_qmp_write(mon, line);
    }
    g_free(line);
    if (data) {
        json_object_unref(data);
    }
}

bool monitor_init_qmp(Chardev *chr, Error **errp)
{
    MonitorQMP *mon;

    if (!chr) {
        error_setg(errp, "QMP monitor needs a chardev");
        return false;
    }
    if (!qmp_monitors) {
        qmp_monitors = g_ptr_array_new();
        qapi_event_set_sink(monitor_qmp_event_sink);
    }
    mon = g_new0(MonitorQMP, 1);
    mon->chr = chr;
    mon->session = qmp_session_new(monitor_qmp_out, monitor_qmp_take_fd, mon);
    g_ptr_array_add(qmp_monitors, mon);
    qemu_chr_fe_set_handlers(chr, monitor_qmp_can_read, monitor_qmp_read,
                             monitor_qmp_event, mon);
    qemu_bh_schedule_oneshot(monitor_qmp_initial_greeting, mon);
    return true;
}

void monitor_cleanup(void)
{
    guint i;

    if (!qmp_monitors) {
        return;
    }
    qapi_event_set_sink(NULL);
    for (i = 0; i < qmp_monitors->len; i++) {
        MonitorQMP *mon = g_ptr_array_index(qmp_monitors, i);

        qemu_chr_fe_set_handlers(mon->chr, NULL, NULL, NULL, NULL);
        qmp_session_free(mon->session);
        g_free(mon);
    }
    g_ptr_array_free(qmp_monitors, TRUE);
    qmp_monitors = NULL;
}
