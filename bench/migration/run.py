#!/usr/bin/env python3
"""Live-migration benchmark: our binary against Debian's QEMU 7.2.

The A/B guest (first byte of every page in a 99 MiB range incremented
forever) runs with 1 GiB and 4 GiB of RAM and is migrated over a unix
socket, on both binaries in the same run, with the same parameters.
Printed per binary (min / median over --runs): total time, QEMU's downtime
field, guest downtime (source STOP to destination RESUME, as the guest sees
it), setup time, MB sent, throughput, dirty-sync passes; then the ratios.

usage: bench/migration/run.py --ours build/qemu-system-aarch64
           --guest build/tests/guests/ab-guest.bin [--peer qemu-system-aarch64]
           [--sizes 1G,4G] [--runs 3] [--max-bandwidth 10G]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "scripts"))
from qmp_client import QMP, event_time  # noqa: E402

SIZES = {"1G": 1 << 30, "4G": 4 << 30}


def start(binary, tmp, name, mem, guest, incoming=None):
    qmp = os.path.join(tmp, name + ".qmp")
    args = [binary, "-M", "virt", "-cpu", "max", "-m", mem, "-display",
            "none", "-nodefaults", "-serial",
            "file:" + os.path.join(tmp, name + ".serial"),
            "-kernel", guest, "-qmp", "unix:%s,server=on,wait=off" % qmp]
    if incoming:
        args += ["-incoming", incoming]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    return proc, QMP(qmp)


def wait_b(path, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path) and b"B" in open(path, "rb").read():
            return
        time.sleep(0.05)
    raise RuntimeError("guest printed no 'B' in %s" % path)


def one_run(binary, guest, mem, bandwidth):
    tmp = tempfile.mkdtemp(prefix="armvm-bench-")
    sock = os.path.join(tmp, "mig.sock")
    src = dst = None
    try:
        src, sq = start(binary, tmp, "src", mem, guest)
        dst, dq = start(binary, tmp, "dst", mem, guest, "unix:" + sock)
        for q in (sq, dq):
            q.cmd("migrate-set-capabilities",
                  capabilities=[{"capability": "events", "state": True}])
        wait_b(os.path.join(tmp, "src.serial"))
        sq.cmd("migrate-set-parameters", **{"max-bandwidth": bandwidth,
                                            "downtime-limit": 300})
        sq.cmd("migrate", uri="unix:" + sock)
        deadline = time.time() + 120
        while True:
            info = sq.cmd("query-migrate")
            if info.get("status") in ("completed", "failed"):
                break
            if time.time() > deadline:
                raise RuntimeError("no convergence in 120 s")
            time.sleep(0.02)
        if info["status"] != "completed":
            raise RuntimeError("failed: %s" % info.get("error-desc"))
        stop = sq.wait_event("STOP")
        resume = dq.wait_event("RESUME")
        # QEMU 7.2 fills total-time late (baseline note 5): ask again.
        time.sleep(0.2)
        info = sq.cmd("query-migrate")
        ram = info.get("ram", {})
        return {
            "total_ms": info.get("total-time", 0),
            "downtime_ms": info.get("downtime", 0),
            "guest_downtime_ms": (event_time(resume) - event_time(stop)) * 1000,
            "setup_ms": info.get("setup-time", 0),
            "mb_sent": ram.get("transferred", 0) / 1e6,
            "mbps": ram.get("mbps", 0),
            "passes": ram.get("dirty-sync-count", 0),
        }
    finally:
        for p in (src, dst):
            if p:
                p.kill()
                p.wait()
        shutil.rmtree(tmp, ignore_errors=True)


KEYS = ["total_ms", "downtime_ms", "guest_downtime_ms", "setup_ms", "mb_sent",
        "mbps", "passes"]


def summarize(runs):
    return {k: (min(r[k] for r in runs), statistics.median(r[k] for r in runs))
            for k in KEYS}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--peer", default=shutil.which("qemu-system-aarch64"))
    ap.add_argument("--guest", required=True)
    ap.add_argument("--sizes", default="1G,4G")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--max-bandwidth", default=str(10 << 30))
    args = ap.parse_args()
    bw = int(args.max_bandwidth)
    binaries = [("ours", args.ours)]
    if args.peer:
        binaries.append(("qemu-7.2", args.peer))
    for size in args.sizes.split(","):
        res = {}
        for label, binary in binaries:
            runs = []
            for _ in range(args.runs):
                try:
                    runs.append(one_run(binary, args.guest, size, bw))
                except Exception as e:  # a failed run is reported, not hidden
                    print("%s %s: run failed: %s" % (label, size, e))
            if runs:
                res[label] = summarize(runs)
        print("\nA/B guest, %s RAM, unix socket, max-bandwidth %d, %d runs "
              "(min / median)" % (size, bw, args.runs))
        print("%-18s" % "" + "".join("%-22s" % l for l in res) +
              ("ratio ours/qemu (median)" if len(res) == 2 else ""))
        for k in KEYS:
            row = "%-18s" % k
            for l in res:
                row += "%-22s" % ("%.1f / %.1f" % res[l][k])
            if len(res) == 2 and res["qemu-7.2"][k][1]:
                row += "%.2f" % (res["ours"][k][1] / res["qemu-7.2"][k][1])
            print(row)


if __name__ == "__main__":
    main()
