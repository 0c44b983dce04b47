// Issue 11, client items 6-8: cyclic causes, huge bodies and out-of-range
// options end in a bounded, clear error instead of a freeze, an OOM or a
// silently wrong behaviour.
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import {
  APIConnectionError,
  BadRequestError,
  createZuploClient,
  type InternalServerError,
  InvalidInputError,
  InvalidResponseError,
  parseRetryAfter,
} from "../src/index.js";
import { clientFor, problem, startServer, type TestServer } from "./helpers/server.js";

let server: TestServer;
afterEach(() => server?.close());

const params = { bucketName: "acme-prod" };
const MB = 1024 * 1024;

describe("a cyclic or endless cause chain", () => {
  it.each(["cyclic", "endless"])("%s: an APIConnectionError after a bounded walk", async (kind) => {
    let reads = 0;
    const link = (): object => {
      const error = new TypeError("fetch failed");
      Object.defineProperty(error, "cause", {
        get() {
          if (++reads > 1_000) throw new Error("unbounded walk of error.cause");
          return kind === "cyclic" ? error : link();
        },
      });
      return error;
    };
    const zuplo = createZuploClient({
      apiKey: "zpka_test",
      accountName: "acme-corp",
      maxRetries: 0,
      fetch: async () => {
        throw link();
      },
    });
    await expect(zuplo.buckets.get(params)).rejects.toBeInstanceOf(APIConnectionError);
    expect(reads).toBeLessThan(50);
  });
});

/** Writes `total` bytes of `chunk` repeated, stopping early if the client goes away. */
const stream = (
  status: number,
  total: number,
  chunk: string,
  headers: Record<string, string> = {},
) => ({
  write(res: import("node:http").ServerResponse) {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    let sent = 0;
    const pump = () => {
      while (sent < total && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      if (!res.destroyed) res.end();
    };
    res.on("close", () => {
      written = sent;
    });
    pump();
  },
});
let written = 0;

describe("response size", () => {
  it("a 2xx body over maxResponseBytes is cancelled and rejected", async () => {
    server = await startServer([stream(200, 64 * MB, `{"data":[${"1,".repeat(32 * 1024)}`)]);
    const error = await clientFor(server, { maxResponseBytes: MB })
      .buckets.get(params)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/1048576 bytes/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(written).toBeLessThan(16 * MB);
  });

  it("a declared content-length over the cap is not read", async () => {
    // Valid JSON: only its size is wrong.
    const raw = JSON.stringify({ id: "b", name: "acme-prod", pad: "x".repeat(2 * MB) });
    server = await startServer([{ headers: { "content-length": String(raw.length) }, raw }]);
    const error = await clientFor(server, { maxResponseBytes: MB })
      .buckets.get(params)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/maxResponseBytes/);
  });

  // content-length counts the compressed bytes: 200 KB of gzip decode to 200 MB.
  const gzipped = (status: number, text: string) => {
    const body = gzipSync(text);
    return {
      status,
      write: (res: import("node:http").ServerResponse) => {
        res.writeHead(status, {
          "content-type": "application/json",
          "content-encoding": "gzip",
          "content-length": String(body.length),
        });
        res.end(body);
      },
    };
  };

  it("a gzip 2xx body that decodes over the cap is rejected, not buffered", async () => {
    server = await startServer([gzipped(200, `{"pad":"${" ".repeat(200 * MB)}"}`)]);
    const error = await clientFor(server, { maxResponseBytes: MB, timeoutMs: 10_000 })
      .buckets.get(params)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/maxResponseBytes/);
  });

  it("a gzip error body is cut at 64 KiB like any other", async () => {
    const raw = JSON.stringify(problem(400, "Bad Request", { detail: "d".repeat(8 * MB) }));
    server = await startServer([gzipped(400, raw)]);
    const error = (await clientFor(server, { maxRetries: 0 })
      .buckets.get(params)
      .catch((e: unknown) => e)) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(typeof error.body === "string" && error.body.length).toBe(64 * 1024);
  });

  it("a gzip body within the cap is read whole", async () => {
    server = await startServer([gzipped(200, JSON.stringify({ id: "b", name: "acme-prod" }))]);
    const bucket = await clientFor(server).buckets.get(params);
    expect(bucket).toEqual({ id: "b", name: "acme-prod" });
  });

  it("a huge error body keeps its class; message short and printable; body bounded", async () => {
    const detail = `\x1b[31mred\x1b[0m\nline two\r\u0007${"x".repeat(15 * MB)}`;
    const raw = JSON.stringify(problem(400, "Bad\nRequest\x1b[2J", { detail }));
    server = await startServer([{ status: 400, raw }]);
    const error = (await clientFor(server, { maxRetries: 0, timeoutMs: 10_000 })
      .buckets.get(params)
      .catch((e: unknown) => e)) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.status).toBe(400);
    expect(error.message.length).toBeLessThanOrEqual(300);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point.
    expect(error.message).not.toMatch(/[\x00-\x1f\x7f]/);
    // The Problem is cut at 64 KiB: kept as text, the message quotes its start.
    expect(error.message).toMatch(/^400 HTTP 400: \{"type":/);
    expect(typeof error.body === "string" && error.body.length).toBe(64 * 1024);
    expect(JSON.stringify(error).length).toBeLessThan(200 * 1024);
  });

  it("a Problem with ANSI escapes and line breaks gives a one-line message", async () => {
    const detail = `\x1b[31mred\x1b[0m\nline two\r\u0007${"y".repeat(5000)}`;
    server = await startServer([
      { status: 400, json: problem(400, "Bad\nRequest\x1b[2J", { detail }) },
    ]);
    const error = (await clientFor(server, { maxRetries: 0 })
      .buckets.get(params)
      .catch((e: unknown) => e)) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toMatch(/^400 Bad Request: red line two y+…$/);
    expect(error.message.length).toBeLessThanOrEqual(300);
    expect(error.detail).toBe(detail);
  });

  it("a small error body is kept whole", async () => {
    const body = problem(500, "Internal", { detail: "boom", trace: { requestId: "r1" } });
    server = await startServer([{ status: 500, json: body }]);
    const error = (await clientFor(server, { maxRetries: 0 })
      .buckets.get(params)
      .catch((e: unknown) => e)) as InternalServerError;
    expect(error.body).toEqual(body);
    expect(error.requestId).toBe("r1");
  });

  it.each([0, -1, 1.5, "1"])("maxResponseBytes %j is rejected at creation", (maxResponseBytes) => {
    expect(() =>
      createZuploClient({
        apiKey: "k",
        accountName: "a",
        maxResponseBytes: maxResponseBytes as number,
      }),
    ).toThrow(InvalidInputError);
  });
});

