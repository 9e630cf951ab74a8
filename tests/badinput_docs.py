#!/usr/bin/env python3
"""Check that the "Bad input" table of docs/security.md matches testdata/badinput.

Every case folder (a folder with a `cmd` file) must have a row in the table,
every row must name an existing case, and the exit status in a row's last
column must be the case's `expected.status` (absent means 0).  A row is a
table line whose first cell is the case name in backticks.

Usage: badinput_docs.py --doc docs/security.md --cases testdata/badinput
Prints TAP.
"""
import argparse
import os
import re
import sys

SECTION = "## Bad input"
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|.*\|\s*([0-9]+)\s*\|\s*$")


def documented_cases(doc_path):
    """Map each case named in the table to the exit status it documents."""
    with open(doc_path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if SECTION not in lines:
        return None
    rows = {}
    for line in lines[lines.index(SECTION) + 1:]:
        if line.startswith("## "):
            break
        match = ROW.match(line)
        if match:
            rows[match.group(1)] = int(match.group(2))
    return rows


def case_statuses(cases_dir):
    """Map each case folder to its expected exit status."""
    statuses = {}
    for name in sorted(os.listdir(cases_dir)):
        folder = os.path.join(cases_dir, name)
        if not os.path.isfile(os.path.join(folder, "cmd")):
            continue
        status_path = os.path.join(folder, "expected.status")
        status = 0
        if os.path.exists(status_path):
            with open(status_path, encoding="utf-8") as f:
                status = int(f.read().strip() or 0)
        statuses[name] = status
    return statuses


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--doc", required=True)
    parser.add_argument("--cases", required=True)
    opts = parser.parse_args()

    results = []
    rows = documented_cases(opts.doc)
    if rows is None:
        print("not ok 1 - %s has a section '%s'" % (opts.doc, SECTION))
        print("1..1")
        return 1
    cases = case_statuses(opts.cases)
    results.append((bool(cases), "%s has cases" % opts.cases, ""))

    for name, status in sorted(cases.items()):
        documented = name in rows
        results.append((documented, "case %s is in the table" % name,
                        "add a row for it to the '%s' table of %s" % (SECTION, opts.doc)))
        if documented:
            results.append((rows[name] == status, "case %s has exit status %d in the table" % (name, status),
                            "the table says %d, expected.status says %d" % (rows[name], status)))
    for name in sorted(set(rows) - set(cases)):
        results.append((False, "row %s names a case" % name,
                        "no folder %s with a cmd file in %s" % (name, opts.cases)))

    failed = 0
    for n, (ok, name, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", n, name))
        if not ok:
            failed += 1
            print("#   " + detail)
    print("1..%d" % len(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
