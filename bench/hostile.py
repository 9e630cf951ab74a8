#!/usr/bin/env python3
"""Time iamcross on inputs built to be as slow or as large as possible.

Each case writes one input of up to 16 MiB (the file size limit) into a
scratch folder: a JSON policy for `check -i`, or a folder of Terraform for
`scan`.  The shapes aim at what costs the most per byte: one long line
with a finding per value, deep nesting, values just under the string and
statement limits, ARNs that every resource type of a service must be tried
against, heredocs of empty lines, templates with one interpolation per few
bytes, strings that double, and more.  The script prints, per case, the
input size, the wall time, the peak memory and the exit status, and marks
a case that takes longer than --slow seconds or ends with a signal.

It asserts nothing and is not a test: the figures depend on the machine.
docs/security.md records a run.

Usage: hostile.py --binary PATH [--only NAME] [--slow SECONDS] [--keep DIR]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

MAX = 16 * 1024 * 1024 - 4096  # just under SOURCE_MAX_SIZE


def fill(head, item, tail, size=MAX):
    """head + item repeated + tail, up to `size` bytes; `item(i)` makes the i-th item."""
    parts = [head]
    total = len(head) + len(tail)
    i = 0
    while True:
        piece = item(i)
        if total + len(piece) > size:
            break
        parts.append(piece)
        total += len(piece)
        i += 1
    parts.append(tail)
    return "".join(parts)


def policy_of(statements):
    return {"Version": "2012-10-17", "Statement": statements}


# JSON cases: (name, text) for `check -i policy.json`.
def json_cases():
    yield "json-deep-nesting", "[" * (MAX // 2) + "]" * (MAX // 2)
    yield "json-values-on-one-line", fill('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[',
                                          lambda i: "1,", "1]}]}")
    yield "json-findings-on-one-line", fill('{"Version":"2012-10-17","Statement":[',
                                            lambda i: '{"Effect":"Alow","Action":"s3:GetObjekt","Resource":"arn:aws:s3::b%d"},' % i,
                                            '{"Effect":"Allow","Action":"*","Resource":"*"}]}')
    statement = {"Sid": "S", "Effect": "Allow", "Action": ["ec2:StartInstances"],
                 "Resource": ["arn:aws:ec2:eu-west-1:111122223333:*%05d-x" % i for i in range(9)]}
    yield "json-statements-at-limit", json.dumps(policy_of([dict(statement, Sid="S%d" % i) for i in range(999)]))
    long_value = "arn:aws:ec2:eu-west-1:111122223333:" + "i" * 32700
    yield "json-long-strings", json.dumps([policy_of([{"Effect": "Allow", "Action": "ec2:*", "Resource": long_value}])] * 500)
    yield "json-wildcard-arns", fill('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":[',
                                     lambda i: '"arn:aws:ec2:*:*:*%d",' % i, '"*"]}]}', size=400000)
    yield "json-invalid-arns", fill('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:*","Resource":[',
                                    lambda i: '"arn:aws:ec2:eu-west-1:111122223333:%s%d",' % ("q" * 500, i), '"*"]}]}',
                                    size=400000)
    yield "json-leading-wildcard-actions", json.dumps(policy_of([{"Effect": "Allow", "Action": ["*Objec%d" % (i * 100 + k) for k in range(99)],
                                                                  "Resource": "*"} for i in range(90)]))
    yield "json-conditions", json.dumps(policy_of([{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                                    "Resource": "*", "Condition": {
                                                        "StringLike": {"aws:PrincipalArn": ["a*" * 100 + "%d" % i for i in range(90)]},
                                                        "IpAddress": {"aws:SourceIp": ["10.%d.0.0/16" % i for i in range(90)]}}}
                                                   for i in range(100)]))


def tf_resource(i, policy):
    return 'resource "aws_iam_policy" "p%d" {\n  policy = %s\n}\n' % (i, policy)


# Terraform cases: (name, {file: text}) for `scan DIR`.
def tf_cases():
    yield "tf-many-policies", {"main.tf": fill("", lambda i: tf_resource(
        i, 'jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "ec2:StartInstances", Resource = "arn:aws:ec2:eu-west-1:111122223333:instance/i-%d"}]})' % i), "")}
    yield "tf-tokens", {"main.tf": fill("x = [", lambda i: "1,", "]\n")}
    yield "tf-heredoc-lines", {"main.tf": fill("locals {\n  x = <<EOT\n", lambda i: "\n", "EOT\n}\n")}
    yield "tf-heredocs-at-limit", {"main.tf": fill("", lambda i: "locals {\n  h%d = <<EOT\n%sEOT\n}\n" % (i, "x\n" * 500000), "")}
    yield "tf-interpolations", {"main.tf": fill('locals {\n  x = "', lambda i: '${"a"}', '"\n}\n' + tf_resource(
        0, 'jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::${local.x}"}]})'))}
    doubling = "".join('  a%d = "${local.a%d}${local.a%d}"\n' % (i + 1, i, i) for i in range(60))
    yield "tf-doubling-strings", {"main.tf": 'locals {\n  a0 = "x"\n%s}\n%s' % (doubling, tf_resource(
        0, 'jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::${local.a60}"}]})'))}
    nested = "[for a in local.l : [for b in local.l : [for c in local.l : \"${a}${b}${c}\"]]]"
    yield "tf-nested-for", {"main.tf": 'locals {\n  l = [%s]\n  x = flatten(%s)\n}\n%s' % (
        ",".join(str(i) for i in range(500)), nested, tf_resource(
            0, 'jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "s3:GetObject", Resource = local.x}]})'))}
    yield "tf-count", {"main.tf": ''.join('resource "aws_iam_policy" "p%d" {\n  count = 1024\n  policy = jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::b${count.index}/*"}]})\n}\n' % i for i in range(50))}
    yield "tf-many-files", {"f%04d.tf" % i: tf_resource(i, 'jsonencode({Version = "2012-10-17", Statement = [{Effect = "Allow", Action = "s3:*", Resource = "*"}]})') for i in range(4100)}
    yield "tf-local-chain", {"main.tf": "locals {\n%s}\n" % "".join("  l%d = local.l%d\n" % (i, i + 1) for i in range(100000))}


def run(binary, args, cwd):
    """Wall seconds, peak resident KiB (from GNU time) and exit status of one run."""
    report = os.path.join(cwd, ".time")
    start = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report, binary] + args, cwd=cwd,
                          stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          timeout=600)
    elapsed = time.monotonic() - start
    with open(report) as f:
        lines = f.read().split()
    peak = int(lines[-1]) if lines and lines[-1].isdigit() else None
    status = proc.returncode
    if lines and lines[0] == "Command" and "signal" in lines:
        status = -int(lines[lines.index("signal") + 1])
    return elapsed, peak, status


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--only")
    parser.add_argument("--slow", type=float, default=10.0)
    parser.add_argument("--keep")
    opts = parser.parse_args()
    binary = os.path.abspath(opts.binary)
    scratch = opts.keep or tempfile.mkdtemp(prefix="iamcross-hostile-")
    print("%-28s %10s %9s %10s %6s" % ("case", "input", "seconds", "peak KiB", "status"))
    slow = 0
    cases = [(n, {"policy.json": t}, ["check", "-i", "policy.json"]) for n, t in json_cases()]
    cases += [(n, files, ["scan", "."]) for n, files in tf_cases()]
    for name, files, args in cases:
        if opts.only and opts.only != name:
            continue
        folder = os.path.join(scratch, name)
        os.makedirs(folder, exist_ok=True)
        size = 0
        for file, text in files.items():
            with open(os.path.join(folder, file), "w") as f:
                f.write(text)
            size += len(text.encode())
        elapsed, peak, status = run(binary, args, folder)
        mark = ""
        if elapsed > opts.slow or status < 0:
            mark = "  <-- slow" if status >= 0 else "  <-- signal %d" % -status
            slow += 1
        print("%-28s %10d %9.2f %10s %6d%s" % (name, size, elapsed, peak or "-", status, mark))
        sys.stdout.flush()
        if not opts.keep:
            shutil.rmtree(folder)
    if not opts.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
