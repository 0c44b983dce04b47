import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
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

/** A fetch with no socket behind it: it only ever ends when its signal aborts. */
const untilAborted = (_url: unknown, init?: RequestInit) =>
  new Promise<Response>((_resolve, reject) =>
    init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
  );
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

describe("timeouts on one shared timer", () => {
  it("a short timeout fires on time while a long one is pending, and each ends at its own", async () => {
    server = await startServer([{ hang: true }]);
    const zuplo = clientFor(server, { maxRetries: 0 });
    const long = new AbortController();
    const pendingLong = zuplo.buckets
      .get(params, { timeoutMs: 60_000, signal: long.signal })
      .catch((error: unknown) => error);
    const ended: number[] = [];
    const errors = await Promise.all(
      [300, 100, 200].map((timeoutMs) =>
        zuplo.buckets.get(params, { timeoutMs }).catch((error: unknown) => {
          ended.push(timeoutMs);
          return error;
        }),
      ),
    );
    for (const error of errors) expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    expect(ended).toEqual([100, 200, 300]);
    long.abort();
    expect(await pendingLong).toBeInstanceOf(APIUserAbortError);
  });
});

// A user's own tests may fake the timers (all of them, or only setTimeout), clear them, or
// mock performance.now. Each test loads a fresh client module: the shared timer is module
// state, and no earlier test may have armed it.
describe("timeouts under faked timers and a mocked clock", () => {
  let sdk: typeof import("../src/index.js");
  const client = (fetch: typeof untilAborted, timeoutMs = 30_000) =>
    sdk.createZuploClient({
      apiKey: "zpka_x",
      accountName: "acme-corp",
      maxRetries: 0,
      timeoutMs,
      fetch,
    });
  const answered = () => Promise.resolve(Response.json(bucket));
  /** The call's outcome so far, read without awaiting it. */
  const watch = (call: Promise<unknown>) => {
    const state: { done: boolean; value?: unknown } = { done: false };
    call.then(
      (value) => Object.assign(state, { done: true, value }),
      (value: unknown) => Object.assign(state, { done: true, value }),
    );
    return state;
  };
  const realWait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeEach(async () => {
    vi.resetModules();
    sdk = await import("../src/index.js");
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it.each([
    ["every timer and clock", undefined],
    ["only setTimeout", ["setTimeout", "clearTimeout"] as const],
  ])("fires when faked timers advance, and not before (%s)", async (_name, toFake) => {
    vi.useFakeTimers(toFake && { toFake: [...toFake] });
    await expect(client(answered).buckets.get(params)).resolves.toEqual(bucket);
    await vi.advanceTimersByTimeAsync(20_000); // the clock moves on between calls
    const call = watch(client(untilAborted).buckets.get(params));
    await vi.advanceTimersByTimeAsync(29_000);
    expect(call.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(call.value).toBeInstanceOf(sdk.APIConnectionTimeoutError);
  });

  it("fires after vi.clearAllTimers() cleared an earlier call's timer", async () => {
    vi.useFakeTimers();
    await expect(client(answered).buckets.get(params)).resolves.toEqual(bucket);
    vi.clearAllTimers();
    const call = watch(client(untilAborted).buckets.get(params));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(call.value).toBeInstanceOf(sdk.APIConnectionTimeoutError);
  });

  it("fires with faked timers installed before the client was loaded, and on the real clock after", async () => {
    vi.useFakeTimers();
    vi.resetModules();
    sdk = await import("../src/index.js");
    await expect(client(answered).buckets.get(params)).resolves.toEqual(bucket);
    vi.clearAllTimers();
    const faked = watch(client(untilAborted).buckets.get(params));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(faked.value).toBeInstanceOf(sdk.APIConnectionTimeoutError);
    vi.useRealTimers();
    const real = watch(client(untilAborted, 200).buckets.get(params));
    await realWait(1_000);
    expect(real.value).toBeInstanceOf(sdk.APIConnectionTimeoutError);
  });

  it("a real pending attempt keeps its timeout while a test fakes timers meanwhile", async () => {
    const pending = watch(client(untilAborted, 300).buckets.get(params));
    vi.useFakeTimers();
    await expect(client(answered, 100).buckets.get(params)).resolves.toEqual(bucket);
    vi.useRealTimers();
    await realWait(1_000);
    expect(pending.value).toBeInstanceOf(sdk.APIConnectionTimeoutError);
  });

  it("a timer armed under faked timers does not stand in for a real one afterwards", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    await expect(client(answered, 100).buckets.get(params)).resolves.toEqual(bucket);
    vi.useRealTimers();
    // A later deadline than the faked timer's: only a timer on the real clock can end it.
    const call = watch(client(untilAborted, 300).buckets.get(params));
    await realWait(1_000);
    expect(call.value).toBeInstanceOf(sdk.APIConnectionTimeoutError);
  });

  it("fires on time after performance.now was mocked below the real clock", async () => {
    const clock = vi.spyOn(performance, "now").mockReturnValue(0);
    // Armed for 0 + 60 s on a real 60 s timer.
    await expect(client(answered, 60_000).buckets.get(params)).resolves.toEqual(bucket);
    // The real clock, a minute on (as in a process that has run that long).
    const start = Date.now();
    clock.mockImplementation(() => 61_000 + (Date.now() - start));
    const call = watch(client(untilAborted, 200).buckets.get(params));
    await realWait(1_000);
    expect(call.value).toBeInstanceOf(sdk.APIConnectionTimeoutError);
  });

  it("the longest timeoutMs (2^31 - 1 ms) does not end an attempt early", async () => {
    // At this clock reading, now + (2^31 - 1) - now rounds to 2^31: a delay Node would
    // turn into 1 ms.
    vi.spyOn(performance, "now").mockReturnValue(1_317_701.726030158);
    server = await startServer([{ json: bucket }]);
    const zuplo = sdk.createZuploClient({
      apiKey: "zpka_x",
      accountName: "acme-corp",
      baseUrl: server.url,
      timeoutMs: 2 ** 31 - 1,
      maxRetries: 0,
    });
    await expect(zuplo.buckets.get(params)).resolves.toEqual(bucket);
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
