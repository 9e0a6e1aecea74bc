// Evaluates the rendered ValidatingAdmissionPolicy's CEL (variables in order, then every validation) against
// sample AdmissionRequests, the way the API server does, without a cluster.
// Usage: node cel.mjs RENDERED.yaml SAMPLES.json  where SAMPLES is [{"name": "...", "request": {AdmissionRequest}}]
// → prints [{"name","allowed","message"}]; exit 0 (the verdicts are the caller's to judge), 2 on bad input.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { isCelError, run } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";

// CEL maps are JS Maps; JSON objects become Maps all the way down (numbers in requests are ints: BigInt).
const toCel = (v) => Array.isArray(v) ? v.map(toCel)
  : v !== null && typeof v === "object" ? new Map(Object.entries(v).map(([k, x]) => [k, toCel(x)]))
  : typeof v === "number" && Number.isInteger(v) ? BigInt(v) : v;

const [rendered, samplesFile] = process.argv.slice(2);
if (!rendered || !samplesFile) { console.error("usage: node cel.mjs RENDERED.yaml SAMPLES.json"); process.exit(2); }
const policies = parseAllDocuments(readFileSync(rendered, "utf8")).map((d) => d.toJS())
  .filter((o) => o?.kind === "ValidatingAdmissionPolicy");
if (policies.length !== 1) { console.error(`expected one ValidatingAdmissionPolicy, found ${policies.length}`); process.exit(2); }
const spec = policies[0].spec;
const samples = JSON.parse(readFileSync(samplesFile, "utf8"));

function evaluate(expr, bindings, what) {
  const result = run(expr, bindings, { funcs: strings });
  if (isCelError(result) || result instanceof Error)
    throw new Error(`${what}: ${result.message ?? String(result)}`);
  return result;
}

const out = samples.map(({ name, request }) => {
  // Kubernetes CEL: request.subResource is "" when absent; object/oldObject null when absent.
  const req = toCel({ subResource: "", ...request });
  const variables = new Map();
  const bindings = { request: req, object: null, oldObject: null, variables };
  for (const v of spec.variables ?? []) variables.set(v.name, evaluate(v.expression, bindings, `variable ${v.name}`));
  for (const val of spec.validations ?? []) {
    const ok = evaluate(val.expression, bindings, "validation");
    if (typeof ok !== "boolean") throw new Error(`validation did not return a bool: ${val.expression}`);
    if (!ok) {
      const message = val.messageExpression ? evaluate(val.messageExpression, bindings, "messageExpression") : val.message;
      return { name, allowed: false, message: String(message), reason: val.reason ?? "Invalid" };
    }
  }
  return { name, allowed: true };
});
console.log(JSON.stringify(out, null, 1));
