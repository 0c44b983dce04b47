// The web handler over real HTTP, against the stateful fake, with Auth0's delivery in front:
// each event kind, duplicates, reordering, blocked then unblocked, email change, failures.
import { request } from "node:http";
import { auth0CloudEvent } from "@keysmith/auth0-stand-in";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  allKeys,
  deleted,
  nextTime,
  startEventsWorld,
  updated,
  WEBHOOK_TOKEN,
  workingKeys,
} from "./support/events-world.js";
import { consumersOf, keyValues, ZUPLO_KEY } from "./support/fixtures.js";

const ada = { user_id: "auth0|ada", email: "ada@example.com", email_verified: true, name: "Ada" };

let w: Awaited<ReturnType<typeof startEventsWorld>>;
beforeEach(async () => {
  w = await startEventsWorld();
  // Sign-up: the real login action gives Ada her consumer and first key.
  await w.tenant.login(ada);
  expect(workingKeys(w.fake, ada.user_id)).toHaveLength(1);
});
afterEach(() => w.stop());

function exposed(): string {
  return [...w.logs, ...w.outcomes.map((o) => JSON.stringify(o))].join("\n");
}

describe("user.updated blocked / unblocked", () => {
  it("blocked: every key stops working; unblocked: a fresh key works, the old stay expired", async () => {
    const [oldKey] = workingKeys(w.fake, ada.user_id);
    const block = await w.delivery.deliver(updated({ ...ada, blocked: true }));
    expect(block.delivered).toBe(true);
    expect(workingKeys(w.fake, ada.user_id)).toEqual([]);
    expect(allKeys(w.fake, ada.user_id)).toEqual([oldKey]);
    expect(consumersOf(w.fake, ada.user_id)[0]?.tags.auth0Access).toMatch(/^suspended@/);

    const unblock = await w.delivery.deliver(updated({ ...ada, blocked: false }));
    expect(unblock.delivered).toBe(true);
    const working = workingKeys(w.fake, ada.user_id);
    expect(working).toHaveLength(1);
    expect(working[0]).not.toBe(oldKey);
    expect(consumersOf(w.fake, ada.user_id)[0]?.tags.auth0Access).toMatch(/^active@/);
    expect(w.outcomes.map((o) => o.disposition)).toEqual(["applied", "applied"]);
  });

  it("an ordinary profile update changes nothing and writes nothing", async () => {
    const writes = () => w.fake.requests.filter((r) => r.method !== "GET").length;
    const before = writes();
    await w.delivery.deliver(updated({ ...ada, name: "Ada L." }));
    expect(writes()).toBe(before);
    expect(w.outcomes[0]?.disposition).toBe("unchanged");
  });

  it("a verified email change follows the login path's manager rule", async () => {
    const consumer = consumersOf(w.fake, ada.user_id)[0];
    expect([...(consumer?.managers.values() ?? [])].map((m) => m.email)).toEqual([ada.email]);
    await w.delivery.deliver(
      updated({ ...ada, email: "ada@lovelace.dev", email_verified: true }, nextTime(), {
        email: ada.email,
      }),
    );
    expect([...(consumer?.managers.values() ?? [])].map((m) => m.email)).toEqual([
      "ada@lovelace.dev",
    ]);
    // An unverified new address is never made a manager.
    await w.delivery.deliver(
      updated({ ...ada, email: "mallory@example.com", email_verified: false }),
    );
    expect([...(consumer?.managers.values() ?? [])].map((m) => m.email)).toEqual([
      "ada@lovelace.dev",
    ]);
  });
});

