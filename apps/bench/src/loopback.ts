// 2. Over loopback: the same listConsumers GET from each client through the real global
// fetch (undici) to a keep-alive node:http server in a child process on 127.0.0.1, so the
// server does not share the client's event loop.

import { startTsServer } from "./child.js";
import { BASELINE, CONTENDERS, type ContenderName, contenders } from "./clients.js";
import type { BenchConfig } from "./config.js";
import { median, percentile } from "./stats.js";

export interface LoopbackRow {
  client: ContenderName;
  concurrency: number;
  requests: number;
  /** Median over rounds of requests / elapsed seconds. */
  rps: number;
  ratio: number;
  /** Over every request of every round, ms. */
  p50: number;
  p99: number;
}

async function measure(call: () => Promise<unknown>, requests: number, concurrency: number) {
  const latencies: number[] = [];
  const worker = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await call();
      latencies.push(performance.now() - t0);
    }
  };
  const started = performance.now();
  const share = Math.floor(requests / concurrency);
  await Promise.all(
    Array.from({ length: concurrency }, (_, w) =>
      worker(w === 0 ? requests - share * (concurrency - 1) : share),
    ),
  );
  return { rps: requests / ((performance.now() - started) / 1000), latencies };
}

export async function runLoopback(config: BenchConfig["loopback"]): Promise<LoopbackRow[]> {
  const server = await startTsServer("./loopback-server.ts");
  try {
    const clients = contenders(`http://127.0.0.1:${server.port}`);
    const levels = [1, config.concurrency];
    const rps = new Map<string, number[]>();
    const latencies = new Map<string, number[]>();
    const key = (client: ContenderName, c: number) => `${client} ${c}`;
    for (let round = 0; round < config.rounds; round++) {
      for (const concurrency of levels) {
        for (const client of clients) {
          await measure(() => client.list(), config.warmup, concurrency);
          const result = await measure(() => client.list(), config.requests, concurrency);
          const k = key(client.name, concurrency);
          rps.set(k, [...(rps.get(k) ?? []), result.rps]);
          latencies.set(k, [...(latencies.get(k) ?? []), ...result.latencies]);
        }
      }
    }
    return levels.flatMap((concurrency) => {
      const base = median(rps.get(key(BASELINE, concurrency)) ?? []);
      return CONTENDERS.map((client) => {
        const k = key(client, concurrency);
        const all = latencies.get(k) ?? [];
        const value = median(rps.get(k) ?? []);
        return {
          client,
          concurrency,
          requests: all.length,
          rps: value,
          ratio: value / base,
          p50: percentile(all, 50),
          p99: percentile(all, 99),
        };
      });
    });
  } finally {
    await server.stop();
  }
}
