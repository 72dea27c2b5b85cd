/*
 * The command line, in QEMU's syntax, for the subset this VMM implements.
 *
 * Parsing is separate from acting on it: vl_parse_args() only fills a
 * VlConfig (and is unit-tested), vl_run() then builds the machine.  Every
 * refusal names the option and the problem in one line.
 */
#include "qemu/osdep.h"
#include "system/vl.h"
#include "qemu/cutils.h"
#include "qemu/option.h"
#include "hw/boards.h"

typedef struct VlOption VlOption;
typedef bool VlHandler(VlConfig *cfg, const char *opt, const char *arg,
                       Error **errp);

struct VlOption {
    const char *name;
    bool has_arg;
    VlHandler *handler;
    const char *help;
};

static void set_str(char **dst, const char *val)
{
    g_free(*dst);
    *dst = g_strdup(val);
}

static bool h_machine(VlConfig *cfg, const char *opt, const char *arg,
                      Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(arg, "type", errp);
    const char *v;
    bool ok = false;
    Error *err = NULL;

    if (!opts) {
        error_prepend(errp, "-%s: ", opt);
        return false;
    }
    v = qemu_opt_get(opts, "type");
    if (v && !strcmp(v, "help")) {
        cfg->action = VL_MACHINE_HELP;
    } else if (v) {
        set_str(&cfg->machine_type, v);
    }
    v = qemu_opt_get(opts, "gic-version");
    if (v) {
        if (!strcmp(v, "2") || !strcmp(v, "3")) {
            cfg->gic_version = atoi(v);
        } else if (!strcmp(v, "max") || !strcmp(v, "host")) {
            cfg->gic_version = 0;
        } else {
            error_setg(errp, "-%s: gic-version '%s' is not 2, 3, host or max",
                       opt, v);
            goto out;
        }
    }
    if ((v = qemu_opt_get(opts, "dumpdtb"))) {
        set_str(&cfg->dumpdtb, v);
    }
    if ((v = qemu_opt_get(opts, "memory-backend"))) {
        set_str(&cfg->memory_backend, v);
    }
    if ((v = qemu_opt_get(opts, "accel"))) {
        g_auto(GStrv) list = g_strsplit(v, ":", -1);
        for (int i = 0; list[i]; i++) {
            g_ptr_array_add(cfg->accels, g_strdup(list[i]));
        }
    }
    /* Features we do not offer, accepted only in their "off" form. */
    for (const char *const *f = (const char *const[]){ "virtualization",
             "secure", "its", "iommu", "usb", "ras", "mte", NULL }; *f; f++) {
        if (qemu_opt_get_bool(opts, *f, false, &err)) {
            error_setg(errp, "-%s: %s=on is not supported by this VMM", opt, *f);
            goto out;
        }
        if (err) {
            error_propagate(errp, err);
            error_prepend(errp, "-%s: ", opt);
            goto out;
        }
    }
    ok = qemu_opts_check_unused(opts, "-machine", errp);
out:
    qemu_opts_free(opts);
    return ok;
}

static bool h_cpu(VlConfig *cfg, const char *opt, const char *arg,
                  Error **errp)
{
    const char *comma = strchr(arg, ',');

    if (!*arg || arg[0] == ',') {
        error_setg(errp, "-cpu: missing CPU model name");
        return false;
    }
    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        cfg->action = VL_CPU_HELP;
        return true;
    }
    g_free(cfg->cpu_model);
    cfg->cpu_model = comma ? g_strndup(arg, comma - arg) : g_strdup(arg);
    set_str(&cfg->cpu_props, comma ? comma + 1 : NULL);
    return true;
}

