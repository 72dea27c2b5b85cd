# Sourced by vm-init.sh: one step of the kernel-to-kernel migration chain
# (issue 8; run-nested.sh boots 6.1, 6.12, 6.1 with the same raw disk
# image as /dev/vda).  The system-register guest (tests/kvm/guest-
# sysregs.S) runs on KVM:
#   kvmxk=first   start it, check it, migrate it into the disk while it
#                 runs (exec:dd), the source must end "postmigrate";
#   kvmxk=middle  ask the pre-flight (x-query-migration-compat with the
#                 source's description saved beside the stream), load it
#                 from the disk (migrate-incoming exec:cat /dev/vda: the
#                 loader stops at the stream's end record, the disk's
#                 remaining bytes are never read), check it, save it again;
#   kvmxk=last    pre-flight, load it and check it.
# "Check": new S lines, no register changed, the counter never went back.
# The move is non-live (the guest waits on the disk while the next kernel
# boots), hence the test names xkernel-nonlive-*.
. /tests/qmp.lib
. /tests/mig.lib
# Linux 6.1 reports the host's CLIDR_EL1 (0x0a200023 on the cortex-a72
# host), 6.12 its own synthesized one (0x09200003): the kernel-to-kernel
# rules must accept that (they did not before issue 8's reconciliation).
XG="-M virt,gic-version=3 -m 64 -display none -monitor none -kernel /guests/sysregs.bin -accel kvm -cpu host"
step=$(sed -n 's/.*kvmxk=\([a-z]*\).*/\1/p' /proc/cmdline)
from=$(sed -n 's/.*kvmxkfrom=\([0-9.]*\).*/\1/p' /proc/cmdline)
kv=$(uname -r | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')

xk_disk() {
    for m in virtio_mmio virtio_blk; do
        grep -q "^$m " /proc/modules || insmod /lib/modules/$(uname -r)/$m.ko 2>/tmp/insmod.err ||
            { why="insmod $m: $(cat /tmp/insmod.err)"; return; }
    done
    i=0; while [ $i -lt 100 ] && [ ! -b /dev/vda ]; do usleep 50000; i=$((i+1)); done
    [ -b /dev/vda ] || why="no /dev/vda (virtio disk) after loading the modules"
}

# The disk: the stream from offset 0, the source's pre-flight description
# (x-query-migration-source, one JSON line) from 48 MiB.
# xk_save NAME FD: describe the source, migrate the running guest into the
# disk.
xk_save() {
    r=$(qmp "$1" "$2" '{"execute":"x-query-migration-source"}')
    case $r in
    '{"return"'*) echo "$r" | sed 's/^{"return": *//; s/}[[:space:]]*$//' |
                  dd of=/dev/vda bs=1M seek=48 conv=fsync 2>/dev/null ;;
    *) dd if=/dev/zero of=/dev/vda bs=1M seek=48 count=1 conv=fsync 2>/dev/null ;;
    esac
    r=$(qmp "$1" "$2" '{"execute":"migrate","arguments":{"uri":"exec:dd of=/dev/vda bs=65536 conv=fsync 2>/dev/null"}}')
    echo "$r" | grep -q '"return"' || { why="migrate: $r"; return; }
    st="" i=0
    while [ $i -lt 600 ]; do
        r=$(qmp "$1" "$2" '{"execute":"query-migrate"}')
        st=$(echo "$r" | grep -oE '"status" *: *"[a-z-]+"' | head -1 | sed 's/.*"\([a-z-]*\)"$/\1/')
        case $st in completed|failed|cancelled) break ;; esac
        usleep 100000; i=$((i + 1))
    done
    [ "$st" = completed ] || { why="save to disk: status '$st': $r"; return; }
    echo "KVMTEST-INFO: saved on $kv to the disk: downtime $(json_num "$r" downtime) ms, total $(json_num "$r" total-time) ms, $(json_num "$r" transferred) bytes"
    r=$(qmp "$1" "$2" '{"execute":"query-status"}')
    echo "$r" | grep -q '"postmigrate"' || why="source after the save: $r"
    sync
}

