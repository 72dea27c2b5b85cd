#!/bin/bash
# make check-kvm: real arm64 KVM inside a nested machine.
#
# 1. tests/kvm/setup.sh installs/caches what is needed (SKIP if it cannot);
# 2. builds our aarch64 qemu-system-aarch64 (./configure --cross-prefix=
#    aarch64-linux-gnu-) and the bare-metal test guests;
# 3. packs them into an initramfs (mkinitramfs.sh) whose /init is
#    vm-init.sh;
# 4. boots Debian's arm64 kernels under Debian's qemu-system-aarch64 with
#    virtualization=on (EL2 emulated, so the kernel offers /dev/kvm), and
#    collects the "KVMTEST: PASS|FAIL" lines from the console.
# A boot that does not reach its end marker in time is one failure.
# Prints one line per test and "N passed, N failed" (scripts/test-summary.py
# counts it).  Exit status: 0 all passed, 1 failures, 77 skipped.
#
# Environment: KVM_BUILD (aarch64 build dir, default SRC/build-aarch64),
#   KVM_KERNELS (default "6.1 6.12"), KVM_BOOT_TIMEOUT (s, default 300),
#   KVM_GIC (default 3), KVM_OUTER_SMP (outer vCPUs, default 2),
#   KVM_GROUPS (test-file prefixes per boot, default "10 20,30 40 40@2 50
#   60 60@2 70+cortex-a72 71+cortex-a72 72+cortex-a72"; 60 runs
#   sgi-pingpong, 70-72 the KVM<->TCG migrations (kvm.md); "" runs none);
#   "@2" boots that group on a GICv2 outer board, "+cortex-a72" with that
#   outer CPU instead of max: the KVM host's CPU, see 70-*.sh),
#   KVM_APPEND (extra kernel arguments, e.g. kvm-arm.mode=nvhe),
#   KVM_XKERNEL (the kernel-to-kernel chain, default "6.1 6.12 6.1"; ""
#   skips it), KVM_XKERNEL_GROUP (its boot spec, default 80+cortex-a72).
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=/var/tmp/armvm-kvm
BUILD=${KVM_BUILD:-$SRC/build-aarch64}
KERNELS=${KVM_KERNELS:-6.1 6.12}
TMO=${KVM_BOOT_TIMEOUT:-300}
GIC=${KVM_GIC:-3}
WORK=$BUILD/kvm-test
passed=0 failed=0

setup_out=$(sh "$SRC/tests/kvm/setup.sh" 2>&1)
rc=$?
if [ $rc -eq 2 ]; then
    echo "SKIP: nested KVM environment cannot be set up here:"
    echo "$setup_out"
    exit 77
elif [ $rc -ne 0 ]; then
    echo "$setup_out"
    echo "FAIL setup (tests/kvm/setup.sh exit $rc)"
    echo "0 passed, 1 failed"
    exit 1
fi

fail_build() {
    echo "FAIL build: $1"
    echo "0 passed, 1 failed"
    exit 1
}

# The aarch64 build (its own build dir; reconfigured only when missing).
if [ ! -f "$BUILD/build.ninja" ]; then
    clog=$(mktemp)
    (cd "$SRC" && ./configure --cross-prefix=aarch64-linux-gnu- \
        --builddir="$BUILD") >"$clog" 2>&1 ||
        { cat "$clog"; rm -f "$clog"; fail_build "configure"; }
    rm -f "$clog"
fi
ninja -C "$BUILD" qemu-system-aarch64 >"$BUILD/kvm-ninja.log" 2>&1 ||
    { tail -30 "$BUILD/kvm-ninja.log"; fail_build "ninja"; }
mkdir -p "$WORK/guests"

