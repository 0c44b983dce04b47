// Organization events (issue 15): a member who leaves stops managing the organization's
// consumer, a member added manages it, a deleted organization's consumer is gone, in any
// delivery order, through the web handler on real HTTP and the real event-stream action.
import {
  auth0OrgCloudEvent,
  EventStreamActionRunner,
  EventStreamDelivery,
  type HarnessUser,
  loadEventStreamAction,
  type OrgCloudEventInput,
  startAuth0UsersStandIn,
} from "@keysmith/auth0-stand-in";
import { afterEach, describe, expect, it } from "vitest";
import { eventStreamActionFile } from "../scripts/build-lib.js";
import { orgConsumerNameFor } from "../src/consumer-name.js";
import { nextTime, startEventsWorld } from "./support/events-world.js";
import { consumers, keyValues, tenantFor, userFactory, ZUPLO_KEY } from "./support/fixtures.js";

const DOMAIN = "keysmith-test.eu.auth0.com";
const M2M = { clientId: "events-m2m", clientSecret: "m2m-secret-DO-NOT-PRINT-0123" };
const ORG_SCOPE = { ZUPLO_KEY_SCOPE: "organization" };
const person = userFactory("88b1c2d3e4f5a6b7c8d9e", "teammate");

let stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops) await stop();
  stops = [];
});

let orgs = 0;
function newOrg() {
  orgs += 1;
  return { id: `org_Ev${orgs}tQ9xZ2mN4pL`, name: `team-${orgs}`, display_name: `Team ${orgs}` };
}

/**
 * Events world in organization scope: the web handler (with or without Auth0 credentials),
 * a users stand-in holding the organization and its members, and two members signed in.
 */
async function orgWorld(withLookup = true) {
  const auth0 = await startAuth0UsersStandIn({ ...M2M, domain: DOMAIN });
  const credentials = {
    AUTH0_DOMAIN: DOMAIN,
    AUTH0_CLIENT_ID: M2M.clientId,
    AUTH0_CLIENT_SECRET: M2M.clientSecret,
    KEYSMITH_AUTH0_ORIGIN: auth0.origin,
  };
  const w = await startEventsWorld({
    extraSettings: { ...ORG_SCOPE, ...(withLookup ? credentials : {}) },
  });
  stops.push(
    () => w.stop(),
    () => auth0.close(),
  );
  const tenant = tenantFor(w, ORG_SCOPE);
  const org = newOrg();
  auth0.orgs.add(org);
  const join = async (user: HarnessUser, login = true) => {
    auth0.users.set(user.user_id, { ...user, created_at: new Date().toISOString() } as never);
    auth0.orgs.addMembers(org.id, [user.user_id]);
    if (login) await tenant.login(user, { organization: org });
  };
  const [ada, bob] = [person(), person()];
  await join(ada);
  await join(bob);
  const event = (type: OrgCloudEventInput["type"], user?: HarnessUser, time = nextTime()) =>
    auth0OrgCloudEvent({
      type,
      organization: org,
      ...(user ? { user: { user_id: user.user_id } } : {}),
      time,
    });
  const orgConsumers = () => consumers(w.fake).filter((c) => c.tags.auth0OrgId === org.id);
  const managers = () =>
    orgConsumers()
      .flatMap((c) => [...c.managers.values()].map((m) => m.sub))
      .sort();
  const keys = () => orgConsumers().flatMap((c) => [...c.keys.values()].map((k) => k.key));
  return { w, auth0, tenant, org, join, ada, bob, event, orgConsumers, managers, keys };
}

const dispositions = (w: { outcomes: Array<{ disposition: string }> }) =>
  w.outcomes.map((o) => o.disposition);

