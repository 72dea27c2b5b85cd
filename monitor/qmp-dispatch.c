/*
 * The QMP dispatcher: one request text in, one reply line out.
 *
 * Follows QEMU's docs/interop/qmp-spec.rst: a client starts in capabilities
 * negotiation mode where only qmp_capabilities works; afterwards commands
 * are looked up in the registry, their arguments checked against the names
 * the command declared, and the reply carries the request's "id" back.
 * Error classes and wordings are QEMU's, because management tools (libvirt,
 * QEMU's own test harness) match on them.
 */
#include "qemu/osdep.h"
#include "qapi/qmp-registry.h"
#include "monitor/qmp.h"
#include "system/system.h"

/* The session whose request is being dispatched (getfd needs its socket). */
static QmpSession *qmp_current;

static void qmp_session_framed(void *opaque, const char *text, size_t len,
                               const char *error)
{
    QmpSession *s = opaque;
    char *line;

    if (error) {
        line = qmp_error_line("GenericError", error, NULL);
    } else {
        line = qmp_session_dispatch(s, text, len);
    }
    s->out(s->opaque, line);
    g_free(line);
}

QmpSession *qmp_session_new(QmpOutputFunc *out, QmpTakeFdFunc *take_fd,
                            void *opaque)
{
    QmpSession *s = g_new0(QmpSession, 1);

    s->out = out;
    s->take_fd = take_fd;
    s->opaque = opaque;
    json_framer_init(&s->framer, qmp_session_framed, s);
    return s;
}

void qmp_session_free(QmpSession *s)
{
    if (!s) {
        return;
    }
    if (qmp_current == s) {
        qmp_current = NULL;
    }
    json_framer_destroy(&s->framer);
    g_free(s);
}

void qmp_session_reset(QmpSession *s)
{
    json_framer_reset(&s->framer);
    s->negotiated = false;
    s->oob_enabled = false;
}

void qmp_session_feed(QmpSession *s, const uint8_t *buf, size_t len)
{
    json_framer_feed(&s->framer, buf, len);
}

int monitor_take_received_fd(Error **errp)
{
    int fd = -1;

    if (qmp_current && qmp_current->take_fd) {
        fd = qmp_current->take_fd(qmp_current->opaque);
    }
    if (fd < 0) {
        /* QEMU's wording for getfd without SCM_RIGHTS. */
        error_setg(errp, "No file descriptor supplied via SCM_RIGHTS");
        return -1;
    }
    return fd;
}

/* ------------------------------------------------------------------ */
/* Reply lines                                                         */

static char *qmp_finish_reply(JsonObject *reply, JsonNode *id)
{
    char *line;

    if (id) {
        json_object_set_member(reply, "id", json_node_copy(id));
    }
    line = qmp_json_object_to_string(reply);
    json_object_unref(reply);
    return line;
}

char *qmp_error_line(const char *cls, const char *desc, JsonNode *id)
{
    JsonObject *reply = json_object_new();
    JsonObject *err = json_object_new();

    json_object_set_string_member(err, "class", cls);
    json_object_set_string_member(err, "desc", desc);
    json_object_set_object_member(reply, "error", err);
    return qmp_finish_reply(reply, id);
}

static char *qmp_return_line(JsonNode *ret, JsonNode *id)
{
    JsonObject *reply = json_object_new();

    if (!ret) {
        ret = json_node_init_object(json_node_alloc(), json_object_new());
    }
    json_object_set_member(reply, "return", ret);
    return qmp_finish_reply(reply, id);
}

char *qmp_greeting_line(void)
{
    JsonObject *root = json_object_new();
    JsonObject *qmp = json_object_new();
    JsonObject *version = json_object_new();
    JsonObject *qemu = json_object_new();
    JsonArray *caps = json_array_new();
    char *line;

    /* Member order as QEMU sends it: micro, minor, major. */
    json_object_set_int_member(qemu, "micro", QEMU_VERSION_MICRO);
    json_object_set_int_member(qemu, "minor", QEMU_VERSION_MINOR);
    json_object_set_int_member(qemu, "major", QEMU_VERSION_MAJOR);
    json_object_set_object_member(version, "qemu", qemu);
    json_object_set_string_member(version, "package", QEMU_PKGVERSION);
    json_object_set_object_member(qmp, "version", version);
    json_array_add_string_element(caps, "oob");
    json_object_set_array_member(qmp, "capabilities", caps);
    json_object_set_object_member(root, "QMP", qmp);
    line = qmp_json_object_to_string(root);
    json_object_unref(root);
    return line;
}

