// Schema validation of every object `helm template` rendered, against the Kubernetes API's own schemas
// (kubernetes-models: core types; @kubernetes-models/*: Gateway API, External Secrets, prometheus-operator).
// Usage: node validate.mjs RENDERED.yaml   → prints {"objects":N,"errors":[...]} and exits 1 on any error.
// An object whose apiVersion/kind has no model is an error too: nothing reaches a cluster unchecked.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

const packages = {
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
  "external-secrets.io": "@kubernetes-models/external-secrets",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const pkg = packages[group] ?? "kubernetes-models";
  const path = group === "" ? `${pkg}/${version}/${kind}` : `${pkg}/${group}/${version}/${kind}`;
  try {
    const mod = await import(path);
    return mod[kind] ?? mod.default;
  } catch {
    return undefined;
  }
}

const file = process.argv[2];
if (!file) { console.error("usage: node validate.mjs RENDERED.yaml"); process.exit(2); }
const docs = parseAllDocuments(readFileSync(file, "utf8"));
const errors = [];
let objects = 0;
for (const doc of docs) {
  if (doc.errors.length) { errors.push(`YAML: ${doc.errors[0].message}`); continue; }
  const obj = doc.toJS();
  if (obj == null) continue;
  objects++;
  const id = `${obj.kind ?? "?"}/${obj.metadata?.name ?? "?"}`;
  if (!obj.apiVersion || !obj.kind) { errors.push(`${id}: apiVersion and kind are required`); continue; }
  const Model = await modelFor(obj.apiVersion, obj.kind);
  if (!Model) { errors.push(`${id}: no schema for ${obj.apiVersion} ${obj.kind}`); continue; }
  try {
    new Model(obj).validate();
  } catch (e) {
    errors.push(`${id} (${obj.apiVersion}): ${e.message}`);
  }
}
console.log(JSON.stringify({ objects, errors }));
process.exit(errors.length ? 1 : 0);
