// The README's runnable example (examples/tour.ts) runs as a user would run it,
// against Prism (every call is one the spec accepts) and against the stateful
// fake (the calls make sense in order), so the documentation cannot rot.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startFakeZuplo, startPrism } from "@keysmith/mock";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const tour = fileURLToPath(new URL("../examples/tour.ts", import.meta.url));
const apiKey = "zpka_tour_test_key";

async function runTour(baseUrl: string): Promise<string> {
  const { stdout } = await run(process.execPath, [tsx, tour], {
    env: { ...process.env, ZUPLO_API_URL: baseUrl, ZUPLO_API_KEY: apiKey },
  });
  return stdout;
}

describe("examples/tour.ts", () => {
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
    const prism = await startPrism({ port: 0 });
    try {
      const out = await runTour(prism.url);
      expect(out.trim().endsWith("done")).toBe(true);
    } finally {
      await prism.stop();
    }
  }, 60_000);
});

it("is what the README shows", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  expect(readme).toContain(readFileSync(tour, "utf8"));
});
