#!/bin/sh
# The demo: a running guest live-migrated between instances (scripts/demo.py).
set -e
exec python3 "$(dirname "$0")/demo.py" "${1:-build}"
