// The query parameters each operation of the spec accepts, so the fake refuses the ones a
// client made up (or that a newer spec added and the fake does not know yet).
import { readFileSync } from "node:fs";
import { tagFilterOperations } from "@keysmith/client";
import { parse } from "yaml";
import { DEFAULT_SPEC } from "../prism.js";
import { badRequest } from "./problem.js";
import type { OperationId } from "./spec-types.js";

type Node = Record<string, unknown>;
const METHODS = ["get", "put", "post", "patch", "delete"];

// The generated code has no runtime list of parameter names yet, so read them from the spec
// (once, at first use).
function readQueryNames(file: string): Map<string, Set<string>> {
  const spec = parse(readFileSync(file, "utf8")) as { paths: Record<string, Node> };
  const deref = (node: Node): Node => {
    const ref = node.$ref;
    if (typeof ref !== "string") return node;
    const target = ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<Node | undefined>((at, key) => at?.[key] as Node | undefined, spec as Node);
    if (!target) throw new Error(`${file}: unresolved $ref ${ref}`);
    return deref(target);
  };
  const out = new Map<string, Set<string>>();
  for (const item of Object.values(spec.paths)) {
    const shared = (item.parameters as Node[] | undefined) ?? [];
    for (const method of METHODS) {
      const op = item[method] as (Node & { operationId: string }) | undefined;
      if (!op) continue;
      const params = [...shared, ...((op.parameters as Node[] | undefined) ?? [])].map(deref);
      out.set(
        op.operationId,
        new Set(params.filter((p) => p.in === "query").map((p) => String(p.name))),
      );
    }
  }
  return out;
}

let names: Map<string, Set<string>> | undefined;
const taggable = new Set<string>(tagFilterOperations);

/** The query parameter names an operation accepts, from the spec (`tag.<name>` aside). */
export function queryNames(operation: OperationId): ReadonlySet<string> {
  names ??= readQueryNames(DEFAULT_SPEC);
  return names.get(operation) ?? new Set();
}

/** 400 for the first query parameter the operation does not declare. */
export function checkQueryNames(operation: OperationId, query: URLSearchParams): void {
  const known = queryNames(operation);
  for (const name of new Set(query.keys())) {
    if (known.has(name)) continue;
    if (name.startsWith("tag.")) {
      if (taggable.has(operation)) continue;
      throw badRequest(`${name}: ${operation} takes no tag.<name> filter`);
    }
    const allowed = [...known, ...(taggable.has(operation) ? ["tag.<name>"] : [])];
    throw badRequest(
      `${name} is not a query parameter of ${operation} (${allowed.length > 0 ? `allowed: ${allowed.join(", ")}` : "it takes none"})`,
    );
  }
}
