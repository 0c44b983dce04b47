import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { redactSecrets, routes } from "@keysmith/client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { driftExitCode, formatDriftReport, runDriftProbe } from "../src/drift-probe.js";
import { type FakeZuplo, startFakeZuplo } from "../src/index.js";
import { type PrismServer, startPrism } from "../src/prism.js";

const API_KEY = "zpka_drift_probe_secret_0123456789";
const ACCOUNT = "acme-corp";
const BUCKET = "acme-prod";
const PKG = fileURLToPath(new URL("..", import.meta.url));
const PROBE_CLI = "src/drift-probe-cli.ts";
// The child starts its own Prism: allow as much as a hook that starts one (busy 2-core CI).
const CHILD_TIMEOUT_MS = 45_000;

let fake: FakeZuplo;
let prism: PrismServer;
let keyValue: string;

beforeAll(async () => {
  fake = await startFakeZuplo({
    apiKey: API_KEY,
    accountName: ACCOUNT,
    buckets: [
      {
        name: BUCKET,
        consumers: [
          {
            name: "ada-lovelace",
            tags: { orgId: "org_1" },
            metadata: { plan: "pro" },
            apiKeys: [{ description: "CI" }],
            managers: [{ email: "ada@example.com", sub: "auth0|ada" }],
            invites: ["grace@example.com"],
          },
          { name: "grace-hopper" },
        ],
      },
    ],
  });
  const ada = fake.state.bucket(BUCKET).consumers.get("ada-lovelace");
  keyValue = [...(ada?.keys.values() ?? [])][0]?.key ?? "";
  expect(keyValue).toMatch(/^zpka_/);
  // One proxy for the in-process runs; the CLI runs start their own.
  prism = await startPrism({ mode: "proxy", upstream: fake.url });
});
afterAll(async () => {
  await prism?.stop();
  await fake?.stop();
});
afterEach(() => fake.setFault(null));

const probe = (prismUrl?: string) =>
  runDriftProbe({
    upstream: fake.url,
    apiKey: API_KEY,
    accountName: ACCOUNT,
    bucketName: BUCKET,
    prismUrl,
  });

/**
 * Runs the real CLI in a child (the file the package's `probe` script runs, started with
 * node --import tsx, which skips pnpm's start-up); async, so the fake keeps answering.
 */
function runCli(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", PROBE_CLI], {
      cwd: PKG,
      env: {
        ...process.env,
        ZUPLO_API_KEY: API_KEY,
        ZUPLO_ACCOUNT_NAME: ACCOUNT,
        ZUPLO_BUCKET_NAME: BUCKET,
        ZUPLO_API_URL: fake.url,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS - 5000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("drift probe", () => {
  it("finds no drift in the conforming fake and only reads", async () => {
    const before = fake.requests.length;
    const result = await probe(prism.url);
    expect(result.findings).toEqual([]);
    expect(result.errors).toEqual([]);
    expect(result.skipped).toEqual([]);
    const operations = result.calls.map((c) => c.operation);
    expect(operations.slice(0, 9)).toEqual([
      "whoAmI",
      "listBuckets",
      "getBucket",
      ...Array(6).fill("listConsumers"), // plain, each key-format, managers, invites
    ]);
    expect(operations.slice(9, 13)).toEqual(["getConsumer", "listKeys", "getKey", "listManagers"]);
    const seen = fake.requests.slice(before);
    expect(seen.every((r) => r.method === "GET")).toBe(true);
    expect(driftExitCode(result)).toBe(0);
    // Every read of the spec is probed, so drift in any answer is seen.
    const read = new Set(result.calls.map((c) => c.operation));
    const reads = Object.entries(routes).filter(([, [method]]) => method === "GET");
    expect(
      reads.map(([op]) => op).filter((op) => !read.has(op)),
      "GET operations the probe never reads: add a read(...) for each to runDriftProbe in apps/mock/src/drift-probe.ts",
    ).toEqual([]);
  });

  it("reports a nonconforming answer, naming operation and violation", async () => {
    fake.setFault({ kind: "nonconforming", operation: "getConsumer", times: 1 });
    const result = await probe(prism.url);
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({ operation: "getConsumer", status: 500 });
    expect(finding?.violations.map((v) => v.message).join()).toMatch(/required property 'id'/);
    expect(driftExitCode(result)).toBe(1);
    const report = formatDriftReport(result, fake.url);
    expect(report).toMatch(/DRIFT 500 getConsumer/);
    expect(report).not.toContain(API_KEY);
  });

  it("flags a wrong type in a list and never reports key values", async () => {
    fake.setFault({ kind: "nonconforming", variant: "wrong-type", operation: "listConsumers" });
    const result = await probe(prism.url);
    // Six list reads, one with key-format=visible: the plain key must not reach the report.
    expect(result.findings.map((f) => f.operation)).toEqual(Array(6).fill("listConsumers"));
    expect(result.findings[0]?.violations[0]?.location).toBe("response.body.data.0.name");
    const report = formatDriftReport(result, fake.url);
    expect(JSON.stringify(result)).not.toContain(keyValue);
    expect(report).not.toContain(keyValue);
    expect(driftExitCode(result)).toBe(1);
  });

  it("redacts the account key and anything shaped like a key (the client's redactSecrets)", () => {
    const text = `bad ${API_KEY} and ${keyValue} and zpka_user_acme-corp`;
    expect(redactSecrets(text, [API_KEY])).toBe("bad [redacted] and [redacted] and [redacted]");
  });

  it("the probe script runs the CLI tested here", () => {
    const pkg = JSON.parse(readFileSync(join(PKG, "package.json"), "utf8"));
    // After building @keysmith/client, whose generated routes the probe reads.
    expect(pkg.scripts.probe).toMatch(new RegExp(`&& tsx ${PROBE_CLI}$`));
  });

  it(
    "CLI: exit 0 against the conforming fake",
    async () => {
      const { code, output } = await runCli();
      expect(output).toMatch(/No drift/);
      expect(output).not.toContain(API_KEY);
      expect(output).not.toContain(keyValue);
      expect(code).toBe(0);
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    "CLI: reports a planted violation and exits 1",
    async () => {
      fake.setFault({ kind: "nonconforming", operation: "getConsumer" });
      const { code, output } = await runCli();
      expect(output).toMatch(/DRIFT 500 getConsumer/);
      expect(output).toMatch(/required property 'id'/);
      expect(output).not.toContain(API_KEY);
      expect(code).toBe(1);
    },
    CHILD_TIMEOUT_MS,
  );
});
