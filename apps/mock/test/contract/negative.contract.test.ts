// Each input rule the client checks locally, shown twice: (a) the client
// rejects the bad input with InvalidInputError before sending anything, and
// (b) the same bad input sent past the client, as raw HTTP, makes Prism answer
// 400 with an `sl-violations` entry for that field and rule. Together: the
// client's rules and the spec's agree. Every row also has a good value, which
// both the client and Prism accept, so the rule is pinned to the bad value.

import { InvalidInputError, type ZuploClient } from "@keysmith/client";
import { describe, expect } from "vitest";
import { startFakeZuplo } from "../../src/index.js";
import { API_KEY, contractTest } from "./fixtures.js";
import { usePrism } from "./prism.js";

const prism = usePrism();
// Every test has its own client and recorder (see fixtures.ts), so they run concurrently.
const test = contractTest(prism.url);

const base = "/v1/accounts/acme-corp/key-buckets";
const bucket = `${base}/acme-prod`;
const consumer = `${bucket}/consumers/ada-lovelace`;
const c = { bucketName: "acme-prod", consumerName: "ada-lovelace" };
const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, "v"]));

interface Raw {
  method: string;
  path: string;
  body?: unknown;
}

interface Rule<V> {
  rule: string;
  bad: V;
  good: V;
  /** The operation through the client, with the value in place. */
  call: (z: ZuploClient, value: V) => PromiseLike<unknown>;
  /** The same request as raw HTTP. */
  raw: (value: V) => Raw;
  /** InvalidInputError.field, and text its rule must contain. */
  field: string;
  says: string;
  /** The `sl-violations` entry Prism must give: location (dotted) and code. */
  violation: [location: string, code: string];
}

// Binds V per row; the table itself holds rows of different value types.
const rule = <V>(r: Rule<V>) => r as unknown as Rule<unknown>;
const post = (path: string, body: unknown): Raw => ({ method: "POST", path, body });
const q = (path: string, query: Record<string, number>) =>
  `${path}?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`;

