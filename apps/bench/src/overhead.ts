// 1. Client overhead: every client sends through a stub fetch that answers at once with a
// Response built before the iteration (tinybench beforeEach, outside the timed window), so
// what is left is the client's own work: URL and header building, Request, parsing, checks.
// Two extra rows add @keysmith/client's per-attempt timeout machinery to bare openapi-fetch
// step by step, to show where the difference between the two goes.
import { Bench } from "tinybench";
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
import { median } from "./stats.js";

export type Operation = "list" | "create";
export const OPERATIONS: Record<Operation, string> = {
  list: "GET listConsumers ?limit&offset",
  create: "POST createConsumer (JSON body)",
};

export interface OverheadRow {
  op: Operation;
  client: ContenderName;
  /** Median over rounds of 1000 / mean latency. */
  opsPerSec: number;
  /** Median over rounds of (this client's ops/s / openapi-fetch's in the same round). */
  ratio: number;
  /** Mean time per call, µs (from opsPerSec). */
  micros: number;
  /** ops/s of each round. */
  rounds: number[];
  /** Iterations measured over all rounds. */
  samples: number;
}

const BASE_URL = "https://stub.invalid";

/** A fetch that resolves at once with the Response prepared by `prepare`. */
function stubFetch() {
  let next: Response | undefined;
  let calls = 0;
  const fetch: FetchLike = () => {
    const response = next;
    next = undefined;
    calls++;
    if (!response) return Promise.reject(new Error("stub: no prepared response"));
    return Promise.resolve(response);
  };
  const prepare = (body: string) => {
    next = new Response(body, {
      status: 200,
      headers: {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
      },
    });
  };
  return { fetch, prepare, calls: () => calls };
}

/** Each client in turn, starting at a different one every round (no fixed first place). */
const rotate = <T>(list: T[], by: number) => list.map((_, i) => list[(i + by) % list.length] as T);

export async function runOverhead(config: BenchConfig["overhead"]): Promise<OverheadRow[]> {
  const stub = stubFetch();
  const clients: Contender[] = [
    ...contenders(BASE_URL, stub.fetch),
    ...timeoutSteps(BASE_URL, stub.fetch),
  ];
  const bodies: Record<Operation, string> = { list: LIST_RESPONSE, create: CREATE_RESPONSE };
  const ops = Object.keys(OPERATIONS) as Operation[];
  const opsPerSec = new Map<string, number[]>();
  const ratios = new Map<string, number[]>();
  const samples = new Map<string, number>();
  const key = (op: Operation, client: ContenderName) => `${op} ${client}`;
  const push = (map: Map<string, number[]>, k: string, v: number) =>
    map.set(k, [...(map.get(k) ?? []), v]);

  for (let round = 0; round < config.rounds; round++) {
    const bench = new Bench({
      time: config.timeMs,
      warmupTime: config.warmupMs,
      // A broken client must fail the run, not become an "errored" row.
      throws: true,
    });
    for (const op of ops) {
      for (const client of rotate(clients, round)) {
        bench.add(key(op, client.name), () => client[op](), {
          beforeEach: () => stub.prepare(bodies[op]),
        });
      }
    }
    const callsBefore = stub.calls();
    await bench.run();
    let iterations = 0;
    const thisRound = new Map<string, number>();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== "completed") throw new Error(`${task.name}: ${result.state}`);
      thisRound.set(task.name, 1000 / result.period);
      push(opsPerSec, task.name, 1000 / result.period);
      samples.set(task.name, (samples.get(task.name) ?? 0) + result.latency.samplesCount);
      iterations += result.latency.samplesCount;
    }
    // Warmup calls the stub too, so at least one call per measured iteration.
    if (stub.calls() - callsBefore < iterations) throw new Error("the stub was not called");
    for (const op of ops) {
      const base = thisRound.get(key(op, BASELINE)) as number;
      for (const client of clients) {
        push(ratios, key(op, client.name), (thisRound.get(key(op, client.name)) as number) / base);
      }
    }
  }

  return ops.flatMap((op) =>
    clients.map((client) => {
      const k = key(op, client.name);
      const rounds = opsPerSec.get(k) ?? [];
      const value = median(rounds);
      return {
        op,
        client: client.name,
        opsPerSec: value,
        ratio: median(ratios.get(k) ?? []),
        micros: 1e6 / value,
        rounds,
        samples: samples.get(k) ?? 0,
      };
    }),
  );
}
