// 2. Over loopback: the same listConsumers GET from each client through the real global
// fetch (undici) to a keep-alive node:http server in a child process on 127.0.0.1. The
// server's CPU is its own process's, so this process's CPU time is the client side alone.
import { startTsServer } from "./child.js";
import { BASELINE, CONTENDERS, type ContenderName, contenders } from "./clients.js";
import type { BenchConfig } from "./config.js";
import { cpuSince, median, percentile, rotate, Samples, type Spread, spread } from "./stats.js";

export interface LoopbackRow {
  client: ContenderName;
  concurrency: number;
  /** Measured requests over all rounds (warm-ups not included). */
  requests: number;
  /** Median over rounds of requests / elapsed seconds. */
  rps: number;
  /** Median over rounds of this process's CPU µs per request. */
  cpuMicros: number;
  /** Per round: openapi-fetch's CPU per request / this client's (higher is cheaper). */
  cpuRatio: Spread;
  /** Per round: this client's req/s / openapi-fetch's. */
  rpsRatio: Spread;
  /** Over every measured request of every round, ms. */
  p50: number;
  p99: number;
}

export interface LoopbackResult {
  rows: LoopbackRow[];
  /** Requests the server answered, warm-ups included, and how many the bench sent. */
  serverRequests: number;
  sentRequests: number;
}

const gc = (globalThis as { gc?: (options?: { type: "minor" } | undefined) => void }).gc;
/** A young-generation collection before each batch (cheap: what the last batch left behind).
 * No full collection between rounds: it shrinks the young generation, and the next batches
 * then collect (and copy their live objects) far more often. */
const collect = () => gc?.({ type: "minor" });

async function measure(call: () => Promise<unknown>, requests: number, concurrency: number) {
  const latencies: number[] = [];
  const worker = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await call();
      latencies.push(performance.now() - t0);
    }
  };
  const share = Math.floor(requests / concurrency);
  collect();
  const c0 = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, (_, w) =>
      worker(w === 0 ? requests - share * (concurrency - 1) : share),
    ),
  );
  /** Elapsed seconds and CPU µs (this process) for all `requests`. */
  return { seconds: (performance.now() - started) / 1000, cpu: cpuSince(c0), latencies };
}

/**
 * One process's share of the rounds, raw: per client and concurrency, each round's CPU µs per
 * request and req/s (aligned by round), and every request's latency. `loopbackResult` pools
 * the shares of several processes.
 */
export interface LoopbackShare {
  cpu: Record<string, number[]>;
  rps: Record<string, number[]>;
  latencies: Record<string, number[]>;
  /** Requests the server answered, warm-ups included, and how many the bench sent. */
  serverRequests: number;
  sentRequests: number;
}

const key = (client: ContenderName, c: number) => `${client} ${c}`;

/** `config.rounds` rounds in this process, against a server of its own. */
export async function measureLoopback(config: BenchConfig["loopback"]): Promise<LoopbackShare> {
  // The client is on core 0 (clients-child.ts), the server on core 1.
  const server = await startTsServer<{ requests: number }>("./loopback-server.ts", { cpu: 1 });
  const cpu = new Samples();
  const rps = new Samples();
  const latencies = new Samples();
  let sentRequests = 0;
  let serverRequests = 0;
  const levels = [1, config.concurrency];
  try {
    const clients = contenders(`http://127.0.0.1:${server.port}`);
    for (const client of clients) {
      await measure(() => client.list(), config.warmup, config.concurrency);
      sentRequests += config.warmup;
    }
    const chunk = Math.ceil(config.requests / config.chunks);
    for (let round = 0; round < config.rounds; round++) {
      for (const concurrency of rotate(levels, round)) {
        // With chunks > 1, each client's requests go in short chunks, interleaved with the
        // other clients', so a burst of load elsewhere on the machine hits all of them alike.
        const sums = new Map(clients.map((c) => [c.name, { cpu: 0, seconds: 0 }]));
        for (let c = 0; c < config.chunks; c++) {
          for (const client of rotate(clients, round + c)) {
            const m = await measure(() => client.list(), chunk, concurrency);
            sentRequests += chunk;
            const sum = sums.get(client.name) as { cpu: number; seconds: number };
            sum.cpu += m.cpu;
            sum.seconds += m.seconds;
            for (const ms of m.latencies) latencies.push(key(client.name, concurrency), ms);
          }
        }
        for (const [name, sum] of sums) {
          const requests = chunk * config.chunks;
          rps.push(key(name, concurrency), requests / sum.seconds);
          cpu.push(key(name, concurrency), sum.cpu / requests);
        }
      }
    }
  } finally {
    serverRequests = (await server.stop()).requests;
  }
  return {
    cpu: cpu.toRecord(),
    rps: rps.toRecord(),
    latencies: latencies.toRecord(),
    serverRequests,
    sentRequests,
  };
}

/**
 * The rows, from the shares of every process pooled: ratios are taken per round within a
 * process, then all rounds summarised together. Each fresh process brings its own JIT and
 * heap layout, which shift a whole process's figures by a per cent or two; pooling several
 * makes the median hold across runs, and the interval reflect that shift.
 */
export function loopbackResult(shares: LoopbackShare[], concurrency: number): LoopbackResult {
  const pooled = (pick: (s: LoopbackShare) => Record<string, number[]>, k: string) =>
    shares.flatMap((s) => pick(s)[k] ?? []);
  const rows = [1, concurrency].flatMap((level) =>
    CONTENDERS.map((client): LoopbackRow => {
      const k = key(client, level);
      const base = key(BASELINE, level);
      const cpu = pooled((s) => s.cpu, k);
      const baseCpu = pooled((s) => s.cpu, base);
      const rps = pooled((s) => s.rps, k);
      const baseRps = pooled((s) => s.rps, base);
      const all = pooled((s) => s.latencies, k);
      if (cpu.length === 0) throw new Error(`no samples for ${k}`);
      return {
        client,
        concurrency: level,
        requests: all.length,
        rps: median(rps),
        cpuMicros: median(cpu),
        cpuRatio: spread(cpu.map((v, i) => (baseCpu[i] as number) / v)),
        rpsRatio: spread(rps.map((v, i) => v / (baseRps[i] as number))),
        p50: percentile(all, 50),
        p99: percentile(all, 99),
      };
    }),
  );
  const sum = (pick: (s: LoopbackShare) => number) => shares.reduce((n, s) => n + pick(s), 0);
  return {
    rows,
    serverRequests: sum((s) => s.serverRequests),
    sentRequests: sum((s) => s.sentRequests),
  };
}
