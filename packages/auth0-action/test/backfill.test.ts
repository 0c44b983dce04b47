import { describe, expect, it } from "vitest";
import { consumerNameFor } from "../src/consumer-name.js";
import { USER_TAG } from "../src/provision.js";
import {
  type BackfillWorld,
  backfillWorlds,
  expectFullyProvisioned,
  parseSummary,
  runInProcess,
  secretsIn,
} from "./support/backfill-world.js";
import {
  BUCKET,
  consumers,
  consumersOf,
  expectNoForgery,
  FORGED_DETAIL,
} from "./support/fixtures.js";

const CLEAR_LINE = "\u001b[K";
const startWorld = backfillWorlds();

const userIds = (w: BackfillWorld) => [...w.auth0.users.keys()];
const zuploWrites = (w: BackfillWorld) => w.fake.requests.filter((r) => r.method !== "GET");
const auth0Patches = (w: BackfillWorld) => w.auth0.requests.filter((r) => r.method === "PATCH");

describe("keysmith-backfill: small tenant via search", () => {
  it("creates the missing, keeps the present, fixes a lost metadata write", async () => {
    // Users 0-4 already have a consumer id from the tutorial's action.
    const w = await startWorld({
      users: 30,
      metadata: (i) => (i < 5 ? { api_consumer: `csmr_tutorial_${i}`, plan: "free" } : undefined),
    });
    // User 5: an earlier run created the consumer but the metadata write was lost.
    const lost = userIds(w)[5] as string;
    w.fake.state.addConsumer(BUCKET, {
      name: consumerNameFor(lost),
      tags: { [USER_TAG]: lost },
      apiKeys: [{}],
    });

    const run = await runInProcess([], w.env);
    expect(run.stderr).toContain("30 users in Auth0; reading them via search");
    expect(parseSummary(run.stdout)).toEqual({
      created: 24,
      "already present": 5,
      fixed: 1,
      failed: 0,
    });
    expect(run.code).toBe(0);

    const rows = expectFullyProvisioned(w).rows;
    for (const [i, row] of rows.entries()) {
      if (i < 5) {
        expect(row.stored).toBe(`csmr_tutorial_${i}`);
        expect(row.consumers).toEqual([]);
      } else {
        expect(row.stored).toBe(row.expected);
        expect(row.consumers).toEqual([row.expected]);
      }
    }
    // app_metadata is merged: other keys stay.
    expect(w.auth0.users.get(userIds(w)[0] as string)?.app_metadata?.plan).toBe("free");
    expect(consumers(w.fake)).toHaveLength(25);
    expect(w.auth0.jobs.size).toBe(0);
    expect(secretsIn(w, run.stdout + run.stderr)).toEqual([]);

    // Once the search index has caught up, a second run finds everything done and writes
    // nothing (with a stale index it would get 409s and adopt: see the next test).
    w.auth0.reindex();
    const patchesBefore = auth0Patches(w).length;
    const zuploBefore = zuploWrites(w).length;
    const again = await runInProcess([], w.env);
    expect(parseSummary(again.stdout)).toEqual({
      created: 0,
      "already present": 30,
      fixed: 0,
      failed: 0,
    });
    expect(again.code).toBe(0);
    expect(auth0Patches(w).length).toBe(patchesBefore);
    expect(zuploWrites(w).length).toBe(zuploBefore);
  });

  it("keeps a consumer stored after the listing (search lags): re-reads the user on 409", async () => {
    const w = await startWorld({ users: 10 });
    // The action provisioned three users at a login after the index was built: search still
    // shows them without api_consumer. One has a non-default value the backfill must keep.
    const late = userIds(w).slice(0, 3);
    for (const [i, id] of late.entries()) {
      const name = consumerNameFor(id);
      w.fake.state.addConsumer(BUCKET, { name, tags: { [USER_TAG]: id }, apiKeys: [{}] });
      const user = w.auth0.users.get(id);
      if (user) user.app_metadata = { api_consumer: i === 0 ? "kept-as-is" : name };
    }
    const run = await runInProcess(["--verbose"], w.env);
    expect(parseSummary(run.stdout)).toEqual({
      created: 7,
      "already present": 3,
      fixed: 0,
      failed: 0,
    });
    for (const id of late) {
      expect(run.stdout).toContain(`present ${id}`);
      expect(consumersOf(w.fake, id)).toHaveLength(1);
      expect(auth0Patches(w).filter((r) => r.path.endsWith(encodeURIComponent(id)))).toEqual([]);
    }
    expect(w.auth0.users.get(late[0] as string)?.app_metadata?.api_consumer).toBe("kept-as-is");
  });

  it("reports a name owned by another user as failed, exit 1, and goes on", async () => {
    const w = await startWorld({ users: 4 });
    const victim = userIds(w)[1] as string;
    w.fake.state.addConsumer(BUCKET, {
      name: consumerNameFor(victim),
      tags: { [USER_TAG]: "auth0|someone-else" },
    });
    const run = await runInProcess([], w.env);
    expect(run.code).toBe(1);
    expect(parseSummary(run.stdout)).toMatchObject({ created: 3, failed: 1 });
    expect(run.stdout).toContain(
      `failed ${victim}: consumer ${consumerNameFor(victim)} exists but is not tagged ${USER_TAG}=${victim}`,
    );
    expect(w.auth0.users.get(victim)?.app_metadata).toBeUndefined();
  });

  it("retries a create whose answer was lost (500 after the commit): one consumer", async () => {
    const w = await startWorld({ users: 6 });
    w.fake.setFault({
      kind: "status",
      status: 500,
      operation: "createConsumer",
      commit: true,
      times: 3,
    });
    const run = await runInProcess(["--concurrency", "2"], w.env);
    expect(run.code).toBe(0);
    const state = expectFullyProvisioned(w);
    expect(state.missing).toEqual([]);
    expect(state.wrongCount).toEqual([]);
    expect(state.consumerTotal).toBe(6);
  });
});

