// Drives every operation of the fake through `prism proxy --errors`, so each answer the
// fake gives (successes and the errors it produces) is validated against spec/openapi.yaml.
import { routes } from "@keysmith/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeZuplo, type OperationId, startFakeZuplo } from "../src/index.js";
import { type PrismServer, startPrism } from "../src/prism.js";

const KEY = "zpka_conformance_test_key_0123456789";
const ACCOUNT = "acme-corp";
const ACC = `/v1/accounts/${ACCOUNT}/key-buckets`;
const B = `${ACC}/acme-prod`;

let fake: FakeZuplo;
let prism: PrismServer;
const succeeded = new Set<OperationId>();

beforeAll(async () => {
  fake = await startFakeZuplo({
    apiKey: KEY,
    accountName: ACCOUNT,
    buckets: [
      {
        name: "acme-prod",
        description: "Production consumers",
        consumers: [
          {
            name: "ada-lovelace",
            description: "Consumer for Ada",
            tags: { orgId: "org_123" },
            metadata: { plan: "pro", limits: { rpm: 600 } },
            apiKeys: [{ description: "CI key" }, { expiresOn: "2030-01-01T00:00:00.000Z" }],
            managers: [{ email: "ada@example.com", sub: "auth0|ada" }],
            invites: ["grace@example.com"],
          },
        ],
      },
    ],
  });
  prism = await startPrism({ mode: "proxy", upstream: fake.url });
});

afterAll(async () => {
  await prism?.stop();
  await fake?.stop();
});

interface Call {
  method?: string;
  query?: Record<string, string>;
  body?: unknown;
  auth?: string;
}
interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: bodies are checked by Prism; tests poke at fields
  body: any;
}

