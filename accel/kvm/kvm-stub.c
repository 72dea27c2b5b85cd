/*
 * Built instead of the KVM accelerator on hosts without KVM (x86 builds):
 * "-accel kvm" is then reported as unavailable by name.
 */
#include "qemu/osdep.h"

void kvm_accel_register(void);

void kvm_accel_register(void)
{
    /* Nothing to register: accel_find("kvm") fails with a clear message. */
}
