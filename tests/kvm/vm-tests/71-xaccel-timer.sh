# Sourced by vm-init.sh: the timer guest (tests/guests/timer-guest.c, 100
# Hz virtual-timer interrupts through the GIC) live-migrated KVM -> TCG ->
# KVM, and TCG -> KVM from a start under the interpreter (issue 8).  The in-kernel vGICv3 and timer state go through the
# common arm_gicv3 / arm-gtimer sections into our emulated GIC and timer,
# and back.  After each move the destination must keep interrupting and
# its own report must stay exact:
#   T ticks=<n> exp=<m> back=<b> spurious=<s>
# ticks == exp +-1 (no interrupt lost or doubled, the counter continued
# where it was) and back=0 (the counter never went backwards).
# Boot with an Armv8.0 outer CPU (run-nested.sh "71+cortex-a72").
. /tests/qmp.lib
. /tests/mig.lib
G="-M virt,gic-version=3 -m 64 -display none -monitor none -kernel /guests/timer-guest.bin"
# : a WORKAROUND, see mig.lib.
KVM="-accel kvm -cpu host"
TCG="-accel tcg -cpu ${KVM_OUTER_CPU:-max}"

# timer_report SERIAL AFTER SECS [dst]: wait for a report line past the
# first AFTER ones, check the last one; "dst": a migration destination,
# where the guest must not have started again.
timer_report() {
    i=0
    while [ $i -lt $(($3 * 10)) ]; do
        [ "$(grep -c '^T ticks=' "$1")" -gt "$2" ] && break
        usleep 100000; i=$((i + 1))
    done
    l=$(grep '^T ticks=' "$1" | tail -1)
    [ "${4:-}" != dst ] || ! grep -q '^timer-guest:' "$1" ||
        { why="the guest started again (its banner on the destination)"; return; }
    [ "$(grep -c '^T ticks=' "$1")" -gt "$2" ] || { why="no new timer report in $3 s (last: '$l')"; return; }
    tk=$(echo "$l" | sed -n 's/.*ticks=\([0-9]*\).*/\1/p')
    ex=$(echo "$l" | sed -n 's/.*exp=\([0-9]*\).*/\1/p')
    bk=$(echo "$l" | sed -n 's/.*back=\([0-9]*\).*/\1/p')
    d=$((tk - ex))
    if [ "$bk" != 0 ]; then
        why="counter went backwards: '$l'"
    elif [ $d -gt 1 ] || [ $d -lt -1 ]; then
        why="ticks != exp +-1: '$l'"
    fi
    TIMER_LAST=$l
}

if [ -f /guests/timer-guest.bin ]; then
    t0=$(now); why=""
    rm -f /tmp/y1.sock /tmp/y2.sock
    qmp_start yk1 7 $G $KVM -serial file:/tmp/yk1.ser
    # Two reports on KVM first: the guest runs, its count is established.
    timer_report /tmp/yk1.ser 1 20
    [ -n "$why" ] && why="on KVM before migrating: $why"
    qmp_start yt1 8 $G $TCG -serial file:/tmp/yt1.ser -incoming unix:/tmp/y1.sock
    [ -n "$why" ] || mig_go yk1 7 yt1 8 /tmp/y1.sock "timer kvm->tcg"
    [ -n "$why" ] || timer_report /tmp/yt1.ser 1 30 dst
    [ -n "$why" ] || echo "KVMTEST-INFO: timer guest on TCG: $TIMER_LAST"
    result xaccel-timer-kvm-to-tcg "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
    [ -z "$why" ] || { show /tmp/yk1.err; show /tmp/yt1.err; tail -3 /tmp/yt1.ser | sed 's/^/KVMTEST-LOG: /'; }
    qmp_stop yk1 7

    if [ -z "$why" ]; then
        t0=$(now)
        qmp_start yk2 7 $G $KVM -serial file:/tmp/yk2.ser -incoming unix:/tmp/y2.sock
        mig_go yt1 8 yk2 7 /tmp/y2.sock "timer tcg->kvm (round trip)"
        [ -n "$why" ] || timer_report /tmp/yk2.ser 1 30 dst
        [ -n "$why" ] || echo "KVMTEST-INFO: timer guest back on KVM: $TIMER_LAST"
        result xaccel-timer-kvm-tcg-kvm "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
        [ -z "$why" ] || { show /tmp/yt1.err; show /tmp/yk2.err; tail -3 /tmp/yk2.ser | sed 's/^/KVMTEST-LOG: /'; }
        qmp_stop yk2 7
    fi
    qmp_stop yt1 8

    # A guest that starts under the interpreter moves onto KVM.
    t0=$(now); why=""
    rm -f /tmp/y3.sock
    qmp_start yt3 7 $G $TCG -serial file:/tmp/yt3.ser
    timer_report /tmp/yt3.ser 1 30
    [ -n "$why" ] && why="on TCG before migrating: $why"
    qmp_start yk3 8 $G $KVM -serial file:/tmp/yk3.ser -incoming unix:/tmp/y3.sock
    [ -n "$why" ] || mig_go yt3 7 yk3 8 /tmp/y3.sock "timer tcg->kvm"
    [ -n "$why" ] || timer_report /tmp/yk3.ser 1 30 dst
    [ -n "$why" ] || echo "KVMTEST-INFO: timer guest started on TCG, now on KVM: $TIMER_LAST"
    result xaccel-timer-tcg-to-kvm "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
    [ -z "$why" ] || { show /tmp/yt3.err; show /tmp/yk3.err; tail -3 /tmp/yk3.ser | sed 's/^/KVMTEST-LOG: /'; }
    qmp_stop yt3 7
    qmp_stop yk3 8
fi
