import { it } from "vitest";
import { runInProcess, startBackfillWorld } from "./support/backfill-world.js";

it("perf", async () => {
  for (const c of ["8", "32"]) {
    const w = await startBackfillWorld({ users: 1000 });
    const t = Date.now();
    const run = await runInProcess(["--concurrency", c, "--source", "export"], w.env);
    const ms = Date.now() - t;
    const byPath: Record<string, number> = {};
    for (const r of w.auth0.requests)
      byPath[`${r.method} ${r.path.split("/").slice(0, 4).join("/")}`] =
        (byPath[`${r.method} ${r.path.split("/").slice(0, 4).join("/")}`] ?? 0) + 1;
    const z: Record<string, number> = {};
    for (const r of w.fake.requests) z[r.operation ?? "?"] = (z[r.operation ?? "?"] ?? 0) + 1;
    console.log(c, ms, run.code, JSON.stringify(byPath), JSON.stringify(z));
    await w.close();
  }
}, 60000);
