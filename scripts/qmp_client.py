"""A small QMP client for scripts and benchmarks (no dependencies)."""
import json
import os
import socket
import time


class QMPError(Exception):
    pass


class QMP:
    def __init__(self, path, timeout=60):
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.time() > deadline:
                    raise
                time.sleep(0.02)
        self.file = self.sock.makefile("rw")
        self.events = []
        self.greeting = json.loads(self.file.readline())
        self.cmd("qmp_capabilities")

    def _read(self):
        line = self.file.readline()
        if not line:
            raise QMPError("connection closed")
        return json.loads(line)

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.file.write(json.dumps(msg) + "\n")
        self.file.flush()
        while True:
            reply = self._read()
            if "event" in reply:
                self.events.append(reply)
                continue
            if "error" in reply:
                raise QMPError("%s: %s" % (name, reply["error"]["desc"]))
            return reply.get("return")

    def wait_event(self, name, timeout=60):
        deadline = time.time() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev["event"] == name:
                    return self.events.pop(i)
            if time.time() > deadline:
                raise QMPError("no %s event within %ss" % (name, timeout))
            self.sock.settimeout(max(0.01, deadline - time.time()))
            try:
                self.events.append(self._read())
            except socket.timeout:
                pass
            finally:
                self.sock.settimeout(None)

    def close(self):
        self.sock.close()


def event_time(ev):
    ts = ev["timestamp"]
    return ts["seconds"] + ts["microseconds"] / 1e6
