// Reads the very document Prism serves, so operations, error statuses and
// Problem examples come from the spec itself and are never retyped here.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { DEFAULT_SPEC } from "../../src/index.js";

type Node = Record<string, unknown>;

export interface SpecResponse {
  status: number;
  /** The first content example (a Problem body for errors), when there is one. */
  example?: Node;
  /** Example value of each declared response header. */
  headers: Record<string, unknown>;
}

export interface SpecOperation {
  operationId: string;
  method: string;
  path: string;
  /** The lowest 2xx: the one Prism answers by default. */
  success: number;
  /** Every declared status >= 400, ascending. */
  errors: SpecResponse[];
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export function loadSpec(file = DEFAULT_SPEC): Node {
  return parse(readFileSync(file, "utf8")) as Node;
}

/** Follows local `$ref`s (`#/components/...`) until a plain node. */
function resolve(doc: Node, node: unknown): Node {
  let current = node as Node;
  for (let hops = 0; typeof current?.$ref === "string"; hops++) {
    if (hops > 20) throw new Error(`$ref loop at ${current.$ref}`);
    const pointer = (current.$ref as string).replace(/^#\//, "").split("/");
    current = pointer.reduce<Node>((at, key) => at?.[key.replace(/~1/g, "/")] as Node, doc);
    if (!current) throw new Error(`unresolved $ref ${pointer.join("/")}`);
  }
  return current;
}

function responseOf(doc: Node, status: number, raw: unknown): SpecResponse {
  const response = resolve(doc, raw);
  const content = Object.values((response.content ?? {}) as Record<string, Node>)[0];
  const headers: Record<string, unknown> = {};
  for (const [name, header] of Object.entries((response.headers ?? {}) as Node)) {
    headers[name.toLowerCase()] = resolve(doc, header).example;
  }
  return { status, example: content?.example as Node | undefined, headers };
}

export function specOperations(doc: Node = loadSpec()): SpecOperation[] {
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Node>)) {
    for (const method of METHODS) {
      const op = item[method] as Node | undefined;
      if (!op) continue;
      const statuses = Object.keys(op.responses as Node)
        .map(Number)
        .sort((a, b) => a - b);
      const success = statuses.find((s) => s >= 200 && s < 300);
      if (success === undefined) throw new Error(`${op.operationId} declares no 2xx`);
      operations.push({
        operationId: op.operationId as string,
        method: method.toUpperCase(),
        path,
        success,
        errors: statuses
          .filter((s) => s >= 400)
          .map((s) => responseOf(doc, s, (op.responses as Node)[String(s)])),
      });
    }
  }
  return operations;
}

/** `pattern` of a named schema, e.g. `schemaPattern("ConsumerName")`. */
export function schemaPattern(name: string, doc: Node = loadSpec()): RegExp {
  const schema = ((doc.components as Node).schemas as Node)[name] as Node | undefined;
  if (typeof schema?.pattern !== "string") throw new Error(`schema ${name} has no pattern`);
  return new RegExp(schema.pattern);
}

/** Matches a request path against a spec path template (`{param}` = one segment). */
export function pathMatcher(template: string): RegExp {
  const literal = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
  return new RegExp(
    `^${template
      .split(/\{\w+\}/)
      .map(literal)
      .join("[^/]+")}$`,
  );
}
