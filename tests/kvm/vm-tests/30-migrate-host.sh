# Sourced by vm-init.sh: KVM -cpu host -> KVM -cpu host live migration on
# the same kernel (issue 8), with the system-register guest
# (tests/kvm/guest-sysregs.S), on the default outer "max" host.  The
# destination's full put goes through the reconciliation plan
# (target/arm/kvm.c, arm_reconcile_for_kvm); after the move the guest must
# see the same 29 registers, its counter must not go back, and every
# KVM-only register (firmware pseudo-registers, feature bitmaps, CCSIDR
# demux) must read the same on the destination as on the source
# (x-query-kvm-regs).  Also: x-query-cpregs under KVM shows the running
# guest's values (kvm-cpregs-synced).
. /tests/qmp.lib
. /tests/mig.lib
H="-M virt,gic-version=3 -m 64 -display none -monitor none -kernel /guests/sysregs.bin -accel kvm -cpu host"

if [ -f /guests/sysregs.bin ]; then
    t0=$(now); why=""
    rm -f /tmp/h1.sock
    qmp_start hk1 7 $H -serial file:/tmp/hk1.ser
    sysregs_check /tmp/hk1.ser 2 20
    [ -n "$why" ] && why="on KVM before migrating: $why"
    src_fw=$(kvm_only hk1 7)
    # x-query-cpregs on a running KVM guest reads the kernel's state first
    # (arm_qmp_sync_state_hook): the guest's TPIDR_EL0, not the reset 0.
    t1=$(now); w=""
    r=$(qmp hk1 7 '{"execute":"x-query-cpregs","arguments":{"cpu-index":0}}')
    v=$(echo "$r" | grep -oE '"name" *: *"TPIDR_EL0"[^}]*' | grep -oE '"value" *: *"0x[0-9a-f]*"' | grep -oE '0x[0-9a-f]*')
    [ "$v" = 0x1122334455667788 ] || w="x-query-cpregs TPIDR_EL0 is '$v', the guest wrote 0x1122334455667788"
    [ -z "$why" ] || w="$why"
    result kvm-cpregs-synced "$t1" $([ -z "$w" ] && echo PASS || echo FAIL) "$w"
    [ -n "$why" ] || [ -n "$src_fw" ] || why="x-query-kvm-regs lists no firmware/demux register on the source"
    qmp_start hk2 8 $H -serial file:/tmp/hk2.ser -incoming unix:/tmp/h1.sock
    g0=$SR_GAP
    [ -n "$why" ] || mig_go hk1 7 hk2 8 /tmp/h1.sock "host kvm->kvm"
    [ -n "$why" ] || sysregs_check /tmp/hk2.ser 1 30 dst
    [ -n "$why" ] || jump "host kvm->kvm" "$g0" "$SR_GAP"
    if [ -z "$why" ]; then
        dst_fw=$(kvm_only hk2 8)
        [ "$src_fw" = "$dst_fw" ] ||
            why="KVM-only registers differ: source $(echo $src_fw | cut -c1-200) destination $(echo $dst_fw | cut -c1-200)"
    fi
    result kvm-host-to-host-migration "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
    [ -z "$why" ] || { show /tmp/hk1.err; show /tmp/hk2.err; tail -3 /tmp/hk2.ser | sed 's/^/KVMTEST-LOG: /'; }
    qmp_stop hk1 7
    qmp_stop hk2 8
fi
