#!/bin/busybox sh
# /init of the nested test machine (runs inside Debian's arm64 kernel,
# booted by tests/kvm/run-nested.sh under qemu-system-aarch64 with
# virtualization=on).  Runs our aarch64 qemu-system-aarch64 on the real
# /dev/kvm and reports one line per test on the console:
#   KVMTEST: PASS <name> <seconds>
#   KVMTEST: FAIL <name> <seconds> <why>
# then "KVMTEST-END <passed> passed, <failed> failed" and powers off.
# A test that hangs is killed by its own timeout; the outer harness has a
# second timeout for the whole boot.
/bin/busybox mkdir -p /proc /sys /dev /tmp /usr/bin /usr/sbin /sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
exec </dev/console >/dev/console 2>&1
export PATH=/usr/bin:/bin:/sbin:/usr/sbin LD_LIBRARY_PATH=/lib
QEMU=/usr/bin/qemu-system-aarch64
PASSED=0 FAILED=0

echo "KVMTEST-BEGIN kernel=$(uname -r) cpus=$(grep -c ^processor /proc/cpuinfo) uptime=$(cut -d" " -f1 /proc/uptime)"
dmesg | grep -iE 'kvm \[|hyp mode|vhe mode' | sed 's/^/KVMTEST-DMESG: /'

# Centiseconds of uptime: the clock for per-test times.
now() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f\n", (b - a) / 100 }'; }

result() {  # result NAME START PASS|FAIL [why]
    t=$(secs "$2" "$(now)")
    if [ "$3" = PASS ]; then
        PASSED=$((PASSED + 1)); echo "KVMTEST: PASS $1 $t"
    else
        FAILED=$((FAILED + 1)); echo "KVMTEST: FAIL $1 $t $4"
    fi
}

# show LOG: the tail of a failed test's output, for the harness log.
show() { tail -n 15 "$1" | sed 's/^/KVMTEST-LOG: /'; echo; }

# expect NAME TIMEOUT "WORD1;WORD2" ARGS...: run our binary, pass when it
# exits 0 in time and its output contains every word.
expect() {
    name=$1 tmo=$2 words=$3; shift 3
    log=/tmp/$name.log
    t0=$(now)
    timeout "$tmo" $QEMU "$@" </dev/null >"$log" 2>&1
    rc=$?
    why=""
    if [ $rc -eq 124 ] || [ $rc -eq 143 ] || [ $rc -eq 137 ]; then
        why="timeout after ${tmo}s"
    elif [ $rc -ne 0 ]; then
        why="exit status $rc"
    else
        IFS=';'
        for w in $words; do
            grep -qF "$w" "$log" || { why="no '$w' in the output"; break; }
        done
        unset IFS
    fi
    if [ -z "$why" ]; then
        result "$name" "$t0" PASS
    else
        result "$name" "$t0" FAIL "$why"; show "$log"
    fi
}

# expect_output NAME TIMEOUT REGEX ARGS...: for guests that run until
# stopped: pass once a line of the output matches REGEX (grep -E) in time;
# the instance is then killed.
expect_output() {
    name=$1 tmo=$2 re=$3; shift 3
    log=/tmp/$name.log
    t0=$(now)
    $QEMU "$@" </dev/null >"$log" 2>&1 &
    pid=$!
    i=0 ok=""
    while [ $i -lt $((tmo * 20)) ]; do
        tail -c 2048 "$log" | grep -qE "$re" && { ok=1; break; }
        kill -0 $pid 2>/dev/null || break
        usleep 50000; i=$((i + 1))
    done
    kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
    if [ -n "$ok" ]; then
        result "$name" "$t0" PASS
    else
        result "$name" "$t0" FAIL "no line matching '$re' within ${tmo}s"
        show "$log"
    fi
}

# expect_fail NAME TIMEOUT WORD ARGS...: our binary must refuse the
# configuration: non-zero exit in time, WORD in its one-line error.
expect_fail() {
    name=$1 tmo=$2 word=$3; shift 3
    log=/tmp/$name.log
    t0=$(now)
    timeout "$tmo" $QEMU "$@" </dev/null >"$log" 2>&1
    rc=$?
    if [ $rc -eq 0 ]; then
        result "$name" "$t0" FAIL "accepted (exit 0)"
    elif [ $rc -eq 124 ] || [ $rc -eq 143 ] || [ $rc -eq 137 ]; then
        result "$name" "$t0" FAIL "timeout after ${tmo}s"
    elif ! grep -qF "$word" "$log"; then
        result "$name" "$t0" FAIL "no '$word' in: $(head -c 200 "$log")"
    else
        result "$name" "$t0" PASS
    fi
}

if [ ! -c /dev/kvm ]; then
    t0=$(now); result kvm-device "$t0" FAIL "/dev/kvm missing (no EL2?)"
else
    t0=$(now); result kvm-device "$t0" PASS
    # Extra tests shipped in the initramfs (tests/kvm/vm-tests/*.sh), each
    # sourced with the helpers above.
    # kvmtests=10,20 on the kernel command line picks test files by prefix
    # (run-nested.sh boots once per group of guests, see docs/devel/kvm.md).
    KVM_OUTER_GIC=$(sed -n 's/.*kvmgic=\([0-9]\).*/\1/p' /proc/cmdline)
    # The outer CPU model (run-nested.sh "+CPU"): the KVM host's CPU.
    KVM_OUTER_CPU=$(sed -n 's/.*kvmcpu=\([a-z0-9-]*\).*/\1/p' /proc/cmdline)
    groups=$(sed -n 's/.*kvmtests=\([0-9,]*\).*/\1/p' /proc/cmdline | tr ',' ' ')
    for t in /tests/*.sh; do
        [ -f "$t" ] || continue
        if [ -n "$groups" ]; then
            b=$(basename "$t"); pick=""
            for g in $groups; do case $b in "$g"-*) pick=1 ;; esac; done
            [ -n "$pick" ] || continue
        fi
        . "$t"
    done
fi

echo "KVMTEST-END $PASSED passed, $FAILED failed"
sync
poweroff -f
