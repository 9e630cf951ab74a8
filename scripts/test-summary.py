#!/usr/bin/env python3
"""Print one line `N passed, N failed` from meson testlog.json files.

Each test counts once per log.  OK and EXPECTEDFAIL count as passed; any
other result counts as failed, SKIP included, because a skipped test proves
nothing.  Exits 1 when anything failed, so CI turns red.
"""
import json
import sys

passed = 0
failed = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            result = json.loads(line)["result"]
            if result in ("OK", "EXPECTEDFAIL"):
                passed += 1
            else:
                failed += 1
                print("failed: %s (%s) in %s" % (json.loads(line)["name"], result, path))
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
