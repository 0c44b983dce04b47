// Writes src/generated/rules.ts from spec/openapi.yaml: the routes of every
// operation and the input rules the client checks before sending anything,
// so patterns and limits are never retyped by hand.
// Usage: tsx scripts/generate-rules.ts [--check]
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const specFile = fileURLToPath(new URL("../../../spec/openapi.yaml", import.meta.url));
const outFile = fileURLToPath(new URL("../src/generated/rules.ts", import.meta.url));

type Schema = {
  $ref?: string;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  maxProperties?: number;
  "x-max-json-bytes"?: number;
  default?: unknown;
};
type Parameter = { $ref?: string; name: string; in: string; schema: Schema };
type Operation = { operationId: string; parameters?: Parameter[]; "x-tag-filter"?: boolean };

const spec = parse(readFileSync(specFile, "utf8"));
const methods = ["get", "put", "post", "patch", "delete"] as const;

function deref<T>(node: T & { $ref?: string }): T {
  if (!node.$ref) return node;
  const target = node.$ref
    .replace(/^#\//, "")
    .split("/")
    .reduce((at: Record<string, unknown>, key) => at[key] as Record<string, unknown>, spec);
  if (!target) throw new Error(`unresolved $ref ${node.$ref}`);
  return deref(target as T & { $ref?: string });
}

function schemaByName(name: string): Schema {
  const schema = spec.components?.schemas?.[name] as Schema | undefined;
  if (!schema) throw new Error(`components.schemas.${name} is missing from the spec`);
  return schema;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing from the spec`);
  return value;
}

const routes: Record<string, [string, string]> = {};
const tagFilterOperations: string[] = [];
/** The camelCased query options of each operation that has any (path params, body and tags are known otherwise). */
const queryOptions: Record<string, string> = {};
const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const pathParamPatterns: Record<string, string> = {};
const queryParams = new Map<string, Schema>();

for (const [path, item] of Object.entries<Record<string, unknown>>(spec.paths)) {
  const shared = (item.parameters as Parameter[] | undefined) ?? [];
  for (const method of methods) {
    const op = item[method] as Operation | undefined;
    if (!op) continue;
    routes[op.operationId] = [method.toUpperCase(), path];
    if (op["x-tag-filter"] === true) tagFilterOperations.push(op.operationId);
    const names: string[] = [];
    for (const ref of [...shared, ...(op.parameters ?? [])]) {
      const param = deref(ref);
      const schema = deref(param.schema);
      if (param.in === "path" && schema.pattern) pathParamPatterns[param.name] = schema.pattern;
      if (param.in === "query") {
        queryParams.set(param.name, schema);
        names.push(camel(param.name));
      }
    }
    if (names.length) queryOptions[op.operationId] = names.join(" ");
  }
}

const limit = required(queryParams.get("limit"), "query parameter limit");
const offset = required(queryParams.get("offset"), "query parameter offset");
const rules = {
  patterns: {
    BucketName: required(schemaByName("BucketName").pattern, "BucketName.pattern"),
    ConsumerName: required(schemaByName("ConsumerName").pattern, "ConsumerName.pattern"),
  },
  pathParamPatterns,
  tagsMaxProperties: required(schemaByName("Tags").maxProperties, "Tags.maxProperties"),
  metadataMaxJsonBytes: required(
    schemaByName("Metadata")["x-max-json-bytes"],
    "Metadata.x-max-json-bytes",
  ),
  limit: {
    minimum: required(limit.minimum, "limit.minimum"),
    maximum: required(limit.maximum, "limit.maximum"),
    default: required(limit.default, "limit.default") as number,
  },
  offset: { minimum: required(offset.minimum, "offset.minimum") },
};

const json = (value: unknown) => JSON.stringify(value, null, 2);

// Each distinct path once, written as its longest parent path plus the rest,
// so the bundle carries no repeated path text.
const pathVars = new Map<string, string>();
const pathLines: string[] = [];
for (const path of [...new Set(Object.values(routes).map(([, path]) => path))].sort()) {
  const parent = [...pathVars.keys()]
    .filter((other) => path.startsWith(`${other}/`))
    .sort((a, b) => b.length - a.length)[0];
  const name = `path${pathVars.size}`;
  pathVars.set(path, name);
  const value = parent
    ? `\`\${${pathVars.get(parent)}}${path.slice(parent.length).replaceAll("$", "\\$")}\``
    : JSON.stringify(path);
  pathLines.push(`const ${name} = ${value};`);
}
const routeLines = Object.entries(routes).map(
  ([op, [method, path]]) => `  ${op}: [${JSON.stringify(method)}, ${pathVars.get(path)}],`,
);
const text = `/**
 * Generated from spec/openapi.yaml by scripts/generate-rules.ts.
 * Do not make direct changes to the file: run \`pnpm generate\`.
 */

${pathLines.join("\n")}

/** Method and path template of every operation, by operationId. */
export const routes = {
${routeLines.join("\n")}
} as const;

/** Operations marked \`x-tag-filter: true\`: they accept \`tag.<name>=<value>\` query filters. */
export const tagFilterOperations = ${json(tagFilterOperations)} as const;

/** The camelCased query options of each operation that takes any, space-separated. */
export const queryOptions: Partial<Record<keyof typeof routes, string>> = ${json(queryOptions)};

/** Input rules taken from the spec's schemas and parameters. */
export const rules = ${json(rules)} as const;
`;

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(outFile, "utf8");
  } catch {}
  if (current !== text) {
    console.error(
      "src/generated/rules.ts is stale: run `pnpm --filter @keysmith/client generate`.",
    );
    process.exit(1);
  }
  console.log("src/generated/rules.ts is up to date.");
} else {
  writeFileSync(outFile, text);
  console.log("wrote src/generated/rules.ts");
}
