// keysmith-sync as the safety net for missed events, against the Auth0 users stand-in and the
// stateful Zuplo fake over HTTP: blocked users' keys stop working, unblocked users get a working
// key back, re-runs change nothing, and --prune removes the consumers of deleted users.
import { describe, expect, it } from "vitest";
import { consumerNameFor } from "../src/consumer-name.js";
import { ACCESS_TAG, readAccessState } from "../src/events/event-state.js";
import { USER_TAG } from "../src/provision.js";
import {
  type BackfillWorld,
  backfillWorlds,
  runSync,
  type StandInUser,
  secretsIn,
} from "./support/backfill-world.js";
import { workingKeys } from "./support/events-world.js";
import { ACCOUNT, BUCKET, consumers, consumersOf, ZUPLO_KEY } from "./support/fixtures.js";

const startWorld = backfillWorlds();

const usersOf = (w: BackfillWorld) => [...w.auth0.users.values()] as StandInUser[];
const zuploWrites = (w: BackfillWorld) => w.fake.requests.filter((r) => r.method !== "GET").length;
const keysOf = (w: BackfillWorld, userId: string) =>
  consumersOf(w.fake, userId).flatMap((c) => [...c.keys.values()]);

/** Two users, provisioned by a first apply: each has one consumer with one working key. */
async function provisioned() {
  const w = await startWorld({ users: 2 });
  expect((await runSync(["apply"], w.env)).code).toBe(0);
  const [a, b] = usersOf(w) as [StandInUser, StandInUser];
  expect(workingKeys(w.fake, a.user_id)).toHaveLength(1);
  expect(workingKeys(w.fake, b.user_id)).toHaveLength(1);
  w.auth0.reindex();
  expect((await runSync(["plan"], w.env)).code).toBe(0);
  return { w, a, b };
}

async function expectInStep(w: BackfillWorld, source = "search") {
  w.auth0.reindex();
  const plan = await runSync(["plan", "--source", source], w.env);
  expect(plan.stdout).toContain("Auth0 and Zuplo are in step: nothing to do.");
  expect(plan.code).toBe(0);
  const writes = zuploWrites(w);
  const again = await runSync(["apply", "--source", source], w.env);
  expect(again.code).toBe(0);
  expect(zuploWrites(w)).toBe(writes);
}

