/*
 * QMP commands for migration (facts 5.2-5.7) and the layer's start-up and
 * shutdown entry points.  Handlers run on the main thread with the big
 * lock held (include/qapi/qmp-registry.h).
 */
#include "qemu/osdep.h"
#include <signal.h>
#include "qapi/qmp-registry.h"
#include "migration/migration.h"
#include "migration/savevm.h"
#include "migration-state.h"
#include "ram.h"

static JsonNode *node_object(JsonObject *o)
{
    JsonNode *n = json_node_alloc();

    json_node_init_object(n, o);
    json_object_unref(o);
    return n;
}

static JsonNode *node_array(JsonArray *a)
{
    JsonNode *n = json_node_alloc();

    json_node_init_array(n, a);
    json_array_unref(a);
    return n;
}

/* Optional bool: false only on a type error (absent is fine). */
static bool arg_bool_opt(JsonObject *args, const char *name, bool *out,
                         bool *present, Error **errp)
{
    Error *local = NULL;

    *present = json_object_has_member(args, name);
    qmp_arg_bool_opt(args, name, out, present, &local);
    if (local) {
        error_propagate(errp, local);
        return false;
    }
    *present = json_object_has_member(args, name);
    return true;
}

static void qmp_migrate(JsonObject *args, JsonNode **ret, Error **errp)
{
    const char *uri = NULL;
    bool resume = false, present = false;

    if (json_object_has_member(args, "channels")) {
        error_setg(errp, "'channels' is not supported; use 'uri'");
        return;
    }
    if (!arg_bool_opt(args, "resume", &resume, &present, errp)) {
        return;
    }
    if (resume) {
        error_setg(errp, "postcopy recovery ('resume') is not supported");
        return;
    }
    if (!qmp_arg_str(args, "uri", &uri, errp)) {
        return;
    }
    migration_start_outgoing(uri, errp);
}

static void qmp_migrate_incoming(JsonObject *args, JsonNode **ret,
                                 Error **errp)
{
    const char *uri = NULL;
    bool exit_on_error = false, present = false;

    if (json_object_has_member(args, "channels")) {
        error_setg(errp, "'channels' is not supported; use 'uri'");
        return;
    }
    if (!qmp_arg_str(args, "uri", &uri, errp) ||
        !arg_bool_opt(args, "exit-on-error", &exit_on_error, &present,
                      errp)) {
        return;
    }
    /*
     * Waiting with "defer" means a failure should not end the process
     * unless the client asks for it.
     */
    migration_incoming_begin(uri, present ? exit_on_error : false, errp);
}

static void qmp_migrate_cancel(JsonObject *args, JsonNode **ret, Error **errp)
{
    migration_cancel();
}

static JsonObject *ram_info(const MigrationState *s, MigrationStatus st)
{
    JsonObject *ram = json_object_new();
    RamStats rs;
    uint64_t transferred = s->file ? qemu_file_transferred(s->file)
                                   : s->transferred_final;

    ram_get_stats(&rs);
    json_object_set_int_member(ram, "transferred", transferred);
    if (st != MIGRATION_STATUS_COMPLETED) {
        json_object_set_int_member(ram, "remaining", rs.remaining);
    }
    json_object_set_int_member(ram, "total", rs.total);
    json_object_set_int_member(ram, "duplicate", rs.duplicate);
    json_object_set_int_member(ram, "skipped", 0);
    json_object_set_int_member(ram, "normal", rs.normal);
    json_object_set_int_member(ram, "normal-bytes", rs.normal * 4096);
    json_object_set_int_member(ram, "dirty-pages-rate", 0);
    json_object_set_double_member(ram, "mbps", s->mbps);
    json_object_set_int_member(ram, "dirty-sync-count",
                               rs.dirty_sync_count);
    json_object_set_int_member(ram, "postcopy-requests", 0);
    json_object_set_int_member(ram, "page-size", 4096);
    json_object_set_int_member(ram, "multifd-bytes", 0);
    json_object_set_int_member(ram, "pages-per-second", s->pages_per_second);
    json_object_set_int_member(ram, "precopy-bytes", transferred);
    json_object_set_int_member(ram, "downtime-bytes", 0);
    json_object_set_int_member(ram, "postcopy-bytes", 0);
    json_object_set_int_member(ram, "dirty-sync-missed-zero-copy", 0);
    return ram;
}