char *qmp_event_line(const char *name, JsonObject *data, int64_t realtime_ns)
{
    JsonObject *root = json_object_new();
    JsonObject *ts = json_object_new();
    char *line;

    if (realtime_ns < 0) {
        realtime_ns = 0;
    }
    json_object_set_int_member(ts, "seconds", realtime_ns / 1000000000);
    json_object_set_int_member(ts, "microseconds",
                               (realtime_ns % 1000000000) / 1000);
    json_object_set_object_member(root, "timestamp", ts);
    json_object_set_string_member(root, "event", name);
    if (data) {
        json_object_set_object_member(root, "data", json_object_ref(data));
    }
    line = qmp_json_object_to_string(root);
    json_object_unref(root);
    return line;
}

/* ------------------------------------------------------------------ */
/* Dispatch                                                            */

/* qmp_capabilities is session state, so the dispatcher serves it itself. */
static void qmp_do_capabilities(QmpSession *s, JsonObject *args, Error **errp)
{
    JsonNode *enable;
    JsonArray *list;
    bool oob = false;
    guint i;

    if (!json_object_has_member(args, "enable")) {
        goto done;
    }
    enable = json_object_get_member(args, "enable");
    if (!JSON_NODE_HOLDS_ARRAY(enable)) {
        error_setg(errp, "Invalid parameter type for 'enable', expected: array");
        return;
    }
    list = json_node_get_array(enable);
    for (i = 0; i < json_array_get_length(list); i++) {
        JsonNode *el = json_array_get_element(list, i);
        const char *cap;

        if (!JSON_NODE_HOLDS_VALUE(el) ||
            json_node_get_value_type(el) != G_TYPE_STRING) {
            error_setg(errp, "Invalid parameter type for 'enable[%u]', "
                       "expected: string", i);
            return;
        }
        cap = json_node_get_string(el);
        if (strcmp(cap, "oob") != 0) {
            error_setg(errp, "Capability '%s' is not available", cap);
            return;
        }
        oob = true;
    }
done:
    s->oob_enabled = oob;
    s->negotiated = true;
}

/* Refuse argument names the command did not declare. */
static bool qmp_check_args(const QmpCommand *cmd, JsonObject *args,
                           Error **errp)
{
    GList *members = json_object_get_members(args), *l;
    bool ok = true;

    for (l = members; l && ok; l = l->next) {
        const char *name = l->data;
        const char *const *a;
        bool known = false;

        for (a = cmd->args; a && *a; a++) {
            if (strcmp(*a, name) == 0) {
                known = true;
                break;
            }
        }
        if (!known) {
            error_setg(errp, "Parameter '%s' is unexpected", name);
            ok = false;
        }
    }
    g_list_free(members);
    return ok;
}

/*
 * Check the request envelope as QEMU's qmp_dispatch_check_obj does;
 * returns the command name or NULL with *desc set.
 */
