/*
 * Hooks the ARM CPU's QMP commands (arm-qmp-cmds.c) call so that an
 * accelerator keeping vCPU state outside env (KVM) can bring env up to
 * date first, without target/arm depending on the system layer.
 */
#ifndef TARGET_ARM_ARM_QMP_HOOKS_H
#define TARGET_ARM_ARM_QMP_HOOKS_H

/* Set by the KVM code (accel/kvm/kvm-qmp.c) to read every vCPU's state
 * from the kernel; NULL under TCG and qtest, where env is the state. */
extern void (*arm_qmp_sync_state_hook)(void);

#endif
