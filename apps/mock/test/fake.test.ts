// Behaviour of the fake itself, called directly (no Prism): state, rules, faults.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeZuplo, startFakeZuplo } from "../src/index.js";

const KEY = "zpka_unit_test_secret_abcdef";
let fake: FakeZuplo;
let B: string;

// biome-ignore lint/suspicious/noExplicitAny: response bodies are poked at loosely
type Json = any;

async function req(
  method: string,
  path: string,
  opts: { body?: unknown; raw?: string; auth?: string | null; signal?: AbortSignal } = {},
): Promise<{ status: number; headers: Headers; body: Json }> {
  const headers: Record<string, string> = {};
  if (opts.auth !== null) headers.authorization = `Bearer ${opts.auth ?? KEY}`;
  let payload: string | undefined = opts.raw;
  if (opts.body !== undefined) payload = JSON.stringify(opts.body);
  if (payload !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(fake.url + path, { method, headers, body: payload, signal: opts.signal });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  fake = await startFakeZuplo({
    apiKey: KEY,
    accountName: "acme-corp",
    buckets: [{ name: "acme-prod" }, { name: "acme-big" }],
  });
  B = "/v1/accounts/acme-corp/key-buckets/acme-prod";
});
afterAll(async () => {
  await fake?.stop();
});
afterEach(() => {
  fake.setFault(null);
  fake.setLatency(0);
});

