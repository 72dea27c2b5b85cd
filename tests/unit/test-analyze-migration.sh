#!/bin/sh
# scripts/analyze-migration on streams saved by our qemu-system-aarch64 and,
# when Debian's QEMU is installed, by QEMU 7.2 (issue 5: "a test saves a 7.2
# stream with it and our analyzer reads it").
#
# usage: test-analyze-migration.sh OUR_BINARY ANALYZER
set -eu
OURS=$1
ANALYZER=$2
PEER=${QEMU_PEER:-/usr/bin/qemu-system-aarch64}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# save BINARY OUTFILE EXTRA-ARGS...: start paused, migrate to exec:cat.
save() {
    bin=$1; out=$2; shift 2
    "$bin" -M virt -display none -nodefaults -S \
        -qmp "unix:$T/q.sock,server=on,wait=off" "$@" >"$T/vm.log" 2>&1 &
    pid=$!
    python3 - "$T/q.sock" "$out" <<'PYEOF'
import json, socket, sys, time
path, out = sys.argv[1], sys.argv[2]
for _ in range(200):
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect(path)
        break
    except OSError:
        time.sleep(0.05)
f = s.makefile("rw")
f.readline()
def cmd(name, **args):
    f.write(json.dumps({"execute": name, "arguments": args}) + "\n")
    f.flush()
    while True:
        r = json.loads(f.readline())
        if "event" not in r:
            return r
cmd("qmp_capabilities")
r = cmd("migrate", uri="exec:cat > " + out)
assert "error" not in r, r
for _ in range(600):
    st = cmd("query-migrate")["return"].get("status")
    if st in ("completed", "failed"):
        break
    time.sleep(0.05)
assert st == "completed", st
cmd("quit")
PYEOF
    wait "$pid" || true
}

check() {
    python3 - "$1" "$2" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
want = sys.argv[2]
assert d["stream"]["version"] == 3
assert d["configuration"], "no configuration"
assert d["ram"]["blocks"], "no RAM blocks"
assert d["ram"]["zero_pages"] + d["ram"]["normal_pages"] > 0
names = [k.split(" ")[0] for k in d["devices"]]
assert want in names, (want, names)
print("ok:", len(names), "device sections,", d["ram"]["normal_pages"],
      "data pages,", d["ram"]["zero_pages"], "zero pages")
PYEOF
}

# Ours, with the qtest accelerator (no guest code needed).
save "$OURS" "$T/ours.mig" -accel qtest
python3 "$ANALYZER" "$T/ours.mig" >"$T/ours.json"
check "$T/ours.json" globalstate
python3 "$ANALYZER" -d desc "$T/ours.mig" | grep -q '"configuration"'

# A truncated stream is refused with a message, not a traceback.
head -c 200 "$T/ours.mig" >"$T/cut.mig"
if python3 "$ANALYZER" "$T/cut.mig" >/dev/null 2>"$T/cut.err"; then
    echo "truncated stream accepted" >&2
    exit 1
fi
grep -q "analyze-migration: " "$T/cut.err"

# QEMU 7.2's own stream, when its binary is installed.
if [ -x "$PEER" ] && "$PEER" -version 2>/dev/null | grep -q "QEMU emulator"; then
    save "$PEER" "$T/peer.mig" -cpu max
    python3 "$ANALYZER" "$T/peer.mig" >"$T/peer.json"
    check "$T/peer.json" cpu
    grep -q cpreg_vmstate_array_len "$T/peer.json"
else
    echo "skip: no peer QEMU at $PEER"
fi
echo "PASS"