describe("keysmith-backfill: export", () => {
  it("reads a plain (not gzip) export file too", async () => {
    const world = await startWorld({ users: 12, gzip: false });
    const run = await runInProcess(["--source", "export"], world.env);
    expect(run.code).toBe(0);
    expect(parseSummary(run.stdout)).toMatchObject({ created: 12 });
    expect(world.auth0.jobs.size).toBe(1);
    expect(expectFullyProvisioned(world).missing).toEqual([]);
  });
});

describe("keysmith-backfill: rate limits", () => {
  it("rides out a 429 storm on Auth0 and on Zuplo and still finishes", async () => {
    const w = await startWorld({ users: 60 });
    // Auth0: one 429 with x-ratelimit-reset right away (it hits the count); after the 10th
    // PATCH 12 more, after the 30th 8 with retry-after 1. Zuplo: 8 answers of 429 with
    // retry-after 1.
    w.auth0.storm(1, "reset", 0);
    const storms: Array<[number, () => void]> = [
      [10, () => w.auth0.storm(12, "reset", 0)],
      [30, () => w.auth0.storm(8, "retry-after", 1000)],
    ];
    w.auth0.onPatch((count) => {
      if (storms[0] && count >= storms[0][0]) storms.shift()?.[1]();
    });
    w.fake.setFault({ kind: "rate-limit", retryAfter: 1, times: 8 });

    const run = await runInProcess(["--concurrency", "8", "--max-attempts", "20"], w.env);
    expect(run.code).toBe(0);
    expect(parseSummary(run.stdout)).toEqual({
      created: 60,
      "already present": 0,
      fixed: 0,
      failed: 0,
    });
    expect(w.auth0.rateLimited).toBe(21);
    expect(w.fake.fault).toBeNull();
    const pauses = run.stdout.match(/rate-limit pauses: Auth0 (\d+), Zuplo (\d+)/);
    expect(Number(pauses?.[1])).toBeGreaterThan(0);
    expect(Number(pauses?.[2])).toBeGreaterThan(0);
    const state = expectFullyProvisioned(w);
    expect(state.missing).toEqual([]);
    expect(state.wrongCount).toEqual([]);
  }, 30_000);

  it("reports users still rate limited after --max-attempts as failed, not fatal", async () => {
    const world = await startWorld({ users: 3 });
    world.fake.setFault({ kind: "rate-limit", retryAfter: 0, operation: "createConsumer" });
    const run = await runInProcess(["--max-attempts", "2"], world.env);
    expect(run.code).toBe(1);
    expect(parseSummary(run.stdout)).toMatchObject({ created: 0, failed: 3 });
    expect(run.stdout).toMatch(/failed auth0\|\S+: still rate limited after 2 attempts: Zuplo 429/);
  });
});

