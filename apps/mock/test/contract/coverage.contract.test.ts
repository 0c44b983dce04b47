// Every operationId of the spec has a contract, and every contract names an
// operation of the spec. No Prism needed: this only reads the document.
import { describe, expect, it } from "vitest";
import { contracts } from "./contracts.js";
import { loadSpec, specOperations } from "./spec.js";

function uncovered(operationIds: string[], covered: string[]) {
  return {
    missing: operationIds.filter((id) => !covered.includes(id)).sort(),
    unknown: covered.filter((id) => !operationIds.includes(id)).sort(),
  };
}

describe("contract coverage", () => {
  const spec = loadSpec();
  const operationIds = specOperations(spec).map((op) => op.operationId);

  it("the spec's operationIds are unique", () => {
    expect(operationIds.length).toBeGreaterThan(0);
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it("every operation of the spec has a contract, and no contract is stale", () => {
    expect(
      uncovered(operationIds, Object.keys(contracts)),
      "missing: add an entry for each to apps/mock/test/contract/contracts.ts (a call through the client's method and a check of its result); unknown: remove it",
    ).toEqual({ missing: [], unknown: [] });
  });

  // The check above must be able to fail: an operation added to the spec is reported.
  it("reports an operation added to the spec", () => {
    const grown = structuredClone(spec) as { paths: Record<string, unknown> };
    grown.paths["/v1/extra"] = { get: { operationId: "extraOp", responses: { "200": {} } } };
    const ids = specOperations(grown).map((op) => op.operationId);
    expect(uncovered(ids, Object.keys(contracts)).missing).toContain("extraOp");
  });

  it("reports a contract removed from the table", () => {
    const [first, ...rest] = Object.keys(contracts);
    expect(uncovered(operationIds, rest).missing).toContain(first);
  });
});
