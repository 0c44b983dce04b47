import { afterEach, describe, expect, it } from "vitest";
import { type Consumer, InvalidResponseError } from "../src/index.js";
import { clientFor, consumer, startServer, type TestServer } from "./helpers/server.js";

const bucketName = "acme-prod";
const all = Array.from({ length: 5 }, (_, i) => consumer(`c-${i}`));

/** A server that pages `items` honestly by limit/offset. */
const paged =
  (items: unknown[], extra: (offset: number, limit: number) => object = () => ({})) =>
  (request: { query: URLSearchParams }) => {
    const offset = Number(request.query.get("offset") ?? 0);
    const limit = Number(request.query.get("limit") ?? 1000);
    return { json: { data: items.slice(offset, offset + limit), ...extra(offset, limit) } };
  };

async function collect<T>(iterable: AsyncIterable<T>) {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

let server: TestServer;
afterEach(() => server?.close());

describe("PagePromise", () => {
  it("await gives the first page only", async () => {
    server = await startServer(paged(all, (offset, limit) => ({ offset, limit, total: 5 })));
    const page = await clientFor(server).consumers.list({ bucketName, limit: 2 });
    expect(page).toEqual({ data: all.slice(0, 2), offset: 0, limit: 2, total: 5 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.query.get("limit")).toBe("2");
    expect(server.requests[0]?.query.has("offset")).toBe(false);
  });

  it("for await walks every item over several pages, stopping on the short page", async () => {
    server = await startServer(paged(all));
    const items = await collect(clientFor(server).consumers.list({ bucketName, limit: 2 }));
    expect(items.map((c: Consumer) => c.name)).toEqual(all.map((c) => c.name));
    expect(server.requests.map((r) => r.query.get("offset"))).toEqual([null, "2", "4"]);
  });

  it("stops at total without asking for an empty page", async () => {
    const four = all.slice(0, 4);
    server = await startServer(paged(four, () => ({ total: 4 })));
    const items = await collect(clientFor(server).consumers.list({ bucketName, limit: 2 }));
    expect(items).toHaveLength(4);
    expect(server.requests).toHaveLength(2);
  });

  it("stops on an empty page", async () => {
    const four = all.slice(0, 4);
    server = await startServer(paged(four));
    const items = await collect(clientFor(server).consumers.list({ bucketName, limit: 2 }));
    expect(items).toHaveLength(4);
    expect(server.requests).toHaveLength(3);
  });

  it("ends with an error on a server that ignores offset, without repeating items", async () => {
    server = await startServer(() => ({ json: { data: all.slice(0, 2), limit: 2 } }));
    const items: Consumer[] = [];
    const walk = async () => {
      for await (const c of clientFor(server).consumers.list({ bucketName, limit: 2 }))
        items.push(c);
    };
    await expect(walk()).rejects.toBeInstanceOf(InvalidResponseError);
    expect(items).toEqual(all.slice(0, 2));
    expect(server.requests).toHaveLength(2);
  });

  it("uses the server's page size when the caller gave none (default limit from the spec)", async () => {
    // The server caps pages at 2 and says so; the walk must not stop at the first full page.
    server = await startServer((request) => {
      const offset = Number(request.query.get("offset") ?? 0);
      return { json: { data: all.slice(offset, offset + 2), limit: 2 } };
    });
    const items = await collect(clientFor(server).keys.list({ bucketName, consumerName: "ada" }));
    expect(items).toHaveLength(5);
    expect(server.requests).toHaveLength(3);
  });

  it("starts at the caller's offset and reuses an already fetched first page", async () => {
    server = await startServer(paged(all));
    const list = clientFor(server).managers.list({
      bucketName,
      consumerName: "ada",
      offset: 1,
      limit: 2,
    });
    const first = await list;
    expect(first.data).toEqual(all.slice(1, 3));
    const items = await collect(list);
    expect(items).toEqual(all.slice(1));
    expect(server.requests.map((r) => r.query.get("offset"))).toEqual(["1", "3", "5"]);
  });

  it("is lazy: breaking out early fetches no further pages", async () => {
    server = await startServer(paged(all));
    for await (const item of clientFor(server).consumers.list({ bucketName, limit: 2 })) {
      expect(item).toEqual(all[0]);
      break;
    }
    expect(server.requests).toHaveLength(1);
  });

  it("sends nothing until awaited or iterated", async () => {
    server = await startServer(paged(all));
    clientFor(server).consumers.list({ bucketName });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(0);
  });
});