static bool h_m(VlConfig *cfg, const char *opt, const char *arg, Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(arg, "size", errp);
    const char *v;
    uint64_t sz;
    bool ok = false;

    if (!opts) {
        error_prepend(errp, "-m: ");
        return false;
    }
    v = qemu_opt_get(opts, "size");
    /* QEMU: a bare number is MiB. */
    if (!v || !qemu_strtosz(v, 'M', &sz)) {
        error_setg(errp, "-m: '%s' is not a valid size", v ? v : "");
    } else if (sz == 0 || sz % (1 * MiB)) {
        error_setg(errp, "-m: %" PRIu64 " bytes: RAM must be a non-zero "
                   "multiple of 1 MiB", sz);
    } else {
        qemu_opt_get(opts, "slots");
        qemu_opt_get(opts, "maxmem");
        cfg->ram_size = sz;
        ok = qemu_opts_check_unused(opts, "-m", errp);
    }
    qemu_opts_free(opts);
    return ok;
}

static bool h_smp(VlConfig *cfg, const char *opt, const char *arg,
                  Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(arg, "cpus", errp);
    const char *v;
    uint64_t n = 0;
    bool ok = false;

    if (!opts) {
        error_prepend(errp, "-smp: ");
        return false;
    }
    v = qemu_opt_get(opts, "cpus");
    if (!v) {
        /* cpus= omitted: derive from the topology, as QEMU does. */
        uint64_t s = 1, c = 1, t = 1;
        const char *vs = qemu_opt_get(opts, "sockets");
        const char *vc = qemu_opt_get(opts, "cores");
        const char *vt = qemu_opt_get(opts, "threads");
        if ((vs && !qemu_strtou64(vs, &s)) || (vc && !qemu_strtou64(vc, &c)) ||
            (vt && !qemu_strtou64(vt, &t)) || s > 64 || c > 64 || t > 64) {
            error_setg(errp, "-smp: bad topology '%s'", arg);
            goto out;
        }
        n = s * c * t;
    } else if (!qemu_strtou64(v, &n)) {
        error_setg(errp, "-smp: '%s' is not a number", v);
        goto out;
    }
    qemu_opt_get(opts, "sockets");
    qemu_opt_get(opts, "cores");
    qemu_opt_get(opts, "threads");
    qemu_opt_get(opts, "maxcpus");
    if (n < 1 || n > 255) {
        error_setg(errp, "-smp: %" PRIu64 " CPUs is out of range (1-255)", n);
        goto out;
    }
    cfg->smp = n;
    ok = qemu_opts_check_unused(opts, "-smp", errp);
out:
    qemu_opts_free(opts);
    return ok;
}

#define STR_HANDLER(fn, field)                                          \
    static bool fn(VlConfig *cfg, const char *opt, const char *arg,     \
                   Error **errp)                                        \
    {                                                                   \
        set_str(&cfg->field, arg);                                      \
        return true;                                                    \
    }

STR_HANDLER(h_kernel, kernel)
STR_HANDLER(h_initrd, initrd)
STR_HANDLER(h_append, append)
STR_HANDLER(h_dtb, dtb)
STR_HANDLER(h_qtest, qtest)
STR_HANDLER(h_qtest_log, qtest_log)
STR_HANDLER(h_incoming, incoming)
STR_HANDLER(h_log_file, log_file)
STR_HANDLER(h_dump_vmstate, dump_vmstate)

static bool h_log(VlConfig *cfg, const char *opt, const char *arg,
                  Error **errp)
{
    if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
        cfg->action = VL_LOG_HELP;
        return true;
    }
    set_str(&cfg->log_mask, arg);
    return true;
}

static bool h_serial(VlConfig *cfg, const char *opt, const char *arg,
                     Error **errp)
{
    g_ptr_array_add(cfg->serials, g_strdup(arg));
    return true;
}

static bool h_chardev(VlConfig *cfg, const char *opt, const char *arg,
                      Error **errp)
{
    g_ptr_array_add(cfg->chardevs, g_strdup(arg));
    return true;
}

static bool h_mon(VlConfig *cfg, const char *opt, const char *arg,
                  Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(arg, "chardev", errp);
    const char *id, *mode;
    VlMonitor m = { 0 };
    bool ok = false;

    if (!opts) {
        error_prepend(errp, "-mon: ");
        return false;
    }
    id = qemu_opt_get(opts, "chardev");
    mode = qemu_opt_get(opts, "mode");
    qemu_opt_get(opts, "pretty");
    if (!id) {
        error_setg(errp, "-mon: chardev= is required");
    } else if (!mode || strcmp(mode, "control")) {
        error_setg(errp, "-mon: only mode=control (QMP) is supported; the "
                   "human monitor is not implemented");
    } else {
        m.chardev_id = g_strdup(id);
        g_array_append_val(cfg->monitors, m);
        ok = qemu_opts_check_unused(opts, "-mon", errp);
    }
    qemu_opts_free(opts);
    return ok;
}

