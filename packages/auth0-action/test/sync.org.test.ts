// keysmith-sync in organization scope against the Auth0 stand-in (organizations, members,
// users) and the stateful Zuplo fake: from any starting point to one consumer per
// organization, its verified members its managers, leavers removed, deleted ones pruned.
import { describe, expect, it } from "vitest";
import { ORG_METADATA_KEY, ORG_TAG, orgConsumerNameFor } from "../src/index.js";
import { main as syncMain } from "../src/sync/cli.js";
import {
  type BackfillWorld,
  backfillWorlds,
  runSync,
  type StandInUser,
  secretsIn,
  spawnBin,
  syncFile,
} from "./support/backfill-world.js";
import { BUCKET, consumers } from "./support/fixtures.js";

const startWorld = backfillWorlds();

/**
 * Six users (even ones verified) and two organizations: acme (users 0-3), globex (users 3-5;
 * user 3 belongs to both). Organization scope set as for the action.
 */
async function orgWorld(options: Parameters<typeof startWorld>[0] = {}) {
  const w = await startWorld({ users: 6, ...options });
  const users = [...w.auth0.users.values()] as StandInUser[];
  const acme = w.auth0.orgs.add({ id: "org_acme0000000001", name: "acme", display_name: "Acme" });
  const globex = w.auth0.orgs.add({ id: "org_globex00000001", name: "globex" });
  w.auth0.orgs.addMembers(
    acme.id,
    users.slice(0, 4).map((u) => u.user_id),
  );
  w.auth0.orgs.addMembers(
    globex.id,
    users.slice(3, 6).map((u) => u.user_id),
  );
  w.auth0.reindex();
  const env = { ...w.env, ZUPLO_KEY_SCOPE: "organization" };
  return { w, env, users, acme, globex };
}

const consumerOf = (w: BackfillWorld, orgId: string) =>
  consumers(w.fake).filter((c) => c.tags[ORG_TAG] === orgId);
const managersOf = (w: BackfillWorld, orgId: string) =>
  consumerOf(w, orgId)
    .flatMap((c) => [...c.managers.values()].map((m) => `${m.email} ${m.sub}`))
    .sort();
const verifiedOf = (users: StandInUser[]) =>
  users
    .filter((u) => u.email_verified)
    .map((u) => `${u.email} ${u.user_id}`)
    .sort();
const recordOf = (u: StandInUser) =>
  (u.app_metadata?.[ORG_METADATA_KEY] ?? {}) as Record<
    string,
    { consumer: string; manager?: string }
  >;
/** The objects of an NDJSON output. */
const ndjson = (text: string) =>
  text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
const writes = (w: BackfillWorld) => ({
  zuplo: w.fake.requests.filter((r) => r.method !== "GET").length,
  auth0: w.auth0.patches.length,
});

/** The done-when: every organization in step, and the next plan says so (exit 0). */
async function expectInStep(
  w: BackfillWorld,
  env: Record<string, string>,
  orgs: Array<{ id: string; members: StandInUser[] }>,
) {
  for (const org of orgs) {
    expect(consumerOf(w, org.id).map((c) => c.name)).toEqual([orgConsumerNameFor(org.id)]);
    expect(managersOf(w, org.id)).toEqual(verifiedOf(org.members));
    for (const u of org.members) {
      expect(recordOf(u)[org.id]).toEqual({
        consumer: orgConsumerNameFor(org.id),
        manager: u.email_verified ? u.email : "pending",
      });
    }
  }
  w.auth0.reindex();
  const plan = await runSync(["plan"], env);
  expect(plan.stdout).toContain("Auth0 and Zuplo are in step: nothing to do.");
  expect(plan.code).toBe(0);
}

