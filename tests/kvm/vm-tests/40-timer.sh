# Sourced by vm-init.sh: the virtual timer and the in-kernel vGIC under
# KVM (tests/kvm/guest-timer.S prints 'T' every 10 timer interrupts), then
# KVM-to-KVM migration of that guest: the "arm_gicv3" / "arm_gic" section
# is filled from the kernel's device attributes and written back on the
# other side.  The GIC version is the outer board's (kvmgic= on the kernel
# command line): a nested host offers only the vGIC matching its own GIC.
V=${KVM_OUTER_GIC:-3}
. /tests/qmp.lib
TG="-M virt,gic-version=$V -accel kvm -cpu max -m 64 -display none -monitor none -kernel /guests/timer.bin"

# wait_grow FILE BYTES SECS: until FILE is longer than BYTES.
wait_grow() {
    i=0
    while [ $i -lt $(($3 * 20)) ]; do
        [ "$(wc -c <"$1")" -gt "$2" ] && return 0
        usleep 50000; i=$((i + 1))
    done
    return 1
}

t0=$(now); why=""
rm -f /tmp/tmig.sock
qmp_start tsrc 7 $TG -serial file:/tmp/tsrc.ser
i=0; while [ $i -lt 400 ] && ! grep -q 'TTT' /tmp/tsrc.ser; do usleep 50000; i=$((i+1)); done
grep -q 'KVMTIMER-START' /tmp/tsrc.ser || why="guest did not start"
grep -q 'TTT' /tmp/tsrc.ser || why="${why:-no timer interrupts (no TTT on the serial port)}"
result timer-irq-gicv$V "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
[ -n "$why" ] && { show /tmp/tsrc.err; echo "serial: $(head -c 100 /tmp/tsrc.ser)" | sed 's/^/KVMTEST-LOG: /'; }

if [ -z "$why" ]; then
    t0=$(now)
    # Let the source's guest count well past what a fresh destination VM
    # would count by itself (20 'T' = 200 ticks of 10 ms), so the check
    # below tells a carried-over count from a restarted one.
    i=0; while [ $i -lt 600 ] && [ "$(tr -cd T </tmp/tsrc.ser | wc -c)" -lt 20 ]; do usleep 50000; i=$((i+1)); done
    qmp_start tdst 8 $TG -serial file:/tmp/tdst.ser -incoming unix:/tmp/tmig.sock
    r=$(qmp tsrc 7 '{"execute":"migrate","arguments":{"uri":"unix:/tmp/tmig.sock"}}')
    echo "$r" | grep -q '"return"' || why="migrate: $r"
    st=""; i=0
    while [ -z "$why" ] && [ $i -lt 300 ]; do
        r=$(qmp tsrc 7 '{"execute":"query-migrate"}')
        st=$(echo "$r" | grep -oE '"status" *: *"[a-z-]+"' | head -1 | sed 's/.*"\([a-z-]*\)"$/\1/')
        case $st in completed|failed|cancelled) break ;; esac
        usleep 100000; i=$((i+1))
    done
    [ -n "$why" ] || [ "$st" = completed ] || why="source status '$st': $r"
    if [ -z "$why" ]; then
        echo "KVMTEST-INFO: timer guest migration: downtime $(echo "$r" | grep -oE '"downtime" *: *[0-9]+' | grep -oE '[0-9]+$') ms"
        qmp_wait tdst '"RESUME"' 20 || why="destination never resumed"
    fi
    if [ -z "$why" ]; then
        # Interrupts keep coming on the destination: more T's.
        s0=$(wc -c </tmp/tdst.ser)
        wait_grow /tmp/tdst.ser $((s0 + 2)) 20 || why="no timer interrupts on the destination"
    fi
    if [ -z "$why" ]; then
        # The guest's virtual count never goes backwards across the move:
        # the source's count at its stop <= the destination's afterwards
        # (it travels in the arm-gtimer section; a fresh KVM VM would
        # otherwise restart near its own creation time).
        cnt() { qmp "$1" "$2" '{"execute":"x-query-kvm-regs","arguments":{"cpu-index":0}}' |
                grep -oE '"KVM_REG_ARM_TIMER_CNT" *, *"value" *: *"0x[0-9a-f]+"' | grep -oE '0x[0-9a-f]+'; }
        c_src=$(cnt tsrc 7)
        qmp tdst 8 '{"execute":"stop"}' >/dev/null
        c_dst=$(cnt tdst 8)
        qmp tdst 8 '{"execute":"cont"}' >/dev/null
        echo "KVMTEST-INFO: virtual count: source stopped at $c_src, destination at $c_dst"
        if [ -z "$c_src" ] || [ -z "$c_dst" ]; then
            why="no KVM_REG_ARM_TIMER_CNT in x-query-kvm-regs"
        elif [ $((c_dst)) -lt $((c_src)) ]; then
            why="guest time went backwards: $c_src -> $c_dst"
        fi
    fi
    result timer-gicv$V-migration "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
    [ -n "$why" ] && { show /tmp/tsrc.err; show /tmp/tdst.err; }
    qmp_stop tdst 8
fi
qmp_stop tsrc 7
