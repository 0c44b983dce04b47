// The login path of the lifecycle (issue 10) and the action's hostile edges (issue 11),
// through the real bundled dist/action.js in the Auth0 harness.
import type { Auth0Tenant, Execution, HarnessUser } from "@keysmith/auth0-stand-in";
import type { FakeZuplo } from "@keysmith/mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { consumerNameFor } from "../src/consumer-name.js";
import {
  consumersOf,
  exposedText,
  keyValues,
  loginCounting,
  startWorld,
  tenantFor,
  userFactory,
  ZUPLO_KEY,
} from "./support/fixtures.js";
import { startHostile, streamHugeJson } from "./support/hostile-zuplo.js";

let world: Awaited<ReturnType<typeof startWorld>>;
let fake: FakeZuplo;
const seen: Execution[] = [];

beforeAll(async () => {
  world = await startWorld();
  fake = world.fake;
});
afterEach(() => {
  fake.setFault(null);
  fake.state.duplicateManagers = false;
});
afterAll(() => fake.stop());

const newUser = userFactory("6601c2d3e4f5a6b7c8d9e", "person");
const login = (tenant: Auth0Tenant, user: HarnessUser) =>
  loginCounting(fake, tenant, user, {}, seen);

/** Changes the stored Auth0 user, as clicking a verification link or editing a profile does. */
function update(tenant: Auth0Tenant, userId: string, patch: Partial<HarnessUser>) {
  Object.assign(tenant.users.get(userId) as object, patch);
}

function managersOf(userId: string) {
  const [consumer] = consumersOf(fake, userId);
  return [...(consumer?.managers.values() ?? [])].map((m) => ({ email: m.email, sub: m.sub }));
}

