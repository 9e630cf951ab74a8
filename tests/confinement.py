#!/usr/bin/env python3
"""Check that iamcross opens no network connection and starts no program.

Two checks, both of which must pass:
1. The dynamic symbols the binary imports include no networking call
   (socket, connect, getaddrinfo, ...) and no call that starts a program
   (fork, exec*, system, popen, ...), except posix_spawnp, which only
   `scan --changed-since` uses to run `git diff` (see docs/security.md).
2. Every golden case's command, run under strace, makes no network system
   call and no process-creating system call other than its own execve and
   the threads scan works with.  Cases whose command uses --changed-since
   may start git and nothing else, and git only as `git diff` or `git show`.

Usage: confinement.py --binary PATH SUITE_DIR...
Prints TAP.  Without nm or strace the test fails.
"""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import golden  # noqa: E402

NETWORK_SYMBOLS = {
    "socket", "connect", "bind", "listen", "accept", "accept4", "sendto", "sendmsg", "recvfrom",
    "recvmsg", "getaddrinfo", "gethostbyname", "gethostbyname_r", "getnameinfo", "socketpair",
}
PROCESS_SYMBOLS = {
    "fork", "vfork", "clone", "execv", "execve", "execvp", "execvpe", "execl", "execlp", "execle",
    "fexecve", "system", "popen", "posix_spawn", "posix_spawnp", "dlopen",
}
ALLOWED_PROCESS_SYMBOLS = {"posix_spawnp"}
NETWORK_CALLS = re.compile(r"\b(socket|connect|bind|listen|accept4?|sendto|sendmsg|recvfrom|recvmsg)\(")
PROCESS_CALLS = re.compile(r"\b(execve|execveat|fork|vfork|clone|clone3)\(")
# The two git commands of --changed-since (src/cli/changes.c); posix_spawnp
# starts them with a clone that shares memory until the execve.
GIT_COMMAND = re.compile(r'\bexecve\("[^"]*/git", \["git", "(diff|show)"')
SPAWN_CLONE = re.compile(r"\bclone3?\(.*CLONE_VFORK")


def imported_symbols(binary):
    out = subprocess.run(["nm", "-D", "--undefined-only", binary], capture_output=True, text=True,
                         check=True).stdout
    return {line.split()[-1].split("@")[0] for line in out.splitlines() if line.strip()}


def traced_calls(binary, workdir, args):
    with tempfile.NamedTemporaryFile(prefix="iamcross-strace-", delete=False) as log:
        path = log.name
    try:
        subprocess.run(["strace", "-f", "-qq", "-e", "trace=%network,%process", "-o", path, binary]
                       + args, cwd=workdir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120)
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().splitlines()
    finally:
        os.unlink(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("suites", nargs="+")
    opts = parser.parse_args()
    binary = os.path.abspath(opts.binary)
    n = 0
    failed = 0

    def report(ok, name, detail=""):
        nonlocal n, failed
        n += 1
        print("%s %d - %s" % ("ok" if ok else "not ok", n, name))
        if not ok:
            failed += 1
            print("#   " + detail)

    for tool in ("nm", "strace"):
        if not shutil.which(tool):
            report(False, "%s is available" % tool, "install it (Debian packages binutils, strace)")
            print("1..%d" % n)
            return 1

    symbols = imported_symbols(binary)
    bad = sorted(symbols & NETWORK_SYMBOLS)
    report(not bad, "imports no networking call", "imports: " + ", ".join(bad))
    bad = sorted((symbols & PROCESS_SYMBOLS) - ALLOWED_PROCESS_SYMBOLS)
    report(not bad, "imports no call that starts a program", "imports: " + ", ".join(bad))

    for suite in opts.suites:
        for case in golden.find_cases(suite):
            with open(os.path.join(case, "cmd"), encoding="utf-8") as f:
                args = shlex.split(f.read().strip())
            workdir, scratch = golden.prepare(case)
            try:
                lines = traced_calls(binary, workdir, args)
            finally:
                if scratch:
                    shutil.rmtree(scratch, ignore_errors=True)
            network = [l for l in lines if NETWORK_CALLS.search(l)]
            process = [l for l in lines if PROCESS_CALLS.search(l)]
            # The first execve is the run itself; threads of scan are no programs,
            # nor is the tracer LeakSanitizer clones at exit in a sanitizer build.
            process = process[1:] if process and "execve(" in process[0] else process
            process = [l for l in process if "CLONE_THREAD" not in l and "CLONE_UNTRACED" not in l]
            if "--changed-since" in args:
                process = [l for l in process if not GIT_COMMAND.search(l) and not SPAWN_CLONE.search(l)]
            name = os.path.relpath(case)
            report(not network and not process, name,
                   "system calls: " + "; ".join((network + process)[:3]))
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
