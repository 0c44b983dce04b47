// 1. Client overhead: every client sends through a stub fetch that answers at once with a
// Response built before the batch (outside the measured window), so what is left is the
// client's own work: URL and header building, Request, signal, parsing, checks. Measured as
// CPU time per call (robust to other processes on the machine) and wall time per call.
import {
  BASELINE,
  type Contender,
  type ContenderName,
  contenders,
  type FetchLike,
  timeoutSteps,
} from "./clients.js";
import type { BenchConfig } from "./config.js";
import { CREATE_RESPONSE, LIST_RESPONSE } from "./fixtures.js";
import { cpuSince, median, rotate, Samples, type Spread, spread } from "./stats.js";

export type Operation = "list" | "create";
export const OPERATIONS: Record<Operation, string> = {
  list: "GET listConsumers ?limit&offset",
  create: "POST createConsumer (JSON body)",
};

export interface OverheadRow {
  op: Operation;
  client: ContenderName;
  /** Median over rounds of CPU µs per call, and of wall µs per call. */
  cpuMicros: number;
  wallMicros: number;
  /** Per round: openapi-fetch's CPU per call / this client's (higher is cheaper). */
  cpuRatio: Spread;
  /** Per round: the same with wall time. */
  wallRatio: Spread;
  /** Calls measured over all rounds (each answered by exactly one prepared Response). */
  calls: number;
}

const BASE_URL = "https://stub.invalid";
const gc = (globalThis as { gc?: (options?: { type: "minor" } | undefined) => void }).gc;
/** A young-generation collection before each batch (cheap: what the last batch left behind).
 * No full collection between rounds: it shrinks the young generation, and the next batches
 * then collect (and copy their live objects) far more often. */
const collect = () => gc?.({ type: "minor" });

/** A fetch that answers each call with the next of `count` Responses prepared beforehand. */
function stubFetch() {
  let queue: Response[] = [];
  const fetch: FetchLike = () => {
    const response = queue.pop();
    if (!response) return Promise.reject(new Error("stub: no prepared response"));
    return Promise.resolve(response);
  };
  const prepare = (body: string, count: number) => {
    const headers = {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
    };
    queue = Array.from({ length: count }, () => new Response(body, { status: 200, headers }));
  };
  return { fetch, prepare, left: () => queue.length };
}

export async function runOverhead(config: BenchConfig["overhead"]): Promise<OverheadRow[]> {
  const stub = stubFetch();
  const bodies: Record<Operation, string> = { list: LIST_RESPONSE, create: CREATE_RESPONSE };
  const ops = Object.keys(OPERATIONS) as Operation[];
  const key = (op: Operation, client: ContenderName) => `${op} ${client}`;

  /** `count` sequential calls; every prepared Response must be used, one per call. */
  const batch = async (client: Contender, op: Operation, count: number) => {
    stub.prepare(bodies[op], count);
    // The previous client's garbage is not charged to this one, and two young collections
    // move the prepared Responses to the old generation, so the collections during the
    // batch do not copy them (which would charge the bench's own objects to the client).
    collect();
    collect();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < count; i++) await client[op]();
    const wallUs = (performance.now() - t0) * 1000;
    const cpuUs = cpuSince(c0);
    if (stub.left() !== 0) throw new Error(`${client.name} ${op}: ${stub.left()} calls missing`);
    return { cpu: cpuUs / count, wall: wallUs / count };
  };

  /** Rounds of `clients` in turn; one row per client and operation, ratios against BASELINE. */
  const compare = async (clients: Contender[], rounds: number): Promise<OverheadRow[]> => {
    const cpu = new Samples();
    const wall = new Samples();
    for (const op of ops) for (const client of clients) await batch(client, op, config.warmupCalls);
    const chunk = Math.ceil(config.calls / config.chunks);
    for (let round = 0; round < rounds; round++) {
      for (const op of rotate(ops, round)) {
        // With chunks > 1, every client's calls are spread over the round in short chunks,
        // interleaved, so a burst of load elsewhere on the machine hits all of them alike.
        const sums = new Map(clients.map((c) => [c.name, { cpu: 0, wall: 0 }]));
        for (let c = 0; c < config.chunks; c++) {
          for (const client of rotate(clients, round + c)) {
            const m = await batch(client, op, chunk);
            const sum = sums.get(client.name) as { cpu: number; wall: number };
            sum.cpu += m.cpu;
            sum.wall += m.wall;
          }
        }
        for (const [name, sum] of sums) {
          cpu.push(key(op, name), sum.cpu / config.chunks);
          wall.push(key(op, name), sum.wall / config.chunks);
        }
      }
    }
    return ops.flatMap((op) =>
      clients.map((client) => {
        const k = key(op, client.name);
        const base = key(op, BASELINE);
        const perRound = (s: Samples) => s.get(k).map((v, i) => (s.get(base)[i] as number) / v);
        return {
          op,
          client: client.name,
          cpuMicros: median(cpu.get(k)),
          wallMicros: median(wall.get(k)),
          cpuRatio: spread(perRound(cpu)),
          wallRatio: spread(perRound(wall)),
          calls: chunk * config.chunks * rounds,
        };
      }),
    );
  };

  const [fetchRow, openapiFetch, keysmith] = contenders(BASE_URL, stub.fetch);
  const main = await compare([fetchRow, openapiFetch, keysmith] as Contender[], config.rounds);
  // The timeout steps put a signal into every Request they build, which undici links to it and
  // registers for finalization: the cleanup of those Requests runs after a later GC, in
  // whatever batch is then running. Measured apart (against openapi-fetch again), so their
  // cleanup never lands in the headline clients' batches.
  const steps = await compare(
    [openapiFetch as Contender, ...timeoutSteps(BASE_URL, stub.fetch)],
    config.referenceRounds,
  );
  return ops.flatMap((op) => [
    ...main.filter((row) => row.op === op),
    ...steps.filter((row) => row.op === op && row.client !== BASELINE),
  ]);
}
