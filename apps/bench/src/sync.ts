// `pnpm --filter @keysmith/bench bench:sync`: keysmith-sync at scale and at Auth0's rate
// limits, against the Auth0 users stand-in and the Zuplo fake. Writes its own section of
// RESULTS.md (between the sync markers), leaving the rest of the file alone.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { consumerNameFor } from "@keysmith/auth0-action";
import { type Auth0UsersStandIn, startAuth0UsersStandIn } from "@keysmith/auth0-stand-in";
import { type FakeZuplo, startFakeZuplo } from "@keysmith/mock";
import { benchDir } from "./child.js";
import { replaceSyncSection } from "./sync-section.js";

const ACCOUNT = "bench-corp";
const BUCKET = "bench-prod";
const ZUPLO_KEY = "zpka_bench_key_0123456789abcdef";
const DOMAIN = "bench.eu.auth0.com";
const CLIENT = { clientId: "bench-client", clientSecret: "bench-secret-0123456789" };
const syncBin = join(
  dirname(createRequire(import.meta.url).resolve("@keysmith/auth0-action/package.json")),
  "dist",
  "sync.js",
);

/** Auth0's documented Management API tiers (requests per second, sustained). */
const TIERS = [
  { label: "Free (2/s)", perSecond: 2 },
  { label: "Self-Service / Enterprise production (16/s)", perSecond: 16 },
  { label: "50/s (a higher limit)", perSecond: 50 },
];

interface World {
  auth0: Auth0UsersStandIn;
  fake: FakeZuplo;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** `users` users; `inStep` of them already have their consumer, manager and record. */
async function world(
  users: number,
  inStep: (i: number) => boolean,
  options: { perSecond?: number; auth0LatencyMs?: number; zuploLatencyMs?: number } = {},
): Promise<World> {
  const fake = await startFakeZuplo({
    apiKey: ZUPLO_KEY,
    accountName: ACCOUNT,
    buckets: [{ name: BUCKET }],
    ...(options.zuploLatencyMs ? { latencyMs: options.zuploLatencyMs } : {}),
  });
  const auth0 = await startAuth0UsersStandIn({
    ...CLIENT,
    domain: DOMAIN,
    jobPolls: 1,
    ...(options.perSecond ? { rateLimit: { perSecond: options.perSecond } } : {}),
    ...(options.auth0LatencyMs ? { latencyMs: options.auth0LatencyMs } : {}),
  });
  auth0.seedUsers(users);
  let i = 0;
  for (const user of auth0.users.values()) {
    user.email_verified = true;
    if (inStep(i++)) {
      const name = consumerNameFor(user.user_id);
      user.app_metadata = { api_consumer: name, api_consumer_manager: user.email };
      fake.state.addConsumer(BUCKET, {
        name,
        tags: { auth0UserId: user.user_id },
        managers: [{ email: user.email as string, sub: user.user_id }],
      });
    }
  }
  auth0.reindex();
  return {
    auth0,
    fake,
    env: {
      AUTH0_DOMAIN: DOMAIN,
      AUTH0_CLIENT_ID: CLIENT.clientId,
      AUTH0_CLIENT_SECRET: CLIENT.clientSecret,
      ZUPLO_API_KEY: ZUPLO_KEY,
      ZUPLO_ACCOUNT_NAME: ACCOUNT,
      ZUPLO_BUCKET_NAME: BUCKET,
      ZUPLO_API_URL: fake.url,
      KEYSMITH_AUTH0_ORIGIN: auth0.origin,
      PATH: process.env.PATH ?? "",
    },
    close: async () => {
      await auth0.close();
      await fake.stop();
    },
  };
}

/**
 * In the child: every 2 s a full GC and a sample of the live heap (what the sync holds, not
 * what V8 has not collected yet); at exit the peak RSS (kB, getrusage) and the peak live heap.
 */
const MEMORY_PRELOAD = `data:text/javascript,let live=0;setInterval(()=>{globalThis.gc();live=Math.max(live,process.memoryUsage().heapUsed)},2000).unref();process.on("exit",()=>{const r=process.resourceUsage();process.stderr.write("\\nmaxrss-kb="+r.maxRSS+" live-heap-b="+live+" cpu-us="+(r.userCPUTime+r.systemCPUTime)+"\\n")})`;

interface SyncRun {
  code: number;
  ms: number;
  peakRssMb: number;
  liveHeapMb: number;
  /** The child's CPU time (user + system), startup included. */
  cpuMs: number;
  stdout: string;
}

function runSyncBin(args: string[], env: Record<string, string>): Promise<SyncRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      ["--expose-gc", "--import", MEMORY_PRELOAD, syncBin, "--poll-interval-ms", "50", ...args],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const rss = Number(stderr.match(/maxrss-kb=(\d+)/)?.[1] ?? Number.NaN);
      const live = Number(stderr.match(/live-heap-b=(\d+)/)?.[1] ?? Number.NaN);
      if (code !== 0 && code !== 3) {
        reject(new Error(`keysmith-sync ${args.join(" ")} exited ${code}: ${stderr.slice(-500)}`));
        return;
      }
      resolve({
        code: code ?? -1,
        ms: performance.now() - started,
        peakRssMb: rss / 1024,
        liveHeapMb: live / 2 ** 20,
        cpuMs: Number(stderr.match(/cpu-us=(\d+)/)?.[1] ?? Number.NaN) / 1000,
        stdout,
      });
    });
  });
}

