// The bearer key must never reach a message, stack, JSON or inspect output
// of any error, nor a result.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { APIConnectionError, InvalidInputError, ZuploError } from "../src/index.js";
import {
  clientFor,
  consumer,
  problem,
  SECRET,
  startServer,
  type TestServer,
} from "./helpers/server.js";

const params = { bucketName: "acme-prod" };

let server: TestServer;
afterEach(() => server?.close());

function expectNoSecret(value: unknown) {
  const error = value as Error;
  const views = [
    String(error),
    error.message,
    error.stack ?? "",
    JSON.stringify(error),
    inspect(error, { depth: Infinity, showHidden: true }),
    String(error.cause ?? ""),
    inspect(error.cause, { depth: Infinity, showHidden: true }),
  ];
  for (const view of views) expect(view).not.toContain(SECRET);
}

async function errorOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZuploError);
  return error;
}

describe("the API key never leaks", () => {
  it("is sent as a bearer token (so the tests below are meaningful)", async () => {
    server = await startServer([{ json: { data: [] } }]);
    await clientFor(server).buckets.list();
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it.each([400, 401, 403, 404, 409, 429, 500, 418])(
    "not in a %i error, even when the server echoes the header back",
    async (status) => {
      server = await startServer((request) => ({
        status,
        headers: { "x-echo": request.headers.authorization ?? "" },
        json: problem(status, "Echo", { detail: `You sent ${request.headers.authorization}` }),
      }));
      const error = await errorOf(clientFor(server, { maxRetries: 0 }).buckets.get(params));
      expectNoSecret(error);
      expect(inspect(error)).toContain("[redacted]");
    },
  );

  it("not in a non-JSON error body that echoes it", async () => {
    server = await startServer((request) => ({
      status: 502,
      raw: `proxy saw ${request.headers.authorization}`,
    }));
    expectNoSecret(await errorOf(clientFor(server, { maxRetries: 0 }).buckets.get(params)));
  });

  it("not in timeout, abort, connection or invalid-response errors", async () => {
    server = await startServer((request) =>
      request.path.endsWith("hang")
        ? { hang: true }
        : request.path.endsWith("gone")
          ? { destroy: true }
          : { raw: `{"broken": "${SECRET}` },
    );
    const zuplo = clientFor(server, { maxRetries: 0, timeoutMs: 150 });
    expectNoSecret(await errorOf(zuplo.buckets.get({ bucketName: "acme-hang" })));
    expectNoSecret(await errorOf(zuplo.buckets.get({ bucketName: "acme-gone" })));
    expectNoSecret(await errorOf(zuplo.buckets.get({ bucketName: "acme-text" })));
    expectNoSecret(
      await errorOf(
        zuplo.buckets.get({ bucketName: "acme-hang" }, { signal: AbortSignal.abort() }),
      ),
    );
  });

  it("not in a connection error from a fetch that throws the request's headers", async () => {
    const zuplo = clientFor(
      { url: "http://127.0.0.1:9", requests: [], close: async () => {} },
      {
        maxRetries: 0,
        fetch: async (input, init) => {
          const request = new Request(input, init);
          const error = new TypeError(`failed with ${request.headers.get("authorization")}`);
          throw Object.assign(error, { request, cause: { request, code: "ECONNRESET" } });
        },
      },
    );
    const error = await errorOf(zuplo.buckets.get(params));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe("Connection error: ECONNRESET.");
    expectNoSecret(error);
  });

  it("not in input errors, nor in client construction errors", async () => {
    server = await startServer([{ json: {} }]);
    expectNoSecret(await errorOf(clientFor(server).buckets.get({ bucketName: SECRET })));
    let thrown: unknown;
    try {
      clientFor(server, { accountName: "" });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expectNoSecret(thrown);
  });

  it("not in results, nor in the client object", async () => {
    server = await startServer([{ json: consumer("ada") }]);
    const zuplo = clientFor(server);
    const result = await zuplo.consumers.get({ bucketName: "acme-prod", consumerName: "ada" });
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(inspect(result, { depth: Infinity, showHidden: true })).not.toContain(SECRET);
    expect(JSON.stringify(zuplo)).not.toContain(SECRET);
  });
});