# xk_load NAME FD: start waiting (-incoming defer), ask the pre-flight
# with the saved source description, load from the disk, check the guest;
# the pre-flight answer must agree with the load.
xk_load() {
    qmp_start "$1" "$2" $XG -serial file:/tmp/$1.ser -incoming defer
    PF_OK="" PF_WHY=""
    obj=$(dd if=/dev/vda bs=1M skip=48 count=1 2>/dev/null | tr -d '\000' | head -1)
    if [ -n "$obj" ]; then
        r=$(qmp "$1" "$2" "{\"execute\":\"x-query-migration-compat\",\"arguments\":{\"source\":$obj}}")
        PF_OK=$(echo "$r" | grep -oE '"compatible" *: *(true|false)' | grep -oE '(true|false)$')
        PF_WHY=$(echo "$r" | grep -oE '"reason" *: *"([^"\\]|\\.)*"' | sed 's/^"reason" *: *//' | tr '\n' ' ')
        [ -n "$PF_OK" ] || PF_WHY=$(echo "$r" | cut -c1-200)
    fi
    echo "KVMTEST-INFO: pre-flight on $kv for the $from source: compatible=${PF_OK:-?} $PF_WHY" | cut -c1-600
    r=$(qmp "$1" "$2" '{"execute":"migrate-incoming","arguments":{"uri":"exec:cat /dev/vda"}}')
    echo "$r" | grep -q '"return"' || { why="migrate-incoming: $r"; return; }
    i=0
    while [ $i -lt 300 ] && ! grep -q '"RESUME"' /tmp/$1.out &&
          ! grep -q 'migration failed' /tmp/$1.err; do
        usleep 100000; i=$((i + 1))
    done
    if ! grep -q '"RESUME"' /tmp/$1.out; then
        why="never resumed from the disk: $(head -c 400 /tmp/$1.err)"
        [ "$PF_OK" != true ] || why="$why (and the pre-flight had said compatible)"
        return
    fi
    [ "$PF_OK" != false ] || { why="the pre-flight said incompatible ($PF_WHY) but the load succeeded"; return; }
    sysregs_check /tmp/$1.ser 1 20 dst
    [ -z "$why" ] || return
    echo "KVMTEST-INFO: loaded on $kv: $(grep '^S iter=' /tmp/$1.ser | tail -1)"
}

if [ -n "$step" ] && [ -f /guests/sysregs.bin ]; then
    t0=$(now); why=""
    xk_disk
    case $step in
    first)
        name=xkernel-nonlive-save-on-$kv
        if [ -z "$why" ]; then
            qmp_start xs 7 $XG -serial file:/tmp/xs.ser
            sysregs_check /tmp/xs.ser 2 20
            [ -n "$why" ] || echo "KVMTEST-INFO: before the save on $kv: $(grep '^S iter=' /tmp/xs.ser | tail -1)"
            [ -n "$why" ] || xk_save xs 7
        fi ;;
    middle)
        name=xkernel-nonlive-$from-to-$kv
        [ -n "$why" ] || xk_load xs 7
        [ -n "$why" ] || xk_save xs 7
        # Never leave the previous stream for the next step to load.
        [ -z "$why" ] || dd if=/dev/zero of=/dev/vda bs=65536 count=1 conv=fsync 2>/dev/null ;;
    last)
        name=xkernel-nonlive-$from-to-$kv
        [ -n "$why" ] || xk_load xs 7 ;;
    esac
    result "$name" "$t0" $([ -z "$why" ] && echo PASS || echo FAIL) "$why"
    [ -z "$why" ] || { show /tmp/xs.err; tail -3 /tmp/xs.ser 2>/dev/null | sed 's/^/KVMTEST-LOG: /'; }
    qmp_stop xs 7
fi