const rules = [
  rule({
    rule: "bucket name pattern (create body)",
    bad: "Acme_Prod",
    good: "acme-prod",
    call: (z, name) => z.buckets.create({ body: { name } }),
    raw: (name) => post(base, { name }),
    field: "body.name",
    says: "^[a-z0-9-]{5,128}$",
    violation: ["request.body.name", "pattern"],
  }),
  rule({
    rule: "bucket name length (create body)",
    bad: "acme",
    good: "acme-",
    call: (z, name) => z.buckets.create({ body: { name } }),
    raw: (name) => post(base, { name }),
    field: "body.name",
    says: "^[a-z0-9-]{5,128}$",
    violation: ["request.body.name", "pattern"],
  }),
  rule({
    rule: "bucket name pattern (path)",
    bad: "ab",
    good: "acme-prod",
    call: (z, bucketName) => z.buckets.get({ bucketName }),
    raw: (name) => ({ method: "GET", path: `${base}/${name}` }),
    field: "bucketName",
    says: "^[a-z0-9-]{5,128}$",
    violation: ["request.path.bucketName", "pattern"],
  }),
  rule({
    rule: "tag values are strings (consumer update body)",
    bad: { env: 1 },
    good: { env: "prod" },
    call: (z, tags) => z.consumers.update({ ...c, body: { tags: tags as Record<string, string> } }),
    raw: (tags) => ({ method: "PATCH", path: consumer, body: { tags } }),
    field: "body.tags.env",
    says: "string",
    violation: ["request.body.tags.env", "type"],
  }),
  rule({
    rule: "consumer name pattern (create body)",
    bad: "Ada Lovelace",
    good: "ada-lovelace",
    call: (z, name) => z.consumers.create({ bucketName: "acme-prod", body: { name } }),
    raw: (name) => post(`${bucket}/consumers`, { name }),
    field: "body.name",
    says: "^[a-z0-9-]{1,128}$",
    violation: ["request.body.name", "pattern"],
  }),
  rule({
    rule: "consumer name length (create body)",
    bad: "a".repeat(129),
    good: "a".repeat(128),
    call: (z, name) => z.consumers.create({ bucketName: "acme-prod", body: { name } }),
    raw: (name) => post(`${bucket}/consumers`, { name }),
    field: "body.name",
    says: "^[a-z0-9-]{1,128}$",
    violation: ["request.body.name", "pattern"],
  }),
  rule({
    rule: "tag values are non-empty (consumer create body)",
    bad: { orgId: "" },
    good: { orgId: "org_123" },
    call: (z, tags) =>
      z.consumers.create({ bucketName: "acme-prod", body: { name: "ada", tags: tags as never } }),
    raw: (tags) => post(`${bucket}/consumers`, { name: "ada", tags }),
    field: "body.tags.orgId",
    says: "non-empty",
    violation: ["request.body.tags.orgId", "minLength"],
  }),
  rule({
    rule: "at most 5 tags (consumer create body)",
    bad: tags(6),
    good: tags(5),
    call: (z, tags) => z.consumers.create({ bucketName: "acme-prod", body: { name: "ada", tags } }),
    raw: (tags) => post(`${bucket}/consumers`, { name: "ada", tags }),
    field: "body.tags",
    says: "at most 5",
    violation: ["request.body.tags", "maxProperties"],
  }),
  rule({
    rule: "at most 5 tags (consumer update body)",
    bad: tags(6),
    good: tags(5),
    call: (z, tags) => z.consumers.update({ ...c, body: { tags } }),
    raw: (tags) => ({ method: "PATCH", path: consumer, body: { tags } }),
    field: "body.tags",
    says: "at most 5",
    violation: ["request.body.tags", "maxProperties"],
  }),
  rule({
    rule: "metadata is an object",
    bad: ["plan"],
    good: { plan: "pro" },
    call: (z, metadata) =>
      z.consumers.update({ ...c, body: { metadata: metadata as Record<string, unknown> } }),
    raw: (metadata) => ({ method: "PATCH", path: consumer, body: { metadata } }),
    field: "body.metadata",
    says: "object",
    violation: ["request.body.metadata", "type"],
  }),
  rule({
    rule: "limit minimum",
    bad: 0,
    good: 1,
    call: (z, limit) => z.consumers.list({ bucketName: "acme-prod", limit }),
    raw: (limit) => ({ method: "GET", path: q(`${bucket}/consumers`, { limit }) }),
    field: "limit",
    says: "from 1 to 1000",
    violation: ["request.query.limit", "minimum"],
  }),
  rule({
    rule: "limit maximum",
    bad: 1001,
    good: 1000,
    call: (z, limit) => z.keys.list({ ...c, limit }),
    raw: (limit) => ({ method: "GET", path: q(`${consumer}/keys`, { limit }) }),
    field: "limit",
    says: "from 1 to 1000",
    violation: ["request.query.limit", "maximum"],
  }),
  rule({
    rule: "limit is an integer",
    bad: 1.5,
    good: 2,
    call: (z, limit) => z.managers.list({ ...c, limit }),
    raw: (limit) => ({ method: "GET", path: q(`${consumer}/managers`, { limit }) }),
    field: "limit",
    says: "integer",
    violation: ["request.query.limit", "type"],
  }),
  rule({
    rule: "offset minimum",
    bad: -1,
    good: 0,
    call: (z, offset) => z.consumers.list({ bucketName: "acme-prod", offset }),
    raw: (offset) => ({ method: "GET", path: q(`${bucket}/consumers`, { offset }) }),
    field: "offset",
    says: "from 0",
    violation: ["request.query.offset", "minimum"],
  }),
  rule({
    rule: "keyId is required",
    bad: "",
    good: "key_1",
    call: (z, keyId) => z.keys.delete({ ...c, keyId }),
    raw: (keyId) => ({ method: "DELETE", path: `${consumer}/keys/${keyId}` }),
    field: "keyId",
    says: "non-empty",
    violation: ["request.path", "required"],
  }),
  rule({
    rule: "managerId is required",
    bad: "",
    good: "eusr_1",
    call: (z, managerId) => z.managers.delete({ ...c, managerId }),
    raw: (managerId) => ({ method: "DELETE", path: `${consumer}/managers/${managerId}` }),
    field: "managerId",
    says: "non-empty",
    violation: ["request.path", "required"],
  }),
  rule({
    rule: "a POST has a body",
    bad: undefined,
    good: {},
    call: (z, body) => z.keys.create({ ...c, body: body as object }),
    raw: (body) => post(`${consumer}/keys`, body),
    field: "body",
    says: "required",
    violation: ["request", "required"],
  }),
  rule({
    rule: "bulk body is a non-empty array",
    bad: [],
    good: [{}],
    call: (z, body) => z.keys.bulkCreate({ ...c, body: body as object[] }),
    raw: (body) => post(`${consumer}/keys/$bulk`, body),
    field: "body",
    says: "non-empty array",
    violation: ["request.body", "minItems"],
  }),
];

async function send(baseUrl: string, { method, path, body }: Raw) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${API_KEY}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const header = response.headers.get("sl-violations");
  const text = await response.text();
  const detail =
    response.ok || !text ? undefined : (JSON.parse(text) as { detail?: string }).detail;
  const violations = (header ? JSON.parse(header) : []) as { location: string[]; code: string }[];
  return {
    status: response.status,
    header,
    detail,
    found: violations.map((v) => [v.location.join(".").toLowerCase(), v.code]),
  };
}

