/*
 * Migration parameters and capabilities (facts 5.5, 5.6), as tables: a
 * name, a default and a range per parameter; a name and whether we
 * implement it per capability.  Parameters we accept but do not act on
 * (announce timing, throttling, multifd) are stored and reported so
 * management tools that set them keep working.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "migration/migration.h"

typedef struct ParamDesc {
    const char *name;
    int64_t def;
    int64_t min;
    int64_t max;
} ParamDesc;

enum {
    P_ANNOUNCE_INITIAL,
    P_ANNOUNCE_MAX,
    P_ANNOUNCE_ROUNDS,
    P_ANNOUNCE_STEP,
    P_THROTTLE_TRIGGER,
    P_CPU_THROTTLE_INITIAL,
    P_CPU_THROTTLE_INCREMENT,
    P_MAX_BANDWIDTH,
    P_AVAIL_SWITCHOVER_BW,
    P_DOWNTIME_LIMIT,
    P_CHECKPOINT_DELAY,
    P_MULTIFD_CHANNELS,
    P_XBZRLE_CACHE,
    P_MAX_POSTCOPY_BW,
    P_MAX_CPU_THROTTLE,
    P__MAX,
};

/* QEMU's defaults; downtime-limit is capped at 2000 s as in QEMU. */
static const ParamDesc param_table[P__MAX] = {
    [P_ANNOUNCE_INITIAL] = { "announce-initial", 50, 1, 100000 },
    [P_ANNOUNCE_MAX] = { "announce-max", 550, 1, 100000 },
    [P_ANNOUNCE_ROUNDS] = { "announce-rounds", 5, 1, 1000 },
    [P_ANNOUNCE_STEP] = { "announce-step", 100, 1, 10000 },
    [P_THROTTLE_TRIGGER] = { "throttle-trigger-threshold", 50, 1, 100 },
    [P_CPU_THROTTLE_INITIAL] = { "cpu-throttle-initial", 20, 1, 99 },
    [P_CPU_THROTTLE_INCREMENT] = { "cpu-throttle-increment", 10, 1, 99 },
    [P_MAX_BANDWIDTH] = { "max-bandwidth", 128 * MiB, 0, INT64_MAX },
    [P_AVAIL_SWITCHOVER_BW] = { "avail-switchover-bandwidth", 0, 0,
                                INT64_MAX },
    [P_DOWNTIME_LIMIT] = { "downtime-limit", 300, 0, 2000000 },
    [P_CHECKPOINT_DELAY] = { "x-checkpoint-delay", 20000, 0, INT32_MAX },
    [P_MULTIFD_CHANNELS] = { "multifd-channels", 2, 1, 255 },
    [P_XBZRLE_CACHE] = { "xbzrle-cache-size", 64 * MiB, 0, INT64_MAX },
    [P_MAX_POSTCOPY_BW] = { "max-postcopy-bandwidth", 0, 0, INT64_MAX },
    [P_MAX_CPU_THROTTLE] = { "max-cpu-throttle", 99, 1, 99 },
};

/* Capabilities in QEMU 7.2's order; only "events" changes behaviour. */
static const char *const cap_names[] = {
    "xbzrle", "rdma-pin-all", "auto-converge", "zero-blocks", "compress",
    "events", "postcopy-ram", "x-colo", "release-ram", "block",
    "return-path", "pause-before-switchover", "multifd", "dirty-bitmaps",
    "postcopy-blocktime", "late-block-activate", "x-ignore-shared",
    "validate-uuid", "background-snapshot", "zero-copy-send",
    "postcopy-preempt", NULL,
};
static const char *const cap_supported[] = { "events", NULL };

static GMutex opt_lock;
static int64_t param_values[P__MAX];
static bool param_init_done;
static bool cap_values[G_N_ELEMENTS(cap_names)];
static bool tailslow;

static void params_init(void)
{
    if (!param_init_done) {
        for (int i = 0; i < P__MAX; i++) {
            param_values[i] = param_table[i].def;
        }
        param_init_done = true;
    }
}

static int param_index(const char *name)
{
    for (int i = 0; i < P__MAX; i++) {
        if (!strcmp(param_table[i].name, name)) {
            return i;
        }
    }
    return -1;
}

/* Argument names migrate-set-parameters accepts (NULL-terminated). */
const char *const *migration_parameter_names(void)
{
    static const char *names[P__MAX + 2];

    if (!names[0]) {
        for (int i = 0; i < P__MAX; i++) {
            names[i] = param_table[i].name;
        }
        names[P__MAX] = "cpu-throttle-tailslow";
    }
    return names;
}

