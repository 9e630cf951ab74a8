// Parse .tf files with @cdktf/hcl2json, the reference parser of the
// differential test, and print one JSON line per file:
// {"file": ..., "ok": true, "body": ...} or {"file": ..., "ok": false, "error": ...}.
// File paths come one per line on standard input, so a run can be long
// without hitting the command-line length limit.
"use strict";

const fs = require("fs");
const path = require("path");
const readline = require("readline");

let hcl2json;
try {
  hcl2json = require(path.join(__dirname, "..", "node_modules", "@cdktf", "hcl2json"));
} catch (e) {
  process.stderr.write(
    "hcl2json-batch: @cdktf/hcl2json is not installed; run 'npm ci' in tests/ first\n"
  );
  process.exit(3);
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin });
  for await (const file of lines) {
    if (!file) continue;
    let record;
    try {
      const body = await hcl2json.parse(file, fs.readFileSync(file, "utf8"));
      record = { file, ok: true, body };
    } catch (e) {
      record = { file, ok: false, error: String(e.message || e) };
    }
    process.stdout.write(JSON.stringify(record) + "\n");
  }
}

// No process.exit() on success: writes to a pipe are asynchronous, and
// exiting at once can cut off the last lines, which the test then reads
// as broken JSON.  The process ends when they are written.
main().then(
  () => {},
  (e) => {
    process.stderr.write("hcl2json-batch: " + e + "\n");
    process.exitCode = 3;
  }
);