describe("login path: every portal user reaches their key", () => {
  it("unverified at sign-up: key without manager, pending; verified later: the manager is added (one write, one read); then zero", async () => {
    const tenant = tenantFor(world);
    const user = newUser({ email_verified: false });
    const name = consumerNameFor(user.user_id);

    const signup = await login(tenant, user);
    expect(signup.operations).toEqual(["createConsumer"]);
    expect(signup.execution.logs).toEqual([
      `keysmith: consumer ${name} created for ${user.user_id} (manager pending: no verified email)`,
    ]);
    expect(tenant.appMetadata(user.user_id)).toEqual({
      api_consumer: name,
      api_consumer_manager: "pending",
    });
    expect(managersOf(user.user_id)).toEqual([]);
    expect(consumersOf(fake, user.user_id)[0]?.invites.size).toBe(0);

    // Still unverified: nothing to do, no request.
    const again = await login(tenant, user);
    expect(again.operations).toEqual([]);
    expect(again.execution.logs).toEqual([]);

    update(tenant, user.user_id, { email_verified: true });
    const verified = await login(tenant, user);
    // One write (the add) and one read that proves a single entry (see README: add-then-dedupe).
    expect(verified.operations).toEqual(["createManager", "listManagers"]);
    expect(verified.execution.logs).toEqual([
      `keysmith: manager added to consumer ${name} for ${user.user_id}`,
    ]);
    expect(managersOf(user.user_id)).toEqual([{ email: user.email, sub: user.user_id }]);
    expect(tenant.appMetadata(user.user_id)).toEqual({
      api_consumer: name,
      api_consumer_manager: user.email,
    });

    const settled = await login(tenant, user);
    expect(settled.operations).toEqual([]);
    expect(settled.execution.logs).toEqual([]);
    expect(settled.execution.setAppMetadataCalls).toEqual([]);
  });

  for (const duplicates of [false, true]) {
    it(`concurrent logins of a pending user leave one manager entry (service ${duplicates ? "keeps" : "merges"} duplicate adds)`, async () => {
      fake.state.duplicateManagers = duplicates;
      const tenant = tenantFor(world);
      const user = newUser({ email_verified: false });
      await login(tenant, user);
      update(tenant, user.user_id, { email_verified: true });
      const runs = await Promise.all(Array.from({ length: 6 }, () => tenant.login(user)));
      seen.push(...runs);
      for (const run of runs) {
        expect(run.status).toBe("success");
        expect(run.logs[0]).toMatch(/^keysmith: manager added to consumer /);
      }
      expect(managersOf(user.user_id)).toEqual([{ email: user.email, sub: user.user_id }]);
      expect(tenant.appMetadata(user.user_id)?.api_consumer_manager).toBe(user.email);
      const after = await login(tenant, user);
      expect(after.operations).toEqual([]);
    });
  }

  it("verified email change: the new address replaces the old; an unverified change waits", async () => {
    const tenant = tenantFor(world);
    const user = newUser();
    await login(tenant, user);
    expect(managersOf(user.user_id)).toEqual([{ email: user.email, sub: user.user_id }]);

    // A change to an unverified address: never a manager, the old one stays, no request.
    update(tenant, user.user_id, { email: "unverified-new@example.com", email_verified: false });
    const pendingChange = await login(tenant, user);
    expect(pendingChange.operations).toEqual([]);
    expect(managersOf(user.user_id)).toEqual([{ email: user.email, sub: user.user_id }]);

    update(tenant, user.user_id, { email: "verified-new@example.com", email_verified: true });
    const changed = await login(tenant, user);
    expect(changed.operations).toEqual(["createManager", "listManagers", "deleteManager"]);
    expect(changed.execution.logs[0]).toMatch(
      /manager of consumer .* replaced for .* \(email changed\)$/,
    );
    expect(changed.execution.logs[0]).not.toContain("@");
    expect(managersOf(user.user_id)).toEqual([
      { email: "verified-new@example.com", sub: user.user_id },
    ]);
    expect(tenant.appMetadata(user.user_id)?.api_consumer_manager).toBe("verified-new@example.com");
    expect((await login(tenant, user)).operations).toEqual([]);
  });

  it("keeps managers that are not this person (added by an administrator)", async () => {
    const tenant = tenantFor(world);
    const user = newUser();
    const name = consumerNameFor(user.user_id);
    const admin = { email: "admin@example.com", sub: "auth0|admin" };
    fake.state.addConsumer("acme-prod", {
      name,
      tags: { auth0UserId: user.user_id },
      managers: [admin],
    });
    tenant.putUser({
      ...user,
      app_metadata: { api_consumer: name, api_consumer_manager: "pending" },
    });
    expect((await login(tenant, user)).operations).toEqual(["createManager", "listManagers"]);
    expect(managersOf(user.user_id)).toEqual([admin, { email: user.email, sub: user.user_id }]);
  });

  it("no email at all (e.g. a phone login): key, pending, and zero requests until a verified email", async () => {
    const tenant = tenantFor(world);
    const { email: _, ...noEmail } = newUser({ email_verified: false });
    const first = await login(tenant, noEmail);
    expect(first.operations).toEqual(["createConsumer"]);
    expect(tenant.appMetadata(noEmail.user_id)?.api_consumer_manager).toBe("pending");
    expect((await login(tenant, noEmail)).operations).toEqual([]);
    update(tenant, noEmail.user_id, { email: "late@example.com", email_verified: true });
    expect((await login(tenant, noEmail)).operations).toEqual(["createManager", "listManagers"]);
    expect(managersOf(noEmail.user_id)).toEqual([
      { email: "late@example.com", sub: noEmail.user_id },
    ]);
  });

  it("a consumer recorded before api_consumer_manager existed gets its manager once", async () => {
    const tenant = tenantFor(world);
    const user = newUser();
    const name = consumerNameFor(user.user_id);
    fake.state.addConsumer("acme-prod", { name, tags: { auth0UserId: user.user_id } });
    tenant.putUser({ ...user, app_metadata: { api_consumer: name } });
    expect((await login(tenant, user)).operations).toEqual(["createManager", "listManagers"]);
    expect(managersOf(user.user_id)).toEqual([{ email: user.email, sub: user.user_id }]);
    expect((await login(tenant, user)).operations).toEqual([]);
  });
});

