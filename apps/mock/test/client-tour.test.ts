// @keysmith/client's runnable README example (examples/tour.ts) runs as a user would
// run it, against Prism (every call is one the spec accepts) and against the stateful
// fake (the calls make sense in order), so the documentation cannot rot. It lives
// here, with the mock it needs, so the client never depends on the mock.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { startFakeZuplo } from "../src/index.js";
import { usePrism } from "./contract/prism.js";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const tsx = require.resolve("tsx/cli");
const clientDir = dirname(require.resolve("@keysmith/client/package.json"));
const tour = join(clientDir, "examples/tour.ts");
const apiKey = "zpka_tour_test_key";
const prism = usePrism(); // the run's Prism (with --errors), shared with the contract tests

async function runTour(baseUrl: string): Promise<string> {
  const { stdout } = await run(process.execPath, [tsx, tour], {
    env: { ...process.env, ZUPLO_API_URL: baseUrl, ZUPLO_API_KEY: apiKey },
  });
  return stdout;
}

describe("@keysmith/client examples/tour.ts", () => {
  it("runs against the stateful fake, each step seeing the last one's effect", async () => {
    const fake = await startFakeZuplo({ apiKey, accountName: "acme-corp" });
    try {
      const out = await runTour(fake.url);
      expect(out).toContain("consumer: ada-lovelace (1 key)");
      expect(out).toContain("creating it again: 409 Conflict");
      expect(out).toContain("in org_123: ada-lovelace");
      expect(out).toContain("keys: 4 (1 before;");
      expect(out).toContain("managers: ada@example.com");
      expect(out.trim().endsWith("done")).toBe(true);
      expect(fake.state.buckets.has("keysmith-tour")).toBe(false); // cleaned up
      expect(out).not.toContain(apiKey);
    } finally {
      await fake.stop();
    }
  }, 60_000);

  it("makes only calls the spec accepts (Prism with --errors)", async () => {
    const out = await runTour(prism.url());
    expect(out.trim().endsWith("done")).toBe(true);
  }, 60_000);
});

it("is what the client README shows", () => {
  const readme = readFileSync(join(clientDir, "README.md"), "utf8");
  expect(readme).toContain(readFileSync(tour, "utf8"));
});
