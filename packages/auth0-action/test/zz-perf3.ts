import { startBackfillWorld, spawnBin } from "./support/backfill-world.ts";
const n = Number(process.argv[2] ?? 5000);
const w = await startBackfillWorld({ users: n });
const t = Date.now();
const started = process.cpuUsage();
const run = await spawnBin(["--concurrency", process.argv[3] ?? "32"], w.env).done;
const cpu = process.cpuUsage(started);
console.log(n, "users", Date.now() - t, "ms; server cpu", ((cpu.user + cpu.system) / 1000) | 0, "ms", run.code, run.stdout.slice(-300));
await w.close();
