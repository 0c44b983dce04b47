// The organization part of `pnpm demo` tells the truth: what it prints is what happened.
import { expect, it } from "vitest";
import { runOrgDemo } from "../scripts/demo-org.js";

it("two members share one consumer and key; the one who left no longer sees it", async () => {
  const lines: string[] = [];
  await runOrgDemo((line) => lines.push(line));
  const steps = lines.filter((l) => l.includes("Zuplo request"));
  expect(steps).toHaveLength(4);
  expect(steps[1]).toMatch(/1 consumer auth0-org-\S+, 1 key, seen by ada@\S+ \+ grace@\S+$/);
  expect(steps[2]).toMatch(/both sign in again\s+0 Zuplo request/);
  expect(steps[3]).toMatch(/1 key, seen by ada@acme.example$/);
});
