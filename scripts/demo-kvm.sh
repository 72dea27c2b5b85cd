#!/bin/bash
# The mission's demo (issue 8 item 4): a running guest live-migrated from
# real KVM to our interpreter (TCG) and back, with each migration's
# figures and the guest's own report after each move
# (tests/kvm/vm-tests/90-demo.sh does the work).
#
# On an arm64 host with /dev/kvm it runs there, on BUILD's binary.
# Elsewhere it uses the nested recipe of make check-kvm (docs/devel/kvm.md):
# Debian's qemu-system-aarch64 (TCG, virtualization=on, an Armv8.0
# cortex-a72 CPU) boots Debian's arm64 Linux 6.1, whose KVM runs our
# aarch64 build.  Exit 0 when both moves succeed, 77 when neither way is
# available here.
#
# usage: scripts/demo-kvm.sh [BUILD_DIR]   (arm64 host: the build to use)
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}

if [ "$(uname -m)" = aarch64 ] && [ -w /dev/kvm ]; then
    echo "== KVM <-> TCG demo on this arm64 host's /dev/kvm"
    [ -x "$BUILD/qemu-system-aarch64" ] || { echo "demo-kvm: build $BUILD first"; exit 1; }
    guest=$BUILD/tests/guests/timer-guest.bin
    [ -f "$guest" ] || { echo "demo-kvm: $guest is missing"; exit 1; }
    tmp=$(mktemp -d /tmp/armvm-demo-kvm.XXXXXX)
    mkdir -p "$tmp/guests" && cp "$guest" "$tmp/guests/"
    # 90-demo.sh's helpers expect busybox's usleep.
    command -v usleep >/dev/null 2>&1 || usleep() { sleep "$(awk -v u="$1" 'BEGIN { print u / 1000000 }')"; }
    export -f usleep 2>/dev/null
    out=$(QEMU=$(cd "$BUILD" && pwd)/qemu-system-aarch64 TESTS=$SRC/tests/kvm/vm-tests \
          GUESTS=$tmp/guests bash -c '. "$TESTS/90-demo.sh"' 2>&1)
    rm -rf "$tmp"
    echo "$out" | sed -n 's/^KVMDEMO: //p'
    echo "$out" | grep -q 'KVMDEMO: FAILED' && exit 1
    exit 0
fi

echo "== KVM <-> TCG demo through the nested recipe (no arm64 KVM here):"
echo "   Debian's qemu-system-aarch64 (TCG, virtualization=on, cortex-a72) boots"
echo "   Debian's arm64 Linux 6.1; our aarch64 build runs inside on its /dev/kvm."
if ! out=$(sh "$SRC/tests/kvm/setup.sh" 2>&1); then
    echo "$out"
    echo "demo-kvm: the nested setup (tests/kvm/setup.sh) is not available here"
    exit 77
fi
t0=$(date +%s)
res=$(KVM_KERNELS=${KVM_KERNELS:-6.1} KVM_GROUPS=90+cortex-a72 KVM_XKERNEL='' \
      bash "$SRC/tests/kvm/run-nested.sh" 2>&1)
rc=$?
echo "$res" | grep -vE '^(PASS|INFO|[0-9]+ passed)' | grep -v '^    ' | sed 's/^/   /'
echo "$res" | grep -E '^(FAIL|    )' | head -20
echo "$res" | grep -E 'boot for tests 90' | sed 's/^INFO /   (/; s/$/)/'
echo "   (demo took $(( $(date +%s) - t0 )) s including the aarch64 build and the nested boot)"
exit $rc
