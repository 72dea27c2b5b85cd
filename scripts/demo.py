#!/usr/bin/env python3
"""The demo: a running guest live-migrated between instances, and back.

A bare-metal guest that counts its own timer interrupts (100 Hz, virtual
timer through the GIC) starts on instance 1.  While it runs it is live-
migrated to instance 2 over a unix socket, then back to a fresh instance
3.  After each migration the demo prints the migration's figures and the
guest's own report: ticks counted vs. ticks its counter implies (a lost or
doubled interrupt would show), and whether its counter ever went back.

The accelerator is KVM on an arm64 host with /dev/kvm, our interpreter
(tcg) elsewhere.  usage: demo.py BUILD_DIR
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from qmp_client import QMP, event_time  # noqa: E402


def accel():
    if os.uname().machine == "aarch64" and os.access("/dev/kvm", os.W_OK):
        return "kvm", "host"
    return "tcg", "max"


class Instance:
    def __init__(self, binary, guest, tmp, name, incoming=None):
        acc, cpu = accel()
        self.name = name
        self.serial = os.path.join(tmp, name + ".serial")
        qmp = os.path.join(tmp, name + ".qmp")
        args = [binary, "-M", "virt,gic-version=3", "-accel", acc,
                "-cpu", cpu, "-m", "256M", "-display", "none",
                "-nodefaults", "-serial", "file:" + self.serial,
                "-kernel", guest, "-qmp", "unix:%s,server=on,wait=off" % qmp]
        if incoming:
            args += ["-incoming", incoming]
        print("  $ " + " ".join(os.path.basename(a) if a == binary else a
                                for a in args))
        self.proc = subprocess.Popen(args, stderr=subprocess.DEVNULL)
        self.qmp = QMP(qmp)
        self.qmp.cmd("migrate-set-capabilities",
                     capabilities=[{"capability": "events", "state": True}])

    def last_report(self, after=0, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            lines = [l for l in open(self.serial, errors="replace")
                     .read().splitlines() if l.startswith("T ")]
            if len(lines) > after:
                return len(lines), lines[-1]
            time.sleep(0.1)
        raise RuntimeError("%s: the guest stopped reporting" % self.name)

    def stop(self):
        try:
            self.qmp.cmd("quit")
        except Exception:
            pass
        self.proc.wait(timeout=10)


def migrate(src, dst, sock):
    src.qmp.cmd("migrate-set-parameters",
                **{"max-bandwidth": 10 << 30, "downtime-limit": 300})
    src.qmp.cmd("migrate", uri="unix:" + sock)
    while True:
        info = src.qmp.cmd("query-migrate")
        if info["status"] in ("completed", "failed"):
            break
        time.sleep(0.02)
    if info["status"] != "completed":
        raise RuntimeError("migration failed: %s" % info.get("error-desc"))
    stop = src.qmp.wait_event("STOP")
    resume = dst.qmp.wait_event("RESUME")
    ram = info.get("ram", {})
    print("  migrated %s -> %s: total %d ms, downtime %d ms (guest saw %.1f "
          "ms), %.1f MB sent, %d passes" % (
              src.name, dst.name, info.get("total-time", 0),
              info.get("downtime", 0),
              (event_time(resume) - event_time(stop)) * 1000,
              ram.get("transferred", 0) / 1e6, ram.get("dirty-sync-count", 0)))


def main(build):
    binary = os.path.join(build, "qemu-system-aarch64")
    guest = os.path.join(build, "tests", "guests", "timer-guest.bin")
    if not os.path.exists(guest):
        print("demo: %s is missing (needs gcc-aarch64-linux-gnu; run "
              "scripts/install-deps.sh)" % guest)
        return 1
    tmp = tempfile.mkdtemp(prefix="armvm-demo-")
    acc, _ = accel()
    print("A timer guest, live-migrated between instances of our VMM "
          "(accelerator: %s)\n" % acc)
    instances = []
    try:
        print("1. start the guest on instance 1")
        a = Instance(binary, guest, tmp, "instance1")
        instances.append(a)
        n, line = a.last_report()
        print("  guest on instance1: " + line)

        hops = [("instance2", "2. live-migrate to instance 2 while it runs"),
                ("instance3", "3. and back to a new instance 3")]
        src = a
        for name, title in hops:
            sock = os.path.join(tmp, name + ".sock")
            print("\n" + title)
            dst = Instance(binary, guest, tmp, name, "unix:" + sock)
            instances.append(dst)
            migrate(src, dst, sock)
            n, line = dst.last_report()
            n, line = dst.last_report(after=n)
            print("  guest on %s: %s" % (name, line))
            src.stop()
            src = dst
        print("\nticks == exp: no timer interrupt lost or doubled; back=0: "
              "the guest's counter never went backwards.")
        return 0
    finally:
        for inst in instances:
            if inst.proc.poll() is None:
                inst.proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "build"))
