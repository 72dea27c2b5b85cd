# The KVM <-> TCG demo (scripts/demo-kvm.sh, `make demo-kvm`; issue 8
# item 4).  Sourced by vm-init.sh in the nested machine (group 90), or run
# by scripts/demo-kvm.sh directly on an arm64 host with /dev/kvm (QEMU and
# GUESTS set, sourcing vm-init.sh's helpers is not needed).  The timer
# guest (tests/guests/timer-guest.c: 100 Hz timer interrupts, its own
# report "T ticks=<counted> exp=<implied by the counter> back=<counter went
# backwards>") starts on KVM, is live-migrated to our interpreter (TCG)
# and back onto KVM; every step prints "KVMDEMO: ..." lines.
TESTS=${TESTS:-/tests}
GUESTS=${GUESTS:-/guests}
. "$TESTS/qmp.lib"
. "$TESTS/mig.lib"
command -v result >/dev/null 2>&1 || result() { :; }
command -v now >/dev/null 2>&1 || now() { echo 0; }
DG="-M virt,gic-version=3 -m 64 -display none -monitor none -kernel $GUESTS/timer-guest.bin"
# : a WORKAROUND (mig.lib) until the reconciliation rules accept the
# host's PMCR_EL0.IDCODE.
DKVM="-accel kvm -cpu host"
# The interpreter emulates the host's CPU model when it has one (an Armv8.0
# host such as the cortex-a72 the nested demo uses), else "max".
DTCG="-accel tcg -cpu ${KVM_OUTER_CPU:-max}"

demo() { echo "KVMDEMO: $*"; }

# demo_report SERIAL AFTER: wait for a timer report past the first AFTER.
demo_report() {
    i=0
    while [ $i -lt 300 ] && [ "$(grep -c '^T ticks=' "$1")" -le "$2" ]; do
        usleep 100000; i=$((i + 1))
    done
    grep '^T ticks=' "$1" | tail -1
}

demo_hop() {    # demo_hop SRC SFD DST DFD SOCK TITLE
    mig_go "$1" "$2" "$3" "$4" "$5" "$6"
    demo "  pre-flight (x-query-migration-compat on the destination): compatible=${PF_OK:-?} $PF_WHY"
    if [ -n "$why" ]; then
        demo "FAILED: $why"
        return
    fi
    demo "  migrated: downtime ${MIG_DOWNTIME:-?} ms (query-migrate), source STOP -> destination RESUME ${MIG_PAUSE:-?} ms"
    demo "  guest on $7: $(demo_report /tmp/$3.ser 1)"
}

t0=$(now); why=""
rm -f /tmp/d1.sock /tmp/d2.sock
hostcpu=${KVM_OUTER_CPU:-native}
demo "A timer guest live-migrated from KVM to our interpreter and back (kernel $(uname -r), host CPU $hostcpu)"
demo "1. start it on KVM: qemu-system-aarch64 $DKVM ..."
qmp_start dk1 7 $DG $DKVM -serial file:/tmp/dk1.ser
demo "  guest on KVM: $(demo_report /tmp/dk1.ser 1)"
demo "2. live-migrate it to our interpreter: $DTCG"
qmp_start dt1 8 $DG $DTCG -serial file:/tmp/dt1.ser -incoming unix:/tmp/d1.sock
demo_hop dk1 7 dt1 8 /tmp/d1.sock "demo kvm->tcg" TCG
qmp_stop dk1 7
if [ -z "$why" ]; then
    demo "3. and back onto KVM, a new instance"
    qmp_start dk2 7 $DG $DKVM -serial file:/tmp/dk2.ser -incoming unix:/tmp/d2.sock
    demo_hop dt1 8 dk2 7 /tmp/d2.sock "demo tcg->kvm" KVM
    qmp_stop dk2 7
fi
qmp_stop dt1 8
[ -n "$why" ] || demo "ticks == exp: no timer interrupt lost or doubled across the moves; back=0: the guest's counter never went backwards."
result demo-kvm-tcg-kvm "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
