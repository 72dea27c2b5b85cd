# Sourced by vm-init.sh: the system-register guest (tests/kvm/guest-
# sysregs.S) live-migrated KVM -> TCG -> KVM, and TCG -> KVM from a start
# under the interpreter (issue 8).  The guest
# snapshots 29 EL1 context and identification registers, re-reads them in
# a loop and prints
#   S iter=<passes> back=<n> maxgap_us=<largest counter gap between passes>
# or "SYSREGS-MISMATCH <reg> was=.. now=.." at the first difference.  After
# each move: new S lines, no mismatch, no exception, back=0; the growth of
# maxgap_us across the move is the guest counter's jump (its view of the
# downtime).  Then a refusal: a TCG source with pointer authentication (our
# max model) cannot move to this KVM host (cortex-a72, no PAuth): the
# destination names the feature in one line and the source keeps running.
# Boot with an Armv8.0 outer CPU (run-nested.sh "72+cortex-a72").
. /tests/qmp.lib
. /tests/mig.lib
G="-M virt,gic-version=3 -m 64 -display none -monitor none -kernel /guests/sysregs.bin"
# : a WORKAROUND, see mig.lib.
KVM="-accel kvm -cpu host"
TCG="-accel tcg -cpu ${KVM_OUTER_CPU:-max}"