# Bare-metal guests: linked at the raw-kernel load address (RAM + 0x80000).
for s in "$SRC"/tests/kvm/guest-*.S; do
    n=$(basename "$s" .S); n=${n#guest-}
    if [ ! -f "$WORK/guests/$n.bin" ] || [ "$s" -nt "$WORK/guests/$n.bin" ]; then
        aarch64-linux-gnu-gcc -nostdlib -static -Wl,-Ttext=0x40080000 \
            -Wl,--build-id=none -o "$WORK/guests/$n.elf" "$s" &&
        aarch64-linux-gnu-objcopy -O binary -j .text "$WORK/guests/$n.elf" \
            "$WORK/guests/$n.bin" || fail_build "guest $n"
    fi
done
# The project's shared guests (tests/guests, the "tcg" area's Makefile):
# the memory-dirtying A/B guest drives the QMP and migration tests,
# smp-test and sgi-pingpong the SMP ones, timer-guest the cross-accelerator
# timer test (70-*).
for g in a-b-kernel smp-test sgi-pingpong timer-guest; do
    make -s -C "$SRC/tests/guests" O="$WORK/guests" "$WORK/guests/$g.bin" \
        >"$WORK/guests/$g.log" 2>&1 ||
        echo "INFO: tests/guests/$g did not build; its tests are skipped"
done
# abcheck: the A/B memory check run inside (static, arm64 libc).
if [ ! -f "$WORK/guests/abcheck" ] || [ "$SRC/tests/kvm/abcheck.c" -nt "$WORK/guests/abcheck" ]; then
    aarch64-linux-gnu-gcc -static -O2 -Wall -Wextra -o "$WORK/guests/abcheck" \
        "$SRC/tests/kvm/abcheck.c" || fail_build "abcheck"
fi
# virtio_mmio + virtio_blk of each kernel (modules in Debian's config) for
# the kernel-to-kernel test's disk: lib/modules/VERSION/*.ko, uncompressed.
mkdir -p "$WORK/modules"
for deb in "$CACHE"/debs/linux-image-*.deb; do
    [ -f "$deb" ] || continue
    ver=$(basename "$deb" | sed 's/^linux-image-\([^_]*\)_.*/\1/')
    [ -f "$WORK/modules/$ver/virtio_blk.ko" ] && continue
    rm -rf "$WORK/modules/x" && mkdir -p "$WORK/modules/x" "$WORK/modules/$ver"
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$WORK/modules/x" --wildcards \
        "./lib/modules/$ver/kernel/drivers/virtio/virtio_mmio.ko*" \
        "./lib/modules/$ver/kernel/drivers/block/virtio_blk.ko*" 2>/dev/null
    for m in virtio_mmio virtio_blk; do
        f=$(find "$WORK/modules/x" -name "$m.ko*" | head -1)
        case $f in
        *.xz) xz -dc "$f" >"$WORK/modules/$ver/$m.ko" ;;
        ?*) cp "$f" "$WORK/modules/$ver/$m.ko" ;;
        esac
    done
    rm -rf "$WORK/modules/x"
    [ -s "$WORK/modules/$ver/virtio_blk.ko" ] && [ -s "$WORK/modules/$ver/virtio_mmio.ko" ] ||
        echo "INFO: no virtio modules from $deb; the kernel-to-kernel test fails"
done
sh "$SRC/tests/kvm/mkinitramfs.sh" "$BUILD/qemu-system-aarch64" \
    "$WORK/guests" "$WORK/init.cpio.gz" "$WORK/modules" || fail_build "initramfs"

# One boot per group of test files.  Each group uses one guest binary:
# when a nested guest's code page is reused by the next guest with other
# code, the outer QEMU 7.2 TCG was seen running the old guest's code (stale
# translations; docs/devel/kvm.md), so guests are never mixed in one boot.
TEST_GROUPS=${KVM_GROUPS-10 20,30 40 40@2 50 60 60@2 70+cortex-a72 71+cortex-a72 72+cortex-a72}

