# Sourced by vm-init.sh: tests/guests/sgi-pingpong on real KVM: a token
# travels CPU 0 -> 1 -> 0 as SGI 1 through the in-kernel vGIC (GICv3:
# ICC_SGI1R_EL1; GICv2 host: GICD_SGIR).  A lost SGI stops the ring, a
# duplicated one shows as order_err.  Not in the default groups until the
# guest's psci_cpu_on() declares x1-x3 clobbered: KVM's PSCI zeroes them,
# and the guest then loses its loop counter (docs/devel/kvm.md).
V=${KVM_OUTER_GIC:-3}
if [ -f /guests/sgi-pingpong.bin ]; then
    expect_output sgi-pingpong-gicv$V 30 "P rounds=[1-9][0-9]* cpus=2 order_err=0" \
        -M virt,gic-version=$V -accel kvm -cpu max -smp 2 -m 128 -nographic \
        -kernel /guests/sgi-pingpong.bin
fi
