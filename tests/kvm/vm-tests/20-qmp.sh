# Sourced by vm-init.sh: run control and register sync under KVM, driven
# over QMP while the memory-dirtying A/B guest (tests/guests) runs.
. /tests/qmp.lib
AB="-M virt,gic-version=3 -accel kvm -cpu max -m 128 -display none -monitor none -kernel /guests/a-b-kernel.bin"

if [ -f /guests/a-b-kernel.bin ]; then
    t0=$(now)
    qmp_start ab 7 $AB -serial file:/tmp/ab.serial
    why=""
    r=$(qmp ab 7 '{"execute":"query-status"}')
    echo "$r" | grep -q '"running"' || why="query-status: $r"
    # The guest runs: 'A' once, then a 'B' every 32 sweeps.
    i=0; while [ $i -lt 200 ] && ! grep -q 'BB' /tmp/ab.serial; do usleep 50000; i=$((i+1)); done
    grep -q 'ABB' /tmp/ab.serial || why="${why:-no ABB on the serial port}"
    result ab-guest-runs "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"

    # stop: every vCPU leaves KVM_RUN (signal + immediate_exit) and parks;
    # nothing is printed while paused; cont resumes.
    t0=$(now); why=""
    r=$(qmp ab 7 '{"execute":"stop"}')
    echo "$r" | grep -q '"return"' || why="stop: $r"
    r=$(qmp ab 7 '{"execute":"query-status"}')
    echo "$r" | grep -q '"paused"' || why="${why:-status after stop: $r}"
    s1=$(wc -c </tmp/ab.serial); usleep 500000; s2=$(wc -c </tmp/ab.serial)
    [ "$s1" = "$s2" ] || why="${why:-serial output grew while paused ($s1 -> $s2)}"
    # Registers read from KVM while paused: PC inside the guest's code,
    # KVM-only ids (the swapped timer count, firmware registers) listed.
    r=$(qmp ab 7 '{"execute":"x-query-kvm-regs","arguments":{"cpu-index":0}}')
    echo "$r" >/tmp/kvmregs.json
    echo "$r" | grep -qE '"name" *: *"pc" *, *"value" *: *"0x4008' ||
        why="${why:-x-query-kvm-regs: PC not in the guest: $(echo "$r" | grep -oE '"name" *: *"pc"[^}]*')}"
    echo "$r" | grep -q 'KVM_REG_ARM_TIMER_CNT' || why="${why:-x-query-kvm-regs lacks the timer count}"
    echo "$r" | grep -qE '"class" *: *"fw"' || why="${why:-x-query-kvm-regs lacks firmware registers}"
    echo "KVMTEST-INFO: x-query-kvm-regs listed $(echo "$r" | grep -o '"id"' | wc -l) registers"
    r=$(qmp ab 7 '{"execute":"x-query-cpregs","arguments":{"cpu-index":0}}')
    echo "$r" | grep -q 'SCTLR_EL1' || why="${why:-x-query-cpregs lacks SCTLR_EL1}"
    r=$(qmp ab 7 '{"execute":"cont"}')
    echo "$r" | grep -q '"return"' || why="${why:-cont: $r}"
    i=0; while [ $i -lt 100 ] && [ "$(wc -c </tmp/ab.serial)" = "$s2" ]; do usleep 50000; i=$((i+1)); done
    [ "$(wc -c </tmp/ab.serial)" != "$s2" ] || why="${why:-no output after cont}"
    result stop-cont-cpregs "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
    if [ -n "$why" ]; then
        show /tmp/ab.err
        echo "serial: $(head -c 200 /tmp/ab.serial)" | sed 's/^/KVMTEST-LOG: /'
        tr '{' '\n' </tmp/kvmregs.json | grep -E '"(ESR_EL1|ELR_EL1|FAR_EL1|SCTLR_EL1|VBAR_EL1|pstate|elr_el1)"' |
            sed 's/^/KVMTEST-LOG: /'
    fi

    t0=$(now); why=""
    r=$(qmp ab 7 '{"execute":"query-cpus-fast"}')
    echo "$r" | grep -q '"thread-id"' || why="query-cpus-fast: $r"
    result query-cpus "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
    qmp_stop ab 7
fi
