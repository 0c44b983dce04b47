// Issue 11, client items 4, 5, 9, 10: dot segments and unknown parameters never
// reach the wire, redirects are never followed, a retried DELETE's 404 is done.
import { afterEach, describe, expect, it } from "vitest";
import {
  APIError,
  createZuploClient,
  InvalidInputError,
  NotFoundError,
  RedirectError,
  type ZuploClient,
  ZuploError,
} from "../src/index.js";
import {
  clientFor,
  consumer,
  problem,
  SECRET,
  startServer,
  type TestServer,
} from "./helpers/server.js";

let server: TestServer;
let other: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  await other?.close();
  other = undefined;
});

const c = { bucketName: "acme-prod", consumerName: "ada" };

async function rejectsInput(
  call: (zuplo: ZuploClient) => Promise<unknown>,
  field: string,
  hint?: string,
): Promise<void> {
  server = await startServer([{ status: 204 }]);
  const error = await call(clientFor(server)).then(
    () => expect.fail("resolved"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  expect(error).toMatchObject({ field });
  expect(server.requests).toHaveLength(0);
  if (hint) expect((error as Error).message).toContain(hint);
}

describe("path parameters cannot change the path", () => {
  it.each([".", "..", ""])("keyId %j is rejected", (keyId) =>
    rejectsInput((z) => z.keys.delete({ ...c, keyId }), "keyId"),
  );
  it.each([".", ".."])("managerId %j is rejected", (managerId) =>
    rejectsInput((z) => z.managers.delete({ ...c, managerId }), "managerId"),
  );
  it.each([".", "..", ""])("consumerName %j is rejected", (consumerName) =>
    rejectsInput((z) => z.consumers.delete({ ...c, consumerName }), "consumerName"),
  );
  it("a lone surrogate (not encodable) is rejected", () =>
    rejectsInput((z) => z.keys.get({ ...c, keyId: "\ud800" }), "keyId"));
  it.each([".", ".."])("accountName %j is rejected at creation", (accountName) => {
    expect(() => createZuploClient({ apiKey: SECRET, accountName })).toThrow(InvalidInputError);
  });
  it("a lone surrogate in accountName is rejected at creation", () => {
    expect(() => createZuploClient({ apiKey: SECRET, accountName: "\ud800" })).toThrow(
      InvalidInputError,
    );
  });
  it("accountName cannot be overridden through params", () =>
    rejectsInput(
      (z) => z.consumers.get({ ...c, accountName: "someone-else" } as never),
      "accountName",
    ));
  it("an existing name such as org_123 is addressed, encoded", async () => {
    server = await startServer([{ json: consumer("org_123") }]);
    await clientFor(server).consumers.get({ bucketName: "acme-prod", consumerName: "org_123" });
    expect(server.requests[0]?.url).toBe(
      "/v1/accounts/acme-corp/key-buckets/acme-prod/consumers/org_123",
    );
  });
  it("a slash or a dot inside a name stays inside its segment", async () => {
    server = await startServer([{ json: consumer("x") }]);
    await clientFor(server).consumers.get({ bucketName: "acme-prod", consumerName: "../a/.b" });
    expect(server.requests[0]?.url).toBe(
      "/v1/accounts/acme-corp/key-buckets/acme-prod/consumers/..%2Fa%2F.b",
    );
  });
});

describe("unknown parameters are rejected", () => {
  it("a `tag` typo for `tags` names the fix", () =>
    rejectsInput(
      (z) => z.consumers.delete({ ...c, tag: { orgId: "org_123" } } as never),
      "tag",
      "did you mean tags?",
    ));
  it("a misspelt query option", () =>
    rejectsInput(
      (z) => z.consumers.get({ ...c, includeApiKey: true } as never),
      "includeApiKey",
      "did you mean includeApiKeys?",
    ));
  it("tags on an operation without tag filters", () =>
    rejectsInput((z) => z.keys.create({ ...c, body: {}, tags: { a: "b" } } as never), "tags"));
  it("a kebab-case query name (the client takes camelCase)", () =>
    rejectsInput(
      (z) => z.consumers.get({ ...c, "include-api-keys": true } as never),
      "include-api-keys",
    ));
  it.each([
    ["toJSON on the metadata", { toJSON: () => ({ plan: "pro" }) }],
    ["a Date inside", { when: new Date(0) }],
    ["toJSON inside", { nested: { toJSON: () => 1 } }],
    ["a Map inside", { nested: new Map() }],
    ["a function inside", { f: () => 1 }],
    ["undefined inside an array", { list: [undefined] }],
  ])("metadata with %s", (_, metadata) =>
    rejectsInput(
      (z) =>
        z.consumers.create({ bucketName: "acme-prod", body: { name: "ada", metadata } as never }),
      "body.metadata",
    ),
  );
});

describe("input that cannot be sent fails as InvalidInputError, with no request", () => {
  it("a lone surrogate in a tag value", () =>
    rejectsInput((z) => z.consumers.delete({ ...c, tags: { org: "\ud800" } }), "tags.org"));
  it("a lone surrogate in a tag name", () =>
    rejectsInput((z) => z.consumers.delete({ ...c, tags: { "\udc00": "x" } }), "tags name"));
  it("a lone surrogate in a query option", () =>
    rejectsInput(
      (z) => z.consumers.list({ bucketName: "acme-prod", managerEmail: "\udc00" }),
      "managerEmail",
    ));
  it("a BigInt in a body", () =>
    rejectsInput(
      (z) => z.keys.create({ ...c, body: { description: 1n } as never }),
      "body",
      "JSON data",
    ));
  it("a cyclic body", () => {
    const body: Record<string, unknown> = { email: "ada@example.com", sub: "auth0|ada" };
    body.self = body;
    return rejectsInput((z) => z.managers.create({ ...c, body: body as never }), "body");
  });
});

describe("inherited properties never reach the wire", () => {
  it("a polluted Object.prototype adds nothing to the query", async () => {
    server = await startServer([{ json: consumer("ada") }]);
    const proto = Object.prototype as Record<string, unknown>;
    proto.keyFormat = "visible";
    try {
      await clientFor(server).consumers.get({ ...c, includeApiKeys: true });
    } finally {
      delete proto.keyFormat;
    }
    expect(server.requests[0]?.url).toBe(
      "/v1/accounts/acme-corp/key-buckets/acme-prod/consumers/ada?include-api-keys=true",
    );
  });
});
describe("redirects are never followed", () => {
  it("a 301 on consumers.create rejects with RedirectError; the target is never asked", async () => {
    other = await startServer([{ json: consumer("ada") }]);
    server = await startServer([
      { status: 301, headers: { location: `${other.url}/x` }, raw: "moved" },
    ]);
    const error = await clientFor(server)
      .consumers.create({ bucketName: "acme-prod", body: { name: "ada" } })
      .then(
        () => expect.fail("resolved"),
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(ZuploError);
    expect(error).toMatchObject({ status: 301, body: undefined });
    expect(server.requests).toHaveLength(1);
    expect(other.requests).toHaveLength(0);
  });

  it.each([302, 303, 307, 308])("a %i on a GET is an error too, never retried", async (status) => {
    server = await startServer([
      { status, headers: { location: "/elsewhere" } },
      { json: consumer("ada") },
    ]);
    const error = await clientFor(server)
      .consumers.get(c)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(server.requests).toHaveLength(1);
  });
});

describe("a retried DELETE", () => {
  it("treats 404 after a lost answer as done", async () => {
    server = await startServer([
      { destroy: true },
      { status: 404, json: problem(404, "Not Found") },
    ]);
    await expect(clientFor(server).consumers.delete(c)).resolves.toBeUndefined();
    expect(server.requests.map((r) => r.method)).toEqual(["DELETE", "DELETE"]);
  });
  it("treats 404 after a 503 as done", async () => {
    server = await startServer([
      { status: 503, headers: { "retry-after": "0" }, json: problem(503, "Unavailable") },
      { status: 404, json: problem(404, "Not Found") },
    ]);
    await expect(clientFor(server).keys.delete({ ...c, keyId: "key_1" })).resolves.toBeUndefined();
  });
  it("still reports 404 after a 429 (the first attempt was refused unprocessed)", async () => {
    server = await startServer([
      { status: 429, headers: { "retry-after": "0" }, json: problem(429, "Too Many Requests") },
      { status: 404, json: problem(404, "Not Found") },
    ]);
    await expect(clientFor(server).consumers.delete(c)).rejects.toBeInstanceOf(NotFoundError);
  });
  it("treats 404 as done when any earlier attempt may have run (503, then 429, then 404)", async () => {
    server = await startServer([
      { status: 503, headers: { "retry-after": "0" }, json: problem(503, "Unavailable") },
      { status: 429, headers: { "retry-after": "0" }, json: problem(429, "Too Many Requests") },
      { status: 404, json: problem(404, "Not Found") },
    ]);
    await expect(clientFor(server).consumers.delete(c)).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(3);
  });
  it("still reports a first-attempt 404", async () => {
    server = await startServer([{ status: 404, json: problem(404, "Not Found") }]);
    await expect(clientFor(server).consumers.delete(c)).rejects.toBeInstanceOf(NotFoundError);
  });
});
