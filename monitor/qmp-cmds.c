/*
 * System QMP commands: version, status, machines, CPUs, target, kvm, run
 * control, pmemsave and named fds.
 *
 * Reply shapes follow QEMU's qapi schemas (machine.json, misc.json,
 * run-state.json, control.json) so management tools can use us unchanged.
 * Optional members QEMU leaves out when false/absent are left out here too.
 */
#include "qemu/osdep.h"
#include <fcntl.h>
#include "qapi/qmp-registry.h"
#include "monitor/qmp.h"
#include "qemu/fdstore.h"
#include "system/system.h"
#include "system/runstate.h"
#include "migration/migration.h"
#include "system/memory.h"
#include "system/cpus.h"
#include "hw/boards.h"
#include "cpu.h"

/* pmemsave copies through a bounce buffer of this size. */
#define PMEMSAVE_CHUNK (1 * MiB)

static JsonNode *qmp_node_object(JsonObject *obj)
{
    JsonNode *node = json_node_alloc();

    json_node_init_object(node, obj);
    json_object_unref(obj);
    return node;
}

static JsonNode *qmp_node_array(JsonArray *arr)
{
    JsonNode *node = json_node_alloc();

    json_node_init_array(node, arr);
    json_array_unref(arr);
    return node;
}

static void qmp_cmd_capabilities(JsonObject *args, JsonNode **ret,
                                 Error **errp)
{
    /* Served by the dispatcher (session state); listed for query-commands. */
}

static void qmp_query_version(JsonObject *args, JsonNode **ret, Error **errp)
{
    JsonObject *v = json_object_new();
    JsonObject *qemu = json_object_new();

    json_object_set_int_member(qemu, "micro", QEMU_VERSION_MICRO);
    json_object_set_int_member(qemu, "minor", QEMU_VERSION_MINOR);
    json_object_set_int_member(qemu, "major", QEMU_VERSION_MAJOR);
    json_object_set_object_member(v, "qemu", qemu);
    json_object_set_string_member(v, "package", QEMU_PKGVERSION);
    *ret = qmp_node_object(v);
}

static void qmp_query_status(JsonObject *args, JsonNode **ret, Error **errp)
{
    JsonObject *st = json_object_new();

    json_object_set_string_member(st, "status", runstate_name(runstate_get()));
    /* QEMU 7.2 still reports the deprecated singlestep member. */
    json_object_set_boolean_member(st, "singlestep", false);
    json_object_set_boolean_member(st, "running", runstate_is_running());
    *ret = qmp_node_object(st);
}

static void qmp_query_commands(JsonObject *args, JsonNode **ret, Error **errp)
{
    GPtrArray *cmds = qmp_list_commands();
    JsonArray *arr = json_array_new();
    guint i;

    for (i = 0; i < cmds->len; i++) {
        const QmpCommand *cmd = g_ptr_array_index(cmds, i);
        JsonObject *o = json_object_new();

        json_object_set_string_member(o, "name", cmd->name);
        json_array_add_object_element(arr, o);
    }
    g_ptr_array_free(cmds, TRUE);
    *ret = qmp_node_array(arr);
}

/* QEMU names CPU QOM types "<model>-arm-cpu"; tools compare these strings. */
static char *qmp_cpu_type_name(const char *model)
{
    if (!model) {
        return NULL;
    }
    if (g_str_has_suffix(model, "-arm-cpu")) {
        return g_strdup(model);
    }
    return g_strdup_printf("%s-arm-cpu", model);
}

static void qmp_query_machines(JsonObject *args, JsonNode **ret, Error **errp)
{
    const MachineClass *const *mc = machine_list();
    JsonArray *arr = json_array_new();

    for (; mc && *mc; mc++) {
        JsonObject *o = json_object_new();
        char *cpu = qmp_cpu_type_name((*mc)->default_cpu_type);

        json_object_set_string_member(o, "name", (*mc)->name);
        if ((*mc)->alias) {
            json_object_set_string_member(o, "alias", (*mc)->alias);
            /* Our binary starts the aliased (newest) virt when -M is absent. */
            json_object_set_boolean_member(o, "is-default", true);
        }
        json_object_set_int_member(o, "cpu-max", (*mc)->max_cpus);
        json_object_set_boolean_member(o, "hotpluggable-cpus", false);
        json_object_set_boolean_member(o, "numa-mem-supported", false);
        json_object_set_boolean_member(o, "deprecated", false);
        if (cpu) {
            json_object_set_string_member(o, "default-cpu-type", cpu);
        }
        /* The RAMBlock id of the machine's RAM, as QEMU 7.2 names it. */
        json_object_set_string_member(o, "default-ram-id",
                                      g_str_has_prefix((*mc)->name, "virt") ?
                                      "mach-virt.ram" : "ram");
        json_array_add_object_element(arr, o);
        g_free(cpu);
    }
    *ret = qmp_node_array(arr);
}

