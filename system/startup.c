/*
 * Start-up: turn a parsed command line (VlConfig) into a running machine.
 *
 * Order matters and follows QEMU's: logging, chardevs, monitors (so a
 * management tool can talk to us as early as possible), the accelerator,
 * memory backends, the board, vCPUs, migration, then either wait for an
 * incoming migration, stay paused (-S), or start the guest.
 */
#include "qemu/osdep.h"
#include <glib-unix.h>
#include "config-host.h"
#include "system/vl.h"
#include "system/system.h"
#include "system/runstate.h"
#include "system/cpus.h"
#include "system/qtest.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "qemu/option.h"
#include "qemu/cutils.h"
#include "qemu/fdstore.h"
#include "chardev/char.h"
#include "monitor/qmp.h"
#include "hw/boards.h"
#include "target/arm/cpu.h"
#include "migration/migration.h"
#include "migration/savevm.h"
#include "startup-hooks.h"

const char *qemu_name;
const char *qemu_progname = "qemu-system-aarch64";

static gboolean on_signal(gpointer data)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
    return G_SOURCE_CONTINUE;
}

/* -global arm_gic.has-virtualization-extensions=on (QEMU's property). */
static bool gic_virt_ext;

static bool apply_globals(VlConfig *cfg, Error **errp)
{
    for (guint i = 0; i < cfg->globals->len; i++) {
        const char *g = g_ptr_array_index(cfg->globals, i);

        if (g_str_has_prefix(g, "arm_gic.has-virtualization-extensions=")) {
            const char *v = strchr(g, '=') + 1;
            if (!qemu_strtobool(v, &gic_virt_ext)) {
                error_setg(errp, "-global %s: expected on or off", g);
                return false;
            }
            continue;
        }
        /*
         * Otherwise only migration.* globals are known (QEMU's test harness
         * passes migration.x-events=on); the migration layer takes them.
         */
        if (!g_str_has_prefix(g, "migration.")) {
            error_setg(errp, "-global %s: unknown driver or property", g);
            return false;
        }
        if (!migration_apply_global(g + strlen("migration."), errp)) {
            error_prepend(errp, "-global %s: ", g);
            return false;
        }
    }
    return true;
}

static bool create_chardevs(VlConfig *cfg, Error **errp)
{
    for (guint i = 0; i < cfg->chardevs->len; i++) {
        const char *spec = g_ptr_array_index(cfg->chardevs, i);
        QemuOpts *opts = qemu_opts_parse(spec, "backend", errp);
        Chardev *chr;

        if (!opts) {
            error_prepend(errp, "-chardev: ");
            return false;
        }
        chr = qemu_chr_new_from_opts(opts, errp);
        qemu_opts_free(opts);
        if (!chr) {
            return false;
        }
    }
    return true;
}

static bool create_monitors(VlConfig *cfg, Error **errp)
{
    for (guint i = 0; i < cfg->monitors->len; i++) {
        VlMonitor *m = &g_array_index(cfg->monitors, VlMonitor, i);
        Chardev *chr;

        if (m->chardev_id) {
            chr = qemu_chr_find(m->chardev_id);
            if (!chr) {
                error_setg(errp, "-mon: chardev '%s' not found",
                           m->chardev_id);
                return false;
            }
        } else {
            g_autofree char *label = g_strdup_printf("compat_monitor%u", i);
            chr = qemu_chr_new(label, m->chardev_spec, errp);
            if (!chr) {
                error_prepend(errp, "-qmp: ");
                return false;
            }
        }
        if (!monitor_init_qmp(chr, errp)) {
            return false;
        }
    }
    return true;
}

static const AccelOps *choose_accel(VlConfig *cfg, Error **errp)
{
    g_autoptr(GString) tried = g_string_new(NULL);

    if (cfg->accels->len == 0) {
        g_ptr_array_add(cfg->accels, g_strdup(cfg->qtest ? "qtest" : "tcg"));
    }
    for (guint i = 0; i < cfg->accels->len; i++) {
        const char *name = g_ptr_array_index(cfg->accels, i);
        const AccelOps *ops = accel_find(name);
        if (ops && (!ops->available || ops->available())) {
            return ops;
        }
        g_string_append_printf(tried, "%s%s%s", tried->len ? ", " : "", name,
                               !ops ? " (not built in)" : " (not available "
                               "on this host)");
    }
    error_setg(errp, "no usable accelerator: %s", tried->str);
    return NULL;
}

