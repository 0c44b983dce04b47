import { spawn } from "node:child_process";
import { type StandInOptions, startAuth0UsersStandIn } from "@keysmith/auth0-stand-in";
import { type FakeZuplo, startFakeZuplo } from "@keysmith/mock";
import { afterEach } from "vitest";
import { backfillFile, syncFile } from "../../scripts/build-lib.js";
import { main } from "../../src/backfill/cli.js";
import { consumerNameFor } from "../../src/consumer-name.js";
import { main as syncMain } from "../../src/sync/cli.js";
import { ACCOUNT, BUCKET, consumers, consumersOf, keyValues, ZUPLO_KEY } from "./fixtures.js";

export const DOMAIN = "keysmith-backfill.eu.auth0.com";
export const CLIENT_ID = "backfill-client-id";
export const CLIENT_SECRET = "auth0-backfill-secret-DO-NOT-PRINT";

export async function startBackfillWorld(
  options: {
    users?: number;
    metadata?: (i: number) => Record<string, unknown> | undefined;
  } & Partial<Omit<StandInOptions, "clientId" | "clientSecret" | "domain">> = {},
) {
  const fake = await startFakeZuplo({
    apiKey: ZUPLO_KEY,
    accountName: ACCOUNT,
    buckets: [{ name: BUCKET }],
  });
  const { users, metadata, ...standIn } = options;
  const auth0 = await startAuth0UsersStandIn({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    domain: DOMAIN,
    jobPolls: 2,
    ...standIn,
  });
  auth0.seedUsers(users ?? 0, metadata);
  const env: Record<string, string> = {
    AUTH0_DOMAIN: DOMAIN,
    AUTH0_CLIENT_ID: CLIENT_ID,
    AUTH0_CLIENT_SECRET: CLIENT_SECRET,
    ZUPLO_API_KEY: ZUPLO_KEY,
    ZUPLO_ACCOUNT_NAME: ACCOUNT,
    ZUPLO_BUCKET_NAME: BUCKET,
    ZUPLO_API_URL: fake.url,
    KEYSMITH_AUTH0_ORIGIN: auth0.origin,
  };
  return {
    fake,
    auth0,
    env,
    close: async () => {
      await auth0.close();
      await fake.stop();
    },
  };
}

export { syncFile };

export type BackfillWorld = Awaited<ReturnType<typeof startBackfillWorld>>;

/** Fast polls, and Zuplo's pacing out of the way (tests that measure pacing pass their own). */
const TEST_ARGS = ["--poll-interval-ms", "5", "--zuplo-rate", "10000"];

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

type Main = typeof main;

async function inProcess(
  run: Main,
  args: string[],
  env: Record<string, string>,
  options: { tty?: boolean },
): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  const code = await run([...TEST_ARGS, ...args], env, {
    stdout: { write: (t) => (stdout += t), isTTY: false },
    stderr: { write: (t) => (stderr += t), isTTY: options.tty === true },
  });
  return { code, stdout, stderr };
}

/** keysmith-backfill in-process (same code as the bin), output captured. */
export function runInProcess(
  args: string[],
  env: Record<string, string>,
  options: { tty?: boolean } = {},
): Promise<RunResult> {
  return inProcess(main, args, env, options);
}

/** keysmith-sync in-process (same code as its bin), output captured. */
export function runSync(
  args: string[],
  env: Record<string, string>,
  options: { tty?: boolean } = {},
): Promise<RunResult> {
  return inProcess(syncMain, args, env, options);
}

/** The built bin, `node dist/backfill.js` (or `dist/sync.js`), as a child process. */
export function spawnBin(args: string[], env: Record<string, string>, file = backfillFile) {
  const child = spawn(process.execPath, [file, ...TEST_ARGS, ...args], {
    env: { ...env, PATH: process.env.PATH ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const done = new Promise<RunResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  return { child, done };
}

/** Every Auth0 user's stored consumer and the consumers tagged for them in the fake. */
export function provisioningState(world: BackfillWorld) {
  const users = [...world.auth0.users.values()];
  return users.map((u) => ({
    userId: u.user_id,
    stored: u.app_metadata?.api_consumer,
    expected: consumerNameFor(u.user_id),
    consumers: consumersOf(world.fake, u.user_id).map((c) => c.name),
  }));
}

/** Every user has api_consumer and exactly one consumer, with the deterministic name. */
export function expectFullyProvisioned(world: BackfillWorld) {
  const rows = provisioningState(world);
  const missing = rows.filter((r) => r.stored !== r.expected);
  const wrongCount = rows.filter((r) => r.consumers.length !== 1 || r.consumers[0] !== r.expected);
  return { rows, missing, wrongCount, consumerTotal: consumers(world.fake).length };
}

/** Text that must never appear in any output. */
export function secretsIn(
  world: { fake: FakeZuplo; auth0: { tokens: Set<string> } },
  text: string,
): string[] {
  return [ZUPLO_KEY, CLIENT_SECRET, ...world.auth0.tokens, ...keyValues(world.fake)].filter(
    (secret) => secret && text.includes(secret),
  );
}

export function parseSummary(stdout: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of stdout.matchAll(/^ {2}([a-z ]+?) {2,}(\d+)$/gm)) {
    out[(m[1] as string).trim()] = Number(m[2]);
  }
  return out;
}

/** A user as the Auth0 stand-in holds it. */
export type StandInUser = BackfillWorld["auth0"]["users"] extends Map<string, infer U> ? U : never;

/** `startBackfillWorld` for one test file: every world it starts is closed after its test. */
export function backfillWorlds(): typeof startBackfillWorld {
  const open = new Set<BackfillWorld>();
  afterEach(async () => {
    const all = [...open];
    open.clear();
    await Promise.all(all.map((w) => w.close()));
  });
  return async (...args) => {
    const w = await startBackfillWorld(...args);
    open.add(w);
    return w;
  };
}
