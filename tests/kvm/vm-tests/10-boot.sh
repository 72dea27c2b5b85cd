# Sourced by vm-init.sh: the A/B guest on real KVM.
VIRT="-M virt,gic-version=3 -accel kvm -m 256 -nographic -kernel /guests/ab.bin"

expect version 20 "QEMU emulator version" --version
# One vCPU: MMIO exits to the PL011, RAM in a KVM memory slot, a PSCI
# SYSTEM_RESET (vCPUs re-initialised, boot state loaded again, RAM kept),
# then PSCI SYSTEM_OFF ends the process with status 0.
expect ab-kvm 60 "KVMGUEST-RESET;KVMGUEST-START;ABABAB;KVMGUEST-OK" $VIRT -cpu max
# Secondary vCPUs stay powered off (KVM_ARM_VCPU_POWER_OFF) and must not
# keep the process alive after SYSTEM_OFF.
expect ab-kvm-smp2 60 "KVMGUEST-RESET;KVMGUEST-OK" $VIRT -cpu max -smp 2
# -cpu host: identification imported from KVM; PMU on and off.
expect ab-kvm-host 60 "KVMGUEST-OK" $VIRT -cpu host
expect ab-kvm-host-pmu-off 60 "KVMGUEST-OK" $VIRT -cpu host,pmu=off
# A GICv3 host has no in-kernel GICv2 (no GICV region): a GICv2 board is
# refused in one line (the GICv2 tests boot a GICv2 host, group 40@2).
expect_fail kvm-gicv2-on-gicv3-host 20 "cannot create an in-kernel GICv2" -M virt,gic-version=2 -accel kvm -m 256 -nographic -kernel /guests/ab.bin -cpu max
# Refusals, one line each.
expect_fail kvm-sve-refused 20 "sve=on is not supported" $VIRT -cpu host,sve=on
expect_fail kvm-gicv2-virt-refused 20 "virtualization extensions" -M virt,gic-version=2 -global arm_gic.has-virtualization-extensions=on -accel kvm -m 256 -nographic -kernel /guests/ab.bin -cpu max
