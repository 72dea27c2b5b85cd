/*
 * QMP commands of the ARM CPU.
 *
 *   x-query-cpregs {"cpu-index": N}
 *     -> [ {"name": "SCTLR_EL1", "id": "0x603000000013c080",
 *           "flags": ["..."], "migrated": true, "value": "0x30d00800"}, ...]
 *
 * Every register of the vCPU's table in id order.  "migrated" says whether
 * the id is in the list the "cpu" section carries (x-mig-hidden-regs
 * applied); "value" is the raw (side-effect-free) value as a hex string
 * (u64 does not fit JSON integers), absent for entries with no state of
 * their own.  Users compare two hosts' answers to see why a migration
 * would fail.  Under KVM the vCPUs' state is read from the kernel first
 * (arm_qmp_sync_state_hook).
 */
#include "qemu/osdep.h"
#include "qapi/qmp-registry.h"
#include "cpregs.h"
#include "arm-qmp-hooks.h"

void (*arm_qmp_sync_state_hook)(void);

static bool in_list(ARMCPU *cpu, uint64_t id)
{
    uint32_t lo = 0, hi = cpu->cpreg_array_len;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (cpu->cpreg_indexes[mid] == id) {
            return true;
        }
        if (cpu->cpreg_indexes[mid] < id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}

static JsonObject *reg_object(ARMCPU *cpu, const ArmCPReg *ri)
{
    JsonObject *o = json_object_new();
    JsonArray *flags = json_array_new();
    char buf[96];
    gchar **names;

    json_object_set_string_member(o, "name", ri->name);
    snprintf(buf, sizeof(buf), "0x%016" PRIx64, ri->id);
    json_object_set_string_member(o, "id", buf);
    arm_cpreg_flags_str(ri, buf, sizeof(buf));
    names = g_strsplit(buf, ",", -1);
    for (unsigned i = 0; names[i]; i++) {
        if (names[i][0]) {
            json_array_add_string_element(flags, names[i]);
        }
    }
    g_strfreev(names);
    json_object_set_array_member(o, "flags", flags);
    json_object_set_boolean_member(o, "migrated", in_list(cpu, ri->id));
    if (arm_cpreg_has_raw(ri)) {
        snprintf(buf, sizeof(buf), "0x%" PRIx64, arm_cpreg_raw_read(cpu, ri));
        json_object_set_string_member(o, "value", buf);
    }
    return o;
}

static void qmp_x_query_cpregs(JsonObject *args, JsonNode **ret, Error **errp)
{
    int64_t index;
    JsonArray *arr;
    ARMCPU *cpu;

    if (!qmp_arg_int(args, "cpu-index", &index, errp)) {
        return;
    }
    if (index < 0 || index >= (int64_t)arm_cpu_count || index >= ARM_MAX_CPUS ||
        !arm_cpus[index]) {
        error_setg(errp, "Parameter 'cpu-index' %" PRId64 " is not a CPU "
                   "(this machine has %u)", index, arm_cpu_count);
        return;
    }
    if (arm_qmp_sync_state_hook) {
        arm_qmp_sync_state_hook();
    }
    cpu = arm_cpus[index];
    arr = json_array_new();
    for (unsigned i = 0; i < arm_cpreg_count(cpu); i++) {
        json_array_add_object_element(arr, reg_object(cpu,
                                                      arm_cpreg_at(cpu, i)));
    }
    *ret = json_node_alloc();
    json_node_init_array(*ret, arr);
    json_array_unref(arr);
}

void arm_cpu_qmp_register(void)
{
    static const char *const args[] = { "cpu-index", NULL };

    qmp_register_command("x-query-cpregs", qmp_x_query_cpregs, args,
                         QCO_NO_OPTIONS);
}
