// Issue 11, client items 1-2: an apiKey as secret files and odd configs give it
// (trailing newline, quotes, control characters, one character) must be sent
// in one form, redacted in that form, and never change what an error means.
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import {
  BadRequestError,
  createZuploClient,
  InvalidInputError,
  RateLimitError,
  ZuploError,
} from "../src/index.js";
import { clientFor, problem, SECRET, startServer, type TestServer } from "./helpers/server.js";

let server: TestServer;
afterEach(() => server?.close());

const params = { bucketName: "acme-prod" };
const views = (error: Error) => [
  error.message,
  String(error.stack),
  JSON.stringify(error),
  inspect(error, { depth: Infinity, showHidden: true }),
];

async function errorOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.fail("resolved"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZuploError);
  return error as Error;
}

/** A server that echoes the Authorization header in a header and the detail. */
const echo = (status = 400) =>
  startServer((request) => ({
    status,
    headers: { "x-echo": request.headers.authorization ?? "" },
    json: problem(status, "Echo", { detail: `You sent ${request.headers.authorization}` }),
  }));

describe("apiKey as read from a secret file", () => {
  it.each([
    ["a trailing newline", `${SECRET}\n`],
    ["CRLF and spaces around it", `  ${SECRET}\r\n`],
  ])("with %s: sends the trimmed key and redacts it", async (_, apiKey) => {
    server = await echo();
    const error = await errorOf(clientFor(server, { apiKey, maxRetries: 0 }).buckets.get(params));
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
    for (const view of views(error)) expect(view).not.toContain(SECRET);
  });

  it.each([
    ["a quote", `${SECRET}"x`],
    ["a backslash", `${SECRET}\\x`],
  ])("with %s: the echoed key is redacted, the error is the server's", async (_, apiKey) => {
    server = await echo();
    const error = await errorOf(clientFor(server, { apiKey, maxRetries: 0 }).buckets.get(params));
    expect(error).toBeInstanceOf(BadRequestError);
    for (const view of views(error)) expect(view).not.toContain(apiKey);
    expect((error as BadRequestError).detail).toBe("You sent Bearer [redacted]");
  });

  it.each([
    ["an inner newline", `${SECRET}\nX-Evil: 1`],
    ["a NUL", `${SECRET}\0`],
    ["a DEL", `${SECRET}\x7f`],
    ["an inner space", "zpka_abc def"],
    ["a non-ASCII character", `${SECRET}é`],
    ["only whitespace", " \n"],
  ])(
    "with %s: InvalidInputError at creation, naming the option, not quoting the key",
    (_, apiKey) => {
      let thrown: unknown;
      try {
        createZuploClient({ apiKey, accountName: "acme-corp" });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidInputError);
      expect(thrown).toMatchObject({ field: "apiKey" });
      const key = apiKey.trim();
      if (key) for (const view of views(thrown as Error)) expect(view).not.toContain(key);
    },
  );
});

describe("redaction never changes what an error means", () => {
  it.each(["a", "4", "1", "e", "t"])(
    "apiKey %j: a 429 stays a 429 with its retry-after",
    async (apiKey) => {
      server = await startServer([
        {
          status: 429,
          headers: { "retry-after": "4" },
          json: problem(429, "Too Many Requests", {
            detail: "Rate limit exceeded, retry after 4 s",
          }),
        },
      ]);
      const error = await errorOf(clientFor(server, { apiKey, maxRetries: 0 }).buckets.get(params));
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).retryAfterMs).toBe(4000);
      expect((error as RateLimitError).title).toBe("Too Many Requests");
      // The key may stand in the text as a word (the key "4", "retry after 4 s"): that word
      // is redacted, but the class, status, title and retry-after are the server's.
      expect(error.message).toMatch(
        /^429 Too Many Requests: Rate limit exceeded, retry after (4|\[redacted\]) s$/,
      );
      expect(Object.keys((error as RateLimitError).headers)).toContain("retry-after");
    },
  );

  it('apiKey `"`: a 400 stays a BadRequestError (no raw SyntaxError)', async () => {
    server = await startServer([
      { status: 400, json: problem(400, "Bad Request", { detail: 'a "b"' }) },
    ]);
    const error = await errorOf(
      clientFor(server, { apiKey: '"', maxRetries: 0 }).buckets.get(params),
    );
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).status).toBe(400);
  });

  it("a 1-character key echoed as a whole word is still redacted", async () => {
    server = await echo();
    const error = await errorOf(
      clientFor(server, { apiKey: "q", maxRetries: 0 }).buckets.get(params),
    );
    expect((error as BadRequestError).detail).toBe("You sent Bearer [redacted]");
    expect((error as BadRequestError).headers["x-echo"]).toBe("Bearer [redacted]");
  });
});
