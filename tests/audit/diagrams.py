#!/usr/bin/env python3
"""Check the diagrams `iamcross audit` draws for every case of a golden suite.

For each case that exits 0, the case's command runs again twice, with
--format dot and with --format markdown instead of its own format:

- dot: the DOT text goes through Graphviz (`dot -Tsvg`), which must exit 0
  and print nothing on stderr, so an error and a warning both fail;
- mermaid: every ```mermaid block of the Markdown must be well formed as
  far as can be checked without a browser: one `flowchart` header, every
  `subgraph` closed by an `end`, node and subgraph ids that are valid and
  declared once, labels without a raw double quote, every edge between
  declared nodes, linkStyle indexes that name an edge, and classes that
  are defined.

Usage: diagrams.py --binary PATH SUITE_DIR
Prints TAP.
"""
import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys

ID = r"[A-Za-z_][A-Za-z0-9_]*"
LABEL = r'"(?:[^"]*)"'
SUBGRAPH = re.compile(rf"^\s*subgraph ({ID})\[({LABEL})\]$")
NODE = re.compile(rf"^\s*({ID})\[({LABEL})\](?::::({ID}))?$")
EDGE = re.compile(rf"^\s*({ID}) (-->|==>|-\.->|--x)\|({LABEL})\| ({ID})$")
LINK_STYLE = re.compile(r"^\s*linkStyle (\d+) [a-z-]+:[^ ]+$")
CLASS_DEF = re.compile(rf"^\s*classDef ({ID}) \S.*$")
ENTITY = re.compile(r"#([a-z]+|[0-9]+);")
RESERVED = {"end", "subgraph", "graph", "flowchart", "style", "class", "classDef", "click", "linkStyle"}


def cases(suite):
    for name in sorted(os.listdir(suite)):
        case = os.path.join(suite, name)
        cmd = os.path.join(case, "cmd")
        if not os.path.isfile(cmd):
            continue
        status = os.path.join(case, "expected.status")
        if os.path.exists(status) and open(status).read().strip() != "0":
            continue
        yield case, shlex.split(open(cmd).read())


def with_format(args, fmt):
    out = []
    skip = False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg == "--format":
            skip = True
            continue
        if arg.startswith("--format="):
            continue
        out.append(arg)
    return out + ["--format", fmt]


def run(binary, case, args):
    """Run iamcross in the case folder, under the wrapper a test setup sets (valgrind)."""
    wrapper = shlex.split(os.environ.get("IAMCROSS_TEST_WRAPPER", ""))
    return subprocess.run(wrapper + [binary] + args, cwd=case, capture_output=True, text=True)


def check_label(label, problems, where):
    text = label[1:-1]
    for match in re.finditer(r"#", text):
        if not ENTITY.match(text, match.start()):
            problems.append(f"{where}: '#' that starts no entity code in {label}")


def check_mermaid(block):
    """Return the problems found in one flowchart's text."""
    problems = []
    lines = [line for line in block.split("\n") if line.strip() and not line.strip().startswith("%%")]
    if not lines or not re.match(r"^flowchart (LR|TD|TB|RL|BT)$", lines[0]):
        return ["the block does not start with a flowchart header"]
    depth = 0
    nodes = set()
    subgraphs = set()
    edges = []
    styles = []
    used_classes = set()
    classes = set()
    for number, line in enumerate(lines[1:], start=2):
        where = f"line {number}"
        if line.strip() == "end":
            depth -= 1
            if depth < 0:
                problems.append(f"{where}: 'end' without a subgraph")
            continue
        match = SUBGRAPH.match(line)
        if match:
            if match.group(1) in subgraphs or match.group(1) in nodes or match.group(1) in RESERVED:
                problems.append(f"{where}: subgraph id {match.group(1)} is reused or reserved")
            subgraphs.add(match.group(1))
            check_label(match.group(2), problems, where)
            depth += 1
            continue
        match = NODE.match(line)
        if match:
            if match.group(1) in nodes or match.group(1) in subgraphs or match.group(1) in RESERVED:
                problems.append(f"{where}: node id {match.group(1)} is reused or reserved")
            nodes.add(match.group(1))
            check_label(match.group(2), problems, where)
            if match.group(3):
                used_classes.add(match.group(3))
            continue
        match = EDGE.match(line)
        if match:
            edges.append((match.group(1), match.group(4), where))
            check_label(match.group(3), problems, where)
            continue
        match = LINK_STYLE.match(line)
        if match:
            styles.append((int(match.group(1)), where))
            continue
        match = CLASS_DEF.match(line)
        if match:
            classes.add(match.group(1))
            continue
        problems.append(f"{where}: not a statement this check knows: {line.strip()}")
    if depth != 0:
        problems.append(f"{depth} subgraph(s) not closed")
    for start, end, where in edges:
        for node in (start, end):
            if node not in nodes:
                problems.append(f"{where}: edge end {node} is not a declared node")
    for index, where in styles:
        if index >= len(edges):
            problems.append(f"{where}: linkStyle {index} names no edge ({len(edges)} edges)")
    for name in sorted(used_classes - classes):
        problems.append(f"class {name} is used but not defined")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("suite")
    options = parser.parse_args()
    binary = os.path.abspath(options.binary)
    graphviz = shutil.which("dot")
    number = 0
    failed = 0
    for case, args in cases(options.suite):
        name = os.path.relpath(case, options.suite)

        number += 1
        dot = run(binary, case, with_format(args, "dot"))
        problems = []
        if dot.returncode != 0:
            problems.append(f"iamcross exited {dot.returncode}: {dot.stderr.strip()}")
        elif not graphviz:
            problems.append("Graphviz's dot is not installed; scripts/setup installs it")
        else:
            svg = subprocess.run([graphviz, "-Tsvg"], input=dot.stdout, capture_output=True, text=True)
            if svg.returncode != 0 or svg.stderr.strip():
                problems.append(f"dot -Tsvg exited {svg.returncode}: {svg.stderr.strip()}")
        print(("ok" if not problems else "not ok") + f" {number} - {name} dot")
        for problem in problems:
            print(f"# {problem}")
        failed += bool(problems)

        number += 1
        markdown = run(binary, case, with_format(args, "markdown"))
        blocks = re.findall(r"```mermaid\n(.*?)```", markdown.stdout, re.S)
        problems = []
        if markdown.returncode != 0:
            problems.append(f"iamcross exited {markdown.returncode}: {markdown.stderr.strip()}")
        for block in blocks:
            problems += check_mermaid(block)
        print(("ok" if not problems else "not ok") + f" {number} - {name} mermaid ({len(blocks)} blocks)")
        for problem in problems:
            print(f"# {problem}")
        failed += bool(problems)
    print(f"1..{number}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