describe("consumers and keys", () => {
  it("with-api-key returns the key in plain text once; reads mask it by default", async () => {
    const created = await req("POST", `${B}/consumers?with-api-key=true`, {
      body: { name: "ada", tags: { orgId: "org_1" }, managers: ["ada@example.com"] },
    });
    expect(created.status).toBe(200);
    expect(created.body.id).toMatch(/^csmr_[0-9A-Za-z]{24}$/);
    const plain = created.body.apiKeys[0].key as string;
    expect(plain).toMatch(/^zpka_[0-9a-f]{32}_[0-9a-f]{8}$/);
    expect(created.body.managerInvites[0]).toMatchObject({ email: "ada@example.com" });
    expect(Date.parse(created.body.createdOn)).not.toBeNaN();

    const masked = await req("GET", `${B}/consumers/ada?include-api-keys=true`);
    expect(masked.body.apiKeys[0].key).toBe(`${plain.slice(0, 9)}...${plain.slice(-8)}`);
    const visible = await req("GET", `${B}/consumers/ada?include-api-keys=true&key-format=visible`);
    expect(visible.body.apiKeys[0].key).toBe(plain);
    const none = await req("GET", `${B}/consumers/ada?include-api-keys=true&key-format=none`);
    expect(none.body.apiKeys[0]).not.toHaveProperty("key");
    const plainGet = await req("GET", `${B}/consumers/ada`);
    expect(plainGet.body).not.toHaveProperty("apiKeys");
  });

  it("managers given as {email, sub} become managers; as emails, invitations", async () => {
    await req("POST", `${B}/consumers`, {
      body: { name: "bob", managers: [{ email: "bob@example.com", sub: "auth0|bob" }] },
    });
    const bob = await req(
      "GET",
      `${B}/consumers/bob?include-managers=true&include-manager-invites=true`,
    );
    expect(bob.body.managers).toMatchObject([{ email: "bob@example.com", sub: "auth0|bob" }]);
    expect(bob.body.managers[0].id).toMatch(/^eusr_/);
    expect(bob.body.managerInvites).toEqual([]);
    const list = await req("GET", `${B}/consumers?manager-email=bob@example.com`);
    expect(list.body.data.map((c: Json) => c.name)).toEqual(["bob"]);
  });

  it("409 on a duplicate name; the first consumer is untouched", async () => {
    const dup = await req("POST", `${B}/consumers`, {
      body: { name: "ada", description: "again" },
    });
    expect(dup.status).toBe(409);
    expect(dup.headers.get("content-type")).toBe("application/problem+json");
    expect(dup.body).toMatchObject({
      type: "https://httpproblems.com/http-status/409",
      title: "Conflict",
      status: 409,
      instance: `${B}/consumers`,
    });
    expect(fake.state.bucket("acme-prod").consumers.get("ada")?.description).toBeNull();
  });

  it("400 names the field and the rule", async () => {
    const cases: [unknown, RegExp][] = [
      [{ name: "Ada" }, /^name must match/],
      [
        { name: "x", tags: { a: "1", b: "2", c: "3", d: "4", e: "5", f: "6" } },
        /tags must have at most 5/,
      ],
      [{ name: "x", tags: { a: 1 } }, /tags\.a must be a non-empty string/],
      [{ name: "x", tags: { a: "" } }, /tags\.a must be a non-empty string/],
      [{ name: "x", metadata: { s: "y".repeat(1100) } }, /metadata must be at most 1024 bytes/],
      [{ name: "x", id: "csmr_1" }, /id is not an allowed property/],
      [{ name: "x", managers: ["not-an-email"] }, /managers\[0\] must be an email/],
      [
        { name: "x", apiKeys: [{ expiresOn: "tomorrow" }] },
        /apiKeys\[0\]\.expiresOn must be an ISO 8601/,
      ],
    ];
    for (const [body, rule] of cases) {
      const res = await req("POST", `${B}/consumers`, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.detail).toMatch(rule);
    }
    const bad = await req("POST", `${B}/consumers`, { raw: "{nope" });
    expect(bad.body.detail).toBe("body must be valid JSON");
    expect((await req("GET", `${B}/consumers?limit=0`)).body.detail).toBe(
      "limit must be an integer 1..1000",
    );
    expect((await req("GET", `${B}/consumers?offset=-1`)).status).toBe(400);
    expect((await req("GET", `${B}/consumers?key-format=plain`)).status).toBe(400);
    expect((await req("GET", `${B}/consumers?include-api-keys=yes`)).status).toBe(400);
    expect((await req("GET", `${B}/consumers?tag.orgId=`)).body.detail).toMatch(
      /needs a name and a value/,
    );
    expect(fake.state.bucket("acme-prod").consumers.has("x")).toBe(false);
  });

  it("tag filters: filter reads, guard mutations with 404", async () => {
    const list = await req("GET", `${B}/consumers?tag.orgId=org_1`);
    expect(list.body).toMatchObject({ total: 1, data: [{ name: "ada" }] });
    expect((await req("GET", `${B}/consumers/ada?tag.orgId=org_2`)).status).toBe(404);
    const patch = await req("PATCH", `${B}/consumers/ada?tag.orgId=org_2`, {
      body: { description: "hijacked" },
    });
    expect(patch.status).toBe(404);
    expect((await req("DELETE", `${B}/consumers/ada?tag.orgId=org_2`)).status).toBe(404);
    expect(fake.state.bucket("acme-prod").consumers.get("ada")?.description).toBeNull();
    const ok = await req("PATCH", `${B}/consumers/ada?tag.orgId=org_1`, {
      body: { description: "Ada" },
    });
    expect(ok.body.description).toBe("Ada");
  });

  it("keys: 404 for a missing consumer's list, roll-key expires the old keys", async () => {
    expect((await req("GET", `${B}/consumers/ghost/keys`)).status).toBe(404);
    const before = [...(fake.state.bucket("acme-prod").consumers.get("ada")?.keys.values() ?? [])];
    expect(before).toHaveLength(1);
    const roll = await req("POST", `${B}/consumers/ada/roll-key`, {
      body: { expiresOn: "2030-01-01T00:00:00.000Z" },
    });
    expect(roll.status).toBe(204);
    const keys = await req("GET", `${B}/consumers/ada/keys?key-format=none`);
    expect(keys.body.total).toBe(2);
    expect(keys.body.data[0].expiresOn).toBe("2030-01-01T00:00:00.000Z");
    expect(keys.body.data[1].expiresOn).toBeNull();
    const bulk = await req("POST", `${B}/consumers/ada/keys/%24bulk`, { body: [{}, {}, {}] });
    expect(bulk.body.data).toHaveLength(3);
    const page = await req("GET", `${B}/consumers/ada/keys?limit=2&offset=4`);
    expect(page.body).toMatchObject({ limit: 2, offset: 4, total: 5 });
    expect(page.body.data).toHaveLength(1);
  });

  it("a key update may replace the key value (the published document's `key`), never with ''", async () => {
    const [first] = [...(fake.state.bucket("acme-prod").consumers.get("ada")?.keys.values() ?? [])];
    const path = `${B}/consumers/ada/keys/${first?.id}`;
    const own = "zpka_own_value_for_update_test";
    const updated = await req("PATCH", path, { body: { key: own } });
    expect(updated.status).toBe(200);
    expect((await req("GET", `${path}?key-format=visible`)).body.key).toBe(own);
    const empty = await req("PATCH", path, { body: { key: "" } });
    expect(empty.status).toBe(400);
    expect(empty.body.detail).toContain("key must not be empty");
  });

  it("deleting a bucket removes its consumers; 405 for a wrong method", async () => {
    await req("POST", "/v1/accounts/acme-corp/key-buckets", { body: { name: "temp-bucket" } });
    fake.state.addConsumer("temp-bucket", { name: "t" });
    const del = await req("DELETE", "/v1/accounts/acme-corp/key-buckets/temp-bucket");
    expect(del.status).toBe(204);
    expect(fake.state.buckets.has("temp-bucket")).toBe(false);
    const put = await req("PUT", `${B}/consumers/ada`);
    expect(put.status).toBe(405);
    expect(put.headers.get("allow")).toBe("GET, PATCH, DELETE");
  });
});