describe("user.deleted", () => {
  it("deletes the consumer found by its auth0UserId tag; deleting it again is success", async () => {
    const first = await w.delivery.deliver(deleted(ada));
    expect(first.delivered).toBe(true);
    expect(consumersOf(w.fake, ada.user_id)).toEqual([]);
    const again = await w.delivery.deliver(deleted(ada));
    expect(again.attempts).toEqual([expect.objectContaining({ result: 200 })]);
    expect(w.outcomes.map((o) => o.disposition)).toEqual(["applied", "unchanged"]);
  });

  it("leaves other users' consumers alone", async () => {
    const bob = { user_id: "google-oauth2|1029", email: "bob@example.com", email_verified: true };
    await w.tenant.login(bob);
    await w.delivery.deliver(deleted(ada));
    expect(consumersOf(w.fake, bob.user_id)).toHaveLength(1);
    expect(workingKeys(w.fake, bob.user_id)).toHaveLength(1);
  });
});

describe("delivery as it really is", () => {
  it("duplicates: the same event delivered twice at once is applied once", async () => {
    const block = updated({ ...ada, blocked: true });
    const records = await w.delivery.deliverAll([block], { duplicate: true, concurrent: true });
    expect(records.every((r) => r.delivered)).toBe(true);
    const keyUpdates = w.fake.requests.filter((r) => r.operation === "updateKey");
    expect(keyUpdates).toHaveLength(1);
    expect(w.outcomes.map((o) => o.disposition).sort()).toEqual(["applied", "duplicate"]);
  });

  it("reordering: blocked at t2 then unblocked at t1 leaves the user blocked", async () => {
    const t1 = nextTime();
    const t2 = nextTime();
    await w.delivery.deliver(updated({ ...ada, blocked: true }, t2));
    await w.delivery.deliver(updated({ ...ada, blocked: false }, t1));
    expect(workingKeys(w.fake, ada.user_id)).toEqual([]);
    expect(w.outcomes.map((o) => o.disposition)).toEqual(["applied", "unchanged"]);
    expect(w.outcomes[1]?.line).toContain("a newer event was applied");
  });

  it("reordering: unblocked at t3 then blocked at t2 leaves the user working", async () => {
    const t2 = nextTime();
    const t3 = nextTime();
    const requests = w.fake.requests.length;
    await w.delivery.deliver(updated({ ...ada, blocked: false }, t3));
    // Nothing to restore: the list, then the state tag (so the older block is seen as stale).
    expect(w.fake.requests.length - requests).toBe(2);
    expect(consumersOf(w.fake, ada.user_id)[0]?.tags.auth0Access).toBe(
      `active@${t3.toISOString()}`,
    );
    await w.delivery.deliver(updated({ ...ada, blocked: true }, t2));
    expect(workingKeys(w.fake, ada.user_id)).toHaveLength(1);
    expect(w.outcomes.map((o) => o.disposition)).toEqual(["unchanged", "unchanged"]);
    expect(w.outcomes[1]?.line).toContain("a newer event was applied");
  });

  it("reordering: deleted before updated: the update finds nothing and creates nothing", async () => {
    const t1 = nextTime();
    const t2 = nextTime();
    await w.delivery.deliver(deleted(ada, t2));
    await w.delivery.deliver(updated({ ...ada, blocked: false }, t1));
    await w.delivery.deliver(updated({ ...ada, blocked: true }, t1));
    expect(consumersOf(w.fake, ada.user_id)).toEqual([]);
    expect(w.fake.requests.filter((r) => r.operation === "createConsumer")).toHaveLength(1);
    expect(w.outcomes.map((o) => o.disposition)).toEqual(["applied", "unchanged", "unchanged"]);
  });

  it("a 5xx from Zuplo answers 503 and Auth0's retry then succeeds", async () => {
    // More failures than the client's own retries (2): the delivery fails once.
    w.fake.setFault({ kind: "status", status: 500, times: 3 });
    const record = await w.delivery.deliver(updated({ ...ada, blocked: true }));
    expect(record.attempts.map((a) => a.result)).toEqual([503, 200]);
    expect(workingKeys(w.fake, ada.user_id)).toEqual([]);
  });

  it("a 429 from Zuplo answers 503 (retry), never 4xx", async () => {
    w.fake.setFault({ kind: "rate-limit", retryAfter: 60, times: 3 });
    const record = await w.delivery.deliver(deleted(ada));
    expect(record.attempts[0]?.result).toBe(503);
    expect(record.delivered).toBe(true);
    expect(consumersOf(w.fake, ada.user_id)).toEqual([]);
  });

  it("a hanging Zuplo answers 503 within the time budget", async () => {
    await w.stop();
    w = await startEventsWorld({ budgetMs: 400 });
    await w.tenant.login(ada);
    w.fake.setFault({ kind: "hang" });
    const started = performance.now();
    const response = await fetch(w.server.url, {
      method: "POST",
      headers: { authorization: `Bearer ${WEBHOOK_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(deleted(ada)),
    });
    const took = performance.now() - started;
    expect(response.status).toBe(503);
    expect(took).toBeLessThan(400 + 250 + 500);
    w.fake.setFault(null);
    const retried = await w.delivery.deliver(deleted(ada));
    expect(retried.delivered).toBe(true);
  });

  it("never exposes the Zuplo key, an API key or the webhook token", async () => {
    await w.delivery.deliver(updated({ ...ada, blocked: true }));
    await w.delivery.deliver(updated({ ...ada, blocked: false }));
    w.fake.setFault({ kind: "status", status: 500, detail: `echo ${ZUPLO_KEY}` });
    await w.delivery.deliver(deleted(ada));
    const text = exposed();
    for (const secret of [ZUPLO_KEY, WEBHOOK_TOKEN, ...keyValues(w.fake)]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/zpka_/);
  });
});

describe("the webhook's own checks", () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(w.server.url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${WEBHOOK_TOKEN}`,
        "content-type": "application/json",
        ...headers,
      },
      body,
    });

  it("401 without the right token, 413 for a huge body, 400 for a malformed event, 204 for other types", async () => {
    const event = JSON.stringify(deleted(ada));
    expect((await post(event, { authorization: "Bearer wrong-token-of-some-length" })).status).toBe(
      401,
    );
    expect((await post(event, { authorization: "" })).status).toBe(401);
    expect((await post(`{"pad":"${"x".repeat(300 * 1024)}"}`)).status).toBe(413);
    const malformed = await post(
      JSON.stringify({ specversion: "1.0", id: "e", type: "user.deleted" }),
    );
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain("source: must be");
    expect((await post("not json")).status).toBe(400);
    const other = await post(JSON.stringify(auth0CloudEvent({ type: "user.created", user: ada })));
    expect(other.status).toBe(204);
    expect((await fetch(w.server.url)).status).toBe(405);
    // Nothing of that reached Zuplo.
    expect(consumersOf(w.fake, ada.user_id)).toHaveLength(1);
  });

  it("a chunked body over the cap is answered 413, and the server keeps serving", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      // No content-length: the handler finds the size while reading, then stops.
      const req = request(
        w.server.url,
        { method: "POST", headers: { authorization: `Bearer ${WEBHOOK_TOKEN}` } },
        (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        },
      );
      req.on("error", reject);
      for (let i = 0; i < 7; i++) req.write("x".repeat(64 * 1024));
      req.end();
    });
    expect(status).toBe(413);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await w.delivery.deliver(updated({ ...ada, blocked: true }))).delivered).toBe(true);
  });

  it("an event rejected (Zuplo 422) runs again when redelivered; an ignored one stays 204", async () => {
    const event = updated({ ...ada, blocked: true });
    w.fake.setFault({ kind: "status", status: 422, times: 1 });
    expect((await post(JSON.stringify(event))).status).toBe(400);
    const again = await post(JSON.stringify(event));
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("suspended");
    expect(workingKeys(w.fake, ada.user_id)).toEqual([]);
    const other = JSON.stringify(auth0CloudEvent({ type: "user.created", user: ada }));
    expect((await post(other)).status).toBe(204);
    expect((await post(other)).status).toBe(204);
  });

  it("Auth0 does not retry a 4xx: a malformed event is delivered once", async () => {
    const record = await w.delivery.deliver({ specversion: "1.0", id: "evt_bad" });
    expect(record.attempts).toHaveLength(1);
    expect(record.delivered).toBe(false);
  });
});
