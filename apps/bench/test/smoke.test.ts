// Runs every benchmark path with tiny sizes and checks the results are well formed and the
// request counts exact, so the benchmark code cannot rot. No speed assertions: speed belongs
// to `pnpm bench`.
import { beforeAll, describe, expect, it } from "vitest";
import { CONTENDERS } from "../src/clients.js";
import { COLD_START_SUBJECTS, runColdStart } from "../src/cold-start.js";
import { SMOKE } from "../src/config.js";
import { describeMachine } from "../src/machine.js";
import { nodeBinaries } from "../src/node-binaries.js";
import { expectedRequests } from "../src/pagination.js";
import { renderMarkdown } from "../src/report.js";
import { medianCiRanks, type Spread, spread } from "../src/stats.js";
import { type Results, runAll } from "../src/suite.js";
import { conclude, headlines, readSummary } from "../src/summary.js";

let results: Results;
beforeAll(async () => {
  results = await runAll(SMOKE);
});

const positive = (n: number) => expect(Number.isFinite(n) && n > 0, `${n} > 0`).toBe(true);
const wellFormed = (s: Spread, rounds: number) => {
  expect(s.n).toBe(rounds);
  for (const n of [s.min, s.q1, s.median, s.q3, s.max, s.firstHalf, s.secondHalf]) positive(n);
  expect(s.min <= s.q1 && s.q1 <= s.median && s.median <= s.q3 && s.q3 <= s.max).toBe(true);
  expect(s.min <= s.lo && s.lo <= s.median && s.median <= s.hi && s.hi <= s.max).toBe(true);
};

describe("smoke run of every benchmark", () => {
  it("ran on this process's Node", () => {
    expect(results.node).toBe(process.version);
    expect(results.load.start).toBeGreaterThanOrEqual(0);
  });

  it("1. overhead: every client and timeout step, both calls, per-round CPU ratios", () => {
    const clients = [...CONTENDERS, "openapi-fetch + signal", "openapi-fetch + signal + timer"];
    expect(results.overhead).toHaveLength(clients.length * 2);
    for (const op of ["list", "create"] as const) {
      for (const client of clients) {
        const row = results.overhead.find((r) => r.op === op && r.client === client);
        expect(row, `${op} ${client}`).toBeDefined();
        if (!row) continue;
        expect(row.calls).toBe(SMOKE.overhead.calls * SMOKE.overhead.rounds);
        positive(row.cpuMicros);
        positive(row.wallMicros);
        wellFormed(row.cpuRatio, SMOKE.overhead.rounds);
        wellFormed(row.wallRatio, SMOKE.overhead.rounds);
      }
      const base = results.overhead.find((r) => r.op === op && r.client === "openapi-fetch");
      expect(base?.cpuRatio.median).toBe(1);
    }
  });

  it("2. loopback: the servers answered exactly the requests the clients sent, every process's rounds pooled", () => {
    const { requests, rounds, concurrency, warmup, processes } = SMOKE.loopback;
    expect(processes).toBeGreaterThan(1);
    const { rows, serverRequests, sentRequests } = results.loopback;
    expect(rows).toHaveLength(CONTENDERS.length * 2);
    // Each process warms every client up, then runs its share of the rounds.
    expect(sentRequests).toBe(CONTENDERS.length * (processes * warmup + 2 * rounds * requests));
    expect(serverRequests).toBe(sentRequests);
    for (const c of [1, concurrency]) {
      for (const client of CONTENDERS) {
        const row = rows.find((r) => r.client === client && r.concurrency === c);
        expect(row?.requests).toBe(requests * rounds);
        if (!row) continue;
        for (const n of [row.rps, row.cpuMicros, row.p50, row.p99]) positive(n);
        wellFormed(row.cpuRatio, rounds);
        wellFormed(row.rpsRatio, rounds);
        expect(row.p99).toBeGreaterThanOrEqual(row.p50);
      }
    }
  });

  it("3a. cold start: require + first login of the action and the tutorial, one request each", () => {
    expect(results.coldStart.rows.map((r) => r.module)).toEqual([...COLD_START_SUBJECTS]);
    expect(COLD_START_SUBJECTS[1]).toBe("tutorial action (undici@5.22.1)");
    for (const row of results.coldStart.rows) {
      expect(row.runs).toBe(SMOKE.coldStart.runs);
      expect(row.requests).toBe(1);
      for (const n of [row.requireMs, row.loginMs, row.cpuMs, row.processMs]) positive(n);
      expect(row.totalMs).toBeGreaterThanOrEqual(row.requireMs);
      expect(row.processMs).toBeGreaterThan(row.requireMs);
    }
    for (const s of [results.coldStart.totalRatio, results.coldStart.requireRatio])
      wellFormed(s, SMOKE.coldStart.runs);
  });

  it("3b. login: 0, 1 and 2 requests for returning, new and 409 users", () => {
    const byScenario = Object.fromEntries(results.login.map((r) => [r.scenario, r]));
    expect(byScenario["returning user"]).toMatchObject({ requests: 0, outcome: "nothing to do" });
    expect(byScenario["new user"]).toMatchObject({ requests: 1, outcome: "created" });
    expect(byScenario["409: consumer exists"]).toMatchObject({
      requests: 2,
      outcome: "existing (adopted after 409)",
    });
    for (const row of results.login) {
      expect(row.runs).toBe(SMOKE.login.runs);
      positive(row.median);
    }
  });

  it("4. pagination: every consumer, exactly one request per page", () => {
    expect(results.pagination.map((r) => r.consumers)).toEqual(SMOKE.pagination.counts);
    for (const row of results.pagination) {
      expect(row.items).toBe(row.consumers);
      expect(row.requests).toBe(row.expectedRequests);
      for (const n of [row.ms, row.itemsPerSec, row.peakHeapGrowth, row.retainedHeapGrowth])
        positive(n);
    }
    // 2,000 at 1,000 a page ends on `total` (2 requests); 2,500 on the short page (3).
    expect(results.pagination.map((r) => r.requests)).toEqual([2, 3]);
  });

  it("5. event streams: every scenario, the key-service requests each event costs", () => {
    expect(results.events.map((r) => [r.scenario, r.events, r.requests])).toEqual([
      ["user.updated, nothing to change", SMOKE.events.users, 1],
      ["user.updated blocked: suspend", SMOKE.events.users, 4],
      ["user.updated unblocked: restore", SMOKE.events.users, 4],
      [`blocked, ${SMOKE.events.concurrency} in flight`, SMOKE.events.users, 4],
      ["user.deleted: delete", SMOKE.events.users, 2],
    ]);
    for (const row of results.events)
      for (const n of [row.perSecond, row.p50, row.p99]) positive(n);
  });

  it("renders every section, and the next run reads back its headlines", () => {
    const run = {
      mode: "smoke" as const,
      machine: describeMachine(),
      durationMs: 1,
      nodes: [results],
    };
    const markdown = renderMarkdown(run);
    for (const heading of [
      "## Summary",
      "## How noisy",
      "## 1.",
      "## 2.",
      "## 3.",
      "## 4.",
      "## 5. Auth0 Event Streams",
      "## Method",
    ])
      expect(markdown).toContain(heading);
    expect(markdown).not.toMatch(/NaN|undefined|Infinity/);
    expect(markdown).toContain("no earlier full run");
    const previous = readSummary(markdown);
    expect(previous?.headlines.map((h) => h.id)).toEqual(headlines(results).map((h) => h.id));
    const again = renderMarkdown({ ...run, ...(previous && { previous }) });
    expect(again).toContain(
      `**The two runs agree**: all ${headlines(results).length} conclusions are the same`,
    );
  });
});

