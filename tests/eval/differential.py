#!/usr/bin/env python3
"""Compare `iamcross simulate --requests` with @cloud-copilot/iam-simulate.

Random requests from gen_requests.py go through both evaluators: iamcross
as a subprocess, the reference as a separate Node process (reference.js).
Every request where the two decide differently must fall into one of the
classes below.  Each class is a documented difference, and
docs/KNOWN_LIMITS.md names the AWS documentation that decides it.  Any
other difference fails the test.  A missing Node or reference package fails the test too, with the
command that installs it.

Prints TAP.  Usage:
  differential.py --binary IAMCROSS --seed N --count N [--policy-sets N] [--keep DIR] [--verbose]
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MULTIVALUED = {"aws:tagkeys", "aws:calledvia", "kms:encryptioncontextkeys"}


def policies(request):
    found = list(request.get("identityPolicies") or [])
    if request.get("resourcePolicy"):
        found.append(request["resourcePolicy"])
    return found


def statements(policy):
    st = policy.get("Statement", [])
    return st if isinstance(st, list) else [st]


def as_list(value):
    return value if isinstance(value, list) else [value]


def conditions(request):
    """Yield (operator, key, values) of every condition of every policy."""
    for policy in policies(request):
        for st in statements(policy):
            for op, keys in (st.get("Condition") or {}).items():
                for key, values in keys.items():
                    yield op, key, as_list(values)


def depends_on(ours, kind):
    return any(d.get("kind") == kind for d in ours.get("detail", {}).get("dependsOn", []))


# --- the documented differences --------------------------------------------


def not_principal_partial(request, ours, ref):
    """A Deny's NotPrincipal names the caller or its account but not both.  AWS
    may check the account before the principal, so iamcross applies the Deny
    unless both are named; the reference exempts the caller when either is."""
    names = set(caller_names(request))
    account = [n for n in names if n.endswith(":root")]
    for st in statements(request.get("resourcePolicy") or {}):
        if st.get("Effect") != "Deny" or not isinstance(st.get("NotPrincipal"), dict):
            continue
        listed = set(as_list(st["NotPrincipal"].get("AWS", [])))
        has_account = bool(listed & set(account)) or any(n.isdigit() and account and account[0].split(":")[4] == n
                                                        for n in listed)
        has_caller = bool(listed & (names - set(account)))
        if has_account != has_caller:
            return True
    return False


def map_conditions(request, change):
    """Apply change(operator, values) -> values to every condition, in place."""
    for policy in policies(request):
        for st in statements(policy):
            for op, keys in (st.get("Condition") or {}).items():
                for key in keys:
                    keys[key] = change(op, as_list(keys[key]))


def repair_cidr(request):
    def change(op, values):
        out = []
        for v in values:
            out += ["0.0.0.0/1", "128.0.0.0/1"] if v == "0.0.0.0/0" else [v]
        return out
    map_conditions(request, change)


def iso_from_epoch(text):
    import datetime
    moment = datetime.datetime.fromtimestamp(int(text), datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def repair_epoch(request):
    context = {k.lower(): v for k, v in (request.get("context") or {}).items()}

    def change(op, values):
        if not op.replace("IfExists", "").startswith("Date"):
            return values
        return [iso_from_epoch(v) if is_epoch(v) else v for v in values]
    for policy in policies(request):
        for st in statements(policy):
            for op, keys in (st.get("Condition") or {}).items():
                for key in keys:
                    if not is_epoch(context.get(key.lower())):
                        keys[key] = change(op, as_list(keys[key]))


def caller_names(request):
    """The caller's ARN, its account's root ARN and, for a session, its role's ARN."""
    principal = request["principal"]
    fields = principal.split(":")
    if len(fields) < 6:
        return [principal]
    names = [principal, "arn:aws:iam::%s:root" % fields[4]]
    if ":assumed-role/" in principal:
        names.append("arn:aws:iam::%s:role/%s" % (fields[4], fields[5].split("/")[1]))
    return names


def repair_not_principal(request):
    """Name the caller and its account in every NotPrincipal, which both read as exempt."""
    resource = request.get("resourcePolicy") or {}
    for st in statements(resource):
        if "NotPrincipal" in st and isinstance(st["NotPrincipal"], dict):
            st["NotPrincipal"]["AWS"] = as_list(st["NotPrincipal"].get("AWS", [])) + caller_names(request)


def repair_wildcard_principal(request):
    """Drop principal ARNs with wildcards, which the reference never matches."""
    for policy in policies(request):
        for st in statements(policy):
            for key in ("Principal", "NotPrincipal"):
                value = st.get(key)
                if isinstance(value, dict) and "AWS" in value:
                    kept = [n for n in as_list(value["AWS"]) if n == "*" or not ("*" in n or "?" in n)]
                    value["AWS"] = kept or ["arn:aws:iam::777788889999:root"]