describe("organization events through the web handler (Auth0 credentials set)", () => {
  it("a member who leaves stops managing; the key stays with the organization; re-added, they manage again", async () => {
    const o = await orgWorld();
    const key = o.keys();
    expect(o.managers()).toEqual([o.ada.user_id, o.bob.user_id].sort());

    o.auth0.orgs.removeMembers(o.org.id, [o.bob.user_id]);
    const left = o.event("organization.member.deleted", o.bob);
    await o.w.delivery.deliver(left);
    await o.w.delivery.deliver(left); // Auth0 may deliver twice.
    expect(o.managers()).toEqual([o.ada.user_id]);
    expect(o.keys()).toEqual(key);
    expect(dispositions(o.w)).toEqual(["applied", "duplicate"]);
    expect(o.w.logs[0]).toMatch(
      new RegExp(
        `organization.member.deleted ${o.bob.user_id.replace("|", "\\|")} in ${o.org.id}: manager removed from ${orgConsumerNameFor(o.org.id)}$`,
      ),
    );

    o.auth0.orgs.addMembers(o.org.id, [o.bob.user_id]);
    await o.w.delivery.deliver(o.event("organization.member.added", o.bob));
    expect(o.managers()).toEqual([o.ada.user_id, o.bob.user_id].sort());
    expect(o.w.logs.at(-1)).toMatch(/: manager-added on auth0-org-/);
    // Bob's record still says "manager": his next login costs nothing and he is one.
    const before = o.w.fake.requests.length;
    await o.tenant.login(o.bob, { organization: o.org });
    expect(o.w.fake.requests.length).toBe(before);
  });

  it("reordered: an older added never undoes a newer removal; an older removal never undoes a re-add", async () => {
    const o = await orgWorld();
    const [t1, t2, t3] = [nextTime(), nextTime(), nextTime()];
    // Bob left (t2) after being added (t1): Auth0 delivers the removal first.
    o.auth0.orgs.removeMembers(o.org.id, [o.bob.user_id]);
    await o.w.delivery.deliverAll([
      o.event("organization.member.deleted", o.bob, t2),
      o.event("organization.member.added", o.bob, t1),
    ]);
    expect(o.managers()).toEqual([o.ada.user_id]);
    expect(o.w.logs.at(-1)).toMatch(/no longer a member \(a newer event\)$/);

    // Ada was removed (t2) and added back (t3): Auth0 delivers the re-add first.
    const ada = o.ada;
    await o.w.delivery.deliverAll([
      o.event("organization.member.added", ada, t3),
      o.event("organization.member.deleted", ada, t2),
    ]);
    expect(o.managers()).toEqual([ada.user_id]);
    expect(o.w.logs.at(-1)).toMatch(/a member again \(a newer event added them back\)$/);
  });

  it("a member added with an unverified email gets no manager until verified (then at login)", async () => {
    const o = await orgWorld();
    const cy = person({ email_verified: false });
    await o.join(cy, false);
    await o.w.delivery.deliver(o.event("organization.member.added", cy));
    expect(o.managers()).not.toContain(cy.user_id);
    expect(o.w.logs.at(-1)).toMatch(/email not verified: no manager until it is$/);
    // Verified at Auth0: the next member.added (or login) adds them.
    Object.assign(o.auth0.users.get(cy.user_id) as object, { email_verified: true });
    await o.w.delivery.deliver(o.event("organization.member.added", cy));
    expect(o.managers()).toContain(cy.user_id);
  });

  it("several members leave and join concurrently, duplicated and shuffled: each ends as Auth0 has them", async () => {
    const o = await orgWorld();
    const others = [person(), person(), person()];
    for (const p of others) await o.join(p, false);
    o.auth0.orgs.removeMembers(o.org.id, [o.ada.user_id, o.bob.user_id]);
    await o.w.delivery.deliverAll(
      [
        o.event("organization.member.deleted", o.ada),
        o.event("organization.member.deleted", o.bob),
        ...others.map((p) => o.event("organization.member.added", p)),
      ],
      { shuffleSeed: 7, duplicate: true, concurrent: true },
    );
    expect(o.managers()).toEqual(others.map((p) => p.user_id).sort());
    expect(o.orgConsumers()).toHaveLength(1);
    expect(o.orgConsumers()[0]?.keys.size).toBe(1);
  });

  it("organization.deleted deletes the consumer; a redelivery or a new handler finds it already gone", async () => {
    const o = await orgWorld();
    o.auth0.orgs.delete(o.org.id);
    const gone = o.event("organization.deleted");
    await o.w.delivery.deliver(gone);
    expect(o.orgConsumers()).toEqual([]);
    await o.w.delivery.deliver(o.event("organization.deleted"));
    expect(dispositions(o.w)).toEqual(["applied", "unchanged"]);
    expect(o.w.logs.at(-1)).toMatch(/no consumer \(already gone\)$/);
    // A member event for the deleted organization changes nothing either.
    await o.w.delivery.deliver(o.event("organization.member.deleted", o.ada));
    expect(o.w.outcomes.at(-1)?.status).toBe(200);
  });

  it("an organization.deleted older than the consumer (made after it) leaves it alone", async () => {
    const o = await orgWorld();
    await o.w.delivery.deliver(
      o.event("organization.deleted", undefined, new Date(Date.now() - 3_600_000)),
    );
    expect(o.orgConsumers()).toHaveLength(1);
    expect(o.w.logs.at(-1)).toMatch(/consumer is newer than the deletion$/);
  });

  it("Auth0 failing to answer the member read: 503 (Auth0 retries), then applied", async () => {
    const o = await orgWorld();
    o.auth0.orgs.removeMembers(o.org.id, [o.bob.user_id]);
    o.auth0.fault(/\/organizations$/, { kind: "status", status: 500 }, 1);
    const record = await o.w.delivery.deliver(o.event("organization.member.deleted", o.bob));
    expect(record.attempts.map((a) => a.result)).toEqual([503, 200]);
    expect(o.managers()).toEqual([o.ada.user_id]);
  });

  it("a malformed organization event is 400; user scope answers organization events 204", async () => {
    const o = await orgWorld();
    const bad = o.event("organization.member.deleted", o.bob);
    (bad.data as { object: Record<string, unknown> }).object.organization = { name: "no id" };
    await o.w.delivery.deliver(bad);
    expect(o.w.outcomes.at(-1)).toMatchObject({ status: 400 });
    expect(o.w.logs.at(-1)).toContain("data.object.organization.id");

    const userScope = await startEventsWorld();
    stops.push(() => userScope.stop());
    await userScope.delivery.deliver(o.event("organization.deleted"));
    expect(userScope.outcomes[0]).toMatchObject({ status: 204 });
    expect(userScope.logs[0]).toMatch(
      /ignored: organization.deleted \(organization scope is off\)$/,
    );
    expect(o.orgConsumers()).toHaveLength(1);
  });
});