static bool h_qmp(VlConfig *cfg, const char *opt, const char *arg,
                  Error **errp)
{
    VlMonitor m = { .chardev_spec = g_strdup(arg) };

    g_array_append_val(cfg->monitors, m);
    return true;
}

static bool h_monitor(VlConfig *cfg, const char *opt, const char *arg,
                      Error **errp)
{
    if (!strcmp(arg, "none")) {
        return true;
    }
    error_setg(errp, "-monitor: the human monitor is not implemented; "
               "use -qmp or -mon mode=control");
    return false;
}

static bool h_display(VlConfig *cfg, const char *opt, const char *arg,
                      Error **errp)
{
    if (strcmp(arg, "none")) {
        error_setg(errp, "-display: '%s' is not supported: this VMM has no "
                   "display (only 'none')", arg);
        return false;
    }
    cfg->display_none = true;
    return true;
}

static bool h_none_only(VlConfig *cfg, const char *opt, const char *arg,
                        Error **errp)
{
    if (strcmp(arg, "none") && !g_str_has_prefix(arg, "none,")) {
        error_setg(errp, "-%s: '%s' is not supported (only 'none')", opt, arg);
        return false;
    }
    return true;
}

static bool h_flag(VlConfig *cfg, const char *opt, const char *arg,
                   Error **errp)
{
    if (!strcmp(opt, "S")) {
        cfg->start_paused = true;
    } else if (!strcmp(opt, "nographic")) {
        cfg->nographic = true;
        cfg->display_none = true;
    } else if (!strcmp(opt, "nodefaults")) {
        cfg->nodefaults = true;
    } else if (!strcmp(opt, "enable-kvm")) {
        g_ptr_array_add(cfg->accels, g_strdup("kvm"));
    } else if (!strcmp(opt, "help") || !strcmp(opt, "h")) {
        cfg->action = VL_HELP;
    } else if (!strcmp(opt, "version")) {
        cfg->action = VL_VERSION;
    }
    return true;
}

static bool h_accel(VlConfig *cfg, const char *opt, const char *arg,
                    Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(arg, "accel", errp);
    const char *name;
    bool ok = false;

    if (!opts) {
        error_prepend(errp, "-accel: ");
        return false;
    }
    name = qemu_opt_get(opts, "accel");
    /* Accepted tuning knobs that change nothing here. */
    qemu_opt_get(opts, "thread");
    qemu_opt_get(opts, "tb-size");
    if (!name || (strcmp(name, "tcg") && strcmp(name, "kvm") &&
                  strcmp(name, "qtest"))) {
        error_setg(errp, "-accel: '%s' is not an accelerator here "
                   "(tcg, kvm, qtest)", name ? name : "");
    } else {
        g_ptr_array_add(cfg->accels, g_strdup(name));
        ok = qemu_opts_check_unused(opts, "-accel", errp);
    }
    qemu_opts_free(opts);
    return ok;
}

static bool h_name(VlConfig *cfg, const char *opt, const char *arg,
                   Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(arg, "guest", errp);
    bool ok;

    if (!opts) {
        error_prepend(errp, "-name: ");
        return false;
    }
    set_str(&cfg->name, qemu_opt_get(opts, "guest"));
    qemu_opt_get(opts, "debug-threads");
    qemu_opt_get(opts, "process");
    ok = qemu_opts_check_unused(opts, "-name", errp);
    qemu_opts_free(opts);
    return ok;
}

