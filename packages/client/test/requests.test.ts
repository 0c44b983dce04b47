// Every operation: method, path (params encoded), body and parsed result.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { routes } from "../src/generated/rules.js";
import { createLeanZuploClient, createZuploClient, type LeanZuploClient } from "../src/index.js";
import { clientFor, SECRET, startServer, type TestServer } from "./helpers/server.js";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const c = { bucketName: "acme-prod", consumerName: "ada" };
const base = "/v1/accounts/acme-corp/key-buckets";
const ok = { ok: true };

let server: TestServer;
afterEach(() => server?.close());

type Case = [string, (z: LeanZuploClient) => Promise<unknown>, string, string, unknown?];
const cases: Case[] = [
  ["whoAmI", (z) => z.whoAmI(), "GET", "/v1/who-am-i"],
  ["listBuckets", (z) => z.buckets.list(), "GET", base],
  [
    "createBucket",
    (z) => z.buckets.create({ body: { name: "acme-prod" } }),
    "POST",
    base,
    { name: "acme-prod" },
  ],
  ["getBucket", (z) => z.buckets.get({ bucketName: "acme-prod" }), "GET", `${base}/acme-prod`],
  [
    "updateBucket",
    (z) => z.buckets.update({ bucketName: "acme-prod", body: { description: "d" } }),
    "PATCH",
    `${base}/acme-prod`,
    { description: "d" },
  ],
  [
    "deleteBucket",
    (z) => z.buckets.delete({ bucketName: "acme-prod" }),
    "DELETE",
    `${base}/acme-prod`,
  ],
  [
    "listConsumers",
    (z) => z.consumers.list({ bucketName: "acme-prod" }),
    "GET",
    `${base}/acme-prod/consumers`,
  ],
  [
    "createConsumer",
    (z) =>
      z.consumers.create({
        bucketName: "acme-prod",
        body: { name: "ada", metadata: { plan: "pro" } },
      }),
    "POST",
    `${base}/acme-prod/consumers`,
    { name: "ada", metadata: { plan: "pro" } },
  ],
  ["getConsumer", (z) => z.consumers.get(c), "GET", `${base}/acme-prod/consumers/ada`],
  [
    "updateConsumer",
    (z) => z.consumers.update({ ...c, body: { tags: { a: "b" } } }),
    "PATCH",
    `${base}/acme-prod/consumers/ada`,
    { tags: { a: "b" } },
  ],
  ["deleteConsumer", (z) => z.consumers.delete(c), "DELETE", `${base}/acme-prod/consumers/ada`],
  [
    "rollConsumerKey",
    (z) => z.consumers.rollKey({ ...c, body: { expiresOn: "2027-01-01T00:00:00Z" } }),
    "POST",
    `${base}/acme-prod/consumers/ada/roll-key`,
    { expiresOn: "2027-01-01T00:00:00Z" },
  ],
  ["listKeys", (z) => z.keys.list(c), "GET", `${base}/acme-prod/consumers/ada/keys`],
  [
    "createKey",
    (z) => z.keys.create({ ...c, body: { description: "ci" } }),
    "POST",
    `${base}/acme-prod/consumers/ada/keys`,
    { description: "ci" },
  ],
  [
    "bulkCreateKeys",
    (z) => z.keys.bulkCreate({ ...c, body: [{}, { expiresOn: null }] }),
    "POST",
    `${base}/acme-prod/consumers/ada/keys/$bulk`,
    [{}, { expiresOn: null }],
  ],
  [
    "getKey",
    (z) => z.keys.get({ ...c, keyId: "key/1?#%" }),
    "GET",
    `${base}/acme-prod/consumers/ada/keys/key%2F1%3F%23%25`,
  ],
  [
    "updateKey",
    (z) => z.keys.update({ ...c, keyId: "k 1", body: { description: "x" } }),
    "PATCH",
    `${base}/acme-prod/consumers/ada/keys/k%201`,
    { description: "x" },
  ],
  [
    "deleteKey",
    (z) => z.keys.delete({ ...c, keyId: "key_1" }),
    "DELETE",
    `${base}/acme-prod/consumers/ada/keys/key_1`,
  ],
  ["listManagers", (z) => z.managers.list(c), "GET", `${base}/acme-prod/consumers/ada/managers`],
  [
    "createManager",
    (z) => z.managers.create({ ...c, body: { email: "a@b.c", sub: "auth0|1" } }),
    "POST",
    `${base}/acme-prod/consumers/ada/managers`,
    { email: "a@b.c", sub: "auth0|1" },
  ],
  [
    "deleteManager",
    (z) => z.managers.delete({ ...c, managerId: "eusr/1" }),
    "DELETE",
    `${base}/acme-prod/consumers/ada/managers/eusr%2F1`,
  ],
];

