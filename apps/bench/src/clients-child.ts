// Child process for the client benchmarks (1. stub overhead, 2. loopback): started by the
// suite with `--single-threaded` (no background GC or compiler threads whose CPU time lands
// in whichever batch is running) and pinned to one core where possible (child.ts `canPin`).
// Prints the result and its own CPU time as JSON on its last stdout line.
// Usage: node --expose-gc --single-threaded --import tsx clients-child.ts <overhead|loopback> <full|smoke>
import { FULL, SMOKE } from "./config.js";
import { runLoopback } from "./loopback.js";
import { runOverhead } from "./overhead.js";
import { cpuSince } from "./stats.js";

const [benchmark, mode] = process.argv.slice(2);
if (mode !== "full" && mode !== "smoke") throw new Error(`unknown mode ${mode}`);
const config = mode === "full" ? FULL : SMOKE;
const c0 = process.cpuUsage();
const result =
  benchmark === "overhead"
    ? await runOverhead(config.overhead)
    : benchmark === "loopback"
      ? await runLoopback(config.loopback)
      : undefined;
if (result === undefined) throw new Error(`unknown benchmark ${benchmark}`);
process.stdout.write(`${JSON.stringify({ result, cpuMs: cpuSince(c0) / 1000 })}\n`);
