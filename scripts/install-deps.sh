#!/bin/sh
# Install what building and testing need on Debian 12, with apt, only when
# something is missing.  Idempotent; silent when everything is there.
set -e

PKGS="gcc make meson ninja-build pkg-config python3 libglib2.0-dev
libjson-glib-dev libfdt-dev zlib1g-dev check qemu-system-arm
gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libunicorn-dev
device-tree-compiler"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
