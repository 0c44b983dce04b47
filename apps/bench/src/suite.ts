// Runs every benchmark with the given sizes; `pnpm bench` (full) and the smoke test share it.
import { runColdStart } from "./cold-start.js";
import type { BenchConfig } from "./config.js";
import { runLogin } from "./login.js";
import { runLoopback } from "./loopback.js";
import { currentLoad, describeMachine } from "./machine.js";
import { runOverhead } from "./overhead.js";
import { runPagination } from "./pagination.js";
import { checkBuilt } from "./paths.js";

export type Results = Awaited<ReturnType<typeof runAll>>;

export async function runAll(config: BenchConfig, log: (line: string) => void = () => {}) {
  checkBuilt();
  const machine = describeMachine();
  const started = performance.now();
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    log(`${name}...`);
    const t0 = performance.now();
    const result = await run();
    log(`${name}: ${Math.round(performance.now() - t0)} ms`);
    return result;
  };
  const overhead = await step("1. client overhead (stub fetch)", () =>
    runOverhead(config.overhead),
  );
  const loopback = await step("2. loopback", () => runLoopback(config.loopback));
  const coldStart = await step("3a. action cold start", () => runColdStart(config.coldStart));
  const login = await step("3b. login latency", () => runLogin(config.login));
  const pagination = await step("4. pagination", () => runPagination(config.pagination));
  machine.loadEnd = currentLoad();
  return {
    config,
    machine,
    durationMs: performance.now() - started,
    overhead,
    loopback,
    coldStart,
    login,
    pagination,
  };
}
