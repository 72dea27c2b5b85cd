#!/bin/sh
# Build the initramfs of the nested test machine:
#   /init                     tests/kvm/vm-init.sh (busybox sh)
#   /bin/busybox              static arm64 busybox (from setup.sh's cache)
#   /usr/bin/qemu-system-aarch64  our aarch64 build, dynamically linked
#   /lib/...                  the arm64 loader and every library it needs,
#                             found by following DT_NEEDED recursively
#   /guests/*.bin             bare-metal test guests
#   /usr/bin/abcheck          the A/B memory checker (tests/kvm/abcheck.c)
#   /tests/*.sh               in-VM test scripts (tests/kvm/vm-tests)
#
#   /lib/modules/VER/*.ko     kernel modules (optional MODULE_DIR: the
#                             kernel-to-kernel test's virtio disk)
#
# Usage: mkinitramfs.sh QEMU_BINARY GUEST_DIR OUTPUT.cpio.gz [MODULE_DIR]
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=/var/tmp/armvm-kvm
QEMU=$1 GUESTS=$2 OUT=$3 MODS=${4:-}
ROOT=$OUT.root
READELF=aarch64-linux-gnu-readelf
LIBDIRS="/lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu
$CACHE/sysroot/usr/lib/aarch64-linux-gnu /usr/aarch64-linux-gnu/lib"

rm -rf "$ROOT"
mkdir -p "$ROOT/bin" "$ROOT/usr/bin" "$ROOT/lib" "$ROOT/guests" "$ROOT/tests" \
         "$ROOT/dev" "$ROOT/proc" "$ROOT/sys" "$ROOT/tmp"
cp "$SRC/tests/kvm/vm-init.sh" "$ROOT/init"
chmod 755 "$ROOT/init"
cp "$CACHE/busybox" "$ROOT/bin/busybox"
cp "$QEMU" "$ROOT/usr/bin/qemu-system-aarch64"
aarch64-linux-gnu-strip "$ROOT/usr/bin/qemu-system-aarch64"
cp "$GUESTS"/*.bin "$ROOT/guests/"
[ ! -f "$GUESTS/abcheck" ] || cp "$GUESTS/abcheck" "$ROOT/usr/bin/abcheck"
[ -z "$MODS" ] || { mkdir -p "$ROOT/lib/modules"; cp -r "$MODS"/. "$ROOT/lib/modules/"; }
cp "$SRC"/tests/kvm/vm-tests/*.sh "$SRC"/tests/kvm/vm-tests/*.lib "$ROOT/tests/"

find_lib() {
    for d in $LIBDIRS; do
        [ -e "$d/$1" ] && { echo "$d/$1"; return 0; }
    done
    echo "mkinitramfs: cannot find arm64 library $1" >&2
    return 1
}

# Breadth-first over DT_NEEDED, starting from the binary.
todo="$ROOT/usr/bin/qemu-system-aarch64"
seen=" "
while [ -n "$todo" ]; do
    next=""
    for f in $todo; do
        for lib in $($READELF -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
            case "$seen" in *" $lib "*) continue ;; esac
            seen="$seen$lib "
            p=$(find_lib "$lib")
            cp -L "$p" "$ROOT/lib/$lib"
            next="$next $ROOT/lib/$lib"
        done
    done
    todo=$next
done
interp=$($READELF -l "$QEMU" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
cp -L "$(find_lib "$(basename "$interp")")" "$ROOT/lib/$(basename "$interp")"
[ "$interp" = "/lib/$(basename "$interp")" ] ||
    { mkdir -p "$ROOT$(dirname "$interp")"; ln -sf "/lib/$(basename "$interp")" "$ROOT$interp"; }

(cd "$ROOT" && find . | sort | cpio -o -H newc --owner=0:0 --quiet) | gzip -1 > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
rm -rf "$ROOT"