describe("keysmith-sync, organization scope", () => {
  it("from nothing: plan lists one create per organization and each member, writes nothing; apply brings it in step", async () => {
    const { w, env, users, acme, globex } = await orgWorld();
    const plan = await runSync(["plan"], env);
    expect(plan.code).toBe(3);
    expect(writes(w)).toEqual({ zuplo: 0, auth0: 0 });
    expect(plan.stdout).toContain(
      `+ create (2)\n      ${acme.id} ${orgConsumerNameFor(acme.id)} (organization has no consumer)`,
    );
    expect(plan.stdout).toContain("~ link (7)");
    const acmeName = orgConsumerNameFor(acme.id);
    expect(plan.stdout).toContain(
      `${acme.id} ${users[0]?.user_id} ${acmeName} (new consumer: the verified member becomes a manager)`,
    );
    expect(plan.stdout).toContain(
      `${acme.id} ${users[1]?.user_id} ${acmeName} (new consumer: email not verified, recorded as pending)`,
    );
    expect(plan.stdout).toContain(
      "Plan: 2 create, 7 link, 0 add manager, 0 replace manager, 0 remove manager, 0 conflict, 0 orphan; 0 in step (2 organizations, 7 members, 0 organization consumers).",
    );
    expect(plan.stderr).toContain("plan: 2 organizations (7 memberships), 6 users in Auth0");

    const apply = await runSync(["apply"], env);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain("done 9, failed 0");
    // The person in both organizations keeps both records (their writes are serialised).
    expect(Object.keys(recordOf(users[3] as StandInUser)).sort()).toEqual([acme.id, globex.id]);
    // One first key per organization.
    for (const c of consumers(w.fake)) expect(c.keys.size).toBe(1);
    await expectInStep(w, env, [
      { id: acme.id, members: users.slice(0, 4) },
      { id: globex.id, members: users.slice(3, 6) },
    ]);
    // User-scope consumers are not made in organization scope.
    expect(consumers(w.fake).every((c) => c.tags[ORG_TAG] !== undefined)).toBe(true);
    expect(secretsIn(w, plan.stdout + plan.stderr + apply.stdout + apply.stderr)).toEqual([]);
  });

  it("from a partial state: an existing consumer with some managers, some records, a user-scope consumer left alone", async () => {
    const { w, env, users, acme, globex } = await orgWorld();
    const [u0, u1, u2] = users as [StandInUser, StandInUser, StandInUser];
    w.fake.state.addConsumer(BUCKET, {
      name: orgConsumerNameFor(acme.id),
      tags: { [ORG_TAG]: acme.id },
      managers: [{ email: u0.email as string, sub: u0.user_id }],
      apiKeys: [{}],
    });
    u0.app_metadata = {
      [ORG_METADATA_KEY]: {
        [acme.id]: { consumer: orgConsumerNameFor(acme.id), manager: u0.email },
      },
    };
    u1.app_metadata = {
      [ORG_METADATA_KEY]: {
        [acme.id]: { consumer: orgConsumerNameFor(acme.id), manager: "pending" },
      },
    };
    u2.email_verified = true; // verified since: its manager is missing
    w.fake.state.addConsumer(BUCKET, { name: "auth0-someone", tags: { auth0UserId: "auth0|x" } });
    w.auth0.reindex();
    const plan = await runSync(["plan", "--json"], env);
    const rows = ndjson(plan.stdout);
    const actions = rows
      .filter((r) => r.action)
      .map((r) => `${r.action} ${r.orgId} ${r.userId ?? "-"}`);
    expect(actions).toEqual([
      `link ${acme.id} ${u2.user_id}`,
      `link ${acme.id} ${users[3]?.user_id}`,
      `create ${globex.id} -`,
      `link ${globex.id} ${users[3]?.user_id}`,
      `link ${globex.id} ${users[4]?.user_id}`,
      `link ${globex.id} ${users[5]?.user_id}`,
    ]);
    // `users` counts member steps: the person in both organizations twice.
    expect(rows.at(-1).summary).toMatchObject({ organizations: 2, users: 7, orphans: 0 });
    expect((await runSync(["apply"], env)).code).toBe(0);
    // The existing consumer kept its key; nothing was made twice.
    expect(consumerOf(w, acme.id)[0]?.keys.size).toBe(1);
    expect(consumers(w.fake).some((c) => c.name === "auth0-someone")).toBe(true);
    await expectInStep(w, env, [
      { id: acme.id, members: users.slice(0, 4) },
      { id: globex.id, members: users.slice(3, 6) },
    ]);
  });

  it("stale managers: a member who left is removed with their record, a member's stale entry goes, invitations stay", async () => {
    const { w, env, users, acme, globex } = await orgWorld();
    expect((await runSync(["apply"], env)).code).toBe(0);
    const leaver = users[0] as StandInUser;
    const outsider = "auth0|never-a-member";
    w.auth0.orgs.removeMembers(acme.id, [leaver.user_id]);
    const acmeConsumer = consumerOf(w, acme.id)[0];
    w.fake.state.bucket(BUCKET).consumers.delete(acmeConsumer?.name as string);
    w.fake.state.addConsumer(BUCKET, {
      name: acmeConsumer?.name as string,
      tags: { [ORG_TAG]: acme.id },
      apiKeys: [{}],
      managers: [
        ...[...(acmeConsumer?.managers.values() ?? [])].map((m) => ({
          email: m.email,
          sub: m.sub,
        })),
        { email: "someone@example.com", sub: outsider },
        // A member's entry under an email they no longer have (besides the current one).
        { email: "old-address@example.com", sub: users[2]?.user_id as string },
      ],
      invites: ["invited@example.com"],
    });
    w.auth0.reindex();
    const plan = await runSync(["plan"], env);
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain("~ remove manager (2)");
    expect(plan.stdout).toContain(
      `${acme.id} ${leaver.user_id} ${acmeConsumer?.name} (no longer a member: remove the manager)`,
    );
    expect(plan.stdout).toContain(`${acme.id} ${outsider}`);
    expect(plan.stdout).toContain(
      `~ replace manager (1)\n      ${acme.id} ${users[2]?.user_id} ${acmeConsumer?.name} (verified email changed: replace the manager)`,
    );
    expect((await runSync(["apply"], env)).code).toBe(0);
    expect(recordOf(leaver)[acme.id]).toBeUndefined();
    expect(consumerOf(w, acme.id)[0]?.invites.size).toBe(1);
    await expectInStep(w, env, [
      { id: acme.id, members: users.slice(1, 4) },
      { id: globex.id, members: users.slice(3, 6) },
    ]);

    // Removed and re-added: the stale record is gone, so the member is a manager again.
    w.auth0.orgs.addMembers(acme.id, [leaver.user_id]);
    w.auth0.reindex();
    expect((await runSync(["apply"], env)).code).toBe(0);
    await expectInStep(w, env, [{ id: acme.id, members: users.slice(0, 4) }]);
  });

  it("a leaver Auth0 says is a member again (the member listing lags) is kept, not removed", async () => {
    const { w, env, users, acme } = await orgWorld();
    expect((await runSync(["apply"], env)).code).toBe(0);
    const back = users[0] as StandInUser;
    w.auth0.orgs.removeMembers(acme.id, [back.user_id]);
    w.auth0.reindex();
    // Re-added after the listing's index was built: listed as gone, a member in fact.
    w.auth0.orgs.addMembers(acme.id, [back.user_id]);
    const run = await runSync(["apply", "--json"], env);
    expect(run.code).toBe(0);
    const row = ndjson(run.stdout).find((r) => r.action === "remove-manager");
    expect(row).toMatchObject({ orgId: acme.id, userId: back.user_id, status: "kept" });
    expect(managersOf(w, acme.id)).toContain(`${back.email} ${back.user_id}`);
    expect(recordOf(back)[acme.id]?.manager).toBe(back.email);
    const asked = w.auth0.requests.map((r) => r.path);
    expect(asked).toContain(`/api/v2/users/${encodeURIComponent(back.user_id)}/organizations`);
  });

  it("a member who left but whose manager entry is already gone: only the record goes", async () => {
    const { w, env, users, acme } = await orgWorld();
    expect((await runSync(["apply"], env)).code).toBe(0);
    const leaver = users[1] as StandInUser; // unverified: a pending record, no manager entry
    expect(recordOf(leaver)[acme.id]?.manager).toBe("pending");
    w.auth0.orgs.removeMembers(acme.id, [leaver.user_id]);
    w.auth0.reindex();
    const plan = await runSync(["plan"], env);
    expect(plan.stdout).toContain(`(no longer a member: forget the record)`);
    expect((await runSync(["apply"], env)).code).toBe(0);
    expect(leaver.app_metadata?.[ORG_METADATA_KEY]).toBeUndefined();
  });

  it("a deleted organization: its consumer is an orphan, kept without --prune, deleted with it (checked with Auth0, tag-guarded)", async () => {
    const { w, env, users, acme, globex } = await orgWorld();
    expect((await runSync(["apply"], env)).code).toBe(0);
    w.auth0.orgs.delete(globex.id);
    w.auth0.reindex();
    const plan = await runSync(["plan"], env);
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain(
      `- orphan (1)\n      ${globex.id} ${orgConsumerNameFor(globex.id)} (tagged with an Auth0 organization id that no longer exists)`,
    );
    expect(plan.stdout).toContain("add --prune to delete the orphans");
    expect((await runSync(["apply"], env)).code).toBe(0);
    expect(consumerOf(w, globex.id)).toHaveLength(1);

    const before = w.auth0.requests.length;
    const pruned = await runSync(["apply", "--prune"], env);
    expect(pruned.code).toBe(0);
    expect(consumerOf(w, globex.id)).toHaveLength(0);
    const asked = w.auth0.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(asked).toContain(`GET /api/v2/organizations/${globex.id}`);
    const deleted = w.fake.requests.filter((r) => r.operation === "deleteConsumer");
    expect(deleted.map((r) => r.query)).toEqual([{ [`tag.${ORG_TAG}`]: globex.id }]);
    await expectInStep(w, env, [{ id: acme.id, members: users.slice(0, 4) }]);
  });

  it("--prune keeps an orphan whose organization Auth0 still has (created after the listing)", async () => {
    const { w, env } = await orgWorld();
    const lateId = "org_late000000001";
    w.fake.state.addConsumer(BUCKET, {
      name: orgConsumerNameFor(lateId),
      tags: { [ORG_TAG]: lateId },
    });
    let added = false;
    w.auth0.onRequest((r) => {
      if (!added && r.path.endsWith("/members")) {
        added = true;
        w.auth0.orgs.add({ id: lateId, name: "late" });
      }
    });
    const run = await runSync(["apply", "--prune", "--json"], env);
    expect(run.code).toBe(0);
    const orphan = ndjson(run.stdout).find((r) => r.action === "orphan");
    expect(orphan).toMatchObject({ orgId: lateId, status: "kept" });
    expect(consumerOf(w, lateId)).toHaveLength(1);
  });

  it("a member's email changed: verified replaces the manager; unverified follows the pending rule", async () => {
    const { w, env, users, acme } = await orgWorld();
    expect((await runSync(["apply"], env)).code).toBe(0);
    const [moved, unverified] = [users[0], users[2]] as [StandInUser, StandInUser];
    const oldEmail = unverified.email;
    moved.email = "moved@example.com";
    unverified.email = "unconfirmed@example.com";
    unverified.email_verified = false;
    w.auth0.reindex();
    const plan = await runSync(["plan"], env);
    expect(plan.stdout).toContain(`~ replace manager (1)\n      ${acme.id} ${moved.user_id}`);
    expect((await runSync(["apply"], env)).code).toBe(0);
    const managers = managersOf(w, acme.id);
    expect(managers).toContain(`moved@example.com ${moved.user_id}`);
    expect(managers.filter((m) => m.endsWith(` ${moved.user_id}`))).toHaveLength(1);
    // The lifecycle's pending rule: an unverified new email adds nobody and removes nobody.
    expect(managers).toContain(`${oldEmail} ${unverified.user_id}`);
    expect(managers.some((m) => m.startsWith("unconfirmed@"))).toBe(false);
    w.auth0.reindex();
    expect((await runSync(["plan"], env)).code).toBe(0);
  });

  it("a name held by another organization's consumer is a conflict: exit 1, its members untouched", async () => {
    const { w, env, users, acme } = await orgWorld();
    w.fake.state.addConsumer(BUCKET, {
      name: orgConsumerNameFor(acme.id),
      tags: { [ORG_TAG]: "org_someoneelse01" },
    });
    const run = await runSync(["apply"], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`failed conflict ${acme.id} ${orgConsumerNameFor(acme.id)}`);
    expect(recordOf(users[0] as StandInUser)[acme.id]).toBeUndefined();
  });

  it("an organization deleted while being read is skipped; a member not yet in search is left for the next run", async () => {
    const { w, env, users, acme, globex } = await orgWorld();
    w.auth0.seedUsers(1);
    const newcomer = [...w.auth0.users.values()].at(-1) as StandInUser;
    w.auth0.orgs.addMembers(acme.id, [newcomer.user_id]);
    w.auth0.reindex();
    // Search has not caught up with the newcomer yet.
    w.auth0.users.delete(newcomer.user_id);
    w.auth0.reindex();
    w.auth0.users.set(newcomer.user_id, newcomer);
    w.auth0.fault(`/api/v2/organizations/${globex.id}/members`, { kind: "status", status: 404 });
    const run = await runSync(["apply"], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`organization ${globex.id} was deleted while being read`);
    expect(consumerOf(w, globex.id)).toHaveLength(0);
    expect(consumerOf(w, acme.id)).toHaveLength(1);
    expect(managersOf(w, acme.id)).toEqual(verifiedOf(users.slice(0, 4)));
  });

  it("a bad ZUPLO_KEY_SCOPE is bad configuration: exit 2 naming the setting", async () => {
    const { w, env } = await orgWorld();
    const run = await runSync(["plan"], { ...env, ZUPLO_KEY_SCOPE: "team" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("ZUPLO_KEY_SCOPE");
    expect(w.auth0.requests).toEqual([]);
  });
});

describe("organization scope: reading cost and pacing", () => {
  it("reads one page per 50 organizations and members and one users listing; 429s retried call by call", async () => {
    const w = await startWorld({ users: 30, rateLimit: { perSecond: 20 }, latencyMs: 2 });
    const ids = [...w.auth0.users.keys()];
    for (let o = 0; o < 6; o++) {
      const org = w.auth0.orgs.add({ name: `team-${o}` });
      w.auth0.orgs.addMembers(org.id, ids.slice(o * 5, o * 5 + 5));
    }
    w.auth0.reindex();
    const env = { ...w.env, ZUPLO_KEY_SCOPE: "organization" };
    const run = await runSync(["apply", "--concurrency", "16"], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("done 36, failed 0");
    const answered = (pattern: RegExp) =>
      w.auth0.requests.filter((r) => r.method === "GET" && pattern.test(r.path)).length;
    const limited = w.auth0.rateLimited;
    // 1 organizations page + 6 member pages + the user count and 1 search page, plus retries.
    const orgReads = answered(/^\/api\/v2\/organizations$/) + answered(/\/members$/);
    expect(orgReads).toBeGreaterThanOrEqual(7);
    expect(orgReads - limited).toBeLessThanOrEqual(7);
    // No read per member: verification and records come from the users listing.
    expect(answered(/^\/api\/v2\/users\/./)).toBe(0);
    // One successful PATCH per member; every 429 was retried as that same call only.
    expect(w.auth0.patches.length).toBe(30);
    const patches = w.auth0.requests.filter((r) => r.method === "PATCH").length;
    expect(patches - limited).toBeLessThanOrEqual(30);
  });

  it("the real bin (dist/sync.js) plans in organization scope: exit 3, then 0 after apply", async () => {
    const { w, env } = await orgWorld();
    const plan = await spawnBin(["plan"], env, syncFile).done;
    expect(plan.code).toBe(3);
    expect(plan.stdout).toContain("+ create (2)");
    expect((await spawnBin(["apply"], env, syncFile).done).code).toBe(0);
    w.auth0.reindex();
    const again = await spawnBin(["plan"], env, syncFile).done;
    expect(again.code).toBe(0);
    expect(secretsIn(w, plan.stdout + plan.stderr + again.stdout + again.stderr)).toEqual([]);
  });

  it("rides out 429s from Auth0 and Zuplo, and an interrupted apply finishes on the next run", async () => {
    const { w, env, users, acme, globex } = await orgWorld();
    w.auth0.storm(2, "reset", 0);
    w.fake.setFault({ kind: "rate-limit", retryAfter: 1, times: 2 });
    const stop = new AbortController();
    w.auth0.onPatch((count) => {
      if (count === 2) stop.abort();
    });
    let stdout = "";
    const code = await syncMain(["apply", "--zuplo-rate", "10000", "--concurrency", "2"], env, {
      stdout: { write: (t) => (stdout += t), isTTY: false },
      stderr: { write: () => {}, isTTY: false },
      signal: stop.signal,
    });
    expect(code).toBe(1);
    expect(stdout).toContain("incomplete: interrupted");
    expect(w.auth0.rateLimited).toBe(2);
    const again = await runSync(["apply", "--max-attempts", "20"], env);
    expect(again.code).toBe(0);
    expect(w.fake.fault).toBeNull();
    await expectInStep(w, env, [
      { id: acme.id, members: users.slice(0, 4) },
      { id: globex.id, members: users.slice(3, 6) },
    ]);
  }, 30_000);

  it("TTY progress counts organizations", async () => {
    const { env } = await orgWorld();
    const run = await runSync(["apply"], env, { tty: true });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/\[[#-]{24}\] \d\/2 organizations, \d+ done, 0 failed/);
  });
});
