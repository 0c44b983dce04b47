import { afterEach, describe, expect, it } from "vitest";
import { METADATA_MAX_BYTES } from "../src/core/validation.js";
import { rules } from "../src/generated/rules.js";
import { createZuploClient, InvalidInputError, type ZuploClient } from "../src/index.js";
import { clientFor, startServer, type TestServer } from "./helpers/server.js";

let server: TestServer;
let zuplo: ZuploClient;
afterEach(() => server?.close());

async function rejected(call: () => Promise<unknown>, field: string, rule: RegExp) {
  server = await startServer([{ json: { data: [] } }]);
  zuplo = clientFor(server);
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  expect(error).toMatchObject({ field });
  expect((error as InvalidInputError).rule).toMatch(rule);
  expect((error as Error).message).toContain(field);
  expect(server.requests).toHaveLength(0);
}

const b = "acme-prod";
const c = { bucketName: b, consumerName: "ada" };
const sixTags = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`t${i}`, "v"]));
// 350 three-byte characters: 350 UTF-16 units but 1 052 UTF-8 bytes.
const bigMetadata = { note: "€".repeat(350) };

describe("input checks reject before any request", () => {
  it.each<[string, () => Promise<unknown>, string, RegExp]>([
    [
      "bucket name too short",
      () => zuplo.buckets.get({ bucketName: "abc" }),
      "bucketName",
      /must match/,
    ],
    [
      "bucket name upper case",
      () => zuplo.consumers.list({ bucketName: "Acme-Prod" }),
      "bucketName",
      /must match/,
    ],
    ["bucket name missing", () => zuplo.buckets.get({} as never), "bucketName", /non-empty string/],
    [
      "consumer name that breaks the pattern, on create",
      () => zuplo.consumers.create({ bucketName: b, body: { name: "org_123" } }),
      "body.name",
      /must match/,
    ],
    [
      "consumer name that is a dot segment",
      () => zuplo.consumers.get({ bucketName: b, consumerName: ".." }),
      "consumerName",
      /must not be \. or \.\./,
    ],
    [
      "consumer name empty",
      () => zuplo.keys.list({ bucketName: b, consumerName: "" }),
      "consumerName",
      /non-empty/,
    ],
    ["key id empty", () => zuplo.keys.get({ ...c, keyId: "" }), "keyId", /non-empty/],
    [
      "manager id missing",
      () => zuplo.managers.delete({ ...c } as never),
      "managerId",
      /non-empty/,
    ],
    [
      "limit 0",
      () => zuplo.consumers.list({ bucketName: b, limit: 0 }),
      "limit",
      /integer from 1 to 1000/,
    ],
    ["limit 1001", () => zuplo.keys.list({ ...c, limit: 1001 }), "limit", /integer from 1 to 1000/],
    ["limit 2.5", () => zuplo.managers.list({ ...c, limit: 2.5 }), "limit", /integer/],
    [
      "offset -1",
      () => zuplo.consumers.list({ bucketName: b, offset: -1 }),
      "offset",
      /integer from 0 up/,
    ],
    [
      "6 tag filters",
      () => zuplo.consumers.list({ bucketName: b, tags: sixTags }),
      "tags",
      /at most 5/,
    ],
    [
      "empty tag filter value",
      () => zuplo.consumers.delete({ ...c, tags: { orgId: "" } }),
      "tags.orgId",
      /non-empty string/,
    ],
    [
      "non-string tag filter value",
      () => zuplo.keys.delete({ ...c, keyId: "k", tags: { orgId: 1 as never } }),
      "tags.orgId",
      /non-empty string/,
    ],
    [
      "empty tag name",
      () => zuplo.consumers.get({ ...c, tags: { "": "x" } }),
      "tags",
      /names must be non-empty/,
    ],
    [
      "6 body tags",
      () => zuplo.consumers.create({ bucketName: b, body: { name: "ada", tags: sixTags } }),
      "body.tags",
      /at most 5/,
    ],
    [
      "metadata over 1 KB (UTF-8)",
      () => zuplo.consumers.update({ ...c, body: { metadata: bigMetadata } }),
      "body.metadata",
      /at most 1024 bytes/,
    ],
    [
      "metadata an array",
      () => zuplo.consumers.create({ bucketName: b, body: { name: "ada", metadata: [] as never } }),
      "body.metadata",
      /plain object/,
    ],
    [
      "metadata not serialisable",
      () => zuplo.consumers.update({ ...c, body: { metadata: { n: 1n } } }),
      "body.metadata",
      /plain JSON data/,
    ],
    [
      "consumer body name",
      () => zuplo.consumers.create({ bucketName: b, body: { name: "Ada Lovelace" } }),
      "body.name",
      /must match \^\[a-z0-9-\]\{1,128\}\$/,
    ],
    [
      "bucket body name",
      () => zuplo.buckets.create({ body: { name: "abcd" } }),
      "body.name",
      /must match \^\[a-z0-9-\]\{5,128\}\$/,
    ],
    ["missing body", () => zuplo.keys.create({ ...c } as never), "body", /is required/],
    [
      "empty bulk",
      () => zuplo.keys.bulkCreate({ ...c, body: [] as never }),
      "body",
      /non-empty array/,
    ],
    [
      "roll-key without body",
      () => zuplo.consumers.rollKey({ ...c } as never),
      "body",
      /is required/,
    ],
    [
      "manager without body",
      () => zuplo.managers.create({ ...c, body: null as never }),
      "body",
      /is required/,
    ],
    [
      "bucket update with a string body",
      () => zuplo.buckets.update({ bucketName: b, body: "x" as never }),
      "body",
      /is required/,
    ],
  ])("%s", async (_, call, field, rule) => {
    await rejected(call, field, rule);
  });

  it("accepts metadata just under the limit and 5 tags", async () => {
    server = await startServer([
      { json: { id: "csmr_1", name: "ada", createdOn: "x", updatedOn: "x" } },
    ]);
    const fiveTags = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`t${i}`, "v"]));
    const metadata = { note: "a".repeat(METADATA_MAX_BYTES - 11) }; // {"note":"…"} is 11 bytes of framing
    expect(new TextEncoder().encode(JSON.stringify(metadata)).length).toBe(METADATA_MAX_BYTES);
    await clientFor(server).consumers.create({
      bucketName: b,
      body: { name: "ada", tags: fiveTags, metadata },
    });
    expect(server.requests).toHaveLength(1);
  });

  it("the rules come from the spec", () => {
    expect(rules.patterns.BucketName).toBe("^[a-z0-9-]{5,128}$");
    expect(rules.tagsMaxProperties).toBe(5);
    expect(rules.limit).toEqual({ minimum: 1, maximum: 1000, default: 1000 });
  });

  it.each<[string, object]>([
    ["apiKey", { apiKey: "" }],
    ["accountName", { accountName: undefined }],
    ["baseUrl", { baseUrl: "not a url" }],
    ["timeoutMs", { timeoutMs: 0 }],
    ["maxRetries", { maxRetries: 1.5 }],
  ])("createZuploClient rejects a bad %s at once", (field, bad) => {
    expect(() =>
      createZuploClient({ apiKey: "zpka_x", accountName: "acme", ...bad } as Parameters<
        typeof createZuploClient
      >[0]),
    ).toThrow(expect.objectContaining({ field }));
  });
});