describe("the manager step under faults", () => {
  it("a hang while adding the manager: login within budget, still pending, the next login finishes it", async () => {
    const budgetMs = 1000;
    const tenant = tenantFor(world, { ZUPLO_TIME_BUDGET_MS: String(budgetMs) });
    const user = newUser({ email_verified: false });
    await login(tenant, user);
    update(tenant, user.user_id, { email_verified: true });

    fake.setFault({ kind: "hang", operation: "createManager" });
    const hung = await login(tenant, user);
    expect(hung.execution.status).toBe("success");
    expect(hung.execution.durationMs).toBeLessThan(budgetMs + 250 + 750);
    expect(hung.execution.logs).toEqual([
      `keysmith: manager update skipped for ${user.user_id}: timeout after 800 ms (key service did not answer)`,
    ]);
    expect(tenant.appMetadata(user.user_id)?.api_consumer_manager).toBe("pending");

    // The add goes through, then the listing fails: still pending; the next login converges.
    fake.setFault({ kind: "status", status: 503, operation: "listManagers" });
    const failed = await login(tenant, user);
    expect(failed.execution.logs[0]).toMatch(
      /manager update skipped .*: key service answered 503$/,
    );
    expect(tenant.appMetadata(user.user_id)?.api_consumer_manager).toBe("pending");

    fake.setFault(null);
    const healed = await login(tenant, user);
    expect(healed.operations).toEqual(["createManager", "listManagers"]);
    expect(managersOf(user.user_id)).toEqual([{ email: user.email, sub: user.user_id }]);
    expect(tenant.appMetadata(user.user_id)?.api_consumer_manager).toBe(user.email);
  });
});

describe("the action under hostile edges (issue 11)", () => {
  it("a long non-ASCII user_id is provisionable: metadata stays under 1 KB", async () => {
    const tenant = tenantFor(world);
    const user = newUser({ user_id: `oauth2|${"ユーザー".repeat(125)}` });
    const { execution, operations } = await login(tenant, user);
    expect(operations).toEqual(["createConsumer"]);
    expect(execution.logs[0]).toMatch(/ created for /);
    const [consumer] = [...fake.state.bucket("acme-prod").consumers.values()].filter(
      (c) => c.name === consumerNameFor(user.user_id),
    );
    expect(Buffer.byteLength(JSON.stringify(consumer?.metadata))).toBeLessThanOrEqual(1024);
    expect(consumer?.tags.auth0UserId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect((await login(tenant, user)).operations).toEqual([]);
  });

  it("stores no consumer name unless the answer is that consumer", async () => {
    const other = {
      id: "csmr_other",
      name: "someone-else",
      tags: { auth0UserId: "auth0|someone-else" },
      createdOn: "2026-01-01T00:00:00.000Z",
      updatedOn: "2026-01-01T00:00:00.000Z",
    };
    const hostile = await startHostile((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(other));
    });
    try {
      const tenant = tenantFor(world, { ZUPLO_API_URL: hostile.url });
      const user = newUser();
      const { execution } = await login(tenant, user);
      expect(execution.status).toBe("success");
      expect(execution.setAppMetadataCalls).toEqual([]);
      expect(execution.logs[0]).toMatch(
        /^keysmith: provisioning skipped for .*: consumer .* was not in the answer/,
      );
    } finally {
      await hostile.stop();
    }
  });

  it("a huge body on the read after a 409 does not break the time budget", async () => {
    const budgetMs = 3000;
    const hostile = await startHostile((req, res) => {
      if (req.method === "POST") {
        res.writeHead(409, { "content-type": "application/problem+json" });
        res.end(JSON.stringify({ type: "about:blank", title: "Conflict", status: 409 }));
      } else streamHugeJson(res, 250 * 1024 * 1024);
    });
    try {
      const tenant = tenantFor(world, {
        ZUPLO_API_URL: hostile.url,
        ZUPLO_TIME_BUDGET_MS: String(budgetMs),
      });
      const { execution } = await login(tenant, newUser());
      expect(execution.status).toBe("success");
      expect(execution.setAppMetadataCalls).toEqual([]);
      expect(execution.logs[0]).toMatch(
        /^keysmith: provisioning skipped for .*: key service sent an oversized response \(over 65536 bytes\)$/,
      );
      // Reading stops at the cap: far inside the budget, not at its end (nor past it).
      expect(execution.durationMs).toBeLessThan(budgetMs);
    } finally {
      await hostile.stop();
    }
  });

  it("no log line or metadata value carries the Zuplo key, a created key or an email", () => {
    const keys = keyValues(fake);
    expect(keys.length).toBeGreaterThan(5);
    for (const execution of seen) {
      const text = [...execution.logs].join("\n");
      expect(exposedText(execution)).not.toContain(ZUPLO_KEY);
      for (const key of keys) expect(exposedText(execution)).not.toContain(key);
      expect(text).not.toMatch(/@example\.com/);
    }
  });
});
