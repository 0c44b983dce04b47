// Runs every benchmark with the given sizes in this process, on this process's Node. The
// full run (cli.ts) runs it once per Node version in a child (suite-child.ts); the smoke
// test runs it in process. A new benchmark is one line here and one section in report.ts.
import { availableParallelism } from "node:os";
import { runTsChild } from "./child.js";
import { runColdStart } from "./cold-start.js";
import type { BenchConfig } from "./config.js";
import { runEvents } from "./events.js";
import { runLogin } from "./login.js";
import { type LoopbackShare, loopbackResult } from "./loopback.js";
import { cpuTicks, currentLoad, othersShare } from "./machine.js";
import type { OverheadRow } from "./overhead.js";
import { runPagination } from "./pagination.js";
import { checkBuilt } from "./paths.js";
import { cpuSince } from "./stats.js";

export type Results = Awaited<ReturnType<typeof runAll>>;

export async function runAll(config: BenchConfig, log: (line: string) => void = () => {}) {
  checkBuilt();
  const node = process.version;
  const loadStart = currentLoad();
  const ticksStart = cpuTicks();
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  /** Wall and CPU time of each benchmark (CPU: this process's and, for the client
   * benchmarks, their own child's; other children not included). */
  const steps: { name: string; ms: number; cpuMs: number }[] = [];
  let childCpuMs = 0;
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    log(`${node} ${name}...`);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    childCpuMs = 0;
    const result = await run();
    steps.push({ name, ms: performance.now() - t0, cpuMs: cpuSince(c0) / 1000 + childCpuMs });
    log(`${node} ${name}: ${Math.round(performance.now() - t0)} ms`);
    return result;
  };
  /** A client benchmark in its own single-threaded process on core 0 (clients-child.ts). */
  const clientBench = async <T>(benchmark: "overhead" | "loopback", sizes: object): Promise<T> => {
    const { result, cpuMs } = await runTsChild<{ result: T; cpuMs: number }>(
      "./clients-child.ts",
      [benchmark, JSON.stringify(sizes)],
      { nodeArgs: ["--expose-gc", "--single-threaded"], cpu: 0 },
    );
    childCpuMs += cpuMs;
    return result;
  };
  /** Loopback's rounds shared by fresh processes, one after the other, then pooled. */
  const loopback = async () => {
    const { processes, rounds } = config.loopback;
    const shares: LoopbackShare[] = [];
    for (let p = 0; p < processes; p++) {
      const sizes = { ...config.loopback, rounds: Math.ceil(rounds / processes) };
      shares.push(await clientBench<LoopbackShare>("loopback", sizes));
    }
    return loopbackResult(shares, config.loopback.concurrency);
  };
  return {
    node,
    overhead: await step("1. client overhead (stub fetch)", () =>
      clientBench<OverheadRow[]>("overhead", config.overhead),
    ),
    loopback: await step("2. loopback", loopback),
    coldStart: await step("3a. action cold start", () => runColdStart(config.coldStart)),
    login: await step("3b. login latency", () => runLogin(config.login)),
    pagination: await step("4. pagination", () => runPagination(config.pagination)),
    events: await step("5. event streams", () => runEvents(config.events)),
    /** 1-minute load average when this Node's run started and ended. */
    load: { start: loadStart, end: currentLoad() },
    /** Share of the machine's CPU other processes used during this run (Linux), else null. */
    othersCpu:
      othersShare(ticksStart, cpuTicks(), performance.now() - started, availableParallelism()) ??
      null,
    durationMs: performance.now() - started,
    cpuMs: cpuSince(cpuStart) / 1000,
    steps,
  };
}