describe("what Zuplo answers", () => {
  it("a consumer created without metadata has none (the published document: an object, optional)", async () => {
    const created = await req("POST", `${B}/consumers`, { body: { name: "no-meta" } });
    expect(created.status).toBe(200);
    expect(created.body).not.toHaveProperty("metadata");
    const read = await req("GET", `${B}/consumers/no-meta`);
    expect(read.body).not.toHaveProperty("metadata");
    expect(read.body).toMatchObject({ name: "no-meta", tags: {} });
    const list = await req("GET", `${B}/consumers?limit=1000`);
    const listed = list.body.data.find((c: Json) => c.name === "no-meta");
    expect(listed).not.toHaveProperty("metadata");
    await req("DELETE", `${B}/consumers/no-meta`);
  });

  it("existing names outside the create pattern (Zuplo's guide uses org_123) are addressable", async () => {
    fake.state.addConsumer("acme-prod", { name: "org_123", apiKeys: [{}] });
    const got = await req("GET", `${B}/consumers/org_123`);
    expect(got.status).toBe(200);
    expect(got.body.name).toBe("org_123");
    expect((await req("GET", `${B}/consumers/org_123/keys`)).body.total).toBe(1);
    expect((await req("DELETE", `${B}/consumers/org_123`)).status).toBe(204);
    // Creating one is still held to the pattern.
    const create = await req("POST", `${B}/consumers`, { body: { name: "org_123" } });
    expect(create.status).toBe(400);
    expect(create.body.detail).toMatch(/^name must match/);
  });

  it("401 without `Authorization: Bearer <token>` even when any key is accepted", async () => {
    const open = await startFakeZuplo({ buckets: [{ name: "acme-prod" }] });
    try {
      const get = (headers: Record<string, string>) =>
        fetch(`${open.url}${B}/consumers`, { headers });
      const refused: Record<string, string>[] = [
        {},
        { authorization: "Bearer " },
        { authorization: "Basic eDp5" },
      ];
      for (const headers of refused) {
        const res = await get(headers);
        expect(res.status, JSON.stringify(headers)).toBe(401);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        expect(await res.json()).toMatchObject({ status: 401, title: "Unauthorized" });
      }
      expect((await get({ authorization: "Bearer anything" })).status).toBe(200);
      expect(open.state.bucket("acme-prod").consumers.size).toBe(0);
    } finally {
      await open.stop();
    }
  });
});

describe("auth and the request log", () => {
  it("401 without the bearer, with a wrong one, or for another account", async () => {
    expect((await req("GET", "/v1/who-am-i", { auth: null })).status).toBe(401);
    const wrong = await req("GET", "/v1/who-am-i", { auth: "zpka_wrong" });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toContain("zpka_wrong");
    expect((await req("GET", "/v1/accounts/other-co/key-buckets")).status).toBe(401);
    expect((await req("GET", "/v1/who-am-i")).body).toEqual({
      sub: "zpka_user_acme-corp",
      account: "acme-corp",
    });
  });

  it("logs method, path, query and operation, never the key", () => {
    const last = fake.requests.at(-1);
    expect(last).toEqual({ method: "GET", path: "/v1/who-am-i", query: {}, operation: "whoAmI" });
    expect(JSON.stringify(fake.requests)).not.toContain(KEY);
    expect(fake.requests.some((r) => r.query["tag.orgId"] === "org_2")).toBe(true);
  });
});

describe("100,000 consumers", () => {
  // How fast seeding and paging are is the bench's business (apps/bench, pagination).
  it("seeds them and pages through all of them", async () => {
    fake.seedConsumers("acme-big", 100_000);
    const ids = new Set<string>();
    for (let offset = 0; ; offset += 1000) {
      const page = await req(
        "GET",
        `/v1/accounts/acme-corp/key-buckets/acme-big/consumers?offset=${offset}`,
      );
      expect(page.body.total).toBe(100_000);
      for (const c of page.body.data) ids.add(c.id);
      if (page.body.data.length < 1000) break;
    }
    expect(ids.size).toBe(100_000);
    const last = await req(
      "GET",
      "/v1/accounts/acme-corp/key-buckets/acme-big/consumers?limit=2&offset=99999",
    );
    expect(last.body.data.map((c: Json) => c.name)).toEqual(["seed-99999"]);
  });
});

