// The real `keysmith-events` bin: serve, handle an event, stop gracefully on real signals.
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { type FakeZuplo, startFakeZuplo } from "@keysmith/mock";
import { afterEach, describe, expect, it } from "vitest";
import { packageDir } from "../scripts/build-lib.js";
import { deleted, WEBHOOK_TOKEN } from "./support/events-world.js";
import { ACCOUNT, BUCKET, ZUPLO_KEY } from "./support/fixtures.js";
import { runNode } from "./support/run-node.js";

const bin = join(packageDir, "bin", "keysmith-events.js");
let fake: FakeZuplo | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await fake?.stop();
});

function start(args: string[], env: Record<string, string>) {
  const { child: proc, output } = runNode([bin, ...args], env);
  child = proc;
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    proc.stdout.on("data", () => {
      const url = output().match(/listening on (http:\/\/\S+)/)?.[1];
      if (url) resolve(url);
    });
    proc.on("exit", () => reject(new Error(`exited: ${output()}`)));
  });
  // Awaited only by the tests that expect the server to start.
  listening.catch(() => undefined);
  return { proc, exited, listening, output };
}

async function world() {
  fake = await startFakeZuplo({
    apiKey: ZUPLO_KEY,
    accountName: ACCOUNT,
    buckets: [{ name: BUCKET }],
  });
  fake.state.addConsumer(BUCKET, {
    name: "auth0-ada",
    tags: { auth0UserId: "auth0|ada" },
    apiKeys: [{}],
  });
  return {
    ZUPLO_API_KEY: ZUPLO_KEY,
    ZUPLO_ACCOUNT_NAME: ACCOUNT,
    ZUPLO_BUCKET_NAME: BUCKET,
    ZUPLO_API_URL: fake.url,
    KEYSMITH_EVENTS_TOKEN: WEBHOOK_TOKEN,
  };
}

describe("keysmith-events serve", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`handles an event, then finishes the request in flight and exits 0 on ${signal}`, async () => {
      const env = await world();
      const run = start(["serve", "--port", "0"], env);
      const url = await run.listening;
      const ok = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${WEBHOOK_TOKEN}` },
        body: JSON.stringify(deleted({ user_id: "auth0|ada" })),
      });
      expect(ok.status).toBe(200);
      expect(fake?.state.bucket(BUCKET).consumers.size).toBe(0);

      // A slow request is in flight when the signal arrives: it still gets its answer.
      fake?.setLatency(300);
      const inFlight = fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${WEBHOOK_TOKEN}` },
        body: JSON.stringify(deleted({ user_id: "auth0|bob" })),
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      run.proc.kill(signal);
      expect((await inFlight).status).toBe(200);
      expect(await run.exited).toBe(0);
      expect(run.output()).toContain(`${signal}: finishing requests in flight`);
      expect(run.output()).toContain("stopped");
      for (const secret of [ZUPLO_KEY, WEBHOOK_TOKEN]) expect(run.output()).not.toContain(secret);
    }, 30_000);
  }

  it("names what is missing and exits 2", async () => {
    const env = await world();
    const noToken = start(["serve", "--port", "0"], { ...env, KEYSMITH_EVENTS_TOKEN: "" });
    expect(await noToken.exited).toBe(2);
    expect(noToken.output()).toContain("KEYSMITH_EVENTS_TOKEN");
    const noPort = start(["serve"], env);
    expect(await noPort.exited).toBe(2);
    expect(noPort.output()).toContain("--port");
  }, 30_000);

  it("prints its usage with --help and its version with --version, exit 0", async () => {
    const help = start(["--help"], {});
    expect(await help.exited).toBe(0);
    expect(help.output()).toContain("usage: keysmith-events serve --port <n>");
    const version = start(["--version"], {});
    expect(await version.exited).toBe(0);
    expect(version.output()).toMatch(/^keysmith-events \d+\.\d+\.\d+/m);
  }, 30_000);
});
