import { describe, expect, it } from "vitest";
import { consumerNameFor } from "../src/consumer-name.js";
import {
  backfillWorlds,
  expectFullyProvisioned,
  parseSummary,
  secretsIn,
  spawnBin,
} from "./support/backfill-world.js";
import { consumers } from "./support/fixtures.js";

const startWorld = backfillWorlds();

describe("dist/backfill.js (the real bin, plain node)", () => {
  it("SIGKILLed half way, then re-run: no duplicate consumer, no user missed", async () => {
    const w = await startWorld({ users: 200 });
    const first = spawnBin(["--concurrency", "4"], w.env);
    let killedAt = 0;
    w.auth0.onPatch((count) => {
      if (count === 100 && !killedAt) {
        killedAt = count;
        first.child.kill("SIGKILL");
      }
    });
    const killed = await first.done;
    expect(killed.signal).toBe("SIGKILL");
    const half = expectFullyProvisioned(w);
    // Really half done: some users provisioned, many not yet.
    expect(half.missing.length).toBeGreaterThan(50);
    expect(half.missing.length).toBeLessThan(150);
    // Consumers made in flight whose metadata write never happened: at most one per worker.
    const orphans = half.rows.filter((r) => r.consumers.length === 1 && r.stored === undefined);
    expect(orphans.length).toBeLessThanOrEqual(4);

    const second = spawnBin(["--concurrency", "4"], w.env);
    const resumed = await second.done;
    expect(resumed.code).toBe(0);
    const summary = parseSummary(resumed.stdout);
    expect(summary.failed).toBe(0);
    expect(summary["already present"]).toBe(200 - half.missing.length);
    expect(summary.fixed).toBe(orphans.length);
    expect(summary.created).toBe(half.missing.length - orphans.length);

    const done = expectFullyProvisioned(w);
    expect(done.missing).toEqual([]);
    expect(done.wrongCount).toEqual([]);
    expect(done.consumerTotal).toBe(200);
    expect(
      consumers(w.fake)
        .map((c) => c.name)
        .sort(),
    ).toEqual(done.rows.map((r) => consumerNameFor(r.userId)).sort());
    // Not a TTY: plain progress lines, no carriage returns.
    expect(resumed.stderr).toMatch(/^progress: \d+\/200 /m);
    expect(resumed.stderr).not.toContain("\r");
    expect(secretsIn(w, killed.stdout + killed.stderr + resumed.stdout + resumed.stderr)).toEqual(
      [],
    );
  }, 30_000);

  it("2,000 users via an export job (gzip NDJSON), concurrency 32: one consumer each", async () => {
    const w = await startWorld({
      users: 2000,
      metadata: (i) => (i % 10 === 0 ? { api_consumer: `csmr_old_${i}` } : undefined),
    });
    const run = await spawnBin(["--concurrency", "32"], w.env).done;
    expect(run.stderr).toContain("2000 users in Auth0; reading them via export");
    expect(parseSummary(run.stdout)).toEqual({
      created: 1800,
      "already present": 200,
      fixed: 0,
      failed: 0,
    });
    expect(run.code).toBe(0);

    // One export job with the fields the backfill and sync read (`blocked`: the sync's
    // suspensions); the file fetched without the token.
    const [job] = [...w.auth0.jobs.values()];
    expect(job?.format).toBe("json");
    expect(job?.fields.map((f) => f.name)).toEqual([
      "user_id",
      "email",
      "email_verified",
      "name",
      "app_metadata",
      "blocked",
    ]);
    expect(w.auth0.downloads).toEqual([{ authorization: undefined }]);
    // Search was used only for the count.
    expect(w.auth0.requests.filter((r) => r.path === "/api/v2/users")).toHaveLength(1);

    const rows = expectFullyProvisioned(w).rows;
    const wrong = rows.filter((r, i) =>
      i % 10 === 0
        ? r.stored !== `csmr_old_${i}` || r.consumers.length !== 0
        : r.stored !== r.expected || r.consumers.length !== 1,
    );
    expect(wrong).toEqual([]);
    expect(consumers(w.fake)).toHaveLength(1800);
    expect(secretsIn(w, run.stdout + run.stderr)).toEqual([]);
  }, 60_000);

  it("--dry-run writes nothing; --help; exit 2 on bad usage", async () => {
    const w = await startWorld({ users: 5 });
    const dry = await spawnBin(["--dry-run"], w.env).done;
    expect(dry.code).toBe(0);
    for (const id of w.auth0.users.keys()) {
      expect(dry.stdout).toContain(`would create ${id} ${consumerNameFor(id)}`);
    }
    expect(w.fake.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(w.auth0.requests.filter((r) => r.method === "PATCH")).toEqual([]);

    const help = await spawnBin(["--help"], {}).done;
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: keysmith-backfill");

    const bad = await spawnBin(["--max-attempts", "x"], w.env).done;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--max-attempts: must be a whole number");
  });
});
