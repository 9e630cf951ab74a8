// Time @cdktf/hcl2json on a list of .tf files, in one process: the
// reference for bench-hcl-parse (hcl_parse.c), measured the same way.
//
// Usage: node hcl2json_parse.js ROUNDS < FILE_LIST
//
// Every file is read into memory first; then all are parsed ROUNDS times,
// one after another, and the best round is printed.  hcl2json runs the Go
// HCL parser compiled to WebAssembly and returns each file as a
// JavaScript object.
"use strict";

const fs = require("fs");
const path = require("path");

let hcl2json;
try {
  hcl2json = require(path.join(__dirname, "..", "tests", "node_modules", "@cdktf", "hcl2json"));
} catch (e) {
  process.stderr.write("hcl2json_parse: @cdktf/hcl2json is not installed; run 'npm ci' in tests/ first\n");
  process.exit(3);
}

async function main() {
  const rounds = Number(process.argv[2] || 5);
  const paths = fs.readFileSync(0, "utf8").split("\n").filter((p) => p);
  const texts = paths.map((p) => fs.readFileSync(p, "utf8"));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  let best = Infinity;
  let failed = 0;
  for (let round = 0; round < rounds; round++) {
    failed = 0;
    const start = process.hrtime.bigint();
    for (let i = 0; i < paths.length; i++) {
      try {
        await hcl2json.parse(paths[i], texts[i]);
      } catch (e) {
        failed++;
      }
    }
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.min(best, elapsed);
  }
  process.stdout.write(
    `@cdktf/hcl2json parse: ${paths.length} files, ${bytes} bytes, best of ${rounds} rounds ` +
      `${best.toFixed(3)} s, ${(bytes / best / 1e6).toFixed(1)} MB/s, ` +
      `${(paths.length / best).toFixed(0)} files/s, ${failed} with syntax errors\n`
  );
}

main().catch((e) => {
  process.stderr.write("hcl2json_parse: " + e + "\n");
  process.exit(3);
});
