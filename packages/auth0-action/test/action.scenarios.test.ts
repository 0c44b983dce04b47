import type { Execution, HarnessUser } from "@keysmith/auth0-stand-in";
import type { FakeZuplo } from "@keysmith/mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { consumerNameFor } from "../src/consumer-name.js";
import {
  BUCKET,
  consumers,
  consumersOf,
  expectNoForgery,
  exposedText,
  FORGED_DETAIL,
  keyValues,
  startWorld,
  tenantFor,
  userFactory,
  ZUPLO_KEY,
} from "./support/fixtures.js";

let world: Awaited<ReturnType<typeof startWorld>>;
let fake: FakeZuplo;
const seen: Execution[] = [];
/** Fault scenarios use a short budget so the suite stays fast. */
const BUDGET_MS = 1500;
/** "Did not hang": the budget plus the action's grace plus scheduling slack. */
const WITHIN_BUDGET_MS = BUDGET_MS + 1000;

beforeAll(async () => {
  world = await startWorld();
  fake = world.fake;
});
afterEach(() => fake.setFault(null));
afterAll(() => fake.stop());

const newUser = userFactory("65f1c2d3e4f5a6b7c8d9e", "user");

async function login(
  tenant: ReturnType<typeof tenantFor>,
  user: HarnessUser,
  options?: Parameters<ReturnType<typeof tenantFor>["login"]>[1],
) {
  const before = fake.requests.length;
  const execution = await tenant.login(user, options);
  seen.push(execution);
  return { execution, requests: fake.requests.slice(before) };
}

/** What Keysmith stores for a user whose verified email is the manager. */
function recorded(name: string, email: string | undefined) {
  return { api_consumer: name, api_consumer_manager: email };
}

function expectSkipped(execution: Execution, pattern: RegExp) {
  expect(execution.status).toBe("success");
  expect(execution.denyCalls).toEqual([]);
  expect(execution.setAppMetadataCalls).toEqual([]);
  expect(execution.logs).toHaveLength(1);
  expect(execution.logs[0]).toMatch(/^keysmith: provisioning skipped for auth0\|/);
  expect(execution.logs[0]).toMatch(pattern);
  expect(execution.logs[0]?.length).toBeLessThanOrEqual(256);
  expect(execution.durationMs).toBeLessThan(WITHIN_BUDGET_MS);
}