static bool h_global(VlConfig *cfg, const char *opt, const char *arg,
                     Error **errp)
{
    const char *dot = strchr(arg, '.');
    const char *eq = strchr(arg, '=');

    if (!dot || !eq || dot > eq || dot == arg || eq == dot + 1) {
        error_setg(errp, "-global: '%s' is not driver.property=value", arg);
        return false;
    }
    g_ptr_array_add(cfg->globals, g_strdup(arg));
    return true;
}

static bool h_object(VlConfig *cfg, const char *opt, const char *arg,
                     Error **errp)
{
    QemuOpts *opts = qemu_opts_parse(arg, "qom-type", errp);
    const char *type, *id;
    VlMemBackend mb = { 0 };
    Error *err = NULL;
    bool ok = false;

    if (!opts) {
        error_prepend(errp, "-object: ");
        return false;
    }
    type = qemu_opt_get(opts, "qom-type");
    id = qemu_opt_get(opts, "id");
    if (!type || (strcmp(type, "memory-backend-ram") &&
                  strcmp(type, "memory-backend-memfd"))) {
        error_setg(errp, "-object: type '%s' is not supported "
                   "(memory-backend-ram, memory-backend-memfd)",
                   type ? type : "");
    } else if (!id || !*id) {
        error_setg(errp, "-object: id= is required");
    } else if (qemu_opt_get_size(opts, "size", 0, &mb.size, errp)) {
        /* share=on only matters for backends shared with other processes. */
        qemu_opt_get_bool(opts, "share", false, &err);
        qemu_opt_get(opts, "prealloc");
        if (err) {
            error_propagate(errp, err);
        } else if (mb.size == 0 || mb.size % (1 * MiB)) {
            error_setg(errp, "-object %s: size must be a non-zero multiple of "
                       "1 MiB", id);
        } else if (qemu_opts_check_unused(opts, "-object", errp)) {
            mb.id = g_strdup(id);
            g_array_append_val(cfg->mem_backends, mb);
            ok = true;
        }
    }
    qemu_opts_free(opts);
    return ok;
}

static bool h_ignored(VlConfig *cfg, const char *opt, const char *arg,
                      Error **errp)
{
    return true;
}

static const VlOption vl_options[] = {
    { "M", true, h_machine, "machine type and properties (-M help)" },
    { "machine", true, h_machine, "same as -M" },
    { "cpu", true, h_cpu, "CPU model[,feature=on|off...] (-cpu help)" },
    { "m", true, h_m, "RAM size (MiB unless suffixed: 512M, 2G)" },
    { "smp", true, h_smp, "number of CPUs" },
    { "kernel", true, h_kernel, "arm64 Image or raw binary to boot" },
    { "initrd", true, h_initrd, "initial ramdisk" },
    { "append", true, h_append, "kernel command line" },
    { "dtb", true, h_dtb, "device tree blob to use instead of ours" },
    { "serial", true, h_serial, "serial port: stdio, null, file:P, unix:P, "
      "tcp:H:P, chardev:ID" },
    { "chardev", true, h_chardev, "socket|file|stdio|null|pipe,id=ID,..." },
    { "mon", true, h_mon, "chardev=ID,mode=control: QMP on a chardev" },
    { "qmp", true, h_qmp, "QMP on unix:PATH,server=on,wait=off or tcp:" },
    { "monitor", true, h_monitor, "only 'none' (no human monitor)" },
    { "display", true, h_display, "only 'none'" },
    { "nographic", false, h_flag, "no display, serial on stdio" },
    { "nodefaults", false, h_flag, "no default devices" },
    { "S", false, h_flag, "do not start the CPUs" },
    { "accel", true, h_accel, "tcg | kvm | qtest (repeatable, first usable "
      "wins)" },
    { "enable-kvm", false, h_flag, "same as -accel kvm" },
    { "qtest", true, h_qtest, "qtest protocol on a chardev" },
    { "qtest-log", true, h_qtest_log, "log qtest traffic to a file" },
    { "incoming", true, h_incoming, "wait for a migration: URI or 'defer'" },
    { "name", true, h_name, "guest name[,debug-threads=on]" },
    { "global", true, h_global, "driver.property=value" },
    { "object", true, h_object, "memory-backend-ram,id=ID,size=SIZE" },
    { "d", true, h_log, "log items (-d help)" },
    { "D", true, h_log_file, "log to a file" },
    { "dump-vmstate", true, h_dump_vmstate, "write the migration schema as "
      "JSON and exit" },
    { "audio", true, h_none_only, "only 'none'" },
    { "net", true, h_none_only, "only 'none'" },
    { "nic", true, h_none_only, "only 'none'" },
    { "vga", true, h_none_only, "only 'none'" },
    { "run-with", true, h_ignored, "accepted for QEMU's test harness" },
    { "version", false, h_flag, "print the version and exit" },
    { "help", false, h_flag, "this help" },
    { "h", false, h_flag, "this help" },
};