static void qmp_query_cpus_fast(JsonObject *args, JsonNode **ret, Error **errp)
{
    const AccelOps *accel = current_accel();
    JsonArray *arr = json_array_new();
    unsigned i;

    for (i = 0; i < arm_cpu_count && i < ARM_MAX_CPUS; i++) {
        JsonObject *o = json_object_new();
        JsonObject *props = json_object_new();
        char *path;
        int tid = -1;

        if (accel && accel->vcpu_thread_id) {
            tid = accel->vcpu_thread_id(i);
        }
        if (tid <= 0) {
            tid = getpid();   /* no vCPU thread (qtest): the main thread */
        }
        path = g_strdup_printf("/machine/unattached/device[%u]", i);
        json_object_set_int_member(o, "cpu-index", i);
        json_object_set_string_member(o, "qom-path", path);
        json_object_set_int_member(o, "thread-id", tid);
        /* virt's topology: one socket, one cluster, one thread per core. */
        json_object_set_int_member(props, "core-id", i);
        json_object_set_int_member(props, "thread-id", 0);
        json_object_set_int_member(props, "cluster-id", 0);
        json_object_set_int_member(props, "socket-id", 0);
        json_object_set_object_member(o, "props", props);
        json_object_set_string_member(o, "target", "aarch64");
        json_array_add_object_element(arr, o);
        g_free(path);
    }
    *ret = qmp_node_array(arr);
}

static void qmp_query_name(JsonObject *args, JsonNode **ret, Error **errp)
{
    JsonObject *o = json_object_new();

    if (qemu_name) {
        json_object_set_string_member(o, "name", qemu_name);
    }
    *ret = qmp_node_object(o);
}

static void qmp_query_target(JsonObject *args, JsonNode **ret, Error **errp)
{
    JsonObject *o = json_object_new();

    json_object_set_string_member(o, "arch", "aarch64");
    *ret = qmp_node_object(o);
}

/* libvirt asks this before choosing how to drive the guest. */
static void qmp_query_kvm(JsonObject *args, JsonNode **ret, Error **errp)
{
    const AccelOps *kvm = accel_find("kvm");
    const AccelOps *cur = current_accel();
    JsonObject *o = json_object_new();

    json_object_set_boolean_member(o, "enabled",
                                   cur && strcmp(cur->name, "kvm") == 0);
    json_object_set_boolean_member(o, "present",
                                   kvm && (!kvm->available || kvm->available()));
    *ret = qmp_node_object(o);
}

static void qmp_stop(JsonObject *args, JsonNode **ret, Error **errp)
{
    /*
     * During an incoming migration "stop" means: stay paused when it
     * completes (QEMU does the same).  Otherwise stopping a VM that is not
     * running changes nothing.
     */
    if (runstate_get() == RUN_STATE_INMIGRATE) {
        migration_incoming_set_autostart(false);
    } else if (runstate_is_running()) {
        vm_stop(RUN_STATE_PAUSED);
    }
}

static void qmp_cont(JsonObject *args, JsonNode **ret, Error **errp)
{
    switch (runstate_get()) {
    case RUN_STATE_SHUTDOWN:
    case RUN_STATE_INTERNAL_ERROR:
        error_setg(errp, "Resetting the Virtual Machine is required");
        return;
    case RUN_STATE_INMIGRATE:
    case RUN_STATE_FINISH_MIGRATE:
        error_setg(errp, "Migration is not finalized yet");
        return;
    case RUN_STATE_RUNNING:
        return;
    default:
        vm_start();
    }
}

static void qmp_system_reset(JsonObject *args, JsonNode **ret, Error **errp)
{
    qemu_system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
}

static void qmp_quit(JsonObject *args, JsonNode **ret, Error **errp)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

/* Every byte of [addr, addr+size) must be mapped; say where it is not. */
static bool pmemsave_check_range(uint64_t addr, uint64_t size, Error **errp)
{
    uint64_t end = addr + size;

    while (addr < end) {
        MemoryRegion *mr = address_space_lookup(&address_space_memory, addr);

        if (!mr) {
            error_setg(errp, "Invalid addr 0x%016" PRIx64 ": no memory "
                       "mapped there", addr);
            return false;
        }
        if (mr->addr + mr->size <= addr) {
            break;   /* defensive: lookup returned a region before addr */
        }
        addr = mr->addr + mr->size;
        if (addr == 0) {
            break;   /* region ends at the top of the address space */
        }
    }
    return true;
}