describe(`post-login action against the stateful fake, on Node ${process.versions.node}`, () => {
  it("new user: one create with a key, tagged, stored by name", async () => {
    const tenant = tenantFor(world);
    const user = newUser();
    const { execution, requests } = await login(tenant, user);
    const name = consumerNameFor(user.user_id);

    expect(execution.status).toBe("success");
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: "POST",
      operation: "createConsumer",
      query: { "with-api-key": "true" },
    });
    expect(execution.setAppMetadataCalls).toEqual([
      { key: "api_consumer", value: name },
      { key: "api_consumer_manager", value: user.email },
    ]);
    expect(tenant.appMetadata(user.user_id)).toEqual(recorded(name, user.email));
    expect(execution.logs).toEqual([`keysmith: consumer ${name} created for ${user.user_id}`]);

    const [consumer] = consumersOf(fake, user.user_id);
    expect(consumer?.name).toBe(name);
    expect(consumer?.tags).toEqual({ auth0UserId: user.user_id });
    expect(consumer?.metadata).toEqual({ user_id: user.user_id });
    expect(consumer?.description).toBe(`Consumer for ${user.name}`);
    expect(consumer?.keys.size).toBe(1);
    expect([...(consumer?.managers.values() ?? [])]).toMatchObject([
      { email: user.email, sub: user.user_id },
    ]);
  });

  it("unverified email: no managers and no invitations", async () => {
    const user = newUser({ email_verified: false });
    const { execution } = await login(tenantFor(world), user);
    expect(execution.setAppMetadataCalls).toEqual([
      { key: "api_consumer", value: consumerNameFor(user.user_id) },
      { key: "api_consumer_manager", value: "pending" },
    ]);
    const [consumer] = consumersOf(fake, user.user_id);
    expect(consumer?.managers.size).toBe(0);
    expect(consumer?.invites.size).toBe(0);
  });

  it("returning user: no request at all", async () => {
    const tenant = tenantFor(world);
    const user = newUser();
    await login(tenant, user);
    const { execution, requests } = await login(tenant, user);
    expect(requests).toEqual([]);
    expect(execution.logs).toEqual([]);
    expect(execution.setAppMetadataCalls).toEqual([]);
    expect(execution.event.stats?.logins_count).toBe(2);
  });

  it("tutorial-era stored consumer id: no request, nothing changed", async () => {
    const tenant = tenantFor(world);
    const user = newUser({ app_metadata: { api_consumer: "csmr_brw0leTAVw478VFKD4F6OqVI" } });
    tenant.putUser(user);
    const { execution, requests } = await login(tenant, user);
    expect(requests).toEqual([]);
    expect(execution.setAppMetadataCalls).toEqual([]);
    expect(tenant.appMetadata(user.user_id)).toEqual({
      api_consumer: "csmr_brw0leTAVw478VFKD4F6OqVI",
    });
  });

  it("refresh-token exchange: no request unless ZUPLO_SKIP_REFRESH=false", async () => {
    const user = newUser();
    const skipped = await login(tenantFor(world), user, { protocol: "oauth2-refresh-token" });
    expect(skipped.requests).toEqual([]);
    expect(skipped.execution.logs).toEqual([]);
    const enabled = tenantFor(world, { ZUPLO_SKIP_REFRESH: "false" });
    const done = await login(enabled, user, { protocol: "oauth2-refresh-token" });
    expect(done.requests).toHaveLength(1);
    expect(done.execution.setAppMetadataCalls).toHaveLength(2);
  });

  it("client filter: only the listed Auth0 clients provision", async () => {
    const tenant = tenantFor(world, { ZUPLO_CLIENT_IDS: "portal-a, portal-b" });
    const user = newUser();
    const other = await login(tenant, user, { clientId: "mobile-app" });
    expect(other.requests).toEqual([]);
    const portal = await login(tenant, user, { clientId: "portal-b" });
    expect(portal.requests).toHaveLength(1);
    expect(portal.execution.setAppMetadataCalls).toHaveLength(2);
  });

  it("409 for a consumer of this user: adopted and stored, no second consumer", async () => {
    const user = newUser();
    const name = consumerNameFor(user.user_id);
    fake.state.addConsumer(BUCKET, {
      name,
      tags: { auth0UserId: user.user_id },
      apiKeys: [{}],
      managers: [{ email: user.email as string, sub: user.user_id }],
    });
    const { execution, requests } = await login(tenantFor(world), user);
    expect(requests.map((r) => r.operation)).toEqual(["createConsumer", "getConsumer"]);
    expect(execution.setAppMetadataCalls).toEqual([
      { key: "api_consumer", value: name },
      { key: "api_consumer_manager", value: user.email },
    ]);
    expect(execution.logs).toEqual([`keysmith: consumer ${name} existing for ${user.user_id}`]);
    expect(consumersOf(fake, user.user_id)).toHaveLength(1);
    expect(consumers(fake).filter((c) => c.name === name)).toHaveLength(1);
  });

  it("409 for a consumer of another user: not stored", async () => {
    const user = newUser();
    const name = consumerNameFor(user.user_id);
    fake.state.addConsumer(BUCKET, { name, tags: { auth0UserId: "auth0|somebody-else" } });
    const { execution } = await login(tenantFor(world), user);
    expectSkipped(execution, new RegExp(`consumer ${name} belongs to another user$`));
    expect(execution.logs[0]).not.toContain("somebody-else");
  });

  it("10 concurrent first logins of one user: exactly one consumer", async () => {
    const tenant = tenantFor(world);
    const user = newUser();
    const before = fake.requests.length;
    const runs = await Promise.all(Array.from({ length: 10 }, () => tenant.login(user)));
    seen.push(...runs);
    const name = consumerNameFor(user.user_id);
    expect(consumersOf(fake, user.user_id)).toHaveLength(1);
    expect(consumersOf(fake, user.user_id)[0]?.keys.size).toBe(1);
    for (const run of runs) {
      expect(run.status).toBe("success");
      expect(run.setAppMetadataCalls).toEqual([
        { key: "api_consumer", value: name },
        { key: "api_consumer_manager", value: user.email },
      ]);
    }
    const creates = fake.requests.slice(before).filter((r) => r.operation === "createConsumer");
    expect(creates).toHaveLength(10);
    expect(runs.filter((r) => r.logs[0]?.includes(" created for "))).toHaveLength(1);
    expect(tenant.appMetadata(user.user_id)).toEqual(recorded(name, user.email));
  });

  it("lost metadata write, then the next login: still one consumer", async () => {
    const tenant = tenantFor(world);
    const user = newUser();
    const first = await login(tenant, user, { failTriggerAfterAction: true });
    expect(first.execution.status).toBe("failed");
    expect(tenant.appMetadata(user.user_id)).toEqual({});
    const second = await login(tenant, user);
    expect(second.requests.map((r) => r.operation)).toEqual(["createConsumer", "getConsumer"]);
    expect(consumersOf(fake, user.user_id)).toHaveLength(1);
    expect(tenant.appMetadata(user.user_id)).toEqual(
      recorded(consumerNameFor(user.user_id), user.email),
    );
  });

  it("missing secrets: one clear line naming the secret, no request, login continues", async () => {
    const { ZUPLO_BUCKET_NAME: _, ...rest } = world.secrets;
    const tenant = tenantFor(world);
    const { execution, requests } = await login(tenant, newUser(), { secrets: rest });
    expect(requests).toEqual([]);
    expect(execution.status).toBe("success");
    expect(execution.logs).toEqual([
      "keysmith: provisioning skipped: secret ZUPLO_BUCKET_NAME is missing",
    ]);
    const none = await login(tenant, newUser(), { secrets: {} });
    expect(none.execution.logs).toHaveLength(1);
    expect(none.execution.logs[0]).toMatch(/secret ZUPLO_API_KEY is missing/);
  });

  describe("a failing key service never blocks the login", () => {
    const faulty = () => tenantFor(world, { ZUPLO_TIME_BUDGET_MS: String(BUDGET_MS) });

    it("hang: skipped after the per-attempt timeout, within budget", async () => {
      fake.setFault({ kind: "hang" });
      const user = newUser();
      const { execution } = await login(faulty(), user);
      expectSkipped(execution, /: timeout after 1200 ms \(key service did not answer\)$/);
    });

    it("slow: skipped; the late create is adopted at the next login", async () => {
      // Longer than one attempt (80% of the budget): the client gives up, the fake still creates.
      fake.setFault({ kind: "slow", delayMs: BUDGET_MS, times: 1 });
      const tenant = faulty();
      const user = newUser();
      const { execution } = await login(tenant, user);
      expectSkipped(execution, /: timeout after \d+ ms/);
      await new Promise((resolve) => setTimeout(resolve, 800));
      const next = await login(tenant, user);
      expect(next.execution.logs[0]).toMatch(/ existing for /);
      expect(consumersOf(fake, user.user_id)).toHaveLength(1);
    });

    it("503: skipped (a create is never retried on 5xx)", async () => {
      fake.setFault({ kind: "status", status: 503 });
      const { execution, requests } = await login(faulty(), newUser());
      expectSkipped(execution, /: key service answered 503$/);
      expect(requests).toHaveLength(1);
    });

    it("429 with retry-after 120: skipped at once, not waited for", async () => {
      fake.setFault({ kind: "rate-limit", retryAfter: 120 });
      const { execution, requests } = await login(faulty(), newUser());
      expectSkipped(execution, /: rate limited \(429, retry-after 120 s\)$/);
      expect(requests).toHaveLength(1);
      expect(execution.durationMs).toBeLessThan(1000);
    });

    it("connection reset: skipped", async () => {
      fake.setFault({ kind: "reset" });
      const { execution } = await login(faulty(), newUser());
      expectSkipped(execution, /could not reach the key service/);
    });

    it("malformed JSON: skipped", async () => {
      fake.setFault({ kind: "malformed" });
      const { execution } = await login(faulty(), newUser());
      expectSkipped(execution, /unreadable response/);
    });

    it("401 rejected Zuplo key: skipped with a hint, the key not logged", async () => {
      const wrongKey = "zpka_wrong_key_also_secret_987654321";
      const tenant = tenantFor(world, { ZUPLO_API_KEY: wrongKey });
      const { execution } = await login(tenant, newUser());
      expectSkipped(execution, /Zuplo rejected the API key \(401\): check secret ZUPLO_API_KEY$/);
      expect(exposedText(execution)).not.toContain(wrongKey);
    });

    it("a forged Problem detail: one clean line, no forged line, no key", async () => {
      fake.setFault({ kind: "status", status: 400, detail: FORGED_DETAIL });
      const { execution } = await login(faulty(), newUser());
      expectSkipped(execution, /key service answered 400$/);
      expectNoForgery(execution.logs.join("\n"));
    });

    it("409 then a failing read: skipped, nothing stored", async () => {
      const user = newUser();
      fake.state.addConsumer(BUCKET, {
        name: consumerNameFor(user.user_id),
        tags: { auth0UserId: user.user_id },
      });
      fake.setFault({ kind: "status", status: 500, operation: "getConsumer" });
      const { execution, requests } = await login(faulty(), user);
      expectSkipped(execution, /key service answered 500$/);
      // GET is retried (2 retries by default).
      expect(requests.filter((r) => r.operation === "getConsumer")).toHaveLength(3);
    });
  });

  it("no log line, thrown value or metadata value carries the Zuplo key or a created key", () => {
    const keys = keyValues(fake);
    expect(keys.length).toBeGreaterThan(5);
    expect(seen.length).toBeGreaterThan(20);
    for (const execution of seen) {
      const text = exposedText(execution);
      expect(text).not.toContain(ZUPLO_KEY);
      for (const key of keys) expect(text).not.toContain(key);
    }
    expect(world.action.loadLogs).toEqual([]);
  });
});
