// Account linking sends user.deleted for the secondary account: the person keeps their key,
// in either delivery order.
import { startAuth0UsersStandIn } from "@keysmith/auth0-stand-in";
import { createLeanZuploClient } from "@keysmith/client";
import { startFakeZuplo } from "@keysmith/mock";
import { afterEach, describe, expect, it } from "vitest";
import { consumerNameFor } from "../src/consumer-name.js";
import { applyUserEvent } from "../src/events/apply-event.js";
import { createAuth0Reader } from "../src/events/auth0-reader.js";
import { parseCloudEvent, type UserEvent } from "../src/events/cloud-event.js";
import { describeFailure } from "../src/log-line.js";
import {
  allKeys,
  deleted,
  nextTime,
  startEventsWorld,
  updated,
  workingKeys,
} from "./support/events-world.js";
import { ACCOUNT, BUCKET, consumersOf, ZUPLO_KEY } from "./support/fixtures.js";

const DOMAIN = "keysmith-test.eu.auth0.com";
const M2M = { clientId: "events-m2m", clientSecret: "m2m-secret-DO-NOT-PRINT-0123" };
const primary = { user_id: "google-oauth2|1029", email: "ada@example.com", email_verified: true };
const secondary = { user_id: "auth0|ada", email: "ada@example.com", email_verified: true };
const identity = (id: string) => {
  const [provider = "", userId = ""] = id.split("|");
  return { provider, user_id: userId };
};

let stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stops) await stop();
  stops = [];
});

async function linkedWorld(withLookup: boolean, override: Record<string, string> = {}) {
  const users = await startAuth0UsersStandIn({ ...M2M, domain: DOMAIN });
  const settings: Record<string, string> = withLookup
    ? {
        AUTH0_DOMAIN: DOMAIN,
        AUTH0_CLIENT_ID: M2M.clientId,
        AUTH0_CLIENT_SECRET: M2M.clientSecret,
        KEYSMITH_AUTH0_ORIGIN: users.origin,
        ...override,
      }
    : {};
  const w = await startEventsWorld({ extraSettings: settings });
  stops.push(
    () => w.stop(),
    () => users.close(),
  );
  // Both accounts signed in before they were linked: each has a consumer and a key.
  await w.tenant.login(secondary);
  await w.tenant.login(primary);
  for (const u of [primary, secondary]) {
    users.users.set(u.user_id, {
      ...u,
      created_at: new Date().toISOString(),
      identities: [identity(u.user_id)],
    });
  }
  const secondaryKey = workingKeys(w.fake, secondary.user_id)[0] as string;
  return { w, users, secondaryKey };
}

const linkedUpdate = (time = nextTime()) =>
  updated(
    { ...primary, identities: [identity(primary.user_id), identity(secondary.user_id)] },
    time,
  );

describe("account linking", () => {
  it("primary's user.updated first: the secondary's consumer moves to the primary; its deletion then deletes nothing", async () => {
    const { w, secondaryKey } = await linkedWorld(false);
    await w.delivery.deliver(linkedUpdate());
    await w.delivery.deliver(deleted(secondary));
    expect(workingKeys(w.fake, primary.user_id)).toContain(secondaryKey);
    const moved = consumersOf(w.fake, primary.user_id).find((c) => c.tags.auth0LinkedFrom);
    expect(moved?.tags).toMatchObject({
      auth0UserId: primary.user_id,
      auth0LinkedFrom: secondary.user_id,
    });
    expect(w.outcomes.map((o) => o.disposition)).toEqual(["applied", "unchanged"]);

    // The moved consumer is the primary's now: blocking the primary ends both keys.
    await w.delivery.deliver(updated({ ...primary, blocked: true }));
    expect(workingKeys(w.fake, primary.user_id)).toEqual([]);
  });

  it("user.deleted first: Auth0 says who carries the identity now, and the key moves instead of dying", async () => {
    const { w, users, secondaryKey } = await linkedWorld(true);
    users.linkAccounts(primary.user_id, secondary.user_id);
    await w.delivery.deliver(deleted(secondary));
    expect(workingKeys(w.fake, primary.user_id)).toContain(secondaryKey);
    expect(consumersOf(w.fake, secondary.user_id)).toEqual([]);
    await w.delivery.deliver(linkedUpdate());
    expect(workingKeys(w.fake, primary.user_id)).toHaveLength(2);
    for (const token of users.tokens) expect(w.logs.join("\n")).not.toContain(token);
    expect(w.logs.join("\n")).not.toContain(M2M.clientSecret);
  });

  it("a blocked primary's user.updated that links: the moved key is suspended too", async () => {
    const { w } = await linkedWorld(false);
    await w.delivery.deliver(
      updated({
        ...primary,
        blocked: true,
        identities: [identity(primary.user_id), identity(secondary.user_id)],
      }),
    );
    expect(consumersOf(w.fake, primary.user_id)).toHaveLength(2);
    expect(workingKeys(w.fake, primary.user_id)).toEqual([]);
    for (const c of consumersOf(w.fake, primary.user_id)) {
      expect(c.tags.auth0Access).toMatch(/^suspended@/);
      expect(c.tags.auth0UserId).toBe(primary.user_id);
    }
  });

  it("user.deleted first, primary already blocked: the moved key is suspended", async () => {
    const { w, users, secondaryKey } = await linkedWorld(true);
    await w.delivery.deliver(updated({ ...primary, blocked: true }));
    const stored = users.users.get(primary.user_id);
    if (stored) stored.blocked = true;
    users.linkAccounts(primary.user_id, secondary.user_id);
    await w.delivery.deliver(deleted(secondary));
    expect(allKeys(w.fake, primary.user_id)).toContain(secondaryKey);
    expect(workingKeys(w.fake, primary.user_id)).toEqual([]);
    const moved = consumersOf(w.fake, primary.user_id).find((c) => c.tags.auth0LinkedFrom);
    expect(moved?.tags).toMatchObject({ auth0UserId: primary.user_id });
    expect(moved?.tags.auth0Access).toMatch(/^suspended@/);
  });

  it("a real deletion (nobody carries the identity) deletes", async () => {
    const { w } = await linkedWorld(true);
    await w.delivery.deliver(deleted(secondary));
    expect(consumersOf(w.fake, secondary.user_id)).toEqual([]);
    expect(consumersOf(w.fake, primary.user_id)).toHaveLength(1);
  });

  it("when Auth0 cannot be asked, the deletion waits for a retry instead of deleting", async () => {
    const { w, users, secondaryKey } = await linkedWorld(true);
    users.storm(10, "retry-after");
    const record = await w.delivery.deliver(deleted(secondary));
    expect(record.attempts.every((a) => a.result === 503)).toBe(true);
    expect(workingKeys(w.fake, secondary.user_id)).toEqual([secondaryKey]);
  });

  it("a wrong Auth0 credential names the settings to check, never the secret", async () => {
    const wrong = "wrong-secret-DO-NOT-PRINT-4567";
    const { w } = await linkedWorld(true, { AUTH0_CLIENT_SECRET: wrong });
    const record = await w.delivery.deliver(deleted(secondary));
    expect(record.attempts.every((a) => a.result === 503)).toBe(true);
    expect(w.logs[0]).toContain("retry later: Auth0 token endpoint answered 401");
    expect(w.logs[0]).toMatch(/AUTH0_CLIENT_ID.*AUTH0_CLIENT_SECRET.*AUTH0_DOMAIN/);
    expect(w.logs.join("\n")).not.toContain("unexpected");
    expect(w.logs.join("\n")).not.toContain(wrong);
  });

  it("a 403 from Auth0 names the application and the scopes it needs", async () => {
    const answers = [
      Response.json({ access_token: "tok-DO-NOT-PRINT", expires_in: 3600 }),
      Response.json({ message: "Insufficient scope, expected: read:users" }, { status: 403 }),
    ];
    const reader = createAuth0Reader({
      domain: DOMAIN,
      ...M2M,
      fetch: async () => answers.shift() as Response,
    });
    const error = await reader.get("users-by-email", { email: "a@b.c" }, "users-by-email").then(
      () => undefined,
      (e: unknown) => e,
    );
    const line = describeFailure(error, {
      attemptTimeoutMs: 1000,
      budgetMs: 5000,
      budgetSignal: new AbortController().signal,
    });
    expect(line).toContain("Auth0 users-by-email answered 403");
    expect(line).toContain("AUTH0_CLIENT_ID");
    expect(line).toContain("read:users");
    expect(line).not.toContain("tok-DO-NOT-PRINT");
  });
});

