#!/bin/sh
# Prepare everything the nested real-KVM tests need, on a fresh Debian 12:
#   - host packages: Debian's qemu-system-aarch64 (the outer machine), the
#     aarch64 cross compiler, cpio;
#   - Debian's arm64 multiarch libraries our aarch64 binary links against
#     (glib, json-glib, zlib through apt; libfdt into a private sysroot,
#     because libfdt-dev is not Multi-Arch: same and installing its arm64
#     flavour would remove the amd64 one);
#   - Debian's arm64 kernels 6.1 and 6.12 (bookworm-security), extracted to
#     $CACHE/Image-6.1 and $CACHE/Image-6.12.  Debian's arm64 vmlinuz is an
#     uncompressed Image with a PE header, so it boots as -kernel directly.
#
# Everything is cached under /var/tmp/armvm-kvm,
# outside the clone, so later runs cost nothing.  Idempotent; silent when
# everything is already there.  Exit status 2 means "cannot set up here"
# (no root, no apt repositories reachable): callers turn that into a SKIP.
set -eu
# Fixed: scripts/cross/aarch64-linux-gnu.ini names the sysroot inside it.
CACHE=/var/tmp/armvm-kvm
STAMP=$CACHE/setup-v2.done
[ -f "$STAMP" ] && [ -f "$CACHE/Image-6.1" ] && [ -f "$CACHE/Image-6.12" ] &&
    [ -x "$CACHE/busybox" ] && exit 0

say() { echo "kvm-setup: $*" >&2; }
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        say "needs root (or password-less sudo) for apt"; exit 2
    fi
fi
export DEBIAN_FRONTEND=noninteractive
mkdir -p "$CACHE/debs" "$CACHE/x" "$CACHE/sysroot"

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    say "adding the arm64 architecture to dpkg"
    $SUDO dpkg --add-architecture arm64
    $SUDO apt-get update -qq || { say "apt-get update failed"; exit 2; }
fi

# Host tools plus arm64 libraries that co-install with their amd64 twins.
PKGS="qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
libc6-dev-arm64-cross linux-libc-dev-arm64-cross cpio gzip pkg-config
libglib2.0-dev:arm64 libjson-glib-dev:arm64 zlib1g-dev:arm64"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
if [ -n "$missing" ]; then
    say "installing:$missing"
    if ! $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null; then
        $SUDO apt-get update -qq || true
        $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
            { say "apt-get install failed"; exit 2; }
    fi
fi

cd "$CACHE/debs"
fetch() {   # fetch PACKAGE: download its .deb unless already cached
    ls "$CACHE"/debs/"$(echo "$1" | sed 's/:.*//')"_*.deb >/dev/null 2>&1 ||
        apt-get download "$1" >/dev/null 2>&1 ||
        { say "apt-get download $1 failed"; exit 2; }
}

# libfdt for arm64 into the private sysroot, .pc rewritten to point there.
if [ ! -f "$CACHE/sysroot/usr/lib/aarch64-linux-gnu/pkgconfig/libfdt.pc" ]; then
    fetch libfdt1:arm64
    fetch libfdt-dev:arm64
    for d in "$CACHE"/debs/libfdt*_arm64.deb; do dpkg -x "$d" "$CACHE/sysroot"; done
    # Debian ships no libfdt.pc; write one that points into the sysroot.
    mkdir -p "$CACHE/sysroot/usr/lib/aarch64-linux-gnu/pkgconfig"
    cat > "$CACHE/sysroot/usr/lib/aarch64-linux-gnu/pkgconfig/libfdt.pc" <<PC
prefix=$CACHE/sysroot/usr
libdir=\${prefix}/lib/aarch64-linux-gnu
includedir=\${prefix}/include
Name: libfdt
Description: flattened device tree library (arm64, private sysroot)
Version: 1.6.1
Libs: -L\${libdir} -lfdt
Cflags: -I\${includedir}
PC
fi

# A static arm64 busybox: the shell and tools of the in-VM test runner.
if [ ! -x "$CACHE/busybox" ]; then
    fetch busybox-static:arm64
    rm -rf "$CACHE/x/bb" && mkdir -p "$CACHE/x/bb"
    dpkg -x "$(ls "$CACHE"/debs/busybox-static_*_arm64.deb | head -1)" "$CACHE/x/bb"
    cp "$CACHE/x/bb/bin/busybox" "$CACHE/busybox.tmp" && mv "$CACHE/busybox.tmp" "$CACHE/busybox"
    rm -rf "$CACHE/x/bb"
fi

# Kernels: resolve the concrete names behind Debian's meta-packages.
if [ ! -f "$CACHE/Image-6.1" ] || [ ! -f "$CACHE/Image-6.12" ]; then
    K61=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
          awk '/Depends: linux-image-6/{print $2; exit}')
    K612=$(apt-cache depends linux-image-6.12-arm64:arm64 2>/dev/null |
           awk '/Depends: linux-image-6/{print $2; exit}')
    [ -n "$K61" ] && [ -n "$K612" ] ||
        { say "cannot resolve the arm64 kernel packages"; exit 2; }
    say "kernels: $K61 $K612"
    for k in "$K61" "$K612"; do
        fetch "$k"
    done
    for v in 6.1 6.12; do
        case $v in 6.1) k=$K61 ;; *) k=$K612 ;; esac
        k=${k%:arm64}
        d=$(ls "$CACHE"/debs/"$k"_*.deb | head -1)
        rm -rf "$CACHE/x/$v" && mkdir -p "$CACHE/x/$v"
        dpkg-deb --fsys-tarfile "$d" | tar -x -C "$CACHE/x/$v" --wildcards './boot/vmlinuz-*'
        cp "$CACHE"/x/"$v"/boot/vmlinuz-* "$CACHE/Image-$v.tmp"
        mv "$CACHE/Image-$v.tmp" "$CACHE/Image-$v"
        echo "$k" > "$CACHE/Image-$v.pkg"
        rm -rf "$CACHE/x/$v"
    done
fi
touch "$STAMP"