describe("organization events without Auth0 credentials", () => {
  it("member.deleted removes the manager; member.added is left for the member's login; an old removal spares a newer entry", async () => {
    const o = await orgWorld(false);
    await o.w.delivery.deliver(o.event("organization.member.deleted", o.bob));
    expect(o.managers()).toEqual([o.ada.user_id]);

    await o.w.delivery.deliver(o.event("organization.member.added", o.bob));
    expect(o.managers()).toEqual([o.ada.user_id]);
    expect(o.w.logs.at(-1)).toMatch(
      /no Auth0 credentials to read the member: added at their login$/,
    );

    // A removal from long ago, delivered late: Ada's entry is newer, so it stays.
    await o.w.delivery.deliver(
      o.event("organization.member.deleted", o.ada, new Date(Date.now() - 3_600_000)),
    );
    expect(o.managers()).toEqual([o.ada.user_id]);
    expect(o.w.logs.at(-1)).toMatch(/manager added after the removal \(a newer event\)$/);
  });
});

describe("organization events through the real event-stream action", () => {
  it("member.deleted, member.added and organization.deleted; a failure throws so Auth0 retries", async () => {
    const o = await orgWorld();
    const action = await loadEventStreamAction(eventStreamActionFile);
    const runner = new EventStreamActionRunner(action, {
      ...o.w.secrets,
      ...ORG_SCOPE,
      AUTH0_DOMAIN: DOMAIN,
      AUTH0_CLIENT_ID: M2M.clientId,
      AUTH0_CLIENT_SECRET: M2M.clientSecret,
      KEYSMITH_AUTH0_ORIGIN: o.auth0.origin,
      ZUPLO_TIME_BUDGET_MS: "1000",
    });
    const delivery = new EventStreamDelivery({ action: runner }, { scale: 0.01 });

    o.auth0.orgs.removeMembers(o.org.id, [o.bob.user_id]);
    o.w.fake.setFault({ kind: "status", status: 503, operation: "deleteManager", times: 3 });
    const removal = await delivery.deliver(o.event("organization.member.deleted", o.bob));
    expect(removal.attempts.map((a) => a.result)).toEqual(["thrown", "ok"]);
    expect(o.managers()).toEqual([o.ada.user_id]);

    o.auth0.orgs.addMembers(o.org.id, [o.bob.user_id]);
    await delivery.deliver(o.event("organization.member.added", o.bob));
    expect(o.managers()).toEqual([o.ada.user_id, o.bob.user_id].sort());

    await delivery.deliver(o.event("organization.deleted"));
    expect(o.orgConsumers()).toEqual([]);
    const logs = runner.executions.flatMap((e) => e.logs).join("\n");
    expect(logs).toMatch(/organization.deleted in org_\S+: deleted auth0-org-/);
    for (const secret of [ZUPLO_KEY, M2M.clientSecret, ...keyValues(o.w.fake), ...o.auth0.tokens]) {
      expect(logs).not.toContain(secret);
    }
    const thrown = runner.executions.map((e) => String((e.failure as Error | undefined)?.message));
    for (const secret of [ZUPLO_KEY, M2M.clientSecret, ...o.auth0.tokens]) {
      expect(thrown.join("\n")).not.toContain(secret);
    }
  });
});

describe("no secret in any output", () => {
  it("logs and answers of the web handler carry no key, account key, client secret or token", async () => {
    const o = await orgWorld();
    o.auth0.orgs.removeMembers(o.org.id, [o.bob.user_id]);
    o.w.fake.setFault({ kind: "status", status: 500, detail: ZUPLO_KEY, times: 3 });
    await o.w.delivery.deliverAll([
      o.event("organization.member.deleted", o.bob),
      o.event("organization.member.added", o.ada),
      o.event("organization.deleted"),
    ]);
    const text = [...o.w.logs, ...o.w.outcomes.map((x) => JSON.stringify(x))].join("\n");
    const all: string[] = [ZUPLO_KEY, M2M.clientSecret, ...keyValues(o.w.fake), ...o.auth0.tokens];
    for (const secret of all) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/zpka_/);
  });
});