describe("faults", () => {
  it("status N for the next 2 matching requests, then normal", async () => {
    fake.setFault({ kind: "status", status: 503, operation: "whoAmI", times: 2 });
    expect((await req("GET", `${B}`)).status).toBe(200); // other operation: untouched
    expect((await req("GET", "/v1/who-am-i")).status).toBe(503);
    const second = await req("GET", "/v1/who-am-i");
    expect(second.body).toMatchObject({ status: 503, title: "Service Unavailable" });
    expect((await req("GET", "/v1/who-am-i")).status).toBe(200);
    expect(fake.fault).toBeNull();
  });

  it("429 carries retry-after", async () => {
    fake.setFault({ kind: "rate-limit", retryAfter: 7, method: "POST" });
    expect((await req("GET", "/v1/who-am-i")).status).toBe(200);
    const res = await req("POST", `${B}/consumers`, { body: { name: "rl" } });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(fake.state.bucket("acme-prod").consumers.has("rl")).toBe(false);
  });

  it("commit: the change happens although the answer is a failure", async () => {
    fake.setFault({
      kind: "status",
      status: 500,
      operation: "createConsumer",
      times: 1,
      commit: true,
    });
    expect((await req("POST", `${B}/consumers`, { body: { name: "lost" } })).status).toBe(500);
    expect(fake.state.bucket("acme-prod").consumers.has("lost")).toBe(true);
  });

  it("hang never answers; the client's timeout fires", async () => {
    fake.setFault({ kind: "hang", times: 1 });
    await expect(req("GET", "/v1/who-am-i", { signal: AbortSignal.timeout(200) })).rejects.toThrow(
      /abort|timeout/i,
    );
    expect((await req("GET", "/v1/who-am-i")).status).toBe(200);
  });

  it("slow and latency delay the answer", async () => {
    fake.setFault({ kind: "slow", delayMs: 5000, times: 1 });
    await expect(
      req("GET", "/v1/who-am-i", { signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
    fake.setFault({ kind: "slow", delayMs: 20, times: 1 });
    expect((await req("GET", "/v1/who-am-i")).status).toBe(200);
    fake.setLatency(5000);
    await expect(
      req("GET", "/v1/who-am-i", { signal: AbortSignal.timeout(100) }),
    ).rejects.toThrow();
  });

  it("reset destroys the connection", async () => {
    fake.setFault({ kind: "reset", times: 1 });
    await expect(req("GET", "/v1/who-am-i")).rejects.toThrow(/fetch failed/);
  });

  it("malformed answers 200 with JSON that does not parse", async () => {
    fake.setFault({ kind: "malformed", times: 1, commit: true });
    const res = await fetch(`${fake.url}${B}/consumers/ada`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const text = await res.text();
    expect(text.startsWith('{"id":"csmr_')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
  });

  it("nonconforming breaks the success body", async () => {
    fake.setFault({ kind: "nonconforming", operation: "getConsumer", times: 1 });
    const broken = await req("GET", `${B}/consumers/ada`);
    expect(broken.status).toBe(200);
    expect(broken.body).not.toHaveProperty("id");
    expect(broken.body.name).toBe("ada");
    fake.setFault({ kind: "nonconforming", variant: "wrong-type", times: 1 });
    const list = await req("GET", `${B}/consumers?limit=1`);
    expect(list.body.data[0].name).toBe(42);
    fake.setFault({ kind: "nonconforming", times: 1 });
    expect((await req("GET", "/v1/who-am-i")).body.sub).toBe(42);
    expect((await req("GET", `${B}/consumers/ada`)).body.id).toMatch(/^csmr_/);
  });

  it("rejects an invalid fault", () => {
    expect(() => fake.setFault({ kind: "status", status: 42 })).toThrow(/status must be/);
    expect(() => fake.setFault({ kind: "hang", times: 0 })).toThrow(/times must be/);
  });

  it("stop() ends hanging requests and resolves", async () => {
    const other = await startFakeZuplo();
    other.setFault({ kind: "hang" });
    const pending = fetch(`${other.url}/v1/who-am-i`).then(
      () => "answered",
      () => "failed",
    );
    await new Promise((r) => setTimeout(r, 50));
    await other.stop();
    expect(await pending).toBe("failed");
    await expect(fetch(`${other.url}/v1/who-am-i`)).rejects.toThrow();
  });
});