describe("options are checked at creation", () => {
  const create = (options: object) => () =>
    createZuploClient({ apiKey: "zpka_k", accountName: "acme-corp", ...options });

  it.each([
    ["timeoutMs", { timeoutMs: 2 ** 31 }],
    ["maxRetryDelayMs", { maxRetryDelayMs: 2 ** 31 }],
    ["baseUrl", { baseUrl: "https://user:hunter2@dev.zuplo.com" }],
    ["baseUrl", { baseUrl: "https://dev.zuplo.com?x=1" }],
    ["baseUrl", { baseUrl: "https://dev.zuplo.com/?" }],
    ["baseUrl", { baseUrl: "https://dev.zuplo.com#frag" }],
    ["baseUrl", { baseUrl: "ftp://dev.zuplo.com" }],
    ["baseUrl", { baseUrl: "dev.zuplo.com" }],
    ["userAgent", { userAgent: "app/1\r\nX-Evil: 1" }],
    ["userAgent", { userAgent: "app/1\0" }],
  ])("%s %j", (field, options) => {
    let thrown: unknown;
    try {
      create(options)();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expect(thrown).toMatchObject({ field });
    expect(String((thrown as Error).message)).not.toContain("hunter2");
  });

  it.each([
    { timeoutMs: 2 ** 31 - 1, maxRetryDelayMs: 2 ** 31 - 1 },
    { baseUrl: "http://127.0.0.1:4010/" },
    { baseUrl: "https://dev.zuplo.com/proxy" },
    { userAgent: "my-app/1.2 (+https://example.com)" },
  ])("accepts %j", (options) => {
    expect(create(options)).not.toThrow();
  });

  it("a per-request timeoutMs of 2^31 is rejected before sending", async () => {
    server = await startServer([{ json: {} }]);
    await expect(
      clientFor(server).buckets.get(params, { timeoutMs: 2 ** 31 }),
    ).rejects.toBeInstanceOf(InvalidInputError);
    expect(server.requests).toHaveLength(0);
  });

  it("a base path is kept", async () => {
    server = await startServer([{ json: { data: [] } }]);
    await clientFor(server, { baseUrl: `${server.url}/proxy/` }).buckets.list();
    expect(server.requests[0]?.path).toBe("/proxy/v1/accounts/acme-corp/key-buckets");
  });
});

describe("parseRetryAfter", () => {
  it.each(["-1", "-5", "1 2", "1.5", "0x10", "", " ", "tomorrow", "1e3", "Infinity"])(
    "%j is not a retry-after",
    (value) => {
      expect(parseRetryAfter({ "retry-after": value })).toBeUndefined();
    },
  );
  it.each([
    ["0", 0],
    ["7", 7000],
    ["Sun, 06 Nov 1994 08:49:37 GMT", 0],
    ["Sunday, 06-Nov-94 08:49:37 GMT", 0],
    ["Sun Nov  6 08:49:37 1994", 0],
  ])("%j is %i ms", (value, ms) => {
    expect(parseRetryAfter({ "retry-after": value })).toBe(ms);
  });
  it("a future HTTP-date is the time until then", () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    const ms = parseRetryAfter({ "retry-after": at }) ?? 0;
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });
});
