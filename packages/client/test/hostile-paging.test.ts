// Issue 11, client item 3: a walk ends with a clear error against servers whose
// pages alternate, cycle or ignore `offset`, after a handful of requests.
import { afterEach, describe, expect, it } from "vitest";
import { InvalidResponseError } from "../src/index.js";
import { clientFor, consumer, SECRET, startServer, type TestServer } from "./helpers/server.js";

let server: TestServer;
afterEach(() => server?.close());

const bucketName = "acme-prod";
const items = Array.from({ length: 5000 }, (_, i) => consumer(`c-${i}`));

async function walk(limit = 10) {
  const seen: string[] = [];
  const error = await (async () => {
    for await (const c of clientFor(server).consumers.list({ bucketName, limit }))
      seen.push(c.name);
  })().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { seen, error };
}

describe("pagination cannot loop", () => {
  it("pages that alternate between two sets end the walk with an error", async () => {
    server = await startServer((_, n) => ({
      json: { data: items.slice((n % 2) * 10, (n % 2) * 10 + 10) },
    }));
    const { seen, error } = await walk();
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/already walked/);
    expect(seen).toHaveLength(20);
    expect(server.requests.length).toBeLessThanOrEqual(3);
  });

  it("pages that cycle through 20 distinct items end the walk", async () => {
    server = await startServer((_, n) => ({
      json: { data: items.slice((n % 2) * 10, (n % 2) * 10 + 10), total: 5000 },
    }));
    const { error } = await walk();
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(server.requests.length).toBeLessThanOrEqual(3);
  });

  it("a server that ignores offset while items shift ends the walk at once", async () => {
    server = await startServer((_, n) => ({ json: { data: items.slice(n, n + 10) } }));
    const { error } = await walk();
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(server.requests.length).toBeLessThanOrEqual(2);
  });

  it("a server that answers another offset than asked ends the walk", async () => {
    server = await startServer(() => ({
      json: { data: items.slice(0, 10), offset: 0, limit: 10 },
    }));
    const { error, seen } = await walk();
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/offset/);
    expect(seen).toHaveLength(10);
  });

  it("a longer cycle (30 pages) is caught within the bound", async () => {
    server = await startServer((_, n) => ({
      json: { data: items.slice((n % 30) * 10, (n % 30) * 10 + 10) },
    }));
    const { error } = await walk();
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(server.requests.length).toBeLessThanOrEqual(31);
  });
});

describe("hostile page fields", () => {
  it("empty pages that say limit 0 end the walk", async () => {
    server = await startServer(() => ({ json: { data: [], limit: 0 } }));
    const { seen, error } = await walk();
    expect(error).toBeUndefined();
    expect(seen).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("full pages that say limit 0 are walked with the asked limit", async () => {
    server = await startServer((req) => {
      const offset = Number(req.query.get("offset"));
      return { json: { data: items.slice(offset, Math.min(offset + 10, 25)), limit: 0 } };
    });
    const { seen, error } = await walk();
    expect(error).toBeUndefined();
    expect(seen).toHaveLength(25);
    expect(server.requests).toHaveLength(3);
  });

  it("items whose ids are objects are still told apart, so a repeating server is caught", async () => {
    const page = Array.from({ length: 10 }, () => ({ id: {}, name: {} }));
    server = await startServer(() => ({ json: { data: page } }));
    const { seen, error } = await walk();
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(seen.length).toBeLessThanOrEqual(10);
    expect(server.requests.length).toBeLessThanOrEqual(2);
  });

  it.each([
    ["the API key", SECRET],
    ["an object that cannot become a string", { toString: 1 }],
  ])("an offset holding %s is never quoted nor thrown raw", async (_, offset) => {
    server = await startServer(() => ({ json: { data: items.slice(0, 10), offset } }));
    const { error } = await walk();
    if (error !== undefined) expect(error).toBeInstanceOf(InvalidResponseError);
    expect(String((error as Error | undefined)?.message)).not.toContain(SECRET);
  });

  it.each([
    ["limit", { toString: 1 }],
    ["total", { toString: 1 }],
    ["limit", "10"],
  ])("a %s of %j is ignored, not thrown raw", async (field, value) => {
    server = await startServer((req) => {
      const offset = Number(req.query.get("offset"));
      return { json: { data: items.slice(offset, Math.min(offset + 10, 15)), [field]: value } };
    });
    const { seen, error } = await walk();
    expect(error).toBeUndefined();
    expect(seen).toHaveLength(15);
  });
});
