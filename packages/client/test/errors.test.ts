import { afterEach, describe, expect, it } from "vitest";
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ZuploError,
} from "../src/index.js";
import { clientFor, problem, startServer, type TestServer } from "./helpers/server.js";

const params = { bucketName: "acme-prod" };

let server: TestServer;
afterEach(() => server?.close());

describe("API errors from Problem Details", () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
    [418, APIError],
  ])("%i → %o", async (status, ErrorClass) => {
    server = await startServer([
      { status, json: problem(status, "Title", { detail: "What happened", instance: "/x" }) },
    ]);
    const error = await clientFor(server, { maxRetries: 0 })
      .buckets.get(params)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toBeInstanceOf(ZuploError);
    expect(error).toMatchObject({
      status,
      type: `https://httpproblems.com/http-status/${status}`,
      title: "Title",
      detail: "What happened",
      instance: "/x",
      name: ErrorClass.name,
      message: `${status} Title: What happened`,
    });
    expect((error as APIError).body).toMatchObject({ status, title: "Title" });
  });

  it("parses application/json error bodies too, and takes requestId from trace", async () => {
    server = await startServer([
      {
        status: 404,
        headers: { "content-type": "application/json", "x-request-id": "from-header" },
        json: problem(404, "Not Found", { trace: { requestId: "from-body" } }),
      },
    ]);
    const error = (await clientFor(server)
      .buckets.get(params)
      .catch((e: unknown) => e)) as NotFoundError;
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.requestId).toBe("from-body");
    expect(error.headers["content-type"]).toBe("application/json");
  });

  it.each(["x-request-id", "zp-rid"])("falls back to the %s header for requestId", async (name) => {
    server = await startServer([
      { status: 409, headers: { [name]: "rid-123" }, json: problem(409, "Conflict") },
    ]);
    const error = (await clientFor(server)
      .consumers.create({ bucketName: "acme-prod", body: { name: "ada" } })
      .catch((e: unknown) => e)) as ConflictError;
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.requestId).toBe("rid-123");
  });

  it("keeps a non-JSON error body as text (an HTML 502 from a proxy)", async () => {
    server = await startServer([
      { status: 502, headers: { "content-type": "text/html" }, raw: "<h1>Bad Gateway</h1>" },
    ]);
    const error = (await clientFor(server, { maxRetries: 0 })
      .buckets.get(params)
      .catch((e: unknown) => e)) as InternalServerError;
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.status).toBe(502);
    expect(error.body).toBe("<h1>Bad Gateway</h1>");
    expect(error.message).toBe("502 HTTP 502: <h1>Bad Gateway</h1>");
  });

  it("RateLimitError carries retryAfterMs", async () => {
    server = await startServer([
      { status: 429, headers: { "retry-after": "120" }, json: problem(429, "Too Many Requests") },
    ]);
    const error = (await clientFor(server)
      .buckets.list()
      .catch((e: unknown) => e)) as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(120_000);
  });

  it("toJSON gives the useful fields", async () => {
    server = await startServer([
      { status: 404, json: problem(404, "Not Found", { detail: "No such bucket" }) },
    ]);
    const error = await clientFor(server)
      .buckets.get(params)
      .catch((e: unknown) => e);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: "NotFoundError",
      message: "404 Not Found: No such bucket",
      status: 404,
      detail: "No such bucket",
    });
  });
});

describe("invalid responses", () => {
  it("garbled JSON in a 200 gives InvalidResponseError, not retried", async () => {
    server = await startServer([{ raw: '{"id": "bckt_1", "name": ' }]);
    const error = await clientFor(server)
      .buckets.get(params)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).status).toBe(200);
    expect(server.requests).toHaveLength(1);
  });

  it("an empty 200 where the spec promises JSON is invalid", async () => {
    server = await startServer([{ raw: "" }]);
    await expect(clientFor(server).buckets.get(params)).rejects.toThrow(InvalidResponseError);
  });

  it("a list without a data array is invalid", async () => {
    server = await startServer([{ json: { items: [] } }]);
    await expect(clientFor(server).consumers.list({ bucketName: "acme-prod" })).rejects.toThrow(
      InvalidResponseError,
    );
  });

  it("204 resolves to undefined", async () => {
    server = await startServer([{ status: 204 }]);
    await expect(clientFor(server).buckets.delete(params)).resolves.toBeUndefined();
  });
});

describe("hostile Problem fields", () => {
  it.each([
    ["a title that cannot become a string", { title: { toString: 1 } }],
    ["a title with a __proto__ field", JSON.parse('{"title":{"__proto__":null}}')],
    ["a detail that cannot become a string", { detail: { toString: 1 } }],
    ["a trace that is not an object", { trace: "r1" }],
    ["a requestId that is an object", { trace: { requestId: { toString: 1 } } }],
  ])("%s keeps the status and class, and is not retried", async (_, fields) => {
    server = await startServer([{ status: 401, raw: JSON.stringify({ status: 401, ...fields }) }]);
    const error = (await clientFor(server)
      .buckets.get(params)
      .catch((e: unknown) => e)) as AuthenticationError;
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.message).toBe("401 HTTP 401");
    expect(error.requestId).toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });
});
