#!/usr/bin/env python3
"""The demo, in its current form: drive the virt board over QMP and qtest.

Starts qemu-system-aarch64 with the qtest accelerator, writes a greeting
into guest RAM and out of the PL011 over the qtest protocol, reads it back,
and walks the run states over QMP (stop, cont), printing every step.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time


def main(binary):
    tmp = tempfile.mkdtemp(prefix="armvm-demo-")
    qtest_path = os.path.join(tmp, "qtest.sock")
    qmp_path = os.path.join(tmp, "qmp.sock")
    serial = os.path.join(tmp, "serial.txt")

    lsock = socket.socket(socket.AF_UNIX)
    lsock.bind(qtest_path)
    lsock.listen(1)
    args = [binary, "-M", "virt", "-accel", "qtest", "-display", "none",
            "-qtest-log", "none",
            "-qtest", "unix:" + qtest_path,
            "-qmp", "unix:%s,server=on,wait=off" % qmp_path,
            "-serial", "file:" + serial]
    print("$ " + " ".join(args))
    proc = subprocess.Popen(args)
    lsock.settimeout(10)
    qt, _ = lsock.accept()
    qtf = qt.makefile("rw")

    def qtest(cmd):
        qtf.write(cmd + "\n")
        qtf.flush()
        reply = qtf.readline().strip()
        print("qtest> %-40s %s" % (cmd, reply))
        return reply

    for _ in range(100):
        if os.path.exists(qmp_path):
            break
        time.sleep(0.05)
    qmp = socket.socket(socket.AF_UNIX)
    qmp.connect(qmp_path)
    qmpf = qmp.makefile("rw")

    def qmp_cmd(name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        qmpf.write(json.dumps(msg) + "\n")
        qmpf.flush()
        while True:
            reply = json.loads(qmpf.readline())
            if "event" in reply:
                print("qmp event: %s" % reply["event"])
                continue
            print("qmp> %-30s %s" % (name, json.dumps(reply)))
            return reply

    print("qmp greeting: " + qmpf.readline().strip())
    qmp_cmd("qmp_capabilities")
    qmp_cmd("query-version")
    qmp_cmd("query-status")

    text = b"Hello from the virt board\n"
    qtest("write 0x40000000 %d 0x%s" % (len(text), text.hex()))
    qtest("read 0x40000000 %d" % len(text))
    for b in text:
        qtest("writeb 0x09000000 0x%02x" % b)
    qtest("readl 0x09000018")
    qmp_cmd("stop")
    qmp_cmd("query-status")
    qmp_cmd("cont")
    qmp_cmd("quit")
    proc.wait(timeout=10)
    print("serial output: %r" % open(serial, "rb").read())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
