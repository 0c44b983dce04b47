// Runs every benchmark path with tiny sizes and checks the results are well formed, so the
// benchmark code cannot rot. No speed assertions: speed belongs to `pnpm bench`.
import { beforeAll, describe, expect, it } from "vitest";
import { CONTENDERS } from "../src/clients.js";
import { SMOKE } from "../src/config.js";
import { expectedRequests } from "../src/pagination.js";
import { renderMarkdown } from "../src/report.js";
import { type Results, runAll } from "../src/suite.js";

let results: Results;
beforeAll(async () => {
  results = await runAll(SMOKE);
});

const positive = (n: number) => expect(Number.isFinite(n) && n > 0, `${n} > 0`).toBe(true);

describe("smoke run of every benchmark", () => {
  it("describes the machine", () => {
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.node).toBe(process.version);
    expect(results.machine.cpu).not.toBe("");
  });

  it("1. overhead: every client and timeout step, both calls", () => {
    const clients = [...CONTENDERS, "openapi-fetch + signal", "openapi-fetch + signal + timer"];
    expect(results.overhead).toHaveLength(clients.length * 2);
    for (const op of ["list", "create"] as const) {
      for (const client of clients) {
        const row = results.overhead.find((r) => r.op === op && r.client === client);
        expect(row, `${op} ${client}`).toBeDefined();
        positive(row?.opsPerSec ?? 0);
        positive(row?.ratio ?? 0);
        positive(row?.samples ?? 0);
        expect(row?.rounds).toHaveLength(SMOKE.overhead.rounds);
      }
      const base = results.overhead.find((r) => r.op === op && r.client === "openapi-fetch");
      expect(base?.ratio).toBe(1);
    }
  });

  it("2. loopback: each client at concurrency 1 and N made every request", () => {
    const { requests, rounds, concurrency } = SMOKE.loopback;
    expect(results.loopback).toHaveLength(CONTENDERS.length * 2);
    for (const c of [1, concurrency]) {
      for (const client of CONTENDERS) {
        const row = results.loopback.find((r) => r.client === client && r.concurrency === c);
        expect(row?.requests).toBe(requests * rounds);
        for (const n of [row?.rps, row?.p50, row?.p99, row?.ratio]) positive(n ?? 0);
        expect(row?.p99).toBeGreaterThanOrEqual(row?.p50 ?? Infinity);
      }
    }
  });

  it("3a. cold start: the action and undici were each loaded in fresh processes", () => {
    expect(results.coldStart.map((r) => r.module)).toEqual([
      "@keysmith/auth0-action dist/action.js",
      "undici@5.22.1",
    ]);
    for (const row of results.coldStart) {
      expect(row.runs).toBe(SMOKE.coldStart.runs);
      for (const n of [row.requireMedian, row.requireMin, row.requireP90, row.processMedian])
        positive(n);
      expect(row.processMedian).toBeGreaterThan(row.requireMedian);
    }
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

  it("renders every section into the report", () => {
    const markdown = renderMarkdown(results);
    for (const heading of ["## Machine", "## 1.", "## 2.", "## 3.", "## 4.", "## Method"])
      expect(markdown).toContain(heading);
    expect(markdown).not.toMatch(/NaN|undefined/);
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
