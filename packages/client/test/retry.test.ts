import { afterEach, describe, expect, it } from "vitest";
import { BASE_DELAY_MS, isRetryable, MAX_BACKOFF_MS, retryDelay } from "../src/core/retry.js";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from "../src/index.js";
import {
  clientFor,
  consumer,
  problem,
  startServer,
  type TestServer,
  timed,
} from "./helpers/server.js";

const bucket = { id: "bckt_1", name: "acme-prod", createdOn: "x", updatedOn: "x" };
const unavailable = { status: 503, json: problem(503, "Service Unavailable") };
const now = { "retry-after": "0" };

let server: TestServer;
afterEach(() => server?.close());

describe("retries", () => {
  it("retries a GET after 503 and returns the later success", async () => {
    server = await startServer([unavailable, { json: bucket }]);
    const zuplo = clientFor(server);
    await expect(zuplo.buckets.get({ bucketName: "acme-prod" })).resolves.toEqual(bucket);
    expect(server.requests).toHaveLength(2);
  });

  it("honours retry-after (seconds) before retrying", async () => {
    server = await startServer([
      { status: 429, headers: { "retry-after": "1" }, json: problem(429, "Too Many Requests") },
      { json: bucket },
    ]);
    const { value, ms } = await timed(() =>
      clientFor(server).buckets.get({ bucketName: "acme-prod" }),
    );
    expect(value).toEqual(bucket);
    expect(server.requests).toHaveLength(2);
    expect(ms).toBeGreaterThanOrEqual(950);
  });

  it("does not wait for a retry-after above maxRetryDelayMs: throws RateLimitError at once", async () => {
    server = await startServer([
      { status: 429, headers: { "retry-after": "60" }, json: problem(429, "Too Many Requests") },
      { json: bucket },
    ]);
    const zuplo = clientFor(server, { maxRetryDelayMs: 1_000 });
    const { error, ms } = await timed(() => zuplo.buckets.get({ bucketName: "acme-prod" }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(60_000);
    expect(server.requests).toHaveLength(1);
    expect(ms).toBeLessThan(1_000);
  });

  it("gives up after maxRetries and throws the last error", async () => {
    server = await startServer([{ ...unavailable, headers: now }]);
    const zuplo = clientFor(server, { maxRetries: 3 });
    await expect(zuplo.buckets.list()).rejects.toBeInstanceOf(InternalServerError);
    expect(server.requests).toHaveLength(4);
  });

  it("maxRetries: 0 (client or per request) sends exactly one request", async () => {
    server = await startServer([{ ...unavailable, headers: now }]);
    await expect(clientFor(server, { maxRetries: 0 }).buckets.list()).rejects.toThrow(
      InternalServerError,
    );
    await expect(clientFor(server).buckets.list({}, { maxRetries: 0 })).rejects.toThrow(
      InternalServerError,
    );
    expect(server.requests).toHaveLength(2);
  });

  it.each([408, 500, 502, 504])("retries PATCH and DELETE on %i", async (status) => {
    server = await startServer([
      { status, headers: now, json: problem(status, "x") },
      { status: 204 },
      { status, headers: now, json: problem(status, "x") },
      { json: bucket },
    ]);
    const zuplo = clientFor(server);
    await expect(zuplo.buckets.delete({ bucketName: "acme-prod" })).resolves.toBeUndefined();
    await expect(
      zuplo.buckets.update({ bucketName: "acme-prod", body: { description: "d" } }),
    ).resolves.toEqual(bucket);
    expect(server.requests.map((r) => r.method)).toEqual(["DELETE", "DELETE", "PATCH", "PATCH"]);
  });

  it.each([
    [400, BadRequestError],
    [404, NotFoundError],
    [409, ConflictError],
  ])("does not retry %i", async (status, ErrorClass) => {
    server = await startServer([{ status, json: problem(status, "x") }, { json: bucket }]);
    await expect(clientFor(server).buckets.get({ bucketName: "acme-prod" })).rejects.toThrow(
      ErrorClass,
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe("POST (creates) are not retried unless the server refused them with 429", () => {
  const create = { bucketName: "acme-prod", body: { name: "ada" } };

  it("does not retry a create after 503: it may have happened", async () => {
    server = await startServer([{ ...unavailable, headers: now }, { json: consumer("ada") }]);
    await expect(clientFor(server).consumers.create(create)).rejects.toThrow(InternalServerError);
    expect(server.requests).toHaveLength(1);
  });

  it("does not retry a create after a timeout", async () => {
    server = await startServer([{ hang: true }, { json: consumer("ada") }]);
    const zuplo = clientFor(server, { timeoutMs: 200 });
    await expect(zuplo.consumers.create(create)).rejects.toThrow(APIConnectionTimeoutError);
    expect(server.requests).toHaveLength(1);
  });

  it("does not retry roll-key or bulk create after a connection error", async () => {
    server = await startServer([{ destroy: true }]);
    const zuplo = clientFor(server);
    const consumerPath = { bucketName: "acme-prod", consumerName: "ada" };
    await expect(
      zuplo.consumers.rollKey({ ...consumerPath, body: { expiresOn: "2027-01-01T00:00:00Z" } }),
    ).rejects.toThrow(APIConnectionError);
    await expect(zuplo.keys.bulkCreate({ ...consumerPath, body: [{}] })).rejects.toThrow(
      APIConnectionError,
    );
    expect(server.requests).toHaveLength(2);
  });

  it("retries a create after 429", async () => {
    server = await startServer([
      { status: 429, headers: now, json: problem(429, "Too Many Requests") },
      { json: consumer("ada") },
    ]);
    await expect(clientFor(server).consumers.create(create)).resolves.toEqual(consumer("ada"));
    expect(server.requests.map((r) => r.method)).toEqual(["POST", "POST"]);
    expect(JSON.parse(server.requests[1]?.body ?? "")).toEqual({ name: "ada" });
  });
});

describe("backoff", () => {
  it("uses full jitter: a random wait up to base * 2^attempt, capped", () => {
    const error = new Error("network");
    expect(retryDelay(0, error, 30_000, () => 0)).toBe(0);
    expect(retryDelay(0, error, 30_000, () => 0.999_999)).toBeCloseTo(BASE_DELAY_MS, 0);
    expect(retryDelay(2, error, 30_000, () => 0.5)).toBeCloseTo(BASE_DELAY_MS * 2, 0);
    expect(retryDelay(20, error, 30_000, () => 1)).toBe(MAX_BACKOFF_MS);
    expect(retryDelay(20, error, 1_000, () => 1)).toBe(1_000);
  });

  it("reads retry-after as an HTTP-date", async () => {
    const date = new Date(Date.now() + 5_000).toUTCString();
    const make = (headers: Record<string, string>) => new RateLimitError(429, undefined, headers);
    const fromDate = retryDelay(0, make({ "retry-after": date }), 30_000) ?? -1;
    expect(fromDate).toBeGreaterThan(3_000);
    expect(fromDate).toBeLessThanOrEqual(5_000);
    expect(retryDelay(0, make({ "retry-after": date }), 1_000)).toBeUndefined();
    // Not delta-seconds (RFC 9110: digits only): ignored, so the backoff applies.
    expect(make({ "retry-after": "0.25" }).retryAfterMs).toBeUndefined();
    expect(make({ "retry-after": "2" }).retryAfterMs).toBe(2_000);
    expect(make({ "retry-after": "soon" }).retryAfterMs).toBeUndefined();
  });

  it("classifies by method", () => {
    const e503 = new InternalServerError(503, undefined, {});
    const e429 = new RateLimitError(429, undefined, {});
    expect(isRetryable("GET", e503)).toBe(true);
    expect(isRetryable("POST", e503)).toBe(false);
    expect(isRetryable("POST", e429)).toBe(true);
    expect(isRetryable("POST", new APIConnectionTimeoutError(1))).toBe(false);
    expect(isRetryable("DELETE", new APIConnectionTimeoutError(1))).toBe(true);
    expect(isRetryable("GET", new InternalServerError(501, undefined, {}))).toBe(false);
  });
});