/** One request through Prism; fails on any Prism violation, then checks the status. */
async function call(
  op: OperationId,
  path: string,
  expected: number,
  c: Call = {},
): Promise<Answer> {
  const url = new URL(prism.url + path);
  for (const [k, v] of Object.entries(c.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { authorization: `Bearer ${c.auth ?? KEY}` };
  if (c.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(url, {
    method: c.method ?? "GET",
    headers,
    body: c.body === undefined ? undefined : JSON.stringify(c.body),
  });
  const text = await res.text();
  const body = text ? JSON.parse(text) : undefined;
  const where = `${op} ${c.method ?? "GET"} ${url.pathname}${url.search} -> ${res.status}`;
  if (res.status === 500 && String(body?.type).includes("stoplight.io/prism")) {
    throw new Error(`${where}: Prism rejected it:\n${JSON.stringify(body, null, 2)}`);
  }
  const violations = res.headers.get("sl-violations");
  if (violations) throw new Error(`${where}: sl-violations: ${violations}`);
  expect(res.status, `${where}: ${text}`).toBe(expected);
  if (expected >= 400) {
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(body).toMatchObject({
      type: `https://httpproblems.com/http-status/${expected}`,
      status: expected,
    });
    expect(typeof body.trace.requestId).toBe("string");
  }
  if (expected < 300) succeeded.add(op);
  return { status: res.status, headers: res.headers, body };
}

describe("the fake conforms to the spec (through prism proxy --errors)", () => {
  it("identity and buckets", async () => {
    expect((await call("whoAmI", "/v1/who-am-i", 200)).body).toEqual({
      sub: `zpka_user_${ACCOUNT}`,
      account: ACCOUNT,
    });
    const created = await call("createBucket", ACC, 200, {
      method: "POST",
      body: { name: "acme-stage", description: "Staging", tags: { environment: "staging" } },
    });
    expect(created.body.id).toMatch(/^bckt_/);
    const list = await call("listBuckets", ACC, 200);
    expect(list.body.data.map((b: { name: string }) => b.name)).toEqual([
      "acme-prod",
      "acme-stage",
    ]);
    await call("getBucket", `${ACC}/acme-stage`, 200);
    const updated = await call("updateBucket", `${ACC}/acme-stage`, 200, {
      method: "PATCH",
      body: { description: "Staging (EU)" },
    });
    expect(updated.body.description).toBe("Staging (EU)");
    await call("deleteBucket", `${ACC}/acme-stage`, 204, { method: "DELETE" });
    await call("getBucket", `${ACC}/acme-stage`, 404);
  });

  it("consumers: create, list with every option, get, update, roll, delete", async () => {
    const withKey = await call("createConsumer", `${B}/consumers`, 200, {
      method: "POST",
      query: { "with-api-key": "true" },
      body: {
        name: "grace-hopper",
        description: "Consumer for Grace",
        tags: { orgId: "org_456" },
        metadata: { plan: "free", nested: { a: [1, 2, { b: null }] } },
        managers: ["grace@example.com"],
      },
    });
    expect(withKey.body.apiKeys[0].key).toMatch(/^zpka_[0-9a-f]{32}_[0-9a-f]{8}$/);
    expect(withKey.body.managerInvites[0].email).toBe("grace@example.com");
    const direct = await call("createConsumer", `${B}/consumers`, 200, {
      method: "POST",
      body: {
        name: "linus",
        apiKeys: [{ description: "Web" }, { expiresOn: null }],
        managers: [{ email: "linus@example.com", sub: "auth0|linus" }],
      },
    });
    expect(direct.body.apiKeys).toHaveLength(2);
    expect(direct.body.managers[0].id).toMatch(/^eusr_/);
    await call("createConsumer", `${B}/consumers`, 200, { method: "POST", body: { name: "x" } });

    await call("listConsumers", `${B}/consumers`, 200);
    for (const format of ["none", "visible", "masked"]) {
      const page = await call("listConsumers", `${B}/consumers`, 200, {
        query: { "include-api-keys": "true", "key-format": format },
      });
      const key = page.body.data[0].apiKeys[0].key;
      if (format === "none") expect(key).toBeUndefined();
      if (format === "visible") expect(key).toMatch(/^zpka_[0-9a-f]{32}_[0-9a-f]{8}$/);
      if (format === "masked") expect(key).toMatch(/^zpka_.{4}\.\.\..{8}$/);
    }
    await call("listConsumers", `${B}/consumers`, 200, {
      query: { "include-managers": "true", "include-manager-invites": "true" },
    });
    const byEmail = await call("listConsumers", `${B}/consumers`, 200, {
      query: { "manager-email": "linus@example.com" },
    });
    expect(byEmail.body.data.map((c: { name: string }) => c.name)).toEqual(["linus"]);
    const byTag = await call("listConsumers", `${B}/consumers`, 200, {
      query: { "tag.orgId": "org_456" },
    });
    expect(byTag.body).toMatchObject({ total: 1, data: [{ name: "grace-hopper" }] });
    const paged = await call("listConsumers", `${B}/consumers`, 200, {
      query: { limit: "2", offset: "1" },
    });
    expect(paged.body).toMatchObject({ limit: 2, offset: 1, total: 4 });
    expect(paged.body.data.map((c: { name: string }) => c.name)).toEqual(["grace-hopper", "linus"]);
    const beyond = await call("listConsumers", `${B}/consumers`, 200, {
      query: { offset: "100" },
    });
    expect(beyond.body.data).toEqual([]);

    const got = await call("getConsumer", `${B}/consumers/ada-lovelace`, 200, {
      query: {
        "include-api-keys": "true",
        "include-managers": "true",
        "include-manager-invites": "true",
        "key-format": "masked",
        "tag.orgId": "org_123",
      },
    });
    expect(got.body.managers).toHaveLength(1);
    expect(got.body.managerInvites).toHaveLength(1);
    const updated = await call("updateConsumer", `${B}/consumers/ada-lovelace`, 200, {
      method: "PATCH",
      query: { "tag.orgId": "org_123" },
      body: { description: "Ada L.", metadata: { plan: "enterprise" }, tags: { orgId: "org_123" } },
    });
    expect(updated.body.metadata).toEqual({ plan: "enterprise" });
    await call("rollConsumerKey", `${B}/consumers/ada-lovelace/roll-key`, 204, {
      method: "POST",
      query: { "tag.orgId": "org_123" },
      body: { expiresOn: "2029-01-01T00:00:00.000Z" },
    });
    await call("deleteConsumer", `${B}/consumers/x`, 204, { method: "DELETE" });
  });

  it("keys: list in each format, create, bulk, get, update, delete", async () => {
    const C = `${B}/consumers/linus/keys`;
    for (const format of ["none", "visible", "masked"]) {
      await call("listKeys", C, 200, { query: { "key-format": format, limit: "1" } });
    }
    const created = await call("createKey", C, 200, {
      method: "POST",
      body: { description: "CLI", expiresOn: "2031-05-01T12:00:00.000Z" },
    });
    expect(created.body.key).toMatch(/^zpka_/);
    const bulk = await call("bulkCreateKeys", `${C}/$bulk`, 200, {
      method: "POST",
      body: [{ description: "Web app" }, { description: "Mobile", expiresOn: null }],
    });
    expect(bulk.body.data).toHaveLength(2);
    const id = created.body.id as string;
    for (const format of ["none", "visible", "masked"]) {
      await call("getKey", `${C}/${id}`, 200, { query: { "key-format": format } });
    }
    const updated = await call("updateKey", `${C}/${id}`, 200, {
      method: "PATCH",
      body: { expiresOn: null, description: "CLI (no expiry)" },
    });
    expect(updated.body.expiresOn).toBeNull();
    await call("deleteKey", `${C}/${id}`, 204, { method: "DELETE" });
    await call("getKey", `${C}/${id}`, 404);
  });

  it("managers: list, add, remove (manager and invitation)", async () => {
    const M = `${B}/consumers/grace-hopper/managers`;
    await call("listManagers", M, 200);
    const added = await call("createManager", M, 200, {
      method: "POST",
      body: { email: "grace@example.com", sub: "auth0|grace" },
    });
    const list = await call("listManagers", M, 200, { query: { limit: "10", offset: "0" } });
    expect(list.body.total).toBe(1);
    await call("deleteManager", `${M}/${added.body.id}`, 204, { method: "DELETE" });
    const invite = fake.state
      .bucket("acme-prod")
      .consumers.get("grace-hopper")
      ?.invites.keys()
      .next();
    await call("deleteManager", `${M}/${invite?.value}`, 204, { method: "DELETE" });
    await call("deleteManager", `${M}/eusr_missing`, 404, { method: "DELETE" });
  });

  it("404s: missing bucket, consumer, key, manager, and tag guards", async () => {
    await call("getBucket", `${ACC}/no-such-bucket`, 404);
    await call("updateBucket", `${ACC}/no-such-bucket`, 404, { method: "PATCH", body: {} });
    await call("deleteBucket", `${ACC}/no-such-bucket`, 404, { method: "DELETE" });
    await call("listConsumers", `${ACC}/no-such-bucket/consumers`, 404);
    await call("createConsumer", `${ACC}/no-such-bucket/consumers`, 404, {
      method: "POST",
      body: { name: "nobody" },
    });
    const nobody = `${B}/consumers/nobody`;
    await call("getConsumer", nobody, 404);
    await call("updateConsumer", nobody, 404, { method: "PATCH", body: {} });
    await call("deleteConsumer", nobody, 404, { method: "DELETE" });
    await call("rollConsumerKey", `${nobody}/roll-key`, 404, {
      method: "POST",
      body: { expiresOn: "2029-01-01T00:00:00.000Z" },
    });
    await call("listKeys", `${nobody}/keys`, 404);
    await call("createKey", `${nobody}/keys`, 404, { method: "POST", body: {} });
    await call("bulkCreateKeys", `${nobody}/keys/$bulk`, 404, { method: "POST", body: [{}] });
    await call("listManagers", `${nobody}/managers`, 404);
    await call("createManager", `${nobody}/managers`, 404, {
      method: "POST",
      body: { email: "a@example.com", sub: "s" },
    });
    await call("getKey", `${B}/consumers/linus/keys/key_missing`, 404);
    await call("updateKey", `${B}/consumers/linus/keys/key_missing`, 404, {
      method: "PATCH",
      body: {},
    });
    await call("deleteKey", `${B}/consumers/linus/keys/key_missing`, 404, { method: "DELETE" });

    // Tag guards: the consumer exists but lacks the tag.
    const guard = { "tag.orgId": "org_other" };
    const ada = `${B}/consumers/ada-lovelace`;
    const keyId = fake.state.bucket("acme-prod").consumers.get("ada-lovelace")?.keys.keys().next()
      .value as string;
    await call("getConsumer", ada, 404, { query: guard });
    await call("updateConsumer", ada, 404, { method: "PATCH", query: guard, body: {} });
    await call("deleteConsumer", ada, 404, { method: "DELETE", query: guard });
    await call("rollConsumerKey", `${ada}/roll-key`, 404, {
      method: "POST",
      query: guard,
      body: { expiresOn: "2029-01-01T00:00:00.000Z" },
    });
    await call("getKey", `${ada}/keys/${keyId}`, 404, { query: guard });
    await call("updateKey", `${ada}/keys/${keyId}`, 404, {
      method: "PATCH",
      query: guard,
      body: {},
    });
    await call("deleteKey", `${ada}/keys/${keyId}`, 404, { method: "DELETE", query: guard });
    const filtered = await call("listConsumers", `${B}/consumers`, 200, { query: guard });
    expect(filtered.body).toMatchObject({ data: [], total: 0 });
    expect(fake.state.bucket("acme-prod").consumers.has("ada-lovelace")).toBe(true);
  });

  it("409 on a duplicate consumer, 400 on rules the spec cannot express", async () => {
    const dup = await call("createConsumer", `${B}/consumers`, 409, {
      method: "POST",
      body: { name: "ada-lovelace" },
    });
    expect(dup.body.detail).toContain("ada-lovelace");
    const big = { blob: "x".repeat(1100) };
    const tooBig = await call("createConsumer", `${B}/consumers`, 400, {
      method: "POST",
      body: { name: "big-meta", metadata: big },
    });
    expect(tooBig.body.detail).toMatch(/metadata must be at most 1024 bytes/);
    await call("updateConsumer", `${B}/consumers/ada-lovelace`, 400, {
      method: "PATCH",
      body: { metadata: big },
    });
    await call("createBucket", ACC, 400, { method: "POST", body: { name: "acme-prod" } });
    await call("listConsumers", `${B}/consumers`, 400, { query: { "tag.": "x" } });
    await call("getConsumer", `${B}/consumers/ada-lovelace`, 400, { query: { "tag.orgId": "" } });
  });

  it("401 from the fake when the bearer is not its key", async () => {
    const before = fake.requests.length;
    for (const [op, path] of [
      ["whoAmI", "/v1/who-am-i"],
      ["listBuckets", ACC],
      ["getConsumer", `${B}/consumers/ada-lovelace`],
    ] as const) {
      const res = await call(op, path, 401, { auth: "zpka_wrong" });
      expect(res.body.detail).not.toContain("zpka_wrong");
    }
    // The fake answered (Prism only checks that a bearer is present).
    expect(fake.requests.length - before).toBe(3);
    await call("listBuckets", `/v1/accounts/other-account/key-buckets`, 401);
  });

  it("429 with retry-after and 500, injected by faults", async () => {
    fake.setFault({ kind: "rate-limit", retryAfter: 3, times: 3 });
    const limited = await call("whoAmI", "/v1/who-am-i", 429);
    expect(limited.headers.get("retry-after")).toBe("3");
    await call("listConsumers", `${B}/consumers`, 429);
    await call("createConsumer", `${B}/consumers`, 429, { method: "POST", body: { name: "rl" } });
    expect(fake.fault).toBeNull();
    fake.setFault({ kind: "status", status: 500, operation: "getConsumer", times: 1 });
    await call("getConsumer", `${B}/consumers/ada-lovelace`, 500);
    await call("getConsumer", `${B}/consumers/ada-lovelace`, 200);
  });

  it("covered a successful answer of every operation in the spec", () => {
    const missed = Object.keys(routes).filter((op) => !succeeded.has(op as OperationId));
    expect(
      missed,
      "operations never answered with success here: add a call(...) for each to apps/mock/test/fake-conformance.test.ts",
    ).toEqual([]);
  });
});
