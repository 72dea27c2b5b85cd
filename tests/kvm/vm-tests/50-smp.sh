# Sourced by vm-init.sh: tests/guests/smp-test on real KVM with two vCPUs:
# CPU 0 starts CPU 1 with PSCI CPU_ON (answered by the kernel's PSCI), CPU 1
# stores a flag and calls CPU_OFF, CPU 0 checks AFFINITY_INFO and ALREADY_ON
# and powers off.
if [ -f /guests/smp-test.bin ]; then
    expect smp-psci-cpu-on 60 "PASS" -M virt,gic-version=3 -accel kvm -cpu max \
        -smp 2 -m 128 -nographic -kernel /guests/smp-test.bin
fi
