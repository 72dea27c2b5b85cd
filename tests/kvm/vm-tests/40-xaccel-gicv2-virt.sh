# Sourced by vm-init.sh (group 40 on a GICv2 outer board, "40@2"): a guest
# running under our interpreter on a GICv2 *with* the virtualization
# extensions cannot move to KVM, whose in-kernel vGICv2 has none (issue 8,
# BRIEF idea 3).  The pre-flight (x-query-migration-compat) must say so,
# the migration must be refused with the same one-line reason, and the
# source must keep running.  The guest is this group's (timer.bin), run by
# the interpreter only: no second guest under KVM in this boot.
if [ "${KVM_OUTER_GIC:-3}" = 2 ]; then
. /tests/qmp.lib
. /tests/mig.lib
VG="-M virt,gic-version=2 -m 64 -display none -monitor none -kernel /guests/timer.bin"
t0=$(now); why=""
rm -f /tmp/v1.sock
qmp_start vt1 7 $VG -global arm_gic.has-virtualization-extensions=on -accel tcg -cpu max -serial file:/tmp/vt1.ser
qmp_start vk1 8 $VG -accel kvm -cpu host -serial file:/tmp/vk1.ser -incoming unix:/tmp/v1.sock
i=0; while [ $i -lt 200 ] && ! grep -q 'T' /tmp/vt1.ser; do usleep 50000; i=$((i+1)); done
grep -q 'KVMTIMER-START' /tmp/vt1.ser || why="TCG source guest did not start: $(head -c 200 /tmp/vt1.err)"
if [ -z "$why" ]; then
    mig_go vt1 7 vk1 8 /tmp/v1.sock "refusal gicv2-virt tcg->kvm"
    if [ -z "$why" ]; then
        why="accepted GICv2 virtualization extensions into the in-kernel vGIC"
    else
        msg=$(grep -m1 'migration' /tmp/vk1.err)
        echo "KVMTEST-INFO: refused: $(echo "$msg" | cut -c1-300)"
        why=""
        echo "$msg" | grep -qiE 'virtuali[sz]ation[- ]ext' || why="reason does not name the virtualization extensions: $msg"
        [ "$PF_OK" = false ] || why="${why:-pre-flight did not refuse: compatible=${PF_OK:-?} $PF_WHY}"
        echo "$PF_WHY" | grep -qiE 'virtuali[sz]ation[- ]ext' || why="${why:-pre-flight reasons do not name the virtualization extensions: $PF_WHY}"
        r=$(qmp vt1 7 '{"execute":"query-status"}')
        echo "$r" | grep -q '"running"' || why="${why:-source not running after the refusal: $r}"
        [ -n "$why" ] || serial_grow /tmp/vt1.ser 10 || why="source guest stopped after the refusal"
    fi
fi
result xaccel-refuse-gicv2-virt-to-kvm "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
[ -z "$why" ] || { show /tmp/vt1.err; show /tmp/vk1.err; }
qmp_stop vt1 7
qmp_stop vk1 8
fi
