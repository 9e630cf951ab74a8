// Print stdin formatted by hclwrite, the formatter behind `terraform fmt`,
// through @cdktf/hcl-tools.
const { format } = require("@cdktf/hcl-tools");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  format(input).then(
    (out) => process.stdout.write(out),
    (err) => {
      process.stderr.write(String(err) + "\n");
      process.exit(1);
    }
  );
});