static const char *qmp_check_request(QmpSession *s, JsonObject *req,
                                     JsonObject **args, char **desc)
{
    GList *members = json_object_get_members(req), *l;
    const char *exec = NULL;
    bool oob = false;

    *args = NULL;
    for (l = members; l && !*desc; l = l->next) {
        const char *key = l->data;
        JsonNode *val = json_object_get_member(req, key);

        if (!strcmp(key, "execute") || !strcmp(key, "exec-oob")) {
            if (!JSON_NODE_HOLDS_VALUE(val) ||
                json_node_get_value_type(val) != G_TYPE_STRING) {
                *desc = g_strdup_printf("QMP input member '%s' must be a "
                                        "string", key);
            } else if (exec) {
                *desc = g_strdup("QMP input must not have both 'execute' "
                                 "and 'exec-oob'");
            } else {
                exec = json_node_get_string(val);
                oob = strcmp(key, "exec-oob") == 0;
            }
        } else if (!strcmp(key, "arguments")) {
            if (!JSON_NODE_HOLDS_OBJECT(val)) {
                *desc = g_strdup("QMP input member 'arguments' must be an "
                                 "object");
            } else {
                *args = json_node_get_object(val);
            }
        } else if (strcmp(key, "id") != 0) {
            *desc = g_strdup_printf("QMP input member '%s' is unexpected", key);
        }
    }
    g_list_free(members);
    if (*desc) {
        return NULL;
    }
    if (!exec) {
        *desc = g_strdup("QMP input lacks member 'execute'");
        return NULL;
    }
    if (oob && !s->oob_enabled) {
        /* QEMU's wording: without the capability the member does not exist. */
        *desc = g_strdup("QMP input member 'exec-oob' is unexpected");
        return NULL;
    }
    return exec;
}

static char *qmp_dispatch_object(QmpSession *s, JsonObject *req)
{
    JsonNode *id = json_object_get_member(req, "id");
    JsonObject *args, *empty = NULL;
    const QmpCommand *cmd;
    const char *name;
    char *desc = NULL, *line;
    Error *err = NULL;
    JsonNode *ret = NULL;

    name = qmp_check_request(s, req, &args, &desc);
    if (!name) {
        line = qmp_error_line("GenericError", desc, id);
        g_free(desc);
        return line;
    }
    if (!args) {
        args = empty = json_object_new();
    }
    if (!s->negotiated) {
        if (strcmp(name, "qmp_capabilities") != 0) {
            line = qmp_error_line("CommandNotFound", "Expecting capabilities "
                                  "negotiation with 'qmp_capabilities'", id);
            goto out;
        }
    } else if (strcmp(name, "qmp_capabilities") == 0) {
        line = qmp_error_line("CommandNotFound", "Capabilities negotiation "
                              "is already complete, command ignored", id);
        goto out;
    }

    if (strcmp(name, "qmp_capabilities") == 0) {
        static const char *const caps_args[] = { "enable", NULL };
        QmpCommand caps = { .name = name, .args = caps_args };

        if (qmp_check_args(&caps, args, &err)) {
            qmp_do_capabilities(s, args, &err);
        }
    } else {
        cmd = qmp_find_command(name);
        if (!cmd) {
            desc = g_strdup_printf("The command %s has not been found", name);
            line = qmp_error_line("CommandNotFound", desc, id);
            g_free(desc);
            goto out;
        }
        if (qmp_check_args(cmd, args, &err)) {
            QmpSession *saved = qmp_current;

            qmp_current = s;
            cmd->fn(args, &ret, &err);
            qmp_current = saved;
        }
    }
    if (err) {
        if (ret) {
            json_node_unref(ret);
        }
        line = qmp_error_line("GenericError", error_get_pretty(err), id);
        error_free(err);
    } else {
        line = qmp_return_line(ret, id);
    }
out:
    if (empty) {
        json_object_unref(empty);
    }
    return line;
}

char *qmp_session_dispatch(QmpSession *s, const char *text, size_t len)
{
    JsonParser *parser = json_parser_new();
    GError *gerr = NULL;
    JsonNode *root;
    char *line;

    if (!json_parser_load_from_data(parser, text, (gssize)len, &gerr)) {
        char *desc = g_strdup_printf("JSON parse error, %s", gerr->message);

        line = qmp_error_line("GenericError", desc, NULL);
        g_free(desc);
        g_error_free(gerr);
    } else {
        root = json_parser_get_root(parser);
        if (!root || !JSON_NODE_HOLDS_OBJECT(root)) {
            line = qmp_error_line("GenericError",
                                  "QMP input must be a JSON object", NULL);
        } else {
            line = qmp_dispatch_object(s, json_node_get_object(root));
        }
    }
    g_object_unref(parser);
    return line;
}
