/*
 * PSCI 1.1 emulation for guests without EL2/EL3 firmware (Arm DEN0022D):
 * version, features, CPU_ON/CPU_OFF/AFFINITY_INFO, SYSTEM_OFF/RESET.
 * Power-state changes go through CPUARMState.power_state; the accelerator
 * is woken with kick_all so a parked vCPU sees CPU_ON.
 */
#include "qemu/osdep.h"
#include "psci.h"
#include "qemu/log.h"
#include "system/cpus.h"
#include "system/runstate.h"

static ARMCPU *psci_find_cpu(uint64_t mpidr)
{
    mpidr &= 0xff00ffffffULL;               /* Aff3, Aff2, Aff1, Aff0 */
    for (unsigned i = 0; i < arm_cpu_count; i++) {
        if (arm_cpus[i] && (arm_cpus[i]->mp_affinity & 0xff00ffffffULL) ==
            mpidr) {
            return arm_cpus[i];
        }
    }
    return NULL;
}

static int64_t psci_cpu_on(ARMCPU *caller, uint64_t mpidr, uint64_t entry,
                           uint64_t context)
{
    ARMCPU *t = psci_find_cpu(mpidr);
    const AccelOps *ops = current_accel();
    CPUARMState *env;

    if (!t) {
        return PSCI_RET_INVALID_PARAMS;
    }
    env = &t->env;
    if (__atomic_load_n(&env->power_state, __ATOMIC_ACQUIRE) == PSCI_ON) {
        return PSCI_RET_ALREADY_ON;
    }
    if (entry & 3) {
        return PSCI_RET_INVALID_ADDRESS;
    }
    /* DEN0022 6.4: the target starts like a cold boot at the caller's EL. */
    arm_cpu_reset(t);
    env->pc = entry;
    env->xregs[0] = context;
    env->pstate = PSTATE_DAIF | (1u << PSTATE_EL_SHIFT) | PSTATE_SP;
    env->halted = 0;
    __atomic_store_n(&env->power_state, PSCI_ON, __ATOMIC_RELEASE);
    if (ops && ops->kick_all) {
        ops->kick_all();
    }
    (void)caller;
    return PSCI_RET_SUCCESS;
}

static bool psci_known(uint32_t fn)
{
    switch (fn & ~PSCI_0_2_64BIT) {
    case PSCI_FN_PSCI_VERSION: case PSCI_FN_CPU_SUSPEND: case PSCI_FN_CPU_OFF:
    case PSCI_FN_CPU_ON: case PSCI_FN_AFFINITY_INFO:
    case PSCI_FN_MIGRATE_INFO_TYPE: case PSCI_FN_SYSTEM_OFF:
    case PSCI_FN_SYSTEM_RESET: case PSCI_FN_FEATURES:
        return true;
    default:
        return false;
    }
}

bool arm_psci_call(ARMCPU *cpu)
{
    CPUARMState *env = &cpu->env;
    uint32_t fn = (uint32_t)env->xregs[0];
    bool is64 = fn & PSCI_0_2_64BIT;
    uint64_t a1 = env->xregs[1], a2 = env->xregs[2], a3 = env->xregs[3];
    int64_t ret;

    if (!is64) {
        a1 = (uint32_t)a1;
        a2 = (uint32_t)a2;
        a3 = (uint32_t)a3;
    }
    if ((env->xregs[0] >> 32) || !psci_known(fn)) {
        qemu_log_mask(LOG_UNIMP, "psci: unknown SMCCC function 0x%" PRIx64
                      "\n", env->xregs[0]);
        env->xregs[0] = (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED;
        return false;
    }
    switch (fn & ~PSCI_0_2_64BIT) {
    case PSCI_FN_PSCI_VERSION:
        ret = PSCI_VERSION_1_1;
        break;
    case PSCI_FN_CPU_SUSPEND:
        /* Standby: a WFI-like wait; the wake-up returns SUCCESS. */
        env->halted = 1;
        ret = PSCI_RET_SUCCESS;
        break;
    case PSCI_FN_CPU_OFF:
        __atomic_store_n(&env->power_state, PSCI_OFF, __ATOMIC_RELEASE);
        ret = PSCI_RET_SUCCESS;         /* not seen by the guest */
        break;
    case PSCI_FN_CPU_ON:
        ret = psci_cpu_on(cpu, a1, a2, a3);
        break;
    case PSCI_FN_AFFINITY_INFO: {
        ARMCPU *t = psci_find_cpu(a1);
        if (a2 != 0 || !t) {
            ret = PSCI_RET_INVALID_PARAMS;
        } else {
            ArmPowerState ps = __atomic_load_n(&t->env.power_state,
                                               __ATOMIC_ACQUIRE);
            ret = ps == PSCI_ON ? 0 : ps == PSCI_OFF ? 1 : 2;
        }
        break;
    }
    case PSCI_FN_MIGRATE_INFO_TYPE:
        ret = 2;                        /* no Trusted OS: no migration */
        break;
    case PSCI_FN_SYSTEM_OFF:
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
        env->halted = 1;
        ret = PSCI_RET_INTERNAL_FAILURE;   /* only seen if the VMM goes on */
        break;
    case PSCI_FN_SYSTEM_RESET:
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        env->halted = 1;
        ret = PSCI_RET_INTERNAL_FAILURE;
        break;
    case PSCI_FN_FEATURES:
        ret = psci_known((uint32_t)a1) && !(a1 >> 32) ? 0
                                                      : PSCI_RET_NOT_SUPPORTED;
        break;
    default:
        ret = PSCI_RET_NOT_SUPPORTED;
        break;
    }
    env->xregs[0] = (uint64_t)ret;
    return true;
}
