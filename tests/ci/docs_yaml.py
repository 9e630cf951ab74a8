#!/usr/bin/env python3
"""Check that the YAML users copy from the docs is valid YAML.

Parses every ```yaml block of docs/ci.md and the repository's
.pre-commit-hooks.yaml with PyYAML (Debian's python3-yaml), and checks that
the workflows do what docs/ci.md describes: scan with --changed-since against
the base branch, write SARIF and upload it with
github/codeql-action/upload-sarif, or annotate with --format github.
Without PyYAML the test fails.

Usage: docs_yaml.py --source DIR
Prints TAP.
"""
import argparse
import os
import re
import sys

results = []


def check(name, condition, detail=""):
    results.append((name, bool(condition), detail))


def yaml_blocks(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return re.findall(r"^```yaml\n(.*?)^```", text, re.S | re.M)


def steps(workflow):
    for job in (workflow.get("jobs") or {}).values():
        for step in job.get("steps") or []:
            yield step


def check_workflows(docs, yaml):
    workflows = []
    for i, block in enumerate(yaml_blocks(docs), 1):
        try:
            document = yaml.safe_load(block)
        except yaml.YAMLError as e:
            check("docs/ci.md block %d is valid YAML" % i, False, str(e).replace("\n", " "))
            continue
        check("docs/ci.md block %d is valid YAML" % i, True)
        if isinstance(document, dict) and "jobs" in document:
            workflows.append(document)
    check("docs/ci.md has two workflows", len(workflows) == 2, len(workflows))

    for workflow in workflows:
        name = workflow.get("name", "?")
        # YAML 1.1, which PyYAML reads, takes the key `on` for true.
        trigger = workflow.get("on", workflow.get(True)) or {}
        check("%s: runs on pull requests" % name, "pull_request" in trigger, trigger)
        runs = [step.get("run", "") for step in steps(workflow)]
        scans = [run for run in runs if "iamcross scan" in run]
        check("%s: scans with --changed-since the base branch" % name,
              any('--changed-since "origin/${{ github.base_ref }}"' in run for run in scans), scans)
        check("%s: builds iamcross with meson" % name, any("meson setup" in run for run in runs), runs)
        pinned = [step["with"].get("ref") for step in steps(workflow)
                  if step.get("with", {}).get("repository", "").endswith("/iamcross")]
        check("%s: builds from a pinned tag" % name, pinned == ["${{ env.IAMCROSS_VERSION }}"]
              and re.match(r"^v\d+\.\d+\.\d+$", workflow.get("env", {}).get("IAMCROSS_VERSION", "")), pinned)
        for job in workflow["jobs"].values():
            check("%s: runs on Ubuntu" % name, str(job.get("runs-on", "")).startswith("ubuntu-"), job.get("runs-on"))

    sarif = [w for w in workflows if any("--format sarif > iamcross.sarif" in s.get("run", "") for s in steps(w))]
    check("a workflow writes SARIF", len(sarif) == 1)
    for workflow in sarif:
        uploads = [s for s in steps(workflow) if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
        check("the SARIF workflow uploads iamcross.sarif",
              len(uploads) == 1 and uploads[0].get("with", {}).get("sarif_file") == "iamcross.sarif", uploads)
        check("the upload runs when the scan fails", uploads and "failure()" in uploads[0].get("if", ""), uploads)
        permissions = workflow["jobs"]["code-scanning"].get("permissions", {})
        check("the SARIF job may write security events", permissions.get("security-events") == "write", permissions)
    check("a workflow annotates with --format github",
          any("--format github" in s.get("run", "") for w in workflows for s in steps(w)))


def check_hooks_manifest(path, yaml):
    try:
        with open(path, encoding="utf-8") as f:
            hooks = yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        check(".pre-commit-hooks.yaml is valid YAML", False, e)
        return
    check(".pre-commit-hooks.yaml is valid YAML", True)
    ids = {hook.get("id"): hook for hook in hooks or []}
    hook = ids.get("iamcross", {})
    check(".pre-commit-hooks.yaml offers the hook iamcross", hook, ids)
    check("the hook's entry is scripts/pre-commit-hook", hook.get("entry") == "scripts/pre-commit-hook", hook)
    files = re.compile(hook.get("files", "^$"))
    check("the hook takes .tf and .json files",
          files.search("ns/resources/main.tf") and files.search("policies/bucket.json"), hook.get("files"))
    check("the hook skips other files", not files.search("README.md"), hook.get("files"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", required=True)
    opts = parser.parse_args()
    try:
        import yaml
    except ImportError:
        print("not ok 1 - python3-yaml is not installed (apt-get install python3-yaml)")
        print("1..1")
        return 1
    check_workflows(os.path.join(opts.source, "docs", "ci.md"), yaml)
    check_hooks_manifest(os.path.join(opts.source, ".pre-commit-hooks.yaml"), yaml)

    failed = 0
    for i, (name, ok, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok:
            failed += 1
            print("#   %s" % (detail,))
    print("1..%d" % len(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
