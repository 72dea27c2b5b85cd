# Sourced by vm-init.sh: live migration across accelerators (issue 8) with
# the memory-dirtying A/B guest, two or three instances of our binary in
# this nested machine over unix sockets:
#   xaccel-ab-kvm-to-tcg         -accel kvm -cpu host  ->  -accel tcg
#   xaccel-ab-kvm-tcg-kvm        ... and on to a fresh KVM instance
#   xaccel-ab-tcg-to-kvm         a guest started under our interpreter
#                                moves onto KVM
# After each move the destination's memory is dumped (pmemsave) and checked
# with abcheck (every page's byte equals its predecessor's or one less, at
# most one step), and the guest must keep running.  The TCG side is given
# -cpu max: the identification registers come from the stream.
. /tests/qmp.lib
. /tests/mig.lib
G="-M virt,gic-version=3 -m 128 -display none -monitor none -kernel /guests/a-b-kernel.bin"
KVM="-accel kvm -cpu host"
# On an Armv8.0 host (outer cortex-a72) our interpreter emulates the host CPU;
# on "max" the host has features it lacks (see 71-*.sh for that refusal).
# : a WORKAROUND, see mig.lib.
TCG="-accel tcg -cpu ${KVM_OUTER_CPU:-max}"

if [ -f /guests/a-b-kernel.bin ]; then
    # KVM -> TCG, then TCG -> KVM (the round trip).
    t0=$(now); why=""
    rm -f /tmp/x1.sock /tmp/x2.sock
    qmp_start xk1 7 $G $KVM -serial file:/tmp/xk1.ser
    qmp_start xt1 8 $G $TCG -serial file:/tmp/xt1.ser -incoming unix:/tmp/x1.sock
    i=0; while [ $i -lt 300 ] && ! grep -q 'ABB' /tmp/xk1.ser; do usleep 50000; i=$((i+1)); done
    grep -q 'ABB' /tmp/xk1.ser || why="source guest never printed ABB: $(head -c 200 /tmp/xk1.err)"
    [ -n "$why" ] || mig_go xk1 7 xt1 8 /tmp/x1.sock "ab kvm->tcg"
    [ -n "$why" ] || ab_check xt1 8
    result xaccel-ab-kvm-to-tcg "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
    [ -z "$why" ] || { show /tmp/xk1.err; show /tmp/xt1.err; }
    qmp_stop xk1 7

    if [ -z "$why" ]; then
        t0=$(now)
        qmp_start xk2 7 $G $KVM -serial file:/tmp/xk2.ser -incoming unix:/tmp/x2.sock
        mig_go xt1 8 xk2 7 /tmp/x2.sock "ab tcg->kvm (round trip)"
        [ -n "$why" ] || ab_check xk2 7
        [ -n "$why" ] || serial_grow /tmp/xk2.ser 20 || why="no output on KVM after the round trip"
        result xaccel-ab-kvm-tcg-kvm "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
        [ -z "$why" ] || { show /tmp/xt1.err; show /tmp/xk2.err; }
        qmp_stop xk2 7
    fi
    qmp_stop xt1 8

    # A guest that starts under TCG moves onto KVM.
    t0=$(now); why=""
    rm -f /tmp/x3.sock
    qmp_start xt3 7 $G $TCG -serial file:/tmp/xt3.ser
    qmp_start xk3 8 $G $KVM -serial file:/tmp/xk3.ser -incoming unix:/tmp/x3.sock
    i=0; while [ $i -lt 300 ] && ! grep -q 'A' /tmp/xt3.ser; do usleep 50000; i=$((i+1)); done
    grep -q 'A' /tmp/xt3.ser || why="TCG source guest never printed A: $(head -c 200 /tmp/xt3.err)"
    # Let it finish zeroing the pages and sweep a few times.
    [ -n "$why" ] || sleep 1
    [ -n "$why" ] || mig_go xt3 7 xk3 8 /tmp/x3.sock "ab tcg->kvm"
    [ -n "$why" ] || ab_check xk3 8
    [ -n "$why" ] || serial_grow /tmp/xk3.ser 20 || why="no output on KVM after the migration"
    result xaccel-ab-tcg-to-kvm "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
    [ -z "$why" ] || { show /tmp/xt3.err; show /tmp/xk3.err; }
    qmp_stop xt3 7
    qmp_stop xk3 8
fi