if [ -f /guests/sysregs.bin ]; then
    t0=$(now); why=""
    rm -f /tmp/z1.sock /tmp/z2.sock
    qmp_start zk1 7 $G $KVM -serial file:/tmp/zk1.ser
    sysregs_check /tmp/zk1.ser 2 20
    [ -n "$why" ] && why="on KVM before migrating: $why"
    # The KVM-only registers (PSCI version, firmware bitmaps, CCSIDR demux)
    # of the first KVM instance: the TCG leg carries them (cpu/kvm-only-
    # regs) and the second KVM instance must end with the same values.
    fw1=$(kvm_only zk1 7)
    [ -n "$why" ] || echo "$fw1" | grep -q '^0x6030000000140000=' ||
        why="x-query-kvm-regs on the KVM source lists no PSCI version register"
    qmp_start zt1 8 $G $TCG -serial file:/tmp/zt1.ser -incoming unix:/tmp/z1.sock
    g0=$SR_GAP
    [ -n "$why" ] || mig_go zk1 7 zt1 8 /tmp/z1.sock "sysregs kvm->tcg"
    [ -n "$why" ] || sysregs_check /tmp/zt1.ser 1 30 dst
    [ -n "$why" ] || jump "sysregs kvm->tcg" "$g0" "$SR_GAP"
    if [ -z "$why" ]; then
        # The interpreter holds them for the way back (pre-flight view).
        r=$(qmp zt1 8 '{"execute":"x-query-migration-source"}')
        psci=$(echo "$fw1" | sed -n 's/^0x6030000000140000=//p')
        echo "$r" | tr -d ' \n' | grep -q "\"0x6030000000140000\",\"$psci\"" ||
            why="the TCG destination does not carry the PSCI version register ($psci): $(echo "$r" | grep -o '"kvm-only"[^]]*' | cut -c1-200)"
    fi
    result xaccel-sysregs-kvm-to-tcg "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
    [ -z "$why" ] || { show /tmp/zk1.err; show /tmp/zt1.err; tail -3 /tmp/zt1.ser | sed 's/^/KVMTEST-LOG: /'; }
    qmp_stop zk1 7

    if [ -z "$why" ]; then
        t0=$(now)
        g0=$SR_GAP
        qmp_start zk2 7 $G $KVM -serial file:/tmp/zk2.ser -incoming unix:/tmp/z2.sock
        mig_go zt1 8 zk2 7 /tmp/z2.sock "sysregs tcg->kvm (round trip)"
        [ -n "$why" ] || sysregs_check /tmp/zk2.ser 1 30 dst
        [ -n "$why" ] || jump "sysregs tcg->kvm" "$g0" "$SR_GAP"
        if [ -z "$why" ]; then
            fw2=$(kvm_only zk2 7)
            [ "$fw1" = "$fw2" ] || why="KVM-only registers changed across KVM->TCG->KVM: first $(echo $fw1 | cut -c1-300) last $(echo $fw2 | cut -c1-300)"
            [ -n "$why" ] || echo "KVMTEST-INFO: sysregs kvm->tcg->kvm: $(echo "$fw1" | wc -l) KVM-only registers identical (PSCI version $(echo "$fw1" | sed -n 's/^0x6030000000140000=//p'))"
        fi
        result xaccel-sysregs-kvm-tcg-kvm "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
        [ -z "$why" ] || { show /tmp/zt1.err; show /tmp/zk2.err; tail -3 /tmp/zk2.ser | sed 's/^/KVMTEST-LOG: /'; }
        qmp_stop zk2 7
    fi
    qmp_stop zt1 8

    # A guest that starts under the interpreter moves onto KVM.
    t0=$(now); why=""
    rm -f /tmp/z4.sock
    qmp_start zt4 7 $G $TCG -serial file:/tmp/zt4.ser
    sysregs_check /tmp/zt4.ser 2 20
    [ -n "$why" ] && why="on TCG before migrating: $why"
    g0=$SR_GAP
    qmp_start zk4 8 $G $KVM -serial file:/tmp/zk4.ser -incoming unix:/tmp/z4.sock
    [ -n "$why" ] || mig_go zt4 7 zk4 8 /tmp/z4.sock "sysregs tcg->kvm"
    [ -n "$why" ] || sysregs_check /tmp/zk4.ser 1 30 dst
    [ -n "$why" ] || jump "sysregs tcg->kvm (started on TCG)" "$g0" "$SR_GAP"
    result xaccel-sysregs-tcg-to-kvm "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
    [ -z "$why" ] || { show /tmp/zt4.err; show /tmp/zk4.err; tail -3 /tmp/zk4.ser | sed 's/^/KVMTEST-LOG: /'; }
    qmp_stop zt4 7
    qmp_stop zk4 8

    # Refusal: TCG source with PAuth -> KVM host without it.
    t0=$(now); why=""
    rm -f /tmp/z3.sock
    qmp_start zt3 7 $G -accel tcg -cpu max,pauth=on -serial file:/tmp/zt3.ser
    qmp_start zk3 8 $G $KVM -serial file:/tmp/zk3.ser -incoming unix:/tmp/z3.sock
    sysregs_check /tmp/zt3.ser 0 20
    if [ -z "$why" ]; then
        mig_go zt3 7 zk3 8 /tmp/z3.sock "refusal pauth tcg->kvm"
        if [ -z "$why" ]; then
            why="accepted a guest with PAuth on a host without it"
        else
            msg=$(grep -m1 'migration' /tmp/zk3.err)
            echo "KVMTEST-INFO: refused: $msg"
            why=""
            echo "$msg" | grep -q 'APA\|API\|GPA\|GPI\|pauth\|PAuth' || why="reason does not name pointer authentication: $msg"
            # The pre-flight judges like the load: it must refuse too.
            if [ "$PF_OK" != false ]; then
                why="the pre-flight said compatible=${PF_OK:-?} but the load refused pointer authentication"
            else
                echo "$PF_WHY" | grep -q 'APA\|GPA' || why="pre-flight reasons do not name pointer authentication: $PF_WHY"
            fi
            r=$(qmp zt3 7 '{"execute":"query-status"}')
            echo "$r" | grep -q '"running"' || why="${why:-source not running after the refusal: $r}"
            [ -n "$why" ] || sysregs_check /tmp/zt3.ser "$(grep -c '^S iter=' /tmp/zt3.ser)" 20
        fi
    fi
    result xaccel-refuse-tcg-pauth-to-kvm "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
    [ -z "$why" ] || { show /tmp/zt3.err; show /tmp/zk3.err; }
    qmp_stop zt3 7
    qmp_stop zk3 8
fi
