#!/bin/sh
# The demo: start the virt board, talk to it over QMP and qtest, show the
# guest's serial output.  Later issues turn this into a live migration of a
# running guest between two instances.
set -e
BUILD=${1:-build}
BIN="$BUILD/qemu-system-aarch64"
exec python3 "$(dirname "$0")/demo.py" "$BIN"
