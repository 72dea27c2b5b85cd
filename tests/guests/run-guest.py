#!/usr/bin/env python3
"""Run a bare-metal guest under an emulator and check its PL011 output.

  run-guest.py EMULATOR GUEST.bin --expect TEXT [--exit]
      pass when TEXT appears in the serial output (and, with --exit, the
      emulator exits by itself through PSCI SYSTEM_OFF with status 0)
  run-guest.py EMULATOR a-b-kernel.bin --ab [--seconds N]
  (--smp N passes -smp N; --accel picks the accelerator, default tcg)
  run-guest.py EMULATOR IMAGE --linux --expect TEXT [--smp N]
      boot a Linux Image (no root fs: it ends in a panic after TEXT);
      exits 77 (meson: skipped) when IMAGE does not exist; fails on any
      Oops/BUG/WARNING line
      pass when the output is 'A' followed by at least one 'B' and nothing
      else, after N seconds of running
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('emulator')
    ap.add_argument('guest')
    ap.add_argument('--expect')
    ap.add_argument('--exit', action='store_true')
    ap.add_argument('--ab', action='store_true')
    ap.add_argument('--seconds', type=float, default=3.0)
    ap.add_argument('--timeout', type=float, default=60.0)
    ap.add_argument('--accel', default='tcg')
    ap.add_argument('--smp', default='1')
    ap.add_argument('--linux', action='store_true')
    args = ap.parse_args()
    if args.linux and os.environ.get('ARMVM_LINUX_IMAGE'):
        args.guest = os.environ['ARMVM_LINUX_IMAGE']
    if args.linux and not os.path.exists(args.guest):
        print('SKIP: no kernel image at %s' % args.guest)
        return 77

    with tempfile.TemporaryDirectory() as tmp:
        serial = os.path.join(tmp, 'serial')
        cmd = [args.emulator, '-M', 'virt', '-cpu', 'max', '-accel',
               args.accel, '-smp', args.smp, '-display', 'none', '-nodefaults', '-serial',
               'file:' + serial, '-kernel', args.guest]
        if args.linux:
            cmd += ['-m', '512', '-append', 'console=ttyAMA0 panic=-1']
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        deadline = time.monotonic() + (args.seconds if args.ab
                                       else args.timeout)
        out = b''
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            if os.path.exists(serial):
                with open(serial, 'rb') as f:
                    out = f.read()
                if (args.expect and not args.exit and
                        args.expect.encode() in out):
                    break
        running = proc.poll() is None
        if running:
            proc.kill()
        log = proc.communicate()[0].decode(errors='replace')
        if os.path.exists(serial):
            with open(serial, 'rb') as f:
                out = f.read()
    text = out.decode(errors='replace')
    print('serial output: %r' % text[:200])
    if args.ab:
        ok = (len(out) >= 2 and out[:1] == b'A' and
              set(out[1:]) == {ord('B')})
        if not ok:
            print('FAIL: expected A then B..., emulator log:\n' + log[-2000:])
            return 1
        print('PASS: A and %d B' % (len(out) - 1))
        return 0
    if args.linux:
        for bad in ('Internal error', 'Oops', 'BUG:', 'WARNING:',
                    'Unhandled', 'undefined instruction'):
            if bad in text:
                print('FAIL: %r in the kernel log' % bad)
                return 1
    if args.expect not in text:
        print('FAIL: %r not in output; emulator log:\n%s' %
              (args.expect, log[-2000:]))
        return 1
    if args.exit and (running or proc.returncode != 0):
        print('FAIL: emulator did not power off cleanly (rc %s)' %
              proc.returncode)
        return 1
    print('PASS')
    return 0


if __name__ == '__main__':
    sys.exit(main())
