/*
 * "key=value,..." option strings (see include/qemu/option.h).
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qemu/cutils.h"

static void opt_free(gpointer p)
{
    QemuOpt *o = p;
    g_free(o->name);
    g_free(o->value);
    g_free(o);
}

/* Read up to an unescaped delimiter; ",," is a literal comma. */
static const char *get_token(const char *p, char delim, GString *out)
{
    while (*p) {
        if (*p == ',') {
            if (p[1] == ',') {
                g_string_append_c(out, ',');
                p += 2;
                continue;
            }
            break;
        }
        if (*p == delim) {
            break;
        }
        g_string_append_c(out, *p++);
    }
    return p;
}

QemuOpts *qemu_opts_parse(const char *str, const char *implied_key,
                          Error **errp)
{
    QemuOpts *opts;
    const char *p = str;
    bool first = true;

    if (strlen(str) > QEMU_OPTS_MAX_LEN) {
        error_setg(errp, "option string is longer than %d bytes",
                   QEMU_OPTS_MAX_LEN);
        return NULL;
    }
    opts = g_new0(QemuOpts, 1);
    opts->opts = g_ptr_array_new_with_free_func(opt_free);
    while (*p) {
        g_autoptr(GString) name = g_string_new(NULL);
        g_autoptr(GString) value = g_string_new(NULL);
        QemuOpt *o;

        p = get_token(p, '=', name);
        if (*p == '=') {
            p = get_token(p + 1, 0, value);
        } else if (first && implied_key) {
            g_string_assign(value, name->str);
            g_string_assign(name, implied_key);
        } else if (g_str_has_prefix(name->str, "no") && name->len > 2) {
            /* QEMU's "noflag" shorthand for flag=off */
            g_string_erase(name, 0, 2);
            g_string_assign(value, "off");
        } else {
            g_string_assign(value, "on");
        }
        if (name->len == 0) {
            error_setg(errp, "empty option name in '%s'", str);
            qemu_opts_free(opts);
            return NULL;
        }
        o = g_new0(QemuOpt, 1);
        o->name = g_strdup(name->str);
        o->value = g_strdup(value->str);
        g_ptr_array_add(opts->opts, o);
        first = false;
        if (*p == ',') {
            p++;
            if (!*p) {
                break;
            }
        }
    }
    return opts;
}

void qemu_opts_free(QemuOpts *opts)
{
    if (opts) {
        g_ptr_array_free(opts->opts, TRUE);
        g_free(opts);
    }
}

const char *qemu_opt_get(QemuOpts *opts, const char *name)
{
    const char *val = NULL;

    for (guint i = 0; i < opts->opts->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->opts, i);
        if (!strcmp(o->name, name)) {
            o->used = true;
            val = o->value;
        }
    }
    return val;
}

bool qemu_opt_get_bool(QemuOpts *opts, const char *name, bool def,
                       Error **errp)
{
    const char *v = qemu_opt_get(opts, name);
    bool b;

    if (!v) {
        return def;
    }
    if (!qemu_strtobool(v, &b)) {
        error_setg(errp, "parameter '%s' expects 'on' or 'off', not '%s'",
                   name, v);
        return def;
    }
    return b;
}

bool qemu_opt_get_size(QemuOpts *opts, const char *name, uint64_t def,
                       uint64_t *out, Error **errp)
{
    const char *v = qemu_opt_get(opts, name);

    if (!v) {
        *out = def;
        return true;
    }
    if (!qemu_strtosz(v, 'B', out)) {
        error_setg(errp, "parameter '%s' expects a size, not '%s'", name, v);
        return false;
    }
    return true;
}

bool qemu_opts_check_unused(QemuOpts *opts, const char *what, Error **errp)
{
    for (guint i = 0; i < opts->opts->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->opts, i);
        if (!o->used) {
            error_setg(errp, "%s: invalid parameter '%s'", what, o->name);
            return false;
        }
    }
    return true;
}