void vl_print_help(FILE *f)
{
    fprintf(f, "usage: %s [options]\n\nOptions:\n", error_get_progname());
    for (size_t i = 0; i < ARRAY_SIZE(vl_options); i++) {
        const VlOption *o = &vl_options[i];
        char left[40];
        snprintf(left, sizeof(left), "-%s%s", o->name, o->has_arg ? " ARG" : "");
        fprintf(f, "  %-22s %s\n", left, o->help);
    }
}

void vl_config_init(VlConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->gic_version = -1;
    cfg->serials = g_ptr_array_new_with_free_func(g_free);
    cfg->chardevs = g_ptr_array_new_with_free_func(g_free);
    cfg->accels = g_ptr_array_new_with_free_func(g_free);
    cfg->globals = g_ptr_array_new_with_free_func(g_free);
    cfg->monitors = g_array_new(FALSE, TRUE, sizeof(VlMonitor));
    cfg->mem_backends = g_array_new(FALSE, TRUE, sizeof(VlMemBackend));
}

void vl_config_free(VlConfig *cfg)
{
    for (guint i = 0; i < cfg->monitors->len; i++) {
        VlMonitor *m = &g_array_index(cfg->monitors, VlMonitor, i);
        g_free(m->chardev_spec);
        g_free(m->chardev_id);
    }
    for (guint i = 0; i < cfg->mem_backends->len; i++) {
        g_free(g_array_index(cfg->mem_backends, VlMemBackend, i).id);
    }
    g_array_free(cfg->monitors, TRUE);
    g_array_free(cfg->mem_backends, TRUE);
    g_ptr_array_free(cfg->serials, TRUE);
    g_ptr_array_free(cfg->chardevs, TRUE);
    g_ptr_array_free(cfg->accels, TRUE);
    g_ptr_array_free(cfg->globals, TRUE);
    g_free(cfg->machine_type);
    g_free(cfg->dumpdtb);
    g_free(cfg->memory_backend);
    g_free(cfg->cpu_model);
    g_free(cfg->cpu_props);
    g_free(cfg->kernel);
    g_free(cfg->initrd);
    g_free(cfg->append);
    g_free(cfg->dtb);
    g_free(cfg->qtest);
    g_free(cfg->qtest_log);
    g_free(cfg->incoming);
    g_free(cfg->name);
    g_free(cfg->log_mask);
    g_free(cfg->log_file);
    g_free(cfg->dump_vmstate);
}

bool vl_parse_args(int argc, char **argv, VlConfig *cfg, Error **errp)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const VlOption *o = NULL;

        if (a[0] != '-' || !a[1]) {
            error_setg(errp, "'%s': expected an option; arguments must "
                       "follow an option", a);
            return false;
        }
        a += (a[1] == '-') ? 2 : 1;     /* QEMU accepts --opt too */
        for (size_t j = 0; j < ARRAY_SIZE(vl_options); j++) {
            if (!strcmp(vl_options[j].name, a)) {
                o = &vl_options[j];
                break;
            }
        }
        if (!o) {
            error_setg(errp, "-%s: invalid option", a);
            return false;
        }
        if (o->has_arg && i + 1 >= argc) {
            error_setg(errp, "-%s: requires an argument", a);
            return false;
        }
        if (!o->handler(cfg, a, o->has_arg ? argv[++i] : NULL, errp)) {
            return false;
        }
    }
    return true;
}
