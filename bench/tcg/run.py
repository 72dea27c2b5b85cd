#!/usr/bin/env python3
"""Interpreter speed: our qemu-system-aarch64 -accel tcg against Debian's
QEMU 7.2 (TCG), measured in the same run (issue 4 item 8).

Guests (tests/guests): int-loop.bin in its three modes (6-instruction ALU
loop, load+add+store loop, call+return loop) and the A/B dirtying guest.
Each configuration runs --repeat times per emulator; the best time counts
(the machine is shared, the best run is the nearest to a quiet one).
Start-up time (same guest with 1 iteration) is subtracted.

  bench/tcg/run.py --ours build/qemu-system-aarch64 \
                   --guests build/tests/guests [--iters 1e9] [--repeat 3]
"""
import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

MODES = [  # (mode, name, instructions per iteration)
    (0, 'ALU loop (6 insns/iter)', 6),
    (1, 'load+add+store (7 insns/iter)', 7),
    (2, 'call+return (6 insns/iter)', 6),
]
AB_PAGES = (0x46400000 - 0x40100000) // 4096
AB_INSNS_PER_PAGE = 7


def patched(guest, tmp, iters, mode):
    data = bytearray(open(guest, 'rb').read())
    data[8:16] = struct.pack('<Q', int(iters))
    data[16:24] = struct.pack('<Q', mode)
    path = os.path.join(tmp, 'int-loop-%d-%d.bin' % (mode, int(iters)))
    with open(path, 'wb') as f:
        f.write(data)
    return path


def cmdline(emu, kernel, serial):
    return [emu, '-M', 'virt', '-cpu', 'max', '-accel', 'tcg', '-display',
            'none', '-nodefaults', '-serial', 'file:' + serial, '-kernel',
            kernel]


def time_run(emu, kernel, tmp, timeout):
    serial = os.path.join(tmp, 'serial')
    t0 = time.monotonic()
    r = subprocess.run(cmdline(emu, kernel, serial), stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=timeout)
    t = time.monotonic() - t0
    out = open(serial, 'rb').read() if os.path.exists(serial) else b''
    if r.returncode != 0 or b'D' not in out:
        raise RuntimeError('%s failed (rc %d, serial %r)' %
                           (emu, r.returncode, out[:40]))
    return t


def best(emu, kernel, tmp, repeat, timeout):
    return min(time_run(emu, kernel, tmp, timeout) for _ in range(repeat))


def ab_rate(emu, guest, tmp, seconds):
    """Pages per second of the A/B guest: count 'B's after a fixed time."""
    serial = os.path.join(tmp, 'ab-serial')
    if os.path.exists(serial):
        os.unlink(serial)
    p = subprocess.Popen(cmdline(emu, guest, serial),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Start counting at the 'A' (after start-up and the zeroing pass).
    t_a = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if os.path.exists(serial) and os.path.getsize(serial) >= 2:
            t_a = time.monotonic()
            b0 = os.path.getsize(serial) - 1
            break
        time.sleep(0.005)
    if t_a is None:
        p.kill()
        p.wait()
        raise RuntimeError('%s: A/B guest printed nothing' % emu)
    time.sleep(seconds)
    b1 = os.path.getsize(serial) - 1
    t = time.monotonic() - t_a
    p.kill()
    p.wait()
    pages = (b1 - b0) * 32 * AB_PAGES
    return pages / t


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('--ours', required=True)
    ap.add_argument('--peer', default=shutil.which('qemu-system-aarch64'))
    ap.add_argument('--guests', required=True,
                    help='directory with int-loop.bin and a-b-kernel.bin')
    ap.add_argument('--iters', type=float, default=5e8)
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--ab-seconds', type=float, default=5.0)
    ap.add_argument('--timeout', type=float, default=600)
    args = ap.parse_args()
    if not args.peer:
        print('Debian qemu-system-aarch64 not found')
        return 1
    emus = [('ours', args.ours), ('qemu-7.2', args.peer)]
    loop = os.path.join(args.guests, 'int-loop.bin')
    ab = os.path.join(args.guests, 'a-b-kernel.bin')
    print('peer: %s' % subprocess.run([args.peer, '--version'],
                                      capture_output=True, text=True)
          .stdout.splitlines()[0])
    with tempfile.TemporaryDirectory() as tmp:
        print('%-32s %12s %12s %8s' % ('guest', 'ours MIPS', 'qemu MIPS',
                                       'ratio'))
        for mode, name, per_iter in MODES:
            mips = {}
            for who, emu in emus:
                t_start = best(emu, patched(loop, tmp, 1, mode), tmp,
                               args.repeat, args.timeout)
                t = best(emu, patched(loop, tmp, args.iters, mode), tmp,
                         args.repeat, args.timeout)
                mips[who] = args.iters * per_iter / max(t - t_start, 1e-3) / 1e6
            print('%-32s %12.0f %12.0f %8.2f' %
                  (name, mips['ours'], mips['qemu-7.2'],
                   mips['ours'] / mips['qemu-7.2']), flush=True)
        rate = {}
        for who, emu in emus:
            rate[who] = max(ab_rate(emu, ab, tmp, args.ab_seconds)
                            for _ in range(max(1, args.repeat - 1)))
        print('%-32s %12.0f %12.0f %8.2f' %
              ('A/B guest (7 insns/page)',
               rate['ours'] * AB_INSNS_PER_PAGE / 1e6,
               rate['qemu-7.2'] * AB_INSNS_PER_PAGE / 1e6,
               rate['ours'] / rate['qemu-7.2']))
        print('A/B guest pages/s: ours %.1f M, qemu-7.2 %.1f M' %
              (rate['ours'] / 1e6, rate['qemu-7.2'] / 1e6))
    return 0


if __name__ == '__main__':
    sys.exit(main())
