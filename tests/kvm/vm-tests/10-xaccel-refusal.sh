# Sourced by vm-init.sh (group 10, outer CPU "max": a host with Armv8.5
# features): KVM -> TCG is refused in one line when the host CPU has
# features our interpreter does not emulate (issue 8; the destination's
# CPU compatibility check, target/arm/cpu-compat.c), and the source keeps
# running.  The source is paused (-S) while the migration is attempted and
# continued after, with this group's guest (ab.bin: the one-guest-per-boot
# rule, docs/devel/kvm.md).
. /tests/qmp.lib
. /tests/mig.lib
RG="-M virt,gic-version=3 -m 256 -display none -monitor none -kernel /guests/ab.bin"

t0=$(now); why=""
rm -f /tmp/r1.sock
qmp_start rk1 7 $RG -accel kvm -cpu host -serial file:/tmp/rk1.ser -S
qmp_start rt1 8 $RG -accel tcg -cpu max -serial file:/tmp/rt1.ser -incoming unix:/tmp/r1.sock
mig_go rk1 7 rt1 8 /tmp/r1.sock "refusal kvm(max host)->tcg"
if [ -z "$why" ]; then
    why="accepted: our interpreter cannot emulate every feature of this host"
else
    msg=$(grep -m1 'not compatible' /tmp/rt1.err)
    why=""
    [ -n "$msg" ] || why="no 'not compatible' reason on the destination: $(head -c 300 /tmp/rt1.err)"
    [ -n "$why" ] || echo "KVMTEST-INFO: refused: $(echo "$msg" | cut -c1-300)"
    [ -n "$why" ] || [ "$PF_OK" = false ] || why="pre-flight did not refuse: compatible=${PF_OK:-?} $PF_WHY"
    [ -n "$why" ] || echo "$PF_WHY" | grep -q 'RAS\|FP\|not compatible' || why="pre-flight reasons name no feature: $PF_WHY"
    r=$(qmp rk1 7 '{"execute":"cont"}')
    i=0; while [ -z "$why" ] && [ $i -lt 200 ] && ! grep -q 'KVMGUEST-START' /tmp/rk1.ser; do usleep 50000; i=$((i+1)); done
    [ -n "$why" ] || grep -q 'KVMGUEST-START' /tmp/rk1.ser || why="source did not continue after the refusal: $r"
fi
result xaccel-refuse-kvm-host-features-to-tcg "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
[ -z "$why" ] || { show /tmp/rk1.err; show /tmp/rt1.err; }
qmp_stop rk1 7
qmp_stop rt1 8