describe("keysmith-backfill: dry run, output, errors", () => {
  it("--dry-run lists what it would do and writes nothing", async () => {
    const w = await startWorld({
      users: 8,
      metadata: (i) => (i === 0 ? { api_consumer: "csmr_x" } : undefined),
    });
    const half = userIds(w)[1] as string;
    w.fake.state.addConsumer(BUCKET, { name: consumerNameFor(half), tags: { [USER_TAG]: half } });
    const consumersBefore = consumers(w.fake).length;

    const run = await runInProcess(["--dry-run"], w.env);
    expect(run.code).toBe(0);
    expect(parseSummary(run.stdout)).toEqual({
      "would create": 6,
      "would fix": 1,
      "already present": 1,
      failed: 0,
    });
    for (const id of userIds(w).slice(2)) {
      expect(run.stdout).toContain(`would create ${id} ${consumerNameFor(id)}`);
    }
    expect(run.stdout).toContain(`would fix ${half} ${consumerNameFor(half)}`);
    expect(zuploWrites(w)).toEqual([]);
    expect(auth0Patches(w)).toEqual([]);
    expect(
      w.auth0.requests.filter((r) => r.method === "POST" && r.path !== "/oauth/token"),
    ).toEqual([]);
    expect(consumers(w.fake)).toHaveLength(consumersBefore);
  });

  it("draws a \\r progress bar on a TTY and plain lines otherwise", async () => {
    const world = await startWorld({ users: 20 });
    const tty = await runInProcess(["--dry-run"], world.env, { tty: true });
    expect(tty.stderr).toContain(`\r${CLEAR_LINE}[${"#".repeat(24)}] 20/20 would create 20`);
    expect(tty.stderr).not.toMatch(/^progress:/m);
    const plain = await runInProcess(["--dry-run"], world.env);
    expect(plain.stderr).not.toContain("\r");
    expect(plain.stderr).toMatch(/^progress: 10\/20 /m);
    expect(plain.stderr).toMatch(/^progress: 20\/20 /m);
  });

  it("never prints a secret: Zuplo rejects the key, Auth0 rejects the client", async () => {
    const w = await startWorld({ users: 2 });
    const badKey = await runInProcess([], {
      ...w.env,
      ZUPLO_API_KEY: "zpka_wrong_key_DO_NOT_PRINT",
    });
    expect(badKey.code).toBe(1);
    expect(parseSummary(badKey.stdout)).toMatchObject({ failed: 2 });
    expect(badKey.stdout).toContain("Zuplo 401");
    expect(badKey.stdout + badKey.stderr).not.toContain("zpka_wrong_key_DO_NOT_PRINT");

    const badClient = await runInProcess([], {
      ...w.env,
      AUTH0_CLIENT_SECRET: "wrong-secret-DO-NOT-PRINT",
    });
    expect(badClient.code).toBe(1);
    expect(badClient.stderr).toContain("check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET");
    expect(badClient.stdout + badClient.stderr).not.toContain("wrong-secret-DO-NOT-PRINT");
    expect(
      secretsIn(w, badKey.stdout + badKey.stderr + badClient.stdout + badClient.stderr),
    ).toEqual([]);
  });

  it("a forged Zuplo error detail becomes one clean, redacted line", async () => {
    const world = await startWorld({ users: 1 });
    world.fake.setFault({ kind: "status", status: 400, detail: FORGED_DETAIL });
    const run = await runInProcess(["--verbose"], world.env);
    expect(run.code).toBe(1);
    const failed = run.stdout.split("\n").filter((line) => line.startsWith("failed "));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/Zuplo .*bad input created auth0\|admin .*\[redacted\].*done$/);
    expectNoForgery(run.stdout + run.stderr);
  });

  it("never prints the Auth0 access token a server echoes in an error", async () => {
    const world = await startWorld({ users: 2 });
    world.auth0.echoToken(1);
    const run = await runInProcess([], world.env);
    expect(world.auth0.tokens.size).toBeGreaterThan(0);
    expect(run.stdout + run.stderr).toContain("Bearer [redacted]");
    expect(secretsIn(world, run.stdout + run.stderr)).toEqual([]);
  });

  it("bad usage and configuration exit 2 naming the field", async () => {
    const world = await startWorld();
    const env = world.env;
    const cases: Array<[string[], Record<string, string>, string]> = [
      [["--concurrency", "0"], env, "--concurrency: must be a whole number from 1 to 64"],
      [["--source", "csv"], env, "--source: must be auto, search or export"],
      [["--nope"], env, "Unknown option '--nope'"],
      [[], { ...env, ZUPLO_BUCKET_NAME: "" }, "ZUPLO_BUCKET_NAME"],
      [[], { ...env, ZUPLO_CONSUMER_PREFIX: "Bad_" }, "environment variable ZUPLO_CONSUMER_PREFIX"],
    ];
    for (const [args, e, message] of cases) {
      const run = await runInProcess(args, e);
      expect(run.code, message).toBe(2);
      expect(run.stderr).toContain(message);
    }
    expect(world.auth0.requests).toEqual([]);
  });
});
