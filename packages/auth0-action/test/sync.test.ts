// keysmith-sync against the Auth0 users stand-in and the stateful Zuplo fake: every action
// kind, orphans, plan writes nothing, apply then plan is in step, NDJSON, exit codes, pacing.
import { describe, expect, it } from "vitest";
import { consumerNameFor } from "../src/consumer-name.js";
import { USER_TAG } from "../src/provision.js";
import {
  type BackfillWorld,
  backfillWorlds,
  runSync,
  secretsIn,
  spawnBin,
  syncFile,
} from "./support/backfill-world.js";
import { BUCKET, consumers, consumersOf } from "./support/fixtures.js";

const startWorld = backfillWorlds();

const writes = (w: BackfillWorld) => ({
  zuplo: w.fake.requests.filter((r) => r.method !== "GET").length,
  auth0: w.auth0.requests.filter((r) => r.method === "PATCH" || r.method === "DELETE").length,
});
const managersOf = (w: BackfillWorld, userId: string) =>
  consumersOf(w.fake, userId).flatMap((c) => [...c.managers.values()].map((m) => m.email));
type TestUser = {
  user_id: string;
  email?: string;
  email_verified?: boolean;
  app_metadata?: Record<string, unknown>;
};
const user = (w: BackfillWorld, i: number) =>
  [...w.auth0.users.values()][i] as {
    user_id: string;
    email?: string;
    email_verified?: boolean;
    app_metadata?: Record<string, unknown>;
  };

