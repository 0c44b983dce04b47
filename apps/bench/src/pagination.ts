// 4. Pagination at scale: the stateful fake (in this process) is seeded with N consumers; a
// fresh child process holding only the client walks them all with `for await`, so the heap
// measured is the client's alone and the fake's 100k records do not blur it.
import { startFakeZuplo } from "@keysmith/mock";
import { runTsChild } from "./child.js";
import type { BenchConfig } from "./config.js";
import { ACCOUNT, API_KEY, BUCKET } from "./fixtures.js";

interface WalkResult {
  items: number;
  ms: number;
  baseline: number;
  peakGrowth: number;
  afterGrowth: number;
}

export interface PaginationRow {
  consumers: number;
  limit: number;
  /** Items the walk yielded (must equal `consumers`). */
  items: number;
  /** listConsumers requests the fake received for one walk. */
  requests: number;
  expectedRequests: number;
  /** Timed walk, ms; and consumers per second. */
  ms: number;
  itemsPerSec: number;
  /** Peak heapUsed above the post-GC baseline during the timed walk (garbage included), bytes. */
  peakHeapGrowth: number;
  /** Peak heapUsed above baseline with gc() at every page boundary: what the walk keeps, bytes. */
  retainedHeapGrowth: number;
}

const WALKER = "./pagination-walker.ts";

/** Pages of `limit` until one is short; an exact multiple ends on `total` without an extra request. */
export const expectedRequests = (count: number, limit: number) =>
  Math.max(1, Math.ceil(count / limit));

export async function runPagination(config: BenchConfig["pagination"]): Promise<PaginationRow[]> {
  const fake = await startFakeZuplo({
    apiKey: API_KEY,
    accountName: ACCOUNT,
    buckets: [{ name: BUCKET }],
  });
  try {
    const rows: PaginationRow[] = [];
    for (const count of config.counts) {
      const consumers = fake.state.bucket(BUCKET).consumers;
      consumers.clear();
      fake.seedConsumers(BUCKET, count, { tags: { plan: "free" } });
      const walk = async (mode: "timed" | "retained") => {
        const before = fake.requests.length;
        const result = await runTsChild<WalkResult>(
          WALKER,
          [fake.url, BUCKET, String(config.limit), mode],
          { nodeArgs: ["--expose-gc"] },
        );
        const requests = fake.requests
          .slice(before)
          .filter((r) => r.operation === "listConsumers").length;
        return { ...result, requests };
      };
      const timed = await walk("timed");
      const retained = await walk("retained");
      if (timed.requests !== retained.requests || timed.items !== retained.items) {
        throw new Error(`pagination ${count}: the two walks differ`);
      }
      rows.push({
        consumers: count,
        limit: config.limit,
        items: timed.items,
        requests: timed.requests,
        expectedRequests: expectedRequests(count, config.limit),
        ms: timed.ms,
        itemsPerSec: timed.items / (timed.ms / 1000),
        peakHeapGrowth: timed.peakGrowth,
        retainedHeapGrowth: retained.peakGrowth,
      });
    }
    return rows;
  } finally {
    await fake.stop();
  }
}
