/*
 * QMP x-query-kvm-regs: every register KVM lists for a vCPU
 * (KVM_GET_REG_LIST), freshly read, with its class, the name our register
 * table gives it and whether the table holds its state.  The KVM view that
 * x-query-cpregs (the table view) cannot give: firmware registers, demux
 * CCSIDRs, the swapped timer ids, ID values of the host.
 *
 *   -> {"execute": "x-query-kvm-regs", "arguments": {"cpu-index": 0}}
 *   <- {"return": [{"id": "0x6030000000100040", "class": "core",
 *                   "name": "pc", "value": "0x40080010", "in-table": false},
 *                  ...]}
 */
#include "kvm-int.h"
#include "qapi/qmp-registry.h"
#include "system/cpus.h"
#include "target/arm/cpregs.h"
#include "target/arm/cpreg-list.h"
#include "target/arm/kvm-regid.h"
#include "target/arm/arm-qmp-hooks.h"

static JsonObject *reg_json(const char *cls, uint64_t id, const char *name,
                            uint64_t value, bool in_table)
{
    JsonObject *o = json_object_new();
    char buf[32];

    snprintf(buf, sizeof(buf), "0x%016" PRIx64, id);
    json_object_set_string_member(o, "id", buf);
    json_object_set_string_member(o, "class", cls);
    json_object_set_string_member(o, "name", name);
    snprintf(buf, sizeof(buf), "0x%" PRIx64, value);
    json_object_set_string_member(o, "value", buf);
    json_object_set_boolean_member(o, "in-table", in_table);
    return o;
}

/* Core values come from env (just synchronized), indexed like the list. */
static uint64_t core_value(const CPUARMState *env, unsigned i)
{
    if (i < 31) {
        return env->xregs[i];
    }
    switch (i) {
    case 31: return env->sp_el[0];
    case 32: return env->pc;
    case 33: return env->pstate;
    case 34: return env->sp_el[1];
    case 35: return env->elr_el[1];
    case 36: return env->spsr_el[1];
    case 37 ... 40: return env->banked_spsr[i - 37 + 2];
    case 73: return env->fpsr;
    case 74: return env->fpcr;
    default: return env->vregs[i - 41][0];   /* V: low half */
    }
}

static void qmp_x_query_kvm_regs(JsonObject *args, JsonNode **ret,
                                 Error **errp)
{
    ArmKvmCoreReg core[ARM_KVM_CORE_COUNT];
    JsonArray *arr;
    int64_t index;
    KvmVcpu *v;

    if (!qmp_arg_int(args, "cpu-index", &index, errp)) {
        return;
    }
    if (!kvm_state || index < 0 || index >= kvm_state->nr_vcpus) {
        error_setg(errp, "Parameter 'cpu-index' %" PRId64 " is not a KVM "
                   "vCPU (%u)", index, kvm_state ? kvm_state->nr_vcpus : 0);
        return;
    }
    cpu_synchronize_all_states();
    v = kvm_state->vcpus[index];
    arr = json_array_new();
    arm_kvm_core_list(core);
    for (unsigned i = 0; i < ARM_KVM_CORE_COUNT; i++) {
        json_array_add_object_element(arr, reg_json("core", core[i].id,
                                      core[i].name,
                                      core_value(&v->cpu->env, i), false));
    }
    for (unsigned i = 0; i < v->nr_regs; i++) {
        uint64_t id = v->reg_ids[i];
        uint64_t arch = arm_kvm_timer_id_to_arch(id);
        const ArmCPReg *ri = v->cpu->regs ? arm_cpreg_find(v->cpu, arch) :
                             NULL;
        ArmKvmRegInfo info;
        char name[64];

        arm_kvm_reg_decode(id, &info);
        switch (arm_kvm_timer_reg(id)) {
        case ARM_KVM_TIMER_VIRT_COUNT:
            snprintf(name, sizeof(name), "KVM_REG_ARM_TIMER_CNT");
            ri = NULL;
            break;
        case ARM_KVM_TIMER_VIRT_CVAL:
            snprintf(name, sizeof(name), "KVM_REG_ARM_TIMER_CVAL");
            break;
        default:
            if (ri) {
                snprintf(name, sizeof(name), "%s", ri->name);
            } else {
                arm_cpreg_id_name(v->cpu, id, name, sizeof(name));
            }
            break;
        }
        json_array_add_object_element(arr, reg_json(
            arm_kvm_reg_class_name(info.cls), id, name, v->reg_vals[i],
            ri != NULL && arm_cpreg_is_migrated(ri)));
    }
    *ret = json_node_alloc();
    json_node_init_array(*ret, arr);
    json_array_unref(arr);
}

void kvm_qmp_register(void)
{
    static const char *const args[] = { "cpu-index", NULL };

    qmp_register_command("x-query-kvm-regs", qmp_x_query_kvm_regs, args,
                         QCO_NO_OPTIONS);
    /* x-query-cpregs reads env: fill it from the kernel first. */
    arm_qmp_sync_state_hook = cpu_synchronize_all_states;
}