def undecided_allows(ours, ref, kind):
    """iamcross is Undecided because of `kind`, and the reference's decision is
    one of those iamcross leaves possible."""
    detail = ours.get("detail", {})
    return (ours["decision"] == "Undecided" and depends_on(ours, kind)
            and ref["decision"] in detail.get("possibleDecisions", []))


def variable_without_value(request, ours, ref):
    """A policy variable whose key has no single value: AWS documents that it may
    make the statement invalid, so iamcross leaves the decision open."""
    return undecided_allows(ours, ref, "variable")


def short_arn_value(request, ours, ref):
    """An Arn* condition value with fewer than six fields, whose matching AWS does
    not document.  iamcross leaves it open; the reference treats it as no match."""
    return undecided_allows(ours, ref, "undocumented")


def cidr_zero(request, ours, ref):
    """0.0.0.0/0 or ::/0: the reference computes the prefix mask with a 32-bit
    shift, so /0 acts as /32; AWS reads CIDR blocks as RFC 4632 defines them."""
    return any(op.replace("IfExists", "") in ("IpAddress", "NotIpAddress") and
               any(v in ("0.0.0.0/0", "::/0") for v in values)
               for op, key, values in conditions(request))


def multivalued_without_set_operator(request, ours, ref):
    """A multivalued key under an operator without ForAnyValue:/ForAllValues:;
    AWS requires a set operator and does not document the result without one."""
    return undecided_allows(ours, ref, "setOperator")


def wildcard_in_principal_arn(request, ours, ref):
    """A wildcard inside a principal ARN, which AWS rejects when the policy is
    saved: iamcross reports the request as an Error, the reference matches nothing."""
    if ours["decision"] != "Error":
        return False
    for policy in policies(request):
        for st in statements(policy):
            for key in ("Principal", "NotPrincipal"):
                value = st.get(key)
                names = as_list(value.get("AWS", [])) if isinstance(value, dict) else []
                if any(n != "*" and ("*" in n or "?" in n) for n in names):
                    return True
    return False


def role_without_trust_policy(request, ours, ref):
    """An sts: request for a role of the caller's own account with no trust
    policy given.  A role is assumed only through its trust policy, so iamcross
    denies it; the reference lets the identity policy decide."""
    return (request["action"].lower().startswith("sts:") and request.get("resourcePolicy") is None
            and ":role/" in request["resource"] and ours["decision"] == "ImplicitlyDenied"
            and ours["detail"].get("crossAccount") is False)


def is_epoch(text):
    return isinstance(text, str) and text.lstrip("-").isdigit()


def epoch_against_iso(request, ours, ref):
    """A Date condition comparing an epoch time with an ISO 8601 time: AWS reads
    epoch times in seconds, the reference in milliseconds."""
    context = {k.lower(): v for k, v in (request.get("context") or {}).items()}
    for op, key, values in conditions(request):
        if not op.replace("IfExists", "").startswith("Date"):
            continue
        value = context.get(key.lower())
        if value is not None and any(is_epoch(v) != is_epoch(value) for v in values):
            return True
    return False


# (name, test, repair): a difference is in the class when the test holds.
# A class without a repair is settled by its test, which checks what
# iamcross reports as the cause.  Classes with a repair are checked by
# rerunning the request with every matching construct repaired: both
# evaluators must then agree, so those constructs alone made the difference.
CLASSES = [
    ("NotPrincipal naming the caller or its account, not both", not_principal_partial,
     repair_not_principal),
    ("policy variable without a value", variable_without_value, None),
    ("ARN condition value with fewer than six fields", short_arn_value, None),
    ("0.0.0.0/0 in an IP condition (reference /0 bug)", cidr_zero, repair_cidr),
    ("multivalued key without a set operator", multivalued_without_set_operator, None),
    ("wildcard inside a principal ARN", wildcard_in_principal_arn, repair_wildcard_principal),
    ("role of the same account without a trust policy", role_without_trust_policy, None),
    ("epoch time compared with an ISO 8601 time", epoch_against_iso, repair_epoch),
]


# --- running --------------------------------------------------------------


def check_reference():
    """Return None when the reference can run, else the reason it cannot."""
    if not shutil.which("node"):
        return "node is not installed; the differential test needs Node.js and `npm ci` in tests/"
    package = os.path.join(HERE, "..", "node_modules", "@cloud-copilot", "iam-simulate", "package.json")
    if not os.path.exists(package):
        return "@cloud-copilot/iam-simulate is not installed; run `npm ci` in tests/"
    return None


