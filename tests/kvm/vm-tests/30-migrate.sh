# Sourced by vm-init.sh: KVM-to-KVM live migration inside the nested
# machine, two instances of our binary over a unix socket, with the
# memory-dirtying A/B guest (dirty logging feeds the RAM pre-copy).
. /tests/qmp.lib
AB="-M virt,gic-version=3 -accel kvm -cpu max -m 128 -display none -monitor none -kernel /guests/a-b-kernel.bin"

# json_num FILE-TEXT KEY: first integer value of "KEY" in a JSON line.
json_num() { echo "$1" | grep -oE "\"$2\" *: *[0-9]+" | head -1 | grep -oE '[0-9]+$'; }

if [ -f /guests/a-b-kernel.bin ]; then
    t0=$(now); why=""
    rm -f /tmp/mig.sock
    qmp_start msrc 7 $AB -serial file:/tmp/msrc.ser
    qmp_start mdst 8 $AB -serial file:/tmp/mdst.ser -incoming unix:/tmp/mig.sock
    i=0; while [ $i -lt 300 ] && ! grep -q 'ABB' /tmp/msrc.ser; do usleep 50000; i=$((i+1)); done
    grep -q 'ABB' /tmp/msrc.ser || why="source guest never printed ABB"
    if [ -z "$why" ]; then
        r=$(qmp msrc 7 '{"execute":"migrate","arguments":{"uri":"unix:/tmp/mig.sock"}}')
        echo "$r" | grep -q '"return"' || why="migrate: $r"
    fi
    st=""
    i=0
    while [ -z "$why" ] && [ $i -lt 600 ]; do
        r=$(qmp msrc 7 '{"execute":"query-migrate"}')
        st=$(echo "$r" | grep -oE '"status" *: *"[a-z-]+"' | head -1 | sed 's/.*"\([a-z-]*\)"$/\1/')
        case $st in completed|failed|cancelled) break ;; esac
        usleep 100000; i=$((i+1))
    done
    [ -n "$why" ] || [ "$st" = completed ] || why="source status '$st': $r"
    if [ -z "$why" ]; then
        echo "KVMTEST-INFO: kvm-to-kvm migration: downtime $(json_num "$r" downtime) ms, total $(json_num "$r" total-time) ms, $(json_num "$r" transferred) bytes"
        qmp_wait mdst '"RESUME"' 20 || why="destination never resumed"
    fi
    if [ -z "$why" ]; then
        r=$(qmp mdst 8 '{"execute":"query-status"}')
        echo "$r" | grep -q '"running"' || why="destination status: $r"
        # The guest continues on the destination: more B's arrive.
        s0=$(wc -c </tmp/mdst.ser)
        i=0; while [ $i -lt 300 ] && [ "$(wc -c </tmp/mdst.ser)" -le "$((s0 + 1))" ]; do usleep 50000; i=$((i+1)); done
        [ "$(wc -c </tmp/mdst.ser)" -gt "$((s0 + 1))" ] || why="${why:-destination guest printed nothing after migration}"
        r=$(qmp msrc 7 '{"execute":"query-status"}')
        echo "$r" | grep -q '"postmigrate"' || why="${why:-source status after migration: $r}"
    fi
    result kvm-to-kvm-migration "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
    if [ -n "$why" ]; then
        show /tmp/msrc.err; show /tmp/mdst.err
        echo "src serial: $(tail -c 80 /tmp/msrc.ser)  dst serial: $(tail -c 80 /tmp/mdst.ser)" | sed 's/^/KVMTEST-LOG: /'
    fi
    qmp_stop msrc 7
    qmp_stop mdst 8
fi