describe("Node 22", () => {
  it("is found, and runs both actions' cold start and first login", async () => {
    const node22 = nodeBinaries().find((b) => b.name === "Node 22");
    expect(node22?.version).toMatch(/^v22\./);
    const cold = await runColdStart({ runs: 1 }, node22?.path);
    expect(cold.rows.map((r) => r.requests)).toEqual([1, 1]);
  });
});

describe("conclude", () => {
  it("concludes only when the median's 95% interval is on one side of the target", () => {
    expect(conclude({ lo: 0.91, hi: 0.99 }, 0.9)).toBe("≥ target");
    expect(conclude({ lo: 0.8, hi: 0.89 }, 0.9)).toBe("< target");
    expect(conclude({ lo: 0.88, hi: 0.93 }, 0.9)).toBe(
      "not resolved (the 95% interval spans the target)",
    );
  });
});

describe("the median's 95% interval", () => {
  it("takes the order statistics the binomial gives (n = 200: ranks 86 and 115)", () => {
    expect(medianCiRanks(200)).toEqual([86, 115]);
    expect(medianCiRanks(5)).toEqual([1, 5]);
    const s = spread(Array.from({ length: 200 }, (_, i) => i + 1));
    expect([s.lo, s.median, s.hi]).toEqual([86, 100, 115]);
  });

  it("holds the true median in at least 95% of samples, whatever the distribution", () => {
    let seed = 42; // a fixed LCG: the check is the same on every run
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    // Heavy-tailed, like CPU time per batch: true median of exp(U·3) is exp(1.5).
    const draws = [(u: number) => u, (u: number) => Math.exp(u * 3)];
    const truth = [0.5, Math.exp(1.5)];
    for (const [d, draw] of draws.entries()) {
      for (const n of [30, 200]) {
        let covered = 0;
        for (let t = 0; t < 2000; t++) {
          const s = spread(Array.from({ length: n }, () => draw(random())));
          if (s.lo <= (truth[d] as number) && (truth[d] as number) <= s.hi) covered++;
        }
        expect(covered / 2000, `n = ${n}`).toBeGreaterThanOrEqual(0.94);
      }
    }
  });
});

describe("expectedRequests", () => {
  it("counts full pages, a short last page, and one request for an empty bucket", () => {
    expect(expectedRequests(10_000, 1000)).toBe(10);
    expect(expectedRequests(100_000, 1000)).toBe(100);
    expect(expectedRequests(2_500, 1000)).toBe(3);
    expect(expectedRequests(0, 1000)).toBe(1);
  });
});