def run(cmd, stdin_path, stdout_path):
    with open(stdin_path, "rb") as fin, open(stdout_path, "wb") as fout:
        proc = subprocess.run(cmd, stdin=fin, stdout=fout, stderr=subprocess.PIPE, timeout=3600)
    return proc.returncode, proc.stderr.decode("utf-8", "replace")


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--policy-sets", type=int, default=0,
                        help="share this many sets of policies among the requests")
    parser.add_argument("--keep", help="keep the requests and both outputs in this folder")
    parser.add_argument("--verbose", action="store_true", help="print each explained difference")
    opts = parser.parse_args()

    missing = check_reference()
    if missing:
        print("not ok 1 - reference evaluator available: %s" % missing)
        print("1..1")
        return 1
    print("ok 1 - reference evaluator available")

    work = opts.keep or tempfile.mkdtemp(prefix="iamcross-differential-")
    os.makedirs(work, exist_ok=True)
    requests_path = os.path.join(work, "requests.jsonl")
    ours_path = os.path.join(work, "iamcross.jsonl")
    ref_path = os.path.join(work, "reference.jsonl")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_requests.py"), "--seed", str(opts.seed),
                    "--count", str(opts.count), "--policy-sets", str(opts.policy_sets),
                    "--out", requests_path], check=True)

    status, err = run([opts.binary, "simulate", "--requests", "-"], requests_path, ours_path)
    if status != 0:
        print("not ok 2 - iamcross simulate ran: exit status %d: %s" % (status, err.strip()))
        print("1..2")
        return 1
    status, err = run(["node", os.path.join(HERE, "reference.js"), "-"], requests_path, ref_path)
    if status != 0:
        print("not ok 2 - reference evaluator ran: exit status %d: %s" % (status, err.strip()))
        print("1..2")
        return 1

    requests = read_lines(requests_path)
    ours = read_lines(ours_path)
    refs = read_lines(ref_path)
    if not (len(requests) == len(ours) == len(refs)):
        print("not ok 2 - one decision a request: %d requests, %d from iamcross, %d from the reference"
              % (len(requests), len(ours), len(refs)))
        print("1..2")
        return 1
    print("ok 2 - both evaluators decided all %d requests" % len(requests))

    agree = 0
    explained = {name: 0 for name, _, _ in CLASSES}
    unexplained = []
    repairs = []
    for request, mine, theirs in zip(requests, ours, refs):
        if mine["decision"] == theirs["decision"]:
            agree += 1
            continue
        matching = [(name, repair) for name, test, repair in CLASSES if test(request, mine, theirs)]
        direct = [name for name, repair in matching if not repair]
        if direct:
            explained[direct[0]] += 1
        elif matching:
            repaired = json.loads(json.dumps(request))
            for _, repair in matching:
                repair(repaired)
            repairs.append((matching[0][0], request, mine, theirs, repaired))
        else:
            unexplained.append((request, mine, theirs))
        if matching and opts.verbose:
            print("# %s: %s, iamcross %s, reference %s" % (" + ".join(n for n, _ in matching), request["id"],
                                                             mine["decision"], theirs["decision"]))

    # The repaired requests must agree: the construct alone made the difference.
    if repairs:
        repair_path = os.path.join(work, "repaired.jsonl")
        with open(repair_path, "w", encoding="utf-8") as f:
            for item in repairs:
                f.write(json.dumps(item[4]) + "\n")
        run([opts.binary, "simulate", "--requests", "-"], repair_path, repair_path + ".iamcross")
        run(["node", os.path.join(HERE, "reference.js"), "-"], repair_path, repair_path + ".reference")
        fixed_ours = read_lines(repair_path + ".iamcross")
        fixed_refs = read_lines(repair_path + ".reference")
        for (name, request, mine, theirs, repaired), a, b in zip(repairs, fixed_ours, fixed_refs):
            rest = [n for n, test, repair in CLASSES if not repair and test(repaired, a, b)]
            if a["decision"] == b["decision"] or rest:
                explained[name] += 1
            else:
                unexplained.append((request, mine, theirs))

    print("# seed %d: %d requests, %d agree, %d explained, %d unexplained"
          % (opts.seed, len(requests), agree, sum(explained.values()), len(unexplained)))
    for name, count in explained.items():
        print("#   %5d  %s" % (count, name))
    if unexplained:
        print("not ok 3 - every difference is explained (%d are not)" % len(unexplained))
        for request, mine, theirs in unexplained[:5]:
            print("#   %s: iamcross %s (%s), reference %s %s" % (
                request["id"], mine["decision"], mine.get("detail", {}).get("reason"), theirs["decision"],
                theirs.get("reason", "")))
        print("#   requests and outputs: %s" % work)
        print("1..3")
        return 1
    print("ok 3 - every difference is explained")
    print("1..3")
    if not opts.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
