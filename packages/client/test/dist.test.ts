// The built files (what npm ships), ESM and CJS, against a real server.
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
