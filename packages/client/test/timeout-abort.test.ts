import { afterEach, describe, expect, it } from "vitest";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  InternalServerError,
} from "../src/index.js";
import { clientFor, problem, startServer, type TestServer, timed } from "./helpers/server.js";

const bucket = { id: "bckt_1", name: "acme-prod", createdOn: "x", updatedOn: "x" };
const params = { bucketName: "acme-prod" };

let server: TestServer;
afterEach(() => server?.close());

describe("per-attempt timeout", () => {
  it("fires on a hanging server and retries a GET, each attempt with a fresh timeout", async () => {
    server = await startServer([{ hang: true }, { hang: true }, { json: bucket }]);
    const zuplo = clientFor(server, { timeoutMs: 200, maxRetries: 2 });
    await expect(zuplo.buckets.get(params)).resolves.toEqual(bucket);
    expect(server.requests).toHaveLength(3);
  });

  it("throws APIConnectionTimeoutError once retries are spent, without hanging", async () => {
    server = await startServer([{ hang: true }]);
    const zuplo = clientFor(server, { timeoutMs: 200, maxRetries: 1 });
    const { error, ms } = await timed(() => zuplo.buckets.get(params));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toContain("200 ms");
    expect(server.requests).toHaveLength(2);
    expect(ms).toBeLessThan(5_000);
  });

  it("a per-request timeoutMs overrides the client's", async () => {
    server = await startServer([{ hang: true }]);
    const zuplo = clientFor(server, { timeoutMs: 60_000, maxRetries: 0 });
    const { error, ms } = await timed(() => zuplo.buckets.get(params, { timeoutMs: 150 }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(ms).toBeLessThan(5_000);
  });
});

describe("caller abort", () => {
  it("rejects with APIUserAbortError and is never retried", async () => {
    const controller = new AbortController();
    // Aborted once the request is in flight (the server has it and never answers).
    server = await startServer((_request, index) => {
      if (index === 0) controller.abort();
      return index === 0 ? { hang: true } : { json: bucket };
    });
    const zuplo = clientFor(server, { timeoutMs: 5_000, maxRetries: 3 });
    const { error, ms } = await timed(() =>
      zuplo.buckets.get(params, { signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(error).not.toBeInstanceOf(APIConnectionError);
    expect(server.requests).toHaveLength(1);
    expect(ms).toBeLessThan(4_000);
  });

  it("an already-aborted signal sends nothing", async () => {
    server = await startServer([{ json: bucket }]);
    const signal = AbortSignal.abort();
    await expect(clientFor(server).buckets.get(params, { signal })).rejects.toThrow(
      APIUserAbortError,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("aborting during the backoff wait stops at once", async () => {
    const controller = new AbortController();
    const unavailable = problem(503, "Service Unavailable");
    server = await startServer((_request, index) => {
      if (index > 0) return { json: bucket };
      return {
        // 100 ms after the 503 is sent, the client waits out its 5 s retry-after.
        write: (res) => {
          res.writeHead(503, { "content-type": "application/problem+json", "retry-after": "5" });
          res.end(JSON.stringify(unavailable), () => setTimeout(() => controller.abort(), 100));
        },
      };
    });
    const { error, ms } = await timed(() =>
      clientFor(server).buckets.get(params, { signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(1);
    expect(ms).toBeLessThan(4_000);
  });
});

describe("network failure", () => {
  it("a destroyed socket gives APIConnectionError (retried for GET)", async () => {
    server = await startServer([{ destroy: true }]);
    const zuplo = clientFor(server, { maxRetries: 1 });
    const { error } = await timed(() => zuplo.buckets.get(params));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect((error as Error).message).toMatch(/^Connection error: .+\.$/);
    expect(server.requests).toHaveLength(2);
  });

  it("recovers when the retry succeeds", async () => {
    server = await startServer([{ destroy: true }, { json: bucket }]);
    await expect(clientFor(server).buckets.get(params)).resolves.toEqual(bucket);
  });

  it("a refused connection gives APIConnectionError", async () => {
    server = await startServer([{ json: bucket }]);
    const url = server.url;
    await server.close();
    const zuplo = clientFor({ ...server, url }, { maxRetries: 0 });
    await expect(zuplo.buckets.get(params)).rejects.toThrow(APIConnectionError);
  });

  it("an injected fetch is used for every request", async () => {
    const seen: string[] = [];
    server = await startServer([{ status: 500, json: problem(500, "x") }]);
    const zuplo = clientFor(server, {
      maxRetries: 0,
      fetch: (input, init) => {
        const request = new Request(input, init);
        seen.push(`${request.method} ${new URL(request.url).pathname}`);
        return globalThis.fetch(input, init);
      },
    });
    await expect(zuplo.buckets.get(params)).rejects.toThrow(InternalServerError);
    expect(seen).toEqual(["GET /v1/accounts/acme-corp/key-buckets/acme-prod"]);
  });
});