/**
 * A fake with one consumer of `owner`, and a client that calls `beforeFirstPatch` with the
 * consumer's live record just before its first PATCH: a concurrent event's write, landing
 * between this event's read and its write.
 */
async function racingWorld(
  owner: string,
  tags: Record<string, string>,
  beforeFirstPatch: (tags: Record<string, string>) => Record<string, string>,
) {
  const fake = await startFakeZuplo({
    apiKey: ZUPLO_KEY,
    accountName: ACCOUNT,
    buckets: [{ name: BUCKET }],
  });
  stops.push(() => fake.stop());
  const name = consumerNameFor(owner);
  fake.state.addConsumer(BUCKET, { name, tags, apiKeys: [{}] });
  const live = () => fake.state.bucket(BUCKET).consumers.get(name);
  let raced = false;
  const client = createLeanZuploClient({
    apiKey: ZUPLO_KEY,
    accountName: ACCOUNT,
    baseUrl: fake.url,
    maxRetries: 0,
    fetch: (url, init) => {
      const consumer = live();
      if (init?.method === "PATCH" && !raced && consumer) {
        raced = true;
        consumer.tags = beforeFirstPatch(consumer.tags);
      }
      return fetch(url, init);
    },
  });
  return { client, tagsNow: () => live()?.tags };
}

const NEWER = "suspended@2030-01-01T00:00:00.000Z";

describe("writes that lost a race", () => {
  it("leaves the state a concurrent event wrote: no access step runs on the stale snapshot", async () => {
    // The secondary's user.deleted lists the consumer as the secondary's; before its move,
    // the primary's linking user.updated moves it and the primary's block records suspended.
    const { client, tagsNow } = await racingWorld(
      secondary.user_id,
      { auth0UserId: secondary.user_id },
      () => ({
        auth0UserId: primary.user_id,
        auth0LinkedFrom: secondary.user_id,
        auth0Access: NEWER,
      }),
    );
    const event = parseCloudEvent(deleted(secondary)) as UserEvent;
    const result = await applyUserEvent(client, BUCKET, event, {
      findPrimary: async () => ({ userId: primary.user_id, blocked: false }),
    });
    expect(result.outcome).toBe("unchanged");
    expect(tagsNow()?.auth0Access).toBe(NEWER);
  });

  it("a state write finds a newer state written meanwhile and leaves it", async () => {
    // A concurrent block event records its state just before this unblock's write.
    const { client, tagsNow } = await racingWorld(
      primary.user_id,
      { auth0UserId: primary.user_id, auth0Access: "active@2020-01-01T00:00:00.000Z" },
      (tags) => ({ ...tags, auth0Access: NEWER }),
    );
    const event = parseCloudEvent(updated({ ...primary, blocked: false })) as UserEvent;
    await applyUserEvent(client, BUCKET, event);
    expect(tagsNow()?.auth0Access).toBe(NEWER);
  });
});
