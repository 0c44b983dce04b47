// The fake takes every fact from the spec (through @keysmith/client's generated `routes` and
// `rules`): a handler per operation, its patterns and limits, the query parameters it accepts.
import { readFileSync } from "node:fs";
import { routes, rules } from "@keysmith/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handlerFileOf, missingHandlers, staleHandlers } from "../src/fake/routes.js";
import { type FakeZuplo, startFakeZuplo } from "../src/index.js";

let fake: FakeZuplo;
const B = "/v1/accounts/acme-corp/key-buckets/acme-prod";

async function req(method: string, path: string, body?: unknown) {
  const res = await fetch(fake.url + path, {
    method,
    headers: { authorization: "Bearer zpka_facts", "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: bodies are poked at loosely
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}

/** Runs `fn` with one generated rule changed, to prove the fake reads it (not a copy). */
async function withRule<K extends "metadataMaxJsonBytes" | "tagsMaxProperties">(
  key: K,
  value: number,
  fn: () => Promise<void>,
) {
  const mutable = rules as unknown as Record<K, number>;
  const saved = mutable[key];
  mutable[key] = value;
  try {
    await fn();
  } finally {
    mutable[key] = saved;
  }
}

beforeAll(async () => {
  fake = await startFakeZuplo({
    buckets: [{ name: "acme-prod", consumers: [{ name: "ada-lovelace", apiKeys: [{}] }] }],
  });
});
afterAll(async () => {
  await fake?.stop();
});

describe("handlers", () => {
  it("every operation of the spec has a fake handler", () => {
    // Each entry says which file to edit and what to export.
    expect(
      missingHandlers(),
      "operations without a handler in apps/mock/src/fake/handlers/",
    ).toEqual([]);
  });

  it("every handler names an operation of the spec", () => {
    expect(staleHandlers(), "handlers for no operation of the spec").toEqual([]);
  });

  it("says where a handler belongs", () => {
    expect(handlerFileOf("whoAmI")).toBe("apps/mock/src/fake/handlers/buckets.ts");
    expect(handlerFileOf("rollConsumerKey")).toBe("apps/mock/src/fake/handlers/consumers.ts");
    expect(handlerFileOf("bulkCreateKeys")).toBe("apps/mock/src/fake/handlers/keys.ts");
    expect(handlerFileOf("deleteManager")).toBe("apps/mock/src/fake/handlers/managers.ts");
  });

  it("routes every operation by the generated method and path", async () => {
    for (const [operation, [method, template]] of Object.entries(routes)) {
      const path = template
        .replace("{accountName}", "acme-corp")
        .replace("{bucketName}", "no-such-bucket")
        .replace(/\{\w+\}/g, "x");
      await req(method, path, method === "GET" || method === "DELETE" ? undefined : {});
      expect(fake.requests.at(-1)?.operation, `${method} ${path}`).toBe(operation);
    }
  });
});

describe("patterns and limits come from the generated rules", () => {
  it("metadata: the x-max-json-bytes limit", async () => {
    const max = rules.metadataMaxJsonBytes;
    const at = { s: "y".repeat(max - 8) }; // {"s":"…"} is 8 bytes of JSON around the value
    expect(Buffer.byteLength(JSON.stringify(at))).toBe(max);
    expect((await req("PATCH", `${B}/consumers/ada-lovelace`, { metadata: at })).status).toBe(200);
    const over = await req("PATCH", `${B}/consumers/ada-lovelace`, {
      metadata: { s: "y".repeat(max - 7) },
    });
    expect(over.status).toBe(400);
    expect(over.body.detail).toBe(`metadata must be at most ${max} bytes as JSON (got ${max + 1})`);
    await withRule("metadataMaxJsonBytes", 10, async () => {
      const small = await req("PATCH", `${B}/consumers/ada-lovelace`, { metadata: { s: "yy" } });
      expect(small.status).toBe(200);
      const res = await req("PATCH", `${B}/consumers/ada-lovelace`, { metadata: { s: "yyyy" } });
      expect(res.body.detail).toBe("metadata must be at most 10 bytes as JSON (got 12)");
    });
  });

  it("tags: maxProperties", async () => {
    const tags = (n: number) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, "v"]));
    const max = rules.tagsMaxProperties;
    expect((await req("PATCH", `${B}/consumers/ada-lovelace`, { tags: tags(max) })).status).toBe(
      200,
    );
    const over = await req("PATCH", `${B}/consumers/ada-lovelace`, { tags: tags(max + 1) });
    expect(over.body.detail).toBe(`tags must have at most ${max} entries`);
    await withRule("tagsMaxProperties", 1, async () => {
      const res = await req("PATCH", `${B}/consumers/ada-lovelace`, { tags: tags(2) });
      expect(res.body.detail).toBe("tags must have at most 1 entries");
    });
  });

  it("names: the create patterns", async () => {
    const bucket = await req("POST", "/v1/accounts/acme-corp/key-buckets", { name: "abc" });
    expect(bucket.body.detail).toBe(`name must match ${rules.patterns.BucketName}`);
    const consumer = await req("POST", `${B}/consumers`, { name: "Ada" });
    expect(consumer.body.detail).toBe(`name must match ${rules.patterns.ConsumerName}`);
  });

  it("paging: limit and offset bounds and defaults", async () => {
    const { minimum, maximum } = rules.limit;
    const tooBig = await req("GET", `${B}/consumers?limit=${maximum + 1}`);
    expect(tooBig.body.detail).toBe(`limit must be an integer ${minimum}..${maximum}`);
    const negative = await req("GET", `${B}/consumers?offset=${rules.offset.minimum - 1}`);
    expect(negative.body.detail).toBe(`offset must be an integer >= ${rules.offset.minimum}`);
    const page = await req("GET", `${B}/consumers`);
    expect(page.body).toMatchObject({ limit: rules.limit.default, offset: 0 });
  });
});