interface ScaleRow {
  command: "plan" | "apply";
  users: number;
  ms: number;
  usersPerSecond: number;
  peakRssMb: number;
  liveHeapMb: number;
}

async function scale(users: number, log: (line: string) => void): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  // 90% of users in step, 10% to create: the shape of a re-run on a live tenant, and it
  // keeps a 100k apply within minutes on the loopback stand-ins.
  const w = await world(users, (i) => i % 10 !== 0);
  try {
    for (const command of ["plan", "apply"] as const) {
      log(`sync bench: ${command} ${users} users`);
      // No rate limit here: this measures the sync's own cost (CPU, memory) per user.
      const run = await runSyncBin(
        [command, "--zuplo-rate", "10000", "--concurrency", "32", "--rows", "3"],
        w.env,
      );
      rows.push({
        command,
        users,
        ms: run.ms,
        usersPerSecond: users / (run.ms / 1000),
        peakRssMb: run.peakRssMb,
        liveHeapMb: run.liveHeapMb,
      });
    }
  } finally {
    await w.close();
  }
  return rows;
}

interface PaceRow {
  tier: string;
  limit: number;
  concurrency: number;
  users: number;
  achieved: number;
  failed: number;
  rateLimited: number;
}

/** Apply with every user to create, against a token bucket: PATCH rate vs the limit. */
async function pace(
  tier: (typeof TIERS)[number],
  concurrency: number,
  seconds: number,
  log: (line: string) => void,
): Promise<PaceRow> {
  const users = Math.max(10, Math.round(tier.perSecond * seconds));
  log(`sync bench: apply at ${tier.perSecond} req/s, concurrency ${concurrency}, ${users} users`);
  const w = await world(users, () => false, {
    perSecond: tier.perSecond,
    auth0LatencyMs: 60,
    zuploLatencyMs: 40,
  });
  try {
    const run = await runSyncBin(["apply", "--concurrency", String(concurrency)], w.env);
    const failed = Number(run.stdout.match(/failed (\d+)/)?.[1] ?? Number.NaN);
    const patches = w.auth0.requests.filter((r) => r.method === "PATCH").map((r) => r.at);
    const ok = w.auth0.patches.length;
    const spanS = ((patches.at(-1) ?? 0) - (patches[0] ?? 0)) / 1000;
    // The bucket starts full (burst = one second's worth): take it out, then PATCHes per second.
    const achieved = spanS > 0 ? Math.max(0, ok - tier.perSecond) / spanS : Number.NaN;
    return {
      tier: tier.label,
      limit: tier.perSecond,
      concurrency,
      users,
      achieved,
      failed,
      rateLimited: w.auth0.rateLimited,
    };
  } finally {
    await w.close();
  }
}

interface Ceiling {
  usersPerSecond: number;
  /** CPU per user: the sync child (startup included) and this process (both stand-ins). */
  syncCpuMs: number;
  standInsCpuMs: number;
}