# boot KERNEL GROUP[@GIC][+CPU] [TAG EXTRA-APPEND OUTER-ARGS...]: TAG names
# the console log of a boot that is one step of a chain (the kernel-to-
# kernel migration below), EXTRA-APPEND goes on the kernel command line.
boot() {
    k=$1 spec=$2 ocpu=max gic=$GIC tag=${3:-} xappend=${4:-}
    shift 2; [ $# -gt 0 ] && shift; [ $# -gt 0 ] && shift
    case $spec in *+*) ocpu=${spec#*+}; spec=${spec%%+*} ;; esac
    grp=${spec%@*}
    case $spec in *@*) gic=${spec#*@} ;; esac
    kimg=$CACHE/Image-$k
    log=$WORK/console-$k-$grp-gic$gic-$ocpu$tag.log
    # The outer CPU is the KVM host's CPU.  "max" has every feature Debian's
    # QEMU 7.2 emulates (v8.5+); an Armv8.0 model such as cortex-a72 is a
    # host whose CPU our interpreter emulates, for the KVM<->TCG tests.
    # pauth-impdef: QARMA5 emulation costs ~2.5x the CPU (nested-kvm notes).
    ocpu_arg=$ocpu
    [ "$ocpu" != max ] || ocpu_arg=max,pauth-impdef=on
    t0=$(date +%s.%N)
    timeout "$TMO" qemu-system-aarch64 \
        -M virt,virtualization=on,gic-version="$gic" -cpu "$ocpu_arg" \
        -m 1G -smp "${KVM_OUTER_SMP:-2}" -display none -monitor none -serial stdio -no-reboot \
        -kernel "$kimg" -initrd "$WORK/init.cpio.gz" \
        -append "console=ttyAMA0 rdinit=/init panic=-1 quiet kvmtests=$grp kvmgic=$gic kvmcpu=$ocpu $xappend ${KVM_APPEND:-}" \
        "$@" </dev/null >"$log" 2>&1
    rc=$?
    t1=$(date +%s.%N)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
    while read -r _ verdict name tsecs why; do
        echo "$verdict linux-$k/$name (${tsecs}s) $why"
        if [ "$verdict" = PASS ]; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
        fi
    done < <(grep -a '^KVMTEST: ' "$log")
    grep -a '^KVMDEMO: ' "$log" | sed "s|^KVMDEMO: ||"
    grep -a '^KVMTEST-INFO: ' "$log" | sed "s|^KVMTEST-INFO: |INFO linux-$k: |"
    grep -a '^KVMTEST-LOG: ' "$log" | sed "s|^KVMTEST-LOG: |    linux-$k: |"
    if ! grep -aq '^KVMTEST-END ' "$log"; then
        failed=$((failed + 1))
        if [ $rc -eq 124 ]; then
            echo "FAIL linux-$k/boot-$grp-gic$gic-$ocpu: no end marker after ${TMO}s (hang), log $log"
        else
            echo "FAIL linux-$k/boot-$grp-gic$gic-$ocpu: ended without end marker (status $rc), log $log"
        fi
        tail -20 "$log" | sed "s|^|    linux-$k: |"
    else
        boot_s=$(grep -a -m1 '^KVMTEST-BEGIN' "$log" | sed -n 's/.*uptime=\([0-9.]*\).*/\1/p')
        echo "INFO linux-$k: boot for tests $grp (GICv$gic $ocpu host): ${secs}s wall (guest reached /init at ${boot_s:-?}s uptime)"
    fi
}

for k in $KERNELS; do
    for grp in $TEST_GROUPS; do
        boot "$k" "$grp"
    done
done

# Kernel to kernel (issue 8): the guest's stream leaves the nested machine
# on a raw disk image attached as virtio-blk (/dev/vda inside; the Debian
# kernels have virtio_mmio and virtio_blk as modules, packed into the
# initramfs).  Boot 1 starts the guest on KVM and migrates it into the
# disk (exec:dd, while it runs), boot 2 on the other kernel loads it
# (-incoming exec:cat /dev/vda: the loader stops at the stream's end
# record, the rest of the disk is ignored), checks it and saves it again,
# boot 3 on the first kernel loads it back.  Non-live: the guest waits on
# the disk between boots.  KVM_XKERNEL="" skips it.
XK=${KVM_XKERNEL-6.1 6.12 6.1}
XK_SPEC=${KVM_XKERNEL_GROUP:-80+cortex-a72}
if [ -n "$XK" ]; then
    # (xk_img: boot() sets $img to the kernel image.)
    xk_img=$WORK/xkernel.img
    rm -f "$xk_img"; truncate -s 64M "$xk_img"
    set -- $XK
    n=$# i=1 prev=""
    for k in "$@"; do
        if [ $i -eq 1 ]; then step=first; elif [ $i -eq $n ]; then step=last; else step=middle; fi
        boot "$k" "$XK_SPEC" "-xk$i" "kvmxk=$step kvmxkfrom=$prev" \
            -drive if=none,file="$xk_img",format=raw,id=xk0 -device virtio-blk-device,drive=xk0
        prev=$k i=$((i + 1))
    done
    rm -f "$xk_img"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
