import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { DEFAULT_SPEC } from "../src/prism.js";

/** Every operationId of the spec, read from the file itself. */
export function specOperationIds(): string[] {
  const doc = parse(readFileSync(DEFAULT_SPEC, "utf8")) as {
    paths: Record<string, Record<string, { operationId?: string }>>;
  };
  const ids: string[] = [];
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      if (op && typeof op === "object" && "operationId" in op && op.operationId) {
        ids.push(op.operationId);
      }
    }
  }
  return ids;
}
