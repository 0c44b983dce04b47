// Child process for the client benchmarks (1. stub overhead, 2. one share of loopback's
// rounds): started by the
// suite with `--single-threaded` (no background GC or compiler threads whose CPU time lands
// in whichever batch is running) and pinned to one core where possible (child.ts `canPin`).
// Prints the result and its own CPU time as JSON on its last stdout line.
// Usage: node --expose-gc --single-threaded --import tsx clients-child.ts <overhead|loopback> <its config as JSON>
import type { BenchConfig } from "./config.js";
import { measureLoopback } from "./loopback.js";
import { runOverhead } from "./overhead.js";
import { cpuSince } from "./stats.js";

const [benchmark, json = ""] = process.argv.slice(2);
const c0 = process.cpuUsage();
const result =
  benchmark === "overhead"
    ? await runOverhead(JSON.parse(json) as BenchConfig["overhead"])
    : benchmark === "loopback"
      ? await measureLoopback(JSON.parse(json) as BenchConfig["loopback"])
      : undefined;
if (result === undefined) throw new Error(`unknown benchmark ${benchmark}`);
process.stdout.write(`${JSON.stringify({ result, cpuMs: cpuSince(c0) / 1000 })}\n`);