describe.concurrent.each(rules)("$rule", (r) => {
  test("(a) the client rejects it before any request", async ({ client, recorder }) => {
    const error = await r.call(client, r.bad).then(
      () => expect.fail("the client accepted the bad input"),
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe(r.field);
    expect((error as InvalidInputError).rule).toContain(r.says);
    expect(recorder.calls).toEqual([]);
  });

  test("(b) Prism rejects the same input sent raw, naming the rule", async () => {
    const { status, header, found } = await send(prism.url(), r.raw(r.bad));
    expect(status).toBe(400);
    expect(header, "sl-violations header").toBeTruthy();
    const [location, code] = r.violation;
    expect(found).toContainEqual([location.toLowerCase(), code]);
  });

  test("the good value passes both", async ({ client, recorder }) => {
    await r.call(client, r.good);
    expect(recorder.calls).toHaveLength(1);
    expect(recorder.violations).toEqual([]);
    const { status, header } = await send(prism.url(), r.raw(r.good));
    expect(header).toBeNull();
    expect(status).toBeLessThan(300);
  });
});

describe.concurrent("names Zuplo holds that creation would refuse", () => {
  // Zuplo's self-serve guide addresses a consumer named org_123: only creation
  // applies the ConsumerName pattern, so reads and deletes must accept it.
  test("org_123 as a consumerName path parameter passes the client and Prism", async ({
    client,
    recorder,
  }) => {
    await client.consumers.get({ bucketName: "acme-prod", consumerName: "org_123" });
    expect(recorder.calls.map((call) => call.path)).toEqual([`${bucket}/consumers/org_123`]);
    const { status, header } = await send(prism.url(), {
      method: "DELETE",
      path: `${bucket}/consumers/org_123`,
    });
    expect(header).toBeNull();
    expect(status).toBe(204);
  });
});

describe.concurrent("rules Prism cannot check", () => {
  // URL normalisation removes dot segments before Prism sees the path:
  // `keys/..` would address the consumer itself.
  test.for(["keyId", "managerId", "consumerName"])(
    "%s of . or .. is rejected by the client before any request",
    async (field, { client, recorder }) => {
      const calls = {
        keyId: () => client.keys.delete({ ...c, keyId: ".." }),
        managerId: () => client.managers.delete({ ...c, managerId: "." }),
        consumerName: () => client.consumers.delete({ ...c, consumerName: ".." }),
      };
      const error = await calls[field as keyof typeof calls]().then(
        () => expect.fail("the client sent a dot segment"),
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe(field);
      expect(recorder.calls).toEqual([]);
    },
  );

  // Prism ignores unknown query parameters; the client rejects them, so a
  // `tag` typo cannot silently drop a tag guard.
  test("an unknown parameter (tag for tags) is rejected, naming the fix", async ({
    client,
    recorder,
  }) => {
    const error = await client.consumers.delete({ ...c, tag: { orgId: "org_123" } } as never).then(
      () => expect.fail("the client sent an unknown parameter"),
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toContain("did you mean tags?");
    expect(recorder.calls).toEqual([]);
  });

  // Dotted query names (`tag.x=y`) are never validated by Prism (facts.md §4),
  // so the 5-tag limit on filters is shown on the spec's side through the
  // create and update bodies above (Tags: maxProperties 5); here only the client.
  test("at most 5 tag filters: the client rejects 6 before any request", async ({
    client,
    recorder,
  }) => {
    const error = await client.consumers.list({ bucketName: "acme-prod", tags: tags(6) }).then(
      () => expect.fail("the client accepted 6 tag filters"),
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).field).toBe("tags");
    expect(recorder.calls).toEqual([]);
  });

  // "At most 1 KB as JSON" is prose in the spec: JSON Schema cannot express an
  // encoded size, so Prism accepts it. The stateful fake implements the
  // service's rule, so it is the one that must answer 400.
  describe("metadata at most 1 KB as JSON", () => {
    const big = { note: "x".repeat(1100) };
    const fits = { note: "x".repeat(1000) };
    const create = (metadata: object) => post(`${bucket}/consumers`, { name: "ada", metadata });

    test("(a) the client rejects it before any request", async ({ client, recorder }) => {
      const error = await client.consumers
        .create({ bucketName: "acme-prod", body: { name: "ada", metadata: big } })
        .then(
          () => expect.fail("the client accepted 1.1 KB of metadata"),
          (thrown: unknown) => thrown,
        );
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).field).toBe("body.metadata");
      expect((error as InvalidInputError).rule).toContain("1024 bytes");
      expect(recorder.calls).toEqual([]);
    });

    test("(b) the fake answers 400 (and Prism cannot tell)", async () => {
      const fake = await startFakeZuplo({ buckets: [{ name: "acme-prod" }] });
      try {
        const rejected = await send(fake.url, create(big));
        expect(rejected.status).toBe(400);
        expect(rejected.detail).toMatch(/metadata.*1024 bytes/);
        const accepted = await send(fake.url, create(fits));
        expect(accepted.status).toBe(200);
        // Both sizes are valid JSON Schema, so Prism answers 200 to each.
        expect((await send(prism.url(), create(big))).status).toBe(200);
      } finally {
        await fake.stop();
      }
    });
  });
});