const lean = (s: TestServer) =>
  createLeanZuploClient({ apiKey: SECRET, accountName: "acme-corp", baseUrl: s.url });

describe.each([
  ["createZuploClient", clientFor],
  ["createLeanZuploClient", lean],
] as const)("every operation (%s)", (_, make) => {
  it("covers all operations of the spec", () => {
    expect(cases.map(([op]) => op).sort()).toEqual(Object.keys(routes).sort());
  });

  it.each(cases)("%s", async (_, call, method, path, body) => {
    const list = path.endsWith("s") && method === "GET" && !path.endsWith("who-am-i");
    const answer =
      method === "DELETE" || path.endsWith("roll-key") ? undefined : list ? { data: [ok] } : ok;
    server = await startServer([answer === undefined ? { status: 204 } : { json: answer }]);
    await expect(call(make(server))).resolves.toEqual(answer);
    const [request] = server.requests;
    expect(request?.method).toBe(method);
    expect(request?.url).toBe(path);
    if (body === undefined) expect(request?.body).toBe("");
    else {
      expect(JSON.parse(request?.body ?? "")).toEqual(body);
      expect(request?.headers["content-type"]).toBe("application/json");
    }
  });
});

describe("headers and URLs", () => {
  it("sends the bearer key and keysmith's User-Agent plus the caller's", async () => {
    server = await startServer([{ json: ok }]);
    await clientFor(server, { userAgent: "my-app/1.0" }).whoAmI();
    const headers = server.requests[0]?.headers;
    expect(headers?.authorization).toBe(`Bearer ${SECRET}`);
    expect(headers?.["user-agent"]).toBe(`keysmith-client/${version} my-app/1.0`);
  });

  it("adds per-request headers", async () => {
    server = await startServer([{ json: ok }]);
    await clientFor(server).whoAmI({}, { headers: { "x-trace": "t1" } });
    expect(server.requests[0]?.headers["x-trace"]).toBe("t1");
  });

  it("encodes the account name and tolerates a trailing slash on baseUrl", async () => {
    server = await startServer([{ json: { data: [] } }]);
    const zuplo = createZuploClient({
      apiKey: SECRET,
      accountName: "acme corp/x",
      baseUrl: `${server.url}/`,
    });
    await zuplo.buckets.list();
    expect(server.requests[0]?.url).toBe("/v1/accounts/acme%20corp%2Fx/key-buckets");
  });

  it("percent-encodes path values (`$`, `&`), as openapi-fetch did", async () => {
    server = await startServer([{ json: ok }]);
    await lean(server).consumers.get({ bucketName: "acme-prod", consumerName: "a$'b$&c$1" });
    expect(server.requests[0]?.url).toBe(`${base}/acme-prod/consumers/a%24'b%24%26c%241`);
  });

  it("the lean client has no raw", () => {
    expect("raw" in lean({ url: "http://127.0.0.1:1" } as TestServer)).toBe(false);
  });

  it("raw is the typed openapi-fetch client with auth and baseUrl set", async () => {
    server = await startServer([{ json: { sub: "me" } }]);
    const { data } = await clientFor(server).raw.GET("/v1/who-am-i");
    expect(data).toEqual({ sub: "me" });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
  });
});
