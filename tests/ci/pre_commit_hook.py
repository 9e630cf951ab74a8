#!/usr/bin/env python3
"""Test the pre-commit hook as a user meets it: in a git repository.

Each case builds a throwaway repository in a temporary folder with an
environments layout (namespaces/live/<namespace>/resources/*.tf), installs
the hook, stages files and runs `git commit`:

- as a plain git hook (.git/hooks/pre-commit runs scripts/pre-commit-hook);
- through pre-commit, from a copy of this source tree used as the hook
  repository, once with iamcross given and once building it from source.

The namespace `reports` is committed with an error before the hook is
installed, so a commit that passes while touching another namespace shows
that the hook scanned only the namespaces of the staged files.  iamcross
runs through a wrapper that logs its arguments, so the cases can also check
what it was asked to scan.

Usage: pre_commit_hook.py --binary PATH --source DIR
Prints TAP.  Without git or pre-commit the test fails.
"""
import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

FIXTURE = os.path.join("testdata", "repo", "fixture")
PAYMENTS = "namespaces/live/payments/resources"
REPORTS = "namespaces/live/reports/resources"

BAD_BUCKET_POLICY = """{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Principal": {"AWS": "arn:aws:iam::44445555666:role/exchange-reader"},
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::reports-exports/*"
  }]
}
"""

results = []

# git and pre-commit read no global or system configuration, so a user's
# core.hooksPath or commit signing cannot change what the cases see.
os.environ["GIT_CONFIG_GLOBAL"] = os.devnull
os.environ["GIT_CONFIG_NOSYSTEM"] = "1"


def check(name, condition, detail=""):
    results.append((name, bool(condition), detail))


def git(repo, *args, env=None):
    return subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.com",
                           "-c", "commit.gpgsign=false"] + list(args),
                          cwd=repo, env=env, capture_output=True, text=True, timeout=600)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def copy_fixture(source, state, repo, relative):
    src = os.path.join(source, FIXTURE, state, relative)
    dst = os.path.join(repo, relative)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copyfile(src, dst)


def logging_wrapper(folder, binary):
    """A stand-in for iamcross that logs each run's arguments, then runs iamcross."""
    log = os.path.join(folder, "iamcross.log")
    path = os.path.join(folder, "iamcross")
    write(path, "#!/bin/sh\nprintf '%%s\\n' \"$*\" >>%s\nexec %s \"$@\"\n"
          % (shlex.quote(log), shlex.quote(binary)))
    os.chmod(path, 0o755)
    open(log, "w").close()
    return path, log


def read_log(log):
    with open(log, encoding="utf-8") as f:
        lines = f.read().splitlines()
    open(log, "w").close()
    return lines


def new_repo(root, source):
    """A repository with the `reports` namespace (and its error) committed, hook not installed."""
    repo = os.path.join(root, "environments")
    os.makedirs(repo)
    git(repo, "init", "-q")
    copy_fixture(source, "main", repo, ".iamcross.json")
    copy_fixture(source, "main", repo, os.path.join(REPORTS, "main.tf"))
    write(os.path.join(repo, "README.md"), "# Environments\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", "reports")
    return repo


def commit(repo, message, env):
    proc = git(repo, "commit", "-q", "-m", message, env=env)
    return proc.returncode, proc.stdout + proc.stderr


def run_commit_cases(label, repo, source, env, log):
    """The cases both installations must pass; `log` is None when iamcross is not wrapped."""
    copy_fixture(source, "main", repo, os.path.join(PAYMENTS, "main.tf"))
    copy_fixture(source, "change", repo, os.path.join(PAYMENTS, "inbound.tf"))
    git(repo, "add", "namespaces")
    status, output = commit(repo, "add payments", env)
    check("%s: commit with a cross-account mistake fails" % label, status != 0, output)
    check("%s: the finding is shown at its line" % label,
          PAYMENTS + "/inbound.tf:18:43: error[invalid-account-id]" in output, output)
    check("%s: the other namespace is not reported" % label, "reports" not in output, output)
    check("%s: the hook says how to record an exception" % label, "iamcross:ignore RULE REASON" in output, output)
    if log:
        runs = read_log(log)
        check("%s: iamcross scans the staged namespace only" % label,
              runs == ["scan " + PAYMENTS], runs)

    copy_fixture(source, "fixed", repo, os.path.join(PAYMENTS, "inbound.tf"))
    git(repo, "add", "namespaces")
    status, output = commit(repo, "fix the auditor's account ID", env)
    check("%s: commit of the fix succeeds" % label, status == 0, output)
    if log:
        read_log(log)

    with open(os.path.join(repo, "README.md"), "a", encoding="utf-8") as f:
        f.write("One folder per namespace.\n")
    git(repo, "add", "README.md")
    started = time.monotonic()
    status, output = commit(repo, "describe the layout", env)
    seconds = time.monotonic() - started
    check("%s: commit of an unrelated file succeeds" % label, status == 0, output)
    check("%s: commit of an unrelated file is quick" % label, seconds < 10, "%.1f s" % seconds)
    if log:
        runs = read_log(log)
        check("%s: an unrelated file runs no iamcross" % label, runs == [], runs)

    module = os.path.join(PAYMENTS, "modules", "queue", "main.tf")
    write(os.path.join(repo, module), 'variable "name" {}\n')
    write(os.path.join(repo, PAYMENTS, "queue.tf"), 'module "queue" {\n  source = "./modules/queue"\n  name   = "events"\n}\n')
    git(repo, "add", "namespaces")
    status, output = commit(repo, "add a local module", env)
    check("%s: commit of a local module succeeds" % label, status == 0, output)
    if log:
        runs = read_log(log)
        check("%s: a module's file scans its namespace" % label, runs == ["scan " + PAYMENTS], runs)

    write(os.path.join(repo, "policies", "exports-bucket.json"), BAD_BUCKET_POLICY)
    write(os.path.join(repo, "package.json"), '{"name": "environments", "private": true}\n')
    git(repo, "add", "policies", "package.json")
    status, output = commit(repo, "add a bucket policy", env)
    check("%s: commit of a JSON policy with a mistake fails" % label, status != 0, output)
    check("%s: the JSON policy's finding is shown" % label,
          "policies/exports-bucket.json:5:40: error[invalid-account-id]" in output, output)
    if log:
        runs = read_log(log)
        check("%s: a JSON policy is checked as a resource policy" % label,
              runs == ["check -r policies/exports-bucket.json"], runs)
    git(repo, "reset", "-q")