describe("keysmith-sync: blocked and unblocked users", () => {
  it("blocked: plan shows suspend (exit 3), apply expires every key; unblocked: a working key again", async () => {
    const { w, a, b } = await provisioned();
    const name = consumerNameFor(a.user_id);
    // A second key on the blocked user's consumer: every key must stop working.
    const added = await fetch(
      `${w.fake.url}/v1/accounts/${ACCOUNT}/key-buckets/${BUCKET}/consumers/${name}/keys`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${ZUPLO_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ description: "second" }),
      },
    );
    expect(added.status).toBe(200);
    expect(workingKeys(w.fake, a.user_id)).toHaveLength(2);
    a.blocked = true;
    w.auth0.reindex();

    const before = zuploWrites(w);
    const plan = await runSync(["plan"], w.env);
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain(`~ suspend (1)\n      ${a.user_id} ${name} (blocked in Auth0`);
    expect(plan.stdout).toContain("1 suspend, 0 restore");
    expect(zuploWrites(w)).toBe(before);

    const apply = await runSync(["apply", "--verbose"], w.env);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain(`done suspend ${a.user_id} ${name}`);
    expect(workingKeys(w.fake, a.user_id)).toEqual([]);
    expect(keysOf(w, a.user_id)).toHaveLength(2);
    expect(workingKeys(w.fake, b.user_id)).toHaveLength(1);
    const state = readAccessState(consumersOf(w.fake, a.user_id)[0]?.tags);
    expect(state?.access).toBe("suspended");
    expect(consumersOf(w.fake, a.user_id)[0]?.tags[USER_TAG]).toBe(a.user_id);
    await expectInStep(w);

    a.blocked = false;
    w.auth0.reindex();
    const back = await runSync(["plan", "--json"], w.env);
    expect(back.code).toBe(3);
    const rows = back.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.filter((r) => r.action).map((r) => [r.action, r.userId, r.consumer])).toEqual([
      ["restore", a.user_id, name],
    ]);
    expect((await runSync(["apply"], w.env)).code).toBe(0);
    expect(workingKeys(w.fake, a.user_id)).toHaveLength(1);
    // The old keys stay expired; the fresh one is the working one.
    expect(keysOf(w, a.user_id)).toHaveLength(3);
    expect(readAccessState(consumersOf(w.fake, a.user_id)[0]?.tags)?.access).toBe("active");
    await expectInStep(w);
    expect(secretsIn(w, plan.stdout + plan.stderr + apply.stdout + apply.stderr)).toEqual([]);
  });

  it("reads blocked from the users export too, with no read per user", async () => {
    const { w, a } = await provisioned();
    a.blocked = true;
    const apply = await runSync(["apply", "--source", "export"], w.env);
    expect(apply.code).toBe(0);
    expect(workingKeys(w.fake, a.user_id)).toEqual([]);
    const job = [...w.auth0.jobs.values()].at(-1);
    expect(job?.fields.map((f) => f.name)).toContain("blocked");
    expect(
      w.auth0.requests.filter((r) => r.method === "GET" && r.path.startsWith("/api/v2/users/")),
    ).toEqual([]);
    await expectInStep(w, "export");
  });

  it("a blocked user without a consumer gets none; unblocked, the next apply creates it", async () => {
    const w = await startWorld({ users: 1 });
    const [u] = usersOf(w) as [StandInUser];
    u.blocked = true;
    w.auth0.reindex();
    const plan = await runSync(["plan"], w.env);
    expect(plan.code).toBe(0);
    expect((await runSync(["apply"], w.env)).code).toBe(0);
    expect(consumersOf(w.fake, u.user_id)).toEqual([]);
    u.blocked = false;
    w.auth0.reindex();
    expect((await runSync(["apply"], w.env)).code).toBe(0);
    expect(workingKeys(w.fake, u.user_id)).toHaveLength(1);
  });

  it("an access state set by an event after the listing began wins over the sync", async () => {
    const { w, a } = await provisioned();
    a.blocked = true;
    w.auth0.reindex();
    // An unblock event newer than this run was applied meanwhile (its time is in the future).
    const consumer = consumersOf(w.fake, a.user_id)[0];
    if (!consumer) throw new Error("no consumer");
    consumer.tags[ACCESS_TAG] = `active@${new Date(Date.now() + 60_000).toISOString()}`;
    const writes = zuploWrites(w);
    const plan = await runSync(["plan"], w.env);
    expect(plan.code).toBe(0);
    expect((await runSync(["apply"], w.env)).code).toBe(0);
    expect(zuploWrites(w)).toBe(writes);
    expect(workingKeys(w.fake, a.user_id)).toHaveLength(1);
  });
});

describe("keysmith-sync --prune: consumers of deleted users", () => {
  it("a user deleted in Auth0 (no event received): plan lists the orphan, apply --prune deletes it", async () => {
    const { w, a, b } = await provisioned();
    const name = consumerNameFor(a.user_id);
    w.auth0.deleteUser(a.user_id);
    w.auth0.reindex();
    const plan = await runSync(["plan"], w.env);
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain(`- orphan (1)\n      ${a.user_id} ${name}`);
    // Without --prune the consumer stays.
    expect((await runSync(["apply"], w.env)).code).toBe(0);
    expect(consumers(w.fake).some((c) => c.name === name)).toBe(true);
    const pruned = await runSync(["apply", "--prune", "--verbose"], w.env);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain(`done orphan ${a.user_id} ${name}`);
    expect(consumers(w.fake).some((c) => c.name === name)).toBe(false);
    expect(workingKeys(w.fake, b.user_id)).toHaveLength(1);
    await expectInStep(w);
  });

  it("a deleted user that search still lists is kept (Auth0 is asked first)", async () => {
    const { w, a } = await provisioned();
    // Search lags behind: the user is gone from the index but still exists.
    w.auth0.users.delete(a.user_id);
    w.auth0.reindex();
    w.auth0.users.set(a.user_id, a);
    const pruned = await runSync(["apply", "--prune", "--verbose"], w.env);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toContain(`kept orphan ${a.user_id}`);
    expect(consumersOf(w.fake, a.user_id)).toHaveLength(1);
  });
});
