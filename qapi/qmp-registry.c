/*
 * The QMP command registry and argument accessors (include/qapi/qmp-registry.h).
 *
 * Commands are registered once at start-up from the main thread; lookups
 * happen on the main thread with the big lock held, so the table needs no
 * lock of its own.  Argument accessors use QEMU's error wording so that
 * management tools matching on messages keep working.
 */
#include "qemu/osdep.h"
#include "qapi/qmp-registry.h"

static GHashTable *qmp_commands;   /* name -> QmpCommand* */

void qmp_register_command(const char *name, QmpCommandFunc *fn,
                          const char *const *args, unsigned options)
{
    QmpCommand *cmd;

    if (!qmp_commands) {
        qmp_commands = g_hash_table_new_full(g_str_hash, g_str_equal,
                                             NULL, g_free);
    }
    /* Re-registering replaces: unit tests register test commands freely. */
    cmd = g_new0(QmpCommand, 1);
    cmd->name = name;
    cmd->fn = fn;
    cmd->args = args;
    cmd->options = options;
    g_hash_table_replace(qmp_commands, (gpointer)cmd->name, cmd);
}

const QmpCommand *qmp_find_command(const char *name)
{
    if (!qmp_commands || !name) {
        return NULL;
    }
    return g_hash_table_lookup(qmp_commands, name);
}

static gint qmp_cmd_compare(gconstpointer a, gconstpointer b)
{
    const QmpCommand *ca = *(const QmpCommand *const *)a;
    const QmpCommand *cb = *(const QmpCommand *const *)b;

    return strcmp(ca->name, cb->name);
}

GPtrArray *qmp_list_commands(void)
{
    GPtrArray *list = g_ptr_array_new();
    GHashTableIter iter;
    gpointer value;

    if (qmp_commands) {
        g_hash_table_iter_init(&iter, qmp_commands);
        while (g_hash_table_iter_next(&iter, NULL, &value)) {
            g_ptr_array_add(list, value);
        }
    }
    g_ptr_array_sort(list, qmp_cmd_compare);
    return list;
}

/*
 * Look up a member; NULL when absent.  A JSON null counts as absent, as
 * QEMU's input visitor treats an explicit null for an optional member.
 */
static JsonNode *qmp_arg_node(JsonObject *args, const char *name)
{
    JsonNode *node;

    if (!args || !json_object_has_member(args, name)) {
        return NULL;
    }
    node = json_object_get_member(args, name);
    if (!node || JSON_NODE_HOLDS_NULL(node)) {
        return NULL;
    }
    return node;
}

static bool qmp_node_is(JsonNode *node, GType type)
{
    return JSON_NODE_HOLDS_VALUE(node) && json_node_get_value_type(node) == type;
}

bool qmp_arg_str_opt(JsonObject *args, const char *name, const char **out,
                     Error **errp)
{
    JsonNode *node = qmp_arg_node(args, name);

    if (!node) {
        return false;
    }
    if (!qmp_node_is(node, G_TYPE_STRING)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: string",
                   name);
        return false;
    }
    *out = json_node_get_string(node);
    return true;
}

bool qmp_arg_str(JsonObject *args, const char *name, const char **out,
                 Error **errp)
{
    if (!qmp_arg_node(args, name)) {
        error_setg(errp, "Parameter '%s' is missing", name);
        return false;
    }
    return qmp_arg_str_opt(args, name, out, errp);
}

bool qmp_arg_int_opt(JsonObject *args, const char *name, int64_t *out,
                     bool *present, Error **errp)
{
    JsonNode *node = qmp_arg_node(args, name);

    if (present) {
        *present = false;
    }
    if (!node) {
        return false;
    }
    /* json-glib parses integers as gint64 and anything with '.'/'e' as double. */
    if (!qmp_node_is(node, G_TYPE_INT64)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: integer",
                   name);
        return false;
    }
    *out = json_node_get_int(node);
    if (present) {
        *present = true;
    }
    return true;
}

bool qmp_arg_int(JsonObject *args, const char *name, int64_t *out,
                 Error **errp)
{
    if (!qmp_arg_node(args, name)) {
        error_setg(errp, "Parameter '%s' is missing", name);
        return false;
    }
    return qmp_arg_int_opt(args, name, out, NULL, errp);
}

bool qmp_arg_bool_opt(JsonObject *args, const char *name, bool *out,
                      bool *present, Error **errp)
{
    JsonNode *node = qmp_arg_node(args, name);

    if (present) {
        *present = false;
    }
    if (!node) {
        return false;
    }
    if (!qmp_node_is(node, G_TYPE_BOOLEAN)) {
        error_setg(errp, "Invalid parameter type for '%s', expected: boolean",
                   name);
        return false;
    }
    *out = json_node_get_boolean(node);
    if (present) {
        *present = true;
    }
    return true;
}