static bool pmemsave_write(int fd, uint64_t addr, uint64_t size, Error **errp)
{
    uint8_t *buf = g_malloc(PMEMSAVE_CHUNK);
    bool ok = true;

    while (size && ok) {
        uint64_t n = MIN(size, PMEMSAVE_CHUNK);
        MemTxResult r = address_space_read(&address_space_memory, addr, buf, n);

        if (r != MEMTX_OK) {
            error_setg(errp, "Invalid addr 0x%016" PRIx64 ": memory read "
                       "failed", addr);
            ok = false;
        } else {
            uint64_t done = 0;
            while (done < n) {
                ssize_t w = write(fd, buf + done, n - done);
                if (w < 0 && errno == EINTR) {
                    continue;
                }
                if (w <= 0) {
                    error_setg_errno(errp, errno, "pmemsave: write failed");
                    ok = false;
                    break;
                }
                done += (uint64_t)w;
            }
        }
        addr += n;
        size -= n;
    }
    g_free(buf);
    return ok;
}

static void qmp_pmemsave(JsonObject *args, JsonNode **ret, Error **errp)
{
    Error *err = NULL;
    const char *filename;
    int64_t val, size;
    int fd;

    if (!qmp_arg_int(args, "val", &val, &err) ||
        !qmp_arg_int(args, "size", &size, &err) ||
        !qmp_arg_str(args, "filename", &filename, &err)) {
        error_propagate(errp, err);
        return;
    }
    if (size < 0) {
        error_setg(errp, "Parameter 'size' must not be negative");
        return;
    }
    if ((uint64_t)val + (uint64_t)size < (uint64_t)val) {
        error_setg(errp, "Invalid addr 0x%016" PRIx64 "/size %" PRId64
                   " specified", (uint64_t)val, size);
        return;
    }
    if (!pmemsave_check_range((uint64_t)val, (uint64_t)size, errp)) {
        return;
    }
    fd = open(filename, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Could not open '%s'", filename);
        return;
    }
    if (!pmemsave_write(fd, (uint64_t)val, (uint64_t)size, errp)) {
        close(fd);
        unlink(filename);
        return;
    }
    close(fd);
}

static void qmp_getfd(JsonObject *args, JsonNode **ret, Error **errp)
{
    const char *name;
    int fd;

    if (!qmp_arg_str(args, "fdname", &name, errp)) {
        return;
    }
    fd = monitor_take_received_fd(errp);
    if (fd < 0) {
        return;
    }
    if (!fdstore_add(name, fd, errp)) {
        close(fd);
    }
}

static void qmp_closefd(JsonObject *args, JsonNode **ret, Error **errp)
{
    const char *name;

    if (!qmp_arg_str(args, "fdname", &name, errp)) {
        return;
    }
    fdstore_close(name, errp);
}

static const char *const caps_args[] = { "enable", NULL };
static const char *const pmemsave_args[] = { "val", "size", "filename", NULL };
static const char *const fdname_args[] = { "fdname", NULL };

static const struct {
    const char *name;
    QmpCommandFunc *fn;
    const char *const *args;
    unsigned options;
} qmp_system_commands[] = {
    { "qmp_capabilities", qmp_cmd_capabilities, caps_args,
      QCO_ALLOW_PRECONFIG },
    { "query-version", qmp_query_version, NULL, QCO_ALLOW_PRECONFIG },
    { "query-status", qmp_query_status, NULL, QCO_ALLOW_PRECONFIG },
    { "query-commands", qmp_query_commands, NULL, QCO_ALLOW_PRECONFIG },
    { "query-machines", qmp_query_machines, NULL, QCO_ALLOW_PRECONFIG },
    { "query-cpus-fast", qmp_query_cpus_fast, NULL, QCO_NO_OPTIONS },
    { "query-name", qmp_query_name, NULL, QCO_ALLOW_PRECONFIG },
    { "query-target", qmp_query_target, NULL, QCO_ALLOW_PRECONFIG },
    { "query-kvm", qmp_query_kvm, NULL, QCO_ALLOW_PRECONFIG },
    { "stop", qmp_stop, NULL, QCO_NO_OPTIONS },
    { "cont", qmp_cont, NULL, QCO_NO_OPTIONS },
    { "system_reset", qmp_system_reset, NULL, QCO_NO_OPTIONS },
    { "quit", qmp_quit, NULL, QCO_ALLOW_PRECONFIG },
    { "pmemsave", qmp_pmemsave, pmemsave_args, QCO_NO_OPTIONS },
    { "getfd", qmp_getfd, fdname_args, QCO_NO_OPTIONS },
    { "closefd", qmp_closefd, fdname_args, QCO_NO_OPTIONS },
};

void qmp_register_system_commands(void)
{
    size_t i;

    for (i = 0; i < ARRAY_SIZE(qmp_system_commands); i++) {
        qmp_register_command(qmp_system_commands[i].name,
                             qmp_system_commands[i].fn,
                             qmp_system_commands[i].args,
                             qmp_system_commands[i].options);
    }
}