/** Users per second of the same apply with no Auth0 limit, and whose CPU it costs. */
async function machineCeiling(users: number, log: (line: string) => void): Promise<Ceiling> {
  log(`sync bench: apply without a limit, ${users} users (machine ceiling)`);
  const w = await world(users, () => false, { auth0LatencyMs: 60, zuploLatencyMs: 40 });
  try {
    const c0 = process.cpuUsage();
    const run = await runSyncBin(["apply", "--zuplo-rate", "10000"], w.env);
    const own = process.cpuUsage(c0);
    const at = w.auth0.requests.filter((r) => r.method === "PATCH").map((r) => r.at);
    const spanS = ((at.at(-1) ?? 0) - (at[0] ?? 0)) / 1000;
    return {
      usersPerSecond: spanS > 0 ? (at.length - 1) / spanS : Number.NaN,
      syncCpuMs: run.cpuMs / users,
      standInsCpuMs: (own.user + own.system) / 1000 / users,
    };
  } finally {
    await w.close();
  }
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "n/a";

function duration(seconds: number): string {
  if (seconds < 3600) return `${fmt(seconds / 60, 0)} min`;
  if (seconds < 48 * 3600) return `${fmt(seconds / 3600, 1)} h`;
  return `${fmt(seconds / 86400, 1)} days`;
}

function render(
  scaleRows: ScaleRow[],
  paceRows: PaceRow[],
  ceiling: Ceiling,
  seconds: number,
): string {
  const lines = [
    "## keysmith-sync: scale and pacing",
    "",
    `Generated by \`pnpm --filter @keysmith/bench bench:sync\` on ${new Date().toISOString()} (Node ${process.version}, 1-minute load average at the end ${fmt(loadAverage(), 2)} on ${availableParallelism()} cores). The real \`dist/sync.js\` runs as a child process against the Auth0 users stand-in (export job above 1,000 users) and the stateful Zuplo fake, both on 127.0.0.1; peak RSS is the child's own (getrusage).`,
    ...(loadAverage() > availableParallelism() * 0.75
      ? [
          "",
          "**Taken on a busy machine** (other work held the cores): users/s, the achieved rates and the ceiling below are lower than this sync reaches on a quiet machine; the 429 counts and failed users still hold.",
        ]
      : []),
    "",
    "### Scale (no rate limit: the sync's own cost per user)",
    "",
    "90% of the users are in step (consumer, manager and record present), 10% need a consumer. Both processes (the sync and the stand-ins) share the machine, so users/s here is a CPU figure for this box, not a network one.",
    "",
    "| command | users | wall time | users/s | peak RSS | peak live heap (after GC) |",
    "|---|---|---|---|---|---|",
    ...scaleRows.map(
      (r) =>
        `| ${r.command} | ${fmt(r.users)} | ${fmt(r.ms / 1000, 1)} s | ${fmt(r.usersPerSecond)} | ${fmt(r.peakRssMb)} MB | ${fmt(r.liveHeapMb)} MB |`,
    ),
    "",
    "### Apply at Auth0's rate limit (token bucket with `x-ratelimit-*` headers)",
    "",
    `Every user needs a consumer (one Zuplo create, one Auth0 PATCH). Stand-in latency: Auth0 60 ms, Zuplo 40 ms; about ${seconds} s of work per run. Achieved = successful PATCHes per second after the initial burst, over the span from the first to the last PATCH.`,
    "",
    "| tier | limit | concurrency | users | achieved | % of limit | failed users | 429 answers |",
    "|---|---|---|---|---|---|---|---|",
    ...paceRows.map(
      (r) =>
        `| ${r.tier} | ${r.limit}/s | ${r.concurrency} | ${fmt(r.users)} | ${fmt(r.achieved, 1)}/s | ${fmt((100 * r.achieved) / r.limit)}% | ${r.failed} | ${r.rateLimited} |`,
    ),
    "",
    `Machine ceiling (the same apply, no Auth0 limit, same latencies): ${fmt(ceiling.usersPerSecond, 1)} users/s. A tier whose limit is above that ceiling measures this machine, not the pacing (no 429 answered means the sync was not held back by Auth0). Where the CPU goes in that run, per user: the sync ${fmt(ceiling.syncCpuMs, 2)} ms (its process, startup included), the Auth0 stand-in and the Zuplo fake together ${fmt(ceiling.standInsCpuMs, 2)} ms (the bench process); on ${availableParallelism()} otherwise idle cores that allows about ${fmt(Math.min(1000 / ceiling.syncCpuMs, 1000 / ceiling.standInsCpuMs, (availableParallelism() * 1000) / (ceiling.syncCpuMs + ceiling.standInsCpuMs)))} users/s.`,
    "",
    "### Projected apply time (one Auth0 write per user that needs one)",
    "",
    "At the limit (the ceiling the sync paces to), and at the best rate measured here.",
    "",
    "| tier | 100,000 users at the limit | 1,000,000 users at the limit | 100,000 users at the measured rate | 1,000,000 users at the measured rate |",
    "|---|---|---|---|---|",
    ...TIERS.map((t) => {
      const measured = paceRows.filter((r) => r.limit === t.perSecond).map((r) => r.achieved);
      const rate = Math.min(t.perSecond, Math.max(...measured));
      return `| ${t.label} | ${duration(100_000 / t.perSecond)} | ${duration(1_000_000 / t.perSecond)} | ${duration(100_000 / rate)} | ${duration(1_000_000 / rate)} |`;
    }),
    "",
    "The ceiling is Auth0's rate limit: plan costs no write and no per-user read, so a plan of an in-step tenant is bounded by the export job and the consumer listing (1,000 consumers per Zuplo request).",
  ];
  return lines.join("\n");
}

function loadAverage(): number {
  return loadavg()[0] ?? Number.NaN;
}

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const log = (line: string) => console.error(line);
const paceOnly = args.includes("--pace-only");
const sizes = paceOnly ? [] : quick ? [2_000] : [10_000, 100_000];
const seconds = quick ? 4 : 8;
const scaleRows: ScaleRow[] = [];
for (const size of sizes) scaleRows.push(...(await scale(size, log)));
const paceRows: PaceRow[] = [];
for (const tier of TIERS) {
  for (const concurrency of [32, 16]) paceRows.push(await pace(tier, concurrency, seconds, log));
}
const ceiling = await machineCeiling(Math.round(50 * seconds), log);
const section = render(scaleRows, paceRows, ceiling, seconds);
console.log(section);
if (!quick && !paceOnly) {
  const file = join(benchDir, "RESULTS.md");
  writeFileSync(file, replaceSyncSection(readFileSync(file, "utf8"), section));
  console.error(`wrote the sync section of ${file}`);
}
