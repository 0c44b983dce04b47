// 3a. Cold start: how long `require()` of the action takes in a fresh Node process, against
// `require("undici")` (the tutorial action's dependency). Each run is a new `node -e`; the
// two are alternated so drifting background load hits both alike.
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { BenchConfig } from "./config.js";
import { actionFile, undiciFile, undiciVersion } from "./paths.js";
import { median, percentile } from "./stats.js";

const run = promisify(execFile);

// `check` names an export the module must have, proving the right thing was loaded.
const SCRIPT = `
const [file, check] = process.argv.slice(1);
const t0 = performance.now();
const loaded = require(file);
const ms = performance.now() - t0;
if (typeof loaded[check] !== "function") throw new Error(file + " has no " + check);
process.stdout.write(JSON.stringify({ ms }));
`;

export interface ColdStartRow {
  module: string;
  runs: number;
  /** require() time inside the process, ms. */
  requireMedian: number;
  requireP90: number;
  requireMin: number;
  /** Whole `node -e` process, spawn to exit, ms. */
  processMedian: number;
}

async function once(file: string, check: string) {
  const t0 = performance.now();
  const { stdout } = await run(process.execPath, ["-e", SCRIPT, file, check]);
  return { ms: (JSON.parse(stdout) as { ms: number }).ms, processMs: performance.now() - t0 };
}

export async function runColdStart(config: BenchConfig["coldStart"]): Promise<ColdStartRow[]> {
  // Auth0 loads the action as CommonJS; in this `type: module` package a `.js` file would be
  // read as ESM, so a byte-identical `.cjs` copy is required instead.
  const dir = mkdtempSync(join(tmpdir(), "keysmith-bench-"));
  const action = join(dir, "action.cjs");
  copyFileSync(actionFile, action);
  try {
    const subjects = [
      {
        module: "@keysmith/auth0-action dist/action.js",
        file: action,
        check: "onExecutePostLogin",
      },
      { module: `undici@${undiciVersion}`, file: undiciFile, check: "request" },
    ];
    const samples = subjects.map(() => ({ ms: [] as number[], processMs: [] as number[] }));
    for (const s of subjects) await once(s.file, s.check); // fill the OS file cache
    for (let i = 0; i < config.runs; i++) {
      for (const [n, s] of subjects.entries()) {
        const result = await once(s.file, s.check);
        samples[n]?.ms.push(result.ms);
        samples[n]?.processMs.push(result.processMs);
      }
    }
    return subjects.map((s, n) => {
      const { ms, processMs } = samples[n] as { ms: number[]; processMs: number[] };
      return {
        module: s.module,
        runs: ms.length,
        requireMedian: median(ms),
        requireP90: percentile(ms, 90),
        requireMin: Math.min(...ms),
        processMedian: median(processMs),
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
