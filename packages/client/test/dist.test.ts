// The built files (what npm ships), ESM and CJS, against a real server.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import * as source from "../src/index.js";
import { problem, SECRET, startServer, type TestServer } from "./helpers/server.js";

const dist = new URL("../dist/", import.meta.url);
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

let server: TestServer;
afterEach(() => server?.close());

beforeAll(() => {
  if (!existsSync(new URL("index.js", dist)))
    throw new Error("dist/ is missing: run `pnpm --filter @keysmith/client build` first.");
});

const builds = {
  esm: () => import(new URL("index.js", dist).href) as Promise<typeof source>,
  cjs: async () =>
    createRequire(import.meta.url)(new URL("index.cjs", dist).pathname) as typeof source,
};

describe.each(Object.entries(builds))("dist (%s)", (_, load) => {
  it("exports the same names as the source", async () => {
    expect(Object.keys(await load()).sort()).toEqual(Object.keys(source).sort());
  });

  it("works end to end: version in User-Agent, retry, typed errors", async () => {
    const sdk = await load();
    server = await startServer([
      { status: 503, headers: { "retry-after": "0" }, json: problem(503, "Unavailable") },
      { json: { data: [] } },
      { status: 404, json: problem(404, "Not Found") },
    ]);
    const zuplo = sdk.createZuploClient({
      apiKey: SECRET,
      accountName: "acme-corp",
      baseUrl: server.url,
    });
    await expect(zuplo.buckets.list()).resolves.toEqual({ data: [] });
    const error = await zuplo.buckets.get({ bucketName: "acme-prod" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(sdk.NotFoundError);
    expect(error).toBeInstanceOf(sdk.ZuploError);
    expect(server.requests[0]?.headers["user-agent"]).toBe(`keysmith-client/${version}`);
    expect(server.requests).toHaveLength(3);
  });

  it("has no node: imports (runs anywhere fetch exists)", () => {
    const code = readFileSync(new URL("index.js", dist), "utf8");
    expect(code).not.toMatch(/from\s+["']node:/);
    expect(readFileSync(new URL("index.cjs", dist), "utf8")).not.toMatch(/require\(["']node:/);
  });
});

// Every attempt's timeout runs on one shared timer (core/deadlines.ts): it must keep a
// process alive while an attempt is pending, and never after. Each script is a fresh
// process whose only work is one call.
describe("the process lives exactly as long as a pending call", () => {
  const run = (script: string) =>
    new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = execFile(
        process.execPath,
        ["--input-type=module", "-e", script],
        // A timer left holding the process would keep it for 10 minutes: killed at 20 s.
        { timeout: 20_000 },
        (error, stdout) =>
          error?.killed
            ? reject(new Error("still running after 20 s"))
            : resolve({ code: child.exitCode, stdout }),
      );
    });
  const client = (options: string) =>
    `const { createZuploClient } = await import(${JSON.stringify(new URL("index.js", dist).href)});
     const zuplo = createZuploClient({ apiKey: "zpka_x", accountName: "acme-corp", maxRetries: 0, ${options} });`;

  it("a call whose fetch has no socket still times out (the timer holds the process)", async () => {
    const script = `${client(`timeoutMs: 300, fetch: (_url, init) => new Promise((_resolve, reject) =>
      init.signal.addEventListener("abort", () => reject(init.signal.reason)))`)}
      console.log(await zuplo.buckets.get({ bucketName: "acme-prod" }).catch((error) => error.name));`;
    expect(await run(script)).toEqual({ code: 0, stdout: "APIConnectionTimeoutError\n" });
  }, 30_000);

  it("a finished call with a 10-minute timeout lets the process exit", async () => {
    server = await startServer([{ json: { data: [] } }]);
    const script = `${client(`baseUrl: ${JSON.stringify(server.url)}, timeoutMs: 600_000`)}
      console.log(JSON.stringify(await zuplo.buckets.list()));`;
    expect(await run(script)).toEqual({ code: 0, stdout: '{"data":[]}\n' });
  }, 30_000);
});