/** One user per action kind, plus an orphan. Users 0-5 of `startBackfillWorld`. */
async function everyKind() {
  const w = await startWorld({ users: 6 });
  const [create, link, add, replace, same, tutorial] = [0, 1, 2, 3, 4, 5].map((i) =>
    user(w, i),
  ) as [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
  for (const u of [create, link, add, replace, same]) if (u) u.email_verified = true;
  const seed = (u: typeof create, managers: Array<{ email: string; sub: string }> = []) => {
    const name = consumerNameFor(u.user_id);
    w.fake.state.addConsumer(BUCKET, {
      name,
      tags: { [USER_TAG]: u.user_id },
      managers,
      apiKeys: [{}],
    });
    return name;
  };
  seed(link);
  add.app_metadata = { api_consumer: seed(add), api_consumer_manager: "pending" };
  replace.app_metadata = {
    api_consumer: seed(replace, [{ email: "old@example.com", sub: replace.user_id }]),
    api_consumer_manager: "old@example.com",
  };
  same.app_metadata = {
    api_consumer: seed(same, [{ email: same.email as string, sub: same.user_id }]),
    api_consumer_manager: same.email as string,
  };
  tutorial.app_metadata = { api_consumer: "csmr_tutorial_1" };
  w.fake.state.addConsumer(BUCKET, {
    name: "auth0-db-left-behind-0000",
    tags: { [USER_TAG]: "auth0|deleted-long-ago" },
  });
  w.fake.state.addConsumer(BUCKET, { name: "hand-made", tags: {} });
  w.auth0.reindex();
  return { w, create, link, add, replace, same, tutorial };
}

/**
 * A verified user (the primary) and a linked secondary account `auth0|<localId>` whose
 * consumer (managed by the shared email, `extraTags` added) outlived the link: linking
 * deletes the secondary, so GET /users/{secondary} answers 404.
 */
async function linkedSecondary(localId: string, extraTags: Record<string, string> = {}) {
  const w = await startWorld({ users: 1 });
  const primary = user(w, 0);
  primary.email_verified = true;
  const secondaryId = `auth0|${localId}`;
  w.auth0.users.set(secondaryId, {
    ...primary,
    user_id: secondaryId,
    app_metadata: {},
    identities: [{ provider: "auth0", user_id: localId }],
  } as never);
  const name = consumerNameFor(secondaryId);
  w.fake.state.addConsumer(BUCKET, {
    name,
    tags: { [USER_TAG]: secondaryId, ...extraTags },
    managers: [{ email: primary.email as string, sub: secondaryId }],
    apiKeys: [{}],
  });
  w.auth0.linkAccounts(primary.user_id, secondaryId);
  return { w, primary, secondaryId, name };
}

describe("keysmith-sync plan", () => {
  it("lists every action kind and the orphan, writes nothing, exits 3", async () => {
    const k = await everyKind();
    const before = writes(k.w);
    const run = await runSync(["plan"], k.w.env);
    expect(run.code).toBe(3);
    expect(writes(k.w)).toEqual(before);
    expect(run.stdout).toContain(
      `+ create (1)\n      ${k.create.user_id} ${consumerNameFor(k.create.user_id)}`,
    );
    expect(run.stdout).toContain(`~ link (1)\n      ${k.link.user_id}`);
    expect(run.stdout).toContain(`~ add manager (1)\n      ${k.add.user_id}`);
    expect(run.stdout).toContain(`~ replace manager (1)\n      ${k.replace.user_id}`);
    expect(run.stdout).toContain(
      "- orphan (1)\n      auth0|deleted-long-ago auth0-db-left-behind-0000",
    );
    expect(run.stdout).toContain(
      "Plan: 1 create, 1 link, 1 add manager, 1 replace manager, 0 suspend, 0 restore, 0 conflict, 1 orphan; 2 in step (6 users, 6 consumers).",
    );
    expect(run.stdout).toContain("add --prune to delete the orphans");
    expect(secretsIn(k.w, run.stdout + run.stderr)).toEqual([]);
  });

  it("--json: one object per action, then a summary", async () => {
    const k = await everyKind();
    const run = await runSync(["plan", "--json"], k.w.env);
    expect(run.code).toBe(3);
    const objects = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    const actions = objects.filter((o) => o.action).map((o) => [o.action, o.userId, o.status]);
    expect(actions).toEqual([
      ["create", k.create.user_id, "planned"],
      ["link", k.link.user_id, "planned"],
      ["add-manager", k.add.user_id, "planned"],
      ["replace-manager", k.replace.user_id, "planned"],
      ["orphan", "auth0|deleted-long-ago", "planned"],
    ]);
    expect(objects.at(-1).summary).toMatchObject({ users: 6, orphans: 1, failed: 0 });
  });
});

describe("keysmith-sync apply", () => {
  it("carries the plan out; the next plan is in step but for the orphan; --prune deletes it", async () => {
    const k = await everyKind();
    const w = k.w;
    const run = await runSync(["apply"], w.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("done 4, failed 0");
    // create: consumer, key, verified manager, record.
    expect(consumersOf(w.fake, k.create.user_id)).toHaveLength(1);
    expect(managersOf(w, k.create.user_id)).toEqual([k.create.email]);
    expect(user(w, 0).app_metadata).toMatchObject({
      api_consumer: consumerNameFor(k.create.user_id),
      api_consumer_manager: k.create.email,
    });
    expect(user(w, 1).app_metadata?.api_consumer).toBe(consumerNameFor(k.link.user_id));
    expect(managersOf(w, k.add.user_id)).toEqual([k.add.email]);
    expect(managersOf(w, k.replace.user_id)).toEqual([k.replace.email]);
    expect(user(w, 3).app_metadata?.api_consumer_manager).toBe(k.replace.email);
    expect(user(w, 5).app_metadata).toEqual({ api_consumer: "csmr_tutorial_1" });
    // Orphans stay without --prune.
    expect(consumers(w.fake).some((c) => c.name === "auth0-db-left-behind-0000")).toBe(true);

    w.auth0.reindex();
    const again = await runSync(["plan"], w.env);
    expect(again.stdout).toContain(
      "0 create, 0 link, 0 add manager, 0 replace manager, 0 suspend, 0 restore, 0 conflict, 1 orphan; 6 in step",
    );
    expect(again.code).toBe(3);

    const pruned = await runSync(["apply", "--prune"], w.env);
    expect(pruned.code).toBe(0);
    expect(consumers(w.fake).some((c) => c.name === "auth0-db-left-behind-0000")).toBe(false);
    expect(consumers(w.fake).some((c) => c.name === "hand-made")).toBe(true);
    const inStep = await runSync(["plan"], w.env);
    expect(inStep.stdout).toContain("Auth0 and Zuplo are in step: nothing to do.");
    expect(inStep.code).toBe(0);
  });

  it("--prune moves a linked (secondary) account's consumer to its primary instead of deleting it", async () => {
    const { w, primary, secondaryId, name } = await linkedSecondary("linked-secondary", {
      auth0Access: "active@2026-01-01T00:00:00.000Z",
    });
    w.auth0.reindex();
    const run = await runSync(["apply", "--prune", "--verbose"], w.env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const moved = consumers(w.fake).find((c) => c.name === name);
    expect(moved?.tags).toEqual({
      [USER_TAG]: primary.user_id,
      auth0LinkedFrom: secondaryId,
      auth0Access: "active@2026-01-01T00:00:00.000Z",
    });
    expect(moved?.keys.size).toBe(1);
    expect(run.stdout).toContain("moved");
  });

  it("--prune: a linked account's consumer moved to a blocked primary is suspended with it", async () => {
    const { w, primary, name } = await linkedSecondary("linked-blocked");
    (primary as { blocked?: boolean }).blocked = true;
    w.auth0.reindex();
    const run = await runSync(["apply", "--prune"], w.env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const moved = consumers(w.fake).find((c) => c.name === name);
    expect(moved?.tags[USER_TAG]).toBe(primary.user_id);
    expect(moved?.tags.auth0Access).toMatch(/^suspended@/);
    const now = Date.now();
    const working = [...(moved?.keys.values() ?? [])].filter(
      (k) => k.expiresOn === null || Date.parse(k.expiresOn) > now,
    );
    expect(working).toEqual([]);
    // The move is a change carried out: counted as done.
    expect(run.stdout).toMatch(/done [1-9]/);
  });

  it("unverified, then verified: the manager follows on the next apply", async () => {
    const w = await startWorld({ users: 1 });
    const u = user(w, 0);
    u.email_verified = false;
    w.auth0.reindex();
    expect((await runSync(["apply"], w.env)).code).toBe(0);
    expect(managersOf(w, u.user_id)).toEqual([]);
    expect(u.app_metadata?.api_consumer_manager).toBe("pending");

    u.email_verified = true;
    w.auth0.reindex();
    const plan = await runSync(["plan"], w.env);
    expect(plan.stdout).toContain(`~ add manager (1)\n      ${u.user_id}`);
    expect((await runSync(["apply"], w.env)).code).toBe(0);
    expect(managersOf(w, u.user_id)).toEqual([u.email]);
    expect(u.app_metadata?.api_consumer_manager).toBe(u.email);
    w.auth0.reindex();
    expect((await runSync(["plan"], w.env)).code).toBe(0);
  });

  it("a conflict is reported and exits 1; nothing is written for that user", async () => {
    const w = await startWorld({ users: 2 });
    const victim = user(w, 1);
    w.fake.state.addConsumer(BUCKET, {
      name: consumerNameFor(victim.user_id),
      tags: { [USER_TAG]: "auth0|someone-else" },
    });
    const run = await runSync(["apply"], w.env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`failed conflict ${victim.user_id}`);
    expect(victim.app_metadata).toBeUndefined();
  });
});

describe("keysmith-sync pacing (Auth0 token bucket with rate-limit headers)", () => {
  for (const concurrency of ["32", "16"]) {
    it(`concurrency ${concurrency}: zero failed users, one PATCH per user, no extra read`, async () => {
      const w = await startWorld({
        users: 50,
        rateLimit: { perSecond: 20 },
        latencyMs: 5,
      });
      const run = await runSync(["apply", "--concurrency", concurrency], w.env);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("done 50, failed 0");
      const answered = (method: string) =>
        w.auth0.requests.filter((r) => r.method === method && r.path.startsWith("/api/v2/users/"));
      // 429s are retried call by call: the successful PATCHes are exactly one per user, and
      // no user is read again (GET /users/{id}) on the way.
      const patchesOk = w.auth0.patches.length;
      expect(patchesOk).toBe(50);
      expect(answered("GET")).toEqual([]);
      expect(answered("PATCH").length - w.auth0.rateLimited).toBe(50);
    });
  }
});

describe("the real keysmith-sync bin", () => {
  it("--help, --version, bad usage exit 2", async () => {
    const help = await spawnBin(["--help"], {}, syncFile).done;
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: keysmith-sync <plan|apply>");
    expect(help.stdout).toContain("3 plan found changes");
    const version = await spawnBin(["--version"], {}, syncFile).done;
    expect(version.stdout).toMatch(/^keysmith-sync \d+\.\d+\.\d+/);
    const none = await spawnBin([], {}, syncFile).done;
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("say what to do");
    const prune = await spawnBin(["plan", "--prune"], {}, syncFile).done;
    expect(prune.code).toBe(2);
  });
});