bool migration_parameter_set(const char *name, int64_t value, Error **errp)
{
    int i = param_index(name);

    if (i < 0) {
        error_setg(errp, "Invalid parameter '%s'", name);
        return false;
    }
    if (value < param_table[i].min || value > param_table[i].max) {
        error_setg(errp, "Parameter '%s' expects an integer in the range "
                   "%" PRId64 " to %" PRId64 ", got %" PRId64, name,
                   param_table[i].min, param_table[i].max, value);
        return false;
    }
    g_mutex_lock(&opt_lock);
    params_init();
    param_values[i] = value;
    g_mutex_unlock(&opt_lock);
    return true;
}

void migration_parameter_set_tailslow(bool on)
{
    tailslow = on;
}

/* Every parameter as query-migrate-parameters returns it. */
JsonObject *migration_parameters_query(void)
{
    JsonObject *o = json_object_new();

    g_mutex_lock(&opt_lock);
    params_init();
    for (int i = 0; i < P__MAX; i++) {
        json_object_set_int_member(o, param_table[i].name, param_values[i]);
    }
    g_mutex_unlock(&opt_lock);
    json_object_set_boolean_member(o, "cpu-throttle-tailslow", tailslow);
    json_object_set_string_member(o, "tls-creds", "");
    json_object_set_string_member(o, "tls-hostname", "");
    json_object_set_string_member(o, "multifd-compression", "none");
    return o;
}

void migration_get_parameters(MigrationParameters *p)
{
    g_mutex_lock(&opt_lock);
    params_init();
    p->downtime_limit_ms = param_values[P_DOWNTIME_LIMIT];
    p->max_bandwidth = param_values[P_MAX_BANDWIDTH];
    g_mutex_unlock(&opt_lock);
}

bool migration_set_parameters(const MigrationParameters *p, Error **errp)
{
    return migration_parameter_set("downtime-limit", p->downtime_limit_ms,
                                   errp) &&
           migration_parameter_set("max-bandwidth", p->max_bandwidth, errp);
}

static int cap_index(const char *name)
{
    for (int i = 0; cap_names[i]; i++) {
        if (!strcmp(cap_names[i], name)) {
            return i;
        }
    }
    return -1;
}

const char *const *migration_capability_names(void)
{
    return cap_names;
}

bool migration_capability_get(const char *name, bool *value)
{
    int i = cap_index(name);

    if (i < 0) {
        return false;
    }
    *value = __atomic_load_n(&cap_values[i], __ATOMIC_RELAXED);
    return true;
}

bool migration_capability_set(const char *name, bool value, Error **errp)
{
    int i = cap_index(name);

    if (i < 0) {
        error_setg(errp, "Invalid parameter value for 'capability': '%s' "
                   "(no such migration capability)", name);
        return false;
    }
    if (value && !g_strv_contains(cap_supported, name)) {
        error_setg(errp, "Migration capability '%s' is not supported by "
                   "this VM", name);
        return false;
    }
    __atomic_store_n(&cap_values[i], value, __ATOMIC_RELAXED);
    return true;
}

/*
 * -global migration.PROP=VALUE: capabilities as "x-<name>" (QEMU's test
 * harness passes migration.x-events=on), and the wire-format switches we
 * always have on.
 */
bool migration_apply_global(const char *prop_eq_value, Error **errp)
{
    static const char *const always_on[] = {
        "send-configuration", "send-section-footer", "store-global-state",
        NULL,
    };
    const char *eq = strchr(prop_eq_value, '=');
    g_autofree char *prop = NULL;
    bool on;

    if (!eq) {
        error_setg(errp, "expected PROPERTY=VALUE, got '%s'", prop_eq_value);
        return false;
    }
    prop = g_strndup(prop_eq_value, eq - prop_eq_value);
    if (!qemu_strtobool(eq + 1, &on)) {
        error_setg(errp, "property '%s' expects on or off, got '%s'", prop,
                   eq + 1);
        return false;
    }
    if (g_strv_contains(always_on, prop)) {
        if (!on) {
            error_setg(errp, "property '%s' cannot be turned off", prop);
            return false;
        }
        return true;
    }
    if (g_str_has_prefix(prop, "x-") && cap_index(prop + 2) >= 0) {
        return migration_capability_set(prop + 2, on, errp);
    }
    if (cap_index(prop) >= 0) {     /* newer QEMU spells some without x- */
        return migration_capability_set(prop, on, errp);
    }
    error_setg(errp, "property '%s' not found", prop);
    return false;
}
