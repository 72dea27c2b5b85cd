#!/bin/sh
# The demo (make demo):
#  1. a running timer guest live-migrated between instances of our VMM and
#     back (scripts/demo.py: KVM on an arm64 host, our interpreter
#     elsewhere);
#  2. when real KVM is reachable - this arm64 host's /dev/kvm, or the
#     nested recipe of make check-kvm (tests/kvm/setup.sh succeeds) - the
#     same guest live-migrated from KVM to our interpreter and back
#     (scripts/demo-kvm.sh).  ARMVM_DEMO_KVM=0 leaves part 2 out.
set -e
dir=$(dirname "$0")
python3 "$dir/demo.py" "${1:-build}"
[ "${ARMVM_DEMO_KVM:-1}" != 0 ] || exit 0
echo
if [ "$(uname -m)" = aarch64 ] && [ -w /dev/kvm ]; then
    exec "$dir/demo-kvm.sh" "${1:-build}"
fi
echo "Part 2: KVM -> our interpreter -> KVM.  Checking the nested KVM setup (tests/kvm/setup.sh) ..."
if sh "$dir/../tests/kvm/setup.sh" >/dev/null 2>&1; then
    exec "$dir/demo-kvm.sh" "${1:-build}"
fi
echo "The nested KVM setup is not available here (tests/kvm/setup.sh failed);"
echo "run scripts/demo-kvm.sh after it succeeds to see KVM <-> TCG."