describe("query parameters: only those the operation declares", () => {
  it("accepts every declared parameter and tag filters where the spec allows them", async () => {
    const list = await req(
      "GET",
      `${B}/consumers?limit=5&offset=0&include-api-keys=true&include-managers=false&include-manager-invites=true&key-format=none&manager-email=a@example.com&tag.orgId=org_1`,
    );
    expect(list.status).toBe(200);
    expect((await req("GET", `${B}/consumers/ada-lovelace?tag.orgId=x`)).status).toBe(404);
  });

  it("400 naming a parameter the operation does not know", async () => {
    const typo = await req("GET", `${B}/consumers?limt=5`);
    expect(typo.status).toBe(400);
    expect(typo.body.detail).toBe(
      "limt is not a query parameter of listConsumers (allowed: limit, offset, include-api-keys, include-managers, include-manager-invites, key-format, manager-email, tag.<name>)",
    );
    // Declared for another operation only.
    const other = await req("GET", `${B}/consumers/ada-lovelace?with-api-key=true`);
    expect(other.body.detail).toMatch(/^with-api-key is not a query parameter of getConsumer/);
    const none = await req("GET", "/v1/who-am-i?verbose=1");
    expect(none.body.detail).toBe("verbose is not a query parameter of whoAmI (it takes none)");
  });

  it("400 for a tag filter on an operation without x-tag-filter; nothing changes", async () => {
    const res = await req("POST", `${B}/consumers?tag.orgId=org_1`, { name: "tagged" });
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe("tag.orgId: createConsumer takes no tag.<name> filter");
    expect(fake.state.bucket("acme-prod").consumers.has("tagged")).toBe(false);
  });
});

describe("docs", () => {
  // Counts go stale when the spec grows: say "every operation", or keep the number right.
  it.each(["README.md", "test/contract/README.md"])(
    "%s states no stale operation count",
    (file) => {
      const text = readFileSync(new URL(`../${file}`, import.meta.url), "utf8");
      const counts = [...text.matchAll(/\b(\d+) (?:key-service )?operations\b/g)].map((m) =>
        Number(m[1]),
      );
      expect(
        counts.filter((n) => n !== Object.keys(routes).length),
        `apps/mock/${file}: an operation count that is not the spec's (${Object.keys(routes).length})`,
      ).toEqual([]);
    },
  );
});
