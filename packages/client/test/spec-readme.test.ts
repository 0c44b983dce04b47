// spec/README.md stays true: every operation of the spec is in its table (and
// nothing else is), it states no counts that could go stale, and it links only
// to public addresses or files inside the repository.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { routes } from "../src/generated/rules.js";

const readme = readFileSync(new URL("../../../spec/README.md", import.meta.url), "utf8");
const table = readme.slice(readme.indexOf("## Operation ids"));

describe("spec/README.md", () => {
  it("lists every operationId of the spec, and no other", () => {
    const listed = [...table.matchAll(/`([a-z][A-Za-z]+)`/g)].map((m) => m[1]);
    expect([...listed].sort()).toEqual(Object.keys(routes).sort());
  });

  it("states no count of operations or differences", () => {
    expect(readme).not.toMatch(/\b\d+\s+(key-service\s+)?(operations|differences)\b/i);
  });

  it("cites sources by public address, never by a path outside the repository", () => {
    expect(readme).not.toMatch(/\]\(\.\.\/\.\.\/|\.\.\/shared|`\.\.\//);
    expect(readme).toContain("https://zuplo.com/docs/articles/api-key-api");
    expect(readme).toContain("openapi/_original/zuplo-openapi.yml");
  });
});
