// 3a. Cold start as a user feels it: in a fresh Node process, `require()` the action and run
// one first login against a local key service. For @keysmith/auth0-action the first fetch
// loads Node's built-in undici; the tutorial action (fixtures/tutorial-action.cjs) loads
// undici@5.22.1 at require time. The two alternate, one pair per round, and each pair gives
// one ratio, so drifting background load hits both alike.
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startFakeZuplo } from "@keysmith/mock";
import type { BenchConfig } from "./config.js";
import { ACCOUNT, API_KEY, BUCKET } from "./fixtures.js";
import { actionFile, firstLoginRunner, tutorialFile, undiciVersion } from "./paths.js";
import { median, percentile, rotate, Samples, type Spread, spread } from "./stats.js";

const run = promisify(execFile);

export const COLD_START_SUBJECTS = [
  "@keysmith/auth0-action dist/action.js",
  `tutorial action (undici@${undiciVersion})`,
] as const;
export type ColdStartSubject = (typeof COLD_START_SUBJECTS)[number];

export interface ColdStartRow {
  module: ColdStartSubject;
  runs: number;
  /** Medians over fresh processes, ms: require(), the first login, both; CPU for both. */
  requireMs: number;
  loginMs: number;
  totalMs: number;
  totalP90: number;
  cpuMs: number;
  /** Whole process, spawn to exit (Node's own start-up included), ms. */
  processMs: number;
  /** Key-service requests each first login made (the same for every run, else it throws). */
  requests: number;
}

export interface ColdStartResult {
  rows: ColdStartRow[];
  /** Per pair: the tutorial's require + first login time / the action's (higher: action faster). */
  totalRatio: Spread;
  /** Per pair: the same with require() alone (the figure published before). */
  requireRatio: Spread;
  /** Per pair: the tutorial's CPU time / the action's. */
  cpuRatio: Spread;
}

interface Sample {
  requireMs: number;
  loginMs: number;
  cpuMs: number;
}

/** `node`: the Node binary of the fresh processes (this process's by default). */
export async function runColdStart(
  config: BenchConfig["coldStart"],
  node = process.execPath,
): Promise<ColdStartResult> {
  // Auth0 loads the action as CommonJS; in this `type: module` package a `.js` file would be
  // read as ESM, so a byte-identical `.cjs` copy is required instead.
  const dir = mkdtempSync(join(tmpdir(), "keysmith-bench-"));
  const action = join(dir, "action.cjs");
  copyFileSync(actionFile, action);
  const fake = await startFakeZuplo({
    apiKey: API_KEY,
    accountName: ACCOUNT,
    buckets: [{ name: BUCKET }],
  });
  const fileOf = (subject: ColdStartSubject) =>
    subject === COLD_START_SUBJECTS[0] ? action : tutorialFile;
  const requests = new Map<ColdStartSubject, Set<number>>(
    COLD_START_SUBJECTS.map((s) => [s, new Set()]),
  );
  let user = 0;
  const once = async (subject: ColdStartSubject) => {
    user += 1;
    const before = fake.requests.length;
    const t0 = performance.now();
    const { stdout } = await run(node, [
      firstLoginRunner,
      fileOf(subject),
      fake.url,
      API_KEY,
      ACCOUNT,
      BUCKET,
      String(user),
    ]);
    const processMs = performance.now() - t0;
    requests.get(subject)?.add(fake.requests.length - before);
    const sample = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as Sample;
    return { ...sample, totalMs: sample.requireMs + sample.loginMs, processMs };
  };
  const s = new Samples();
  try {
    for (const subject of COLD_START_SUBJECTS) await once(subject); // fill the OS file cache
    for (let i = 0; i < config.runs; i++) {
      for (const subject of rotate(COLD_START_SUBJECTS, i)) {
        const r = await once(subject);
        for (const [name, value] of Object.entries(r)) s.push(`${subject} ${name}`, value);
      }
    }
  } finally {
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = COLD_START_SUBJECTS.map((module): ColdStartRow => {
    const counts = [...(requests.get(module) ?? [])];
    if (counts.length !== 1) throw new Error(`${module}: first logins made ${counts} requests`);
    const get = (name: string) => s.get(`${module} ${name}`);
    return {
      module,
      runs: get("totalMs").length,
      requireMs: median(get("requireMs")),
      loginMs: median(get("loginMs")),
      totalMs: median(get("totalMs")),
      totalP90: percentile(get("totalMs"), 90),
      cpuMs: median(get("cpuMs")),
      processMs: median(get("processMs")),
      requests: counts[0] as number,
    };
  });
  const [ours, tutorial] = COLD_START_SUBJECTS;
  const ratio = (name: string) =>
    spread(s.get(`${tutorial} ${name}`).map((v, i) => v / (s.get(`${ours} ${name}`)[i] as number)));
  return {
    rows,
    totalRatio: ratio("totalMs"),
    requireRatio: ratio("requireMs"),
    cpuRatio: ratio("cpuMs"),
  };
}
