#!/usr/bin/env python3
"""Print one line counting every test of every suite: N passed, N failed.

Reads meson's JSON test logs (meson-logs/testlog*.json).  A Check program
counts as many tests as it has test cases (its "Checks: N, Failures: F,
Errors: E" line); any other program counts as one test.  A program that
crashed before Check could report counts as one failure.  Exit status 1 when
anything failed.
"""
import glob
import json
import os
import re
import sys

CHECK_RE = re.compile(r"Checks: (\d+), Failures: (\d+), Errors: (\d+)")
PLAIN_RE = re.compile(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$", re.M)


def main(dirs):
    passed = failed = skipped = 0
    failures = []
    for d in dirs:
        for path in sorted(glob.glob(os.path.join(d, "testlog*.json"))):
            with open(path) as f:
                for line in f:
                    line = line.strip()
                    if not line:
                        continue
                    t = json.loads(line)
                    out = t.get("stdout") or ""
                    result = t.get("result", "")
                    name = "%s (%s)" % (t.get("name"), os.path.basename(path))
                    checks = CHECK_RE.findall(out)
                    plain = PLAIN_RE.findall(out)
                    if result == "SKIP":
                        skipped += 1
                    elif checks:
                        for n, f_, e in checks:
                            bad = int(f_) + int(e)
                            passed += int(n) - bad
                            failed += bad
                        if result != "OK" and not any(int(f_) + int(e) for _, f_, e in checks):
                            failed += 1
                    elif plain:
                        for p, f_, s in plain:
                            passed += int(p)
                            failed += int(f_)
                            skipped += int(s or 0)
                        if result != "OK" and not any(int(f_) for _, f_, _ in plain):
                            failed += 1
                    elif result == "OK":
                        passed += 1
                    else:
                        failed += 1
                    if result not in ("OK", "SKIP"):
                        failures.append(name)
    for name in failures:
        print("FAILED: " + name)
    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    print(line)
    return 1 if failed or failures or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