static bool create_machine(VlConfig *cfg, const AccelOps *accel, Error **errp)
{
    const MachineClass *mc = machine_find(cfg->machine_type ?
                                          cfg->machine_type : "virt");
    MachineState *ms;

    if (!mc) {
        error_setg(errp, "-machine: unsupported machine type '%s' "
                   "(-machine help lists them)", cfg->machine_type);
        return false;
    }
    ms = g_new0(MachineState, 1);
    current_machine = ms;
    ms->type = mc->name;
    ms->ram_size = cfg->ram_size ? cfg->ram_size : mc->default_ram_size;
    ms->smp_cpus = cfg->smp ? cfg->smp : 1;
    ms->cpu_type = g_strdup(cfg->cpu_model ? cfg->cpu_model :
                            mc->default_cpu_type);
    ms->cpu_props = g_strdup(cfg->cpu_props);
    ms->kernel_filename = g_strdup(cfg->kernel);
    ms->initrd_filename = g_strdup(cfg->initrd);
    ms->kernel_cmdline = g_strdup(cfg->append);
    ms->dtb_filename = g_strdup(cfg->dtb);
    ms->dumpdtb_filename = g_strdup(cfg->dumpdtb);
    ms->gic_version = cfg->gic_version < 0 ? 2 : cfg->gic_version;
    if (ms->gic_version == 0) {
        ms->gic_version = 3;    /* "max": the newest we implement */
    }
    ms->gic_virt_ext = gic_virt_ext;
    ms->accel = accel->name;
    if (ms->smp_cpus > mc->max_cpus) {
        error_setg(errp, "-smp %u: machine '%s' supports at most %u CPUs",
                   ms->smp_cpus, mc->name, mc->max_cpus);
        return false;
    }
    if (cfg->memory_backend) {
        for (guint i = 0; i < cfg->mem_backends->len; i++) {
            VlMemBackend *mb = &g_array_index(cfg->mem_backends,
                                              VlMemBackend, i);
            if (!strcmp(mb->id, cfg->memory_backend)) {
                if (cfg->ram_size && cfg->ram_size != mb->size) {
                    error_setg(errp, "-m %" PRIu64 "M does not match memory "
                               "backend '%s' of %" PRIu64 "M",
                               cfg->ram_size / MiB, mb->id, mb->size / MiB);
                    return false;
                }
                ms->ram_size = mb->size;
                /* The RAMBlock takes the backend's id, as in QEMU. */
                ms->ram = memory_region_new_ram(mb->id, mb->size, errp);
                if (!ms->ram) {
                    return false;
                }
            }
        }
        if (!ms->ram) {
            error_setg(errp, "-machine memory-backend=%s: no such -object",
                       cfg->memory_backend);
            return false;
        }
    }
    if (!cfg->nodefaults || cfg->serials->len) {
        const char *spec = cfg->serials->len ?
            g_ptr_array_index(cfg->serials, 0) :
            (cfg->nographic ? "stdio" : "null");
        ms->serial = qemu_chr_new("serial0", spec, errp);
        if (!ms->serial) {
            error_prepend(errp, "-serial: ");
            return false;
        }
    }
    if (!mc->init(ms, errp)) {
        return false;
    }
    return accel->init_vcpus ? accel->init_vcpus(ms, errp) : true;
}

static int run_action(VlConfig *cfg)
{
    switch (cfg->action) {
    case VL_HELP:
        vl_print_help(stdout);
        return 0;
    case VL_VERSION:
        printf("QEMU emulator version %d.%d.%d (%s)\n", QEMU_VERSION_MAJOR,
               QEMU_VERSION_MINOR, QEMU_VERSION_MICRO, QEMU_PKGVERSION);
        printf("An independent ARM VMM with QEMU's interfaces\n");
        return 0;
    case VL_MACHINE_HELP: {
        const MachineClass *const *mcs = machine_list();
        printf("Supported machines are:\n");
        for (int i = 0; mcs[i]; i++) {
            if (mcs[i]->alias) {
                printf("%-20s %s (alias of %s)\n", mcs[i]->alias, mcs[i]->desc,
                       mcs[i]->name);
            }
            printf("%-20s %s\n", mcs[i]->name, mcs[i]->desc);
        }
        return 0;
    }
    case VL_CPU_HELP:
        printf("Available CPUs:\n");
        arm_cpu_list(stdout);
        return 0;
    case VL_LOG_HELP:
        qemu_log_help(stdout);
        return 0;
    case VL_RUN:
        break;
    }
    return -1;
}

int vl_run(VlConfig *cfg)
{
    Error *err = NULL;
    const AccelOps *accel;
    int status;

    status = run_action(cfg);
    if (status >= 0) {
        return status;
    }
    if ((cfg->log_mask && !qemu_set_log_mask(cfg->log_mask, &err)) ||
        (cfg->log_file && !qemu_set_log_filename(cfg->log_file, &err))) {
        goto fail;
    }
    qemu_name = cfg->name;
    qemu_init_main_loop();
    g_unix_signal_add(SIGTERM, on_signal, NULL);
    g_unix_signal_add(SIGINT, on_signal, NULL);
    g_unix_signal_add(SIGHUP, on_signal, NULL);

    startup_register_all();
    if (!apply_globals(cfg, &err) || !create_chardevs(cfg, &err) ||
        !create_monitors(cfg, &err)) {
        goto fail;
    }
    if (cfg->qtest) {
        Chardev *chr = qemu_chr_new("qtest", cfg->qtest, &err);
        if (!chr || !qtest_server_init(chr, cfg->qtest_log, &err)) {
            error_prepend(&err, "-qtest: ");
            goto fail;
        }
    }
    accel = choose_accel(cfg, &err);
    if (!accel) {
        goto fail;
    }
    accel_set_current(accel);
    if (!strcmp(accel->name, "qtest")) {
        qemu_clock_use_qtest();
    }
    if (!create_machine(cfg, accel, &err)) {
        goto fail;
    }
    startup_register_vmstate(current_machine);
    if (cfg->dump_vmstate) {
        if (!vmstate_dump_schema(cfg->dump_vmstate, &err)) {
            goto fail;
        }
        return 0;
    }
    /* A person at a terminal sees migrations move; tools read QMP. */
    migration_set_progress_stderr(isatty(STDERR_FILENO));
    if (cfg->incoming) {
        runstate_set(RUN_STATE_INMIGRATE);
        /* -S: the guest stays paused after the migration, as in QEMU. */
        migration_incoming_set_autostart(!cfg->start_paused);
        if (!migration_incoming_start(cfg->incoming, &err)) {
            error_prepend(&err, "-incoming %s: ", cfg->incoming);
            goto fail;
        }
    } else if (!cfg->start_paused) {
        vm_start();
    }
    status = qemu_main_loop();
    migration_shutdown();
    monitor_cleanup();
    qemu_chr_cleanup();
    fdstore_clear();
    return status;

fail:
    error_report_err(err);
    qemu_chr_cleanup();
    return 1;
}