JsonObject *migration_query(void)
{
    MigrationState *s = migration_outgoing_state();
    JsonObject *info = json_object_new();
    MigrationStatus st;

    g_mutex_lock(&s->lock);
    st = s->status;
    if (st == MIGRATION_STATUS_NONE) {
        g_mutex_unlock(&s->lock);
        /* No outgoing migration: the destination's view, if any. */
        if (migration_incoming_status() != MIGRATION_STATUS_NONE) {
            migration_incoming_query(info);
        }
        return info;
    }
    json_object_set_string_member(info, "status", migration_status_name(st));
    if (st == MIGRATION_STATUS_ACTIVE || st == MIGRATION_STATUS_DEVICE ||
        st == MIGRATION_STATUS_CANCELLING || st == MIGRATION_STATUS_COMPLETED) {
        bool done = st == MIGRATION_STATUS_COMPLETED;
        int64_t total = done ? s->total_time
                             : g_get_monotonic_time() / 1000 - s->start_ms;

        json_object_set_int_member(info, "total-time", total);
        json_object_set_int_member(info, "setup-time", s->setup_time);
        if (done) {
            json_object_set_int_member(info, "downtime", s->downtime);
        } else {
            json_object_set_int_member(info, "expected-downtime",
                                       s->expected_downtime);
        }
        json_object_set_object_member(info, "ram", ram_info(s, st));
    }
    if (st == MIGRATION_STATUS_FAILED && s->error_desc) {
        json_object_set_string_member(info, "error-desc", s->error_desc);
    }
    g_mutex_unlock(&s->lock);
    return info;
}

static void qmp_query_migrate(JsonObject *args, JsonNode **ret, Error **errp)
{
    *ret = node_object(migration_query());
}

static void qmp_set_parameters(JsonObject *args, JsonNode **ret, Error **errp)
{
    GList *members = json_object_get_members(args);

    /* Check every value before changing any. */
    for (int pass = 0; pass < 2; pass++) {
        for (GList *l = members; l; l = l->next) {
            const char *name = l->data;
            int64_t v;
            bool b, present;

            if (!strcmp(name, "cpu-throttle-tailslow")) {
                if (!arg_bool_opt(args, name, &b, &present, errp)) {
                    goto out;
                }
                if (pass) {
                    migration_parameter_set_tailslow(b);
                }
                continue;
            }
            if (!qmp_arg_int(args, name, &v, errp)) {
                goto out;
            }
            if (!pass) {
                /* Range check only: set it on the second pass. */
                Error *local = NULL;
                MigrationParameters cur;
                migration_get_parameters(&cur);
                if (!migration_parameter_set(name, v, &local)) {
                    error_propagate(errp, local);
                    goto out;
                }
                /* Undo until pass 2 so a later refusal changes nothing. */
                if (!strcmp(name, "downtime-limit")) {
                    migration_parameter_set(name, cur.downtime_limit_ms, NULL);
                } else if (!strcmp(name, "max-bandwidth")) {
                    migration_parameter_set(name, cur.max_bandwidth, NULL);
                }
            } else {
                migration_parameter_set(name, v, NULL);
            }
        }
    }
out:
    g_list_free(members);
}

static void qmp_query_parameters(JsonObject *args, JsonNode **ret,
                                 Error **errp)
{
    *ret = node_object(migration_parameters_query());
}