def test_git_hook(root, source, binary):
    repo = new_repo(root, source)
    wrapper, log = logging_wrapper(root, binary)
    hook = os.path.join(repo, ".git", "hooks", "pre-commit")
    write(hook, "#!/bin/sh\nexec %s\n" % shlex.quote(os.path.join(source, "scripts", "pre-commit-hook")))
    os.chmod(hook, 0o755)
    env = dict(os.environ, IAMCROSS=wrapper)
    run_commit_cases("git hook", repo, source, env, log)


def hook_repository(root, source):
    """A git repository holding this source tree, as pre-commit clones it; returns it and its commit."""
    hooks = os.path.join(root, "iamcross-hooks")

    def ignore(folder, names):
        skip = {"node_modules", ".git", "__pycache__"}
        if os.path.samefile(folder, source):
            skip |= {n for n in names if n.startswith("build")}
        return [n for n in names if n in skip]

    shutil.copytree(source, hooks, symlinks=True, ignore=ignore)
    git(hooks, "init", "-q")
    git(hooks, "add", "-A")
    git(hooks, "commit", "-q", "--no-verify", "-m", "hooks")
    rev = git(hooks, "rev-parse", "HEAD").stdout.strip()
    return hooks, rev


def install_pre_commit(repo, hooks, rev, env):
    write(os.path.join(repo, ".pre-commit-config.yaml"),
          "repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: iamcross\n" % (hooks, rev))
    git(repo, "add", ".pre-commit-config.yaml")
    git(repo, "commit", "-q", "--no-verify", "-m", "pre-commit")
    return subprocess.run(["pre-commit", "install"], cwd=repo, env=env, capture_output=True, text=True,
                          timeout=120)


def path_without_iamcross():
    folders = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(f for f in folders if not os.path.exists(os.path.join(f, "iamcross")))


def test_pre_commit(root, source, binary):
    hooks, rev = hook_repository(root, source)
    repo = new_repo(root, source)
    wrapper, log = logging_wrapper(root, binary)
    env = dict(os.environ, IAMCROSS=wrapper, PRE_COMMIT_HOME=os.path.join(root, "cache"))
    proc = install_pre_commit(repo, hooks, rev, env)
    check("pre-commit: install succeeds", proc.returncode == 0, proc.stdout + proc.stderr)
    run_commit_cases("pre-commit", repo, source, env, log)


def test_pre_commit_build(root, source):
    """Without iamcross anywhere, the hook builds it from its repository and then works."""
    hooks, rev = hook_repository(root, source)
    repo = new_repo(root, source)
    env = dict(os.environ, PRE_COMMIT_HOME=os.path.join(root, "cache"), PATH=path_without_iamcross())
    env.pop("IAMCROSS", None)
    proc = install_pre_commit(repo, hooks, rev, env)
    check("pre-commit build: install succeeds", proc.returncode == 0, proc.stdout + proc.stderr)
    copy_fixture(source, "main", repo, os.path.join(PAYMENTS, "main.tf"))
    copy_fixture(source, "change", repo, os.path.join(PAYMENTS, "inbound.tf"))
    git(repo, "add", "namespaces")
    status, output = commit(repo, "add payments", env)
    check("pre-commit build: the hook builds iamcross", "building iamcross" in output, output[-2000:])
    check("pre-commit build: the commit fails with the finding",
          status != 0 and PAYMENTS + "/inbound.tf:18:43: error[invalid-account-id]" in output, output[-2000:])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--source", required=True)
    opts = parser.parse_args()
    binary = os.path.abspath(opts.binary)
    source = os.path.abspath(opts.source)

    tests = [lambda root: test_git_hook(root, source, binary)]
    names = ["test_git_hook"]
    missing = [tool for tool in ("git", "pre-commit") if not shutil.which(tool)]
    if "git" in missing:
        check("git is available", False, "install git")
        tests = []
    if "pre-commit" in missing:
        check("pre-commit is available", False, "install Debian's package pre-commit (scripts/setup)")
    elif tests:
        tests += [lambda root: test_pre_commit(root, source, binary), lambda root: test_pre_commit_build(root, source)]
        names += ["test_pre_commit", "test_pre_commit_build"]
    for name, test in zip(names, tests):
        with tempfile.TemporaryDirectory(prefix="iamcross-hook-") as root:
            try:
                test(root)
            except (OSError, subprocess.SubprocessError) as e:
                check(name, False, str(e))

    failed = 0
    for i, (name, ok, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok:
            failed += 1
            for line in str(detail).splitlines()[-15:]:
                print("#   %s" % line)
    print("1..%d" % len(results))
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