static void qmp_set_capabilities(JsonObject *args, JsonNode **ret,
                                 Error **errp)
{
    JsonNode *n = json_object_get_member(args, "capabilities");
    JsonArray *caps;
    guint len;

    if (!n) {
        error_setg(errp, "Parameter 'capabilities' is missing");
        return;
    }
    if (!JSON_NODE_HOLDS_ARRAY(n)) {
        error_setg(errp, "Invalid parameter type for 'capabilities', "
                   "expected: array");
        return;
    }
    if (migration_outgoing_status() == MIGRATION_STATUS_SETUP ||
        migration_outgoing_status() == MIGRATION_STATUS_ACTIVE ||
        migration_outgoing_status() == MIGRATION_STATUS_DEVICE) {
        error_setg(errp, "There's a migration process in progress");
        return;
    }
    caps = json_node_get_array(n);
    len = json_array_get_length(caps);
    /* Validate all, then apply all. */
    for (int pass = 0; pass < 2; pass++) {
        for (guint i = 0; i < len; i++) {
            JsonNode *e = json_array_get_element(caps, i);
            JsonObject *o;
            const char *name = NULL;
            bool state = false, present = false;
            bool cur;

            if (!JSON_NODE_HOLDS_OBJECT(e)) {
                error_setg(errp, "Invalid parameter type for "
                           "'capabilities[%u]', expected: object", i);
                return;
            }
            o = json_node_get_object(e);
            if (!qmp_arg_str(o, "capability", &name, errp) ||
                !arg_bool_opt(o, "state", &state, &present, errp)) {
                return;
            }
            if (!present) {
                error_setg(errp, "Parameter 'state' is missing");
                return;
            }
            if (!pass) {
                /* Dry run: set and restore. */
                if (!migration_capability_get(name, &cur)) {
                    migration_capability_set(name, state, errp);
                    return;
                }
                if (!migration_capability_set(name, state, errp)) {
                    return;
                }
                migration_capability_set(name, cur, NULL);
            } else {
                migration_capability_set(name, state, NULL);
            }
        }
    }
}

static void qmp_query_capabilities(JsonObject *args, JsonNode **ret,
                                   Error **errp)
{
    JsonArray *arr = json_array_new();
    const char *const *names = migration_capability_names();

    for (int i = 0; names[i]; i++) {
        JsonObject *o = json_object_new();
        bool v = false;

        migration_capability_get(names[i], &v);
        json_object_set_string_member(o, "capability", names[i]);
        json_object_set_boolean_member(o, "state", v);
        json_array_add_object_element(arr, o);
    }
    *ret = node_array(arr);
}

void migration_qmp_register(void)
{
    static const char *const migrate_args[] = {
        "uri", "channels", "blk", "inc", "detach", "resume", NULL
    };
    static const char *const incoming_args[] = {
        "uri", "channels", "exit-on-error", NULL
    };
    static const char *const caps_args[] = { "capabilities", NULL };

    qmp_register_command("migrate", qmp_migrate, migrate_args, 0);
    qmp_register_command("migrate-incoming", qmp_migrate_incoming,
                         incoming_args, 0);
    qmp_register_command("migrate_cancel", qmp_migrate_cancel, NULL, 0);
    qmp_register_command("query-migrate", qmp_query_migrate, NULL, 0);
    qmp_register_command("migrate-set-parameters", qmp_set_parameters,
                         migration_parameter_names(), 0);
    qmp_register_command("query-migrate-parameters", qmp_query_parameters,
                         NULL, 0);
    qmp_register_command("migrate-set-capabilities", qmp_set_capabilities,
                         caps_args, 0);
    qmp_register_command("query-migrate-capabilities",
                         qmp_query_capabilities, NULL, 0);
}

void migration_init(void)
{
    static bool done;

    if (done) {
        return;
    }
    done = true;
    /* A destination that goes away must fail a write, not kill us. */
    signal(SIGPIPE, SIG_IGN);
    migration_outgoing_init();
    ram_mig_init();
    global_state_register();
    migration_qmp_register();
}

void migration_shutdown(void)
{
    migration_outgoing_shutdown();
    migration_incoming_shutdown();
}
