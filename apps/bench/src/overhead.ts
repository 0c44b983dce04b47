// 1. Client overhead: every client sends through a stub fetch that answers at once with a
// Response built before the iteration (tinybench beforeEach, outside the timed window), so
// what is left is the client's own work: URL and header building, Request, parsing, checks.
import { Bench } from "tinybench";
import { BASELINE, CONTENDERS, type ContenderName, contenders, type FetchLike } from "./clients.js";
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
  /** opsPerSec / the baseline's (openapi-fetch) in the same operation. */
  ratio: number;
  /** ops/s of each round. */
  rounds: number[];
  /** Iterations measured over all rounds. */
  samples: number;
}

const BASE_URL = "https://stub.invalid";

/** A fetch that resolves at once with the Response prepared by `prepare`. */
function stubFetch() {
  let next: Response | undefined;
  const fetch: FetchLike = () => {
    const response = next;
    next = undefined;
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
  return { fetch, prepare };
}

export async function runOverhead(config: BenchConfig["overhead"]): Promise<OverheadRow[]> {
  const stub = stubFetch();
  const clients = contenders(BASE_URL, stub.fetch);
  const bodies: Record<Operation, string> = { list: LIST_RESPONSE, create: CREATE_RESPONSE };
  const perRound = new Map<string, number[]>();
  const samples = new Map<string, number>();
  const key = (op: Operation, client: ContenderName) => `${op} ${client}`;

  for (let round = 0; round < config.rounds; round++) {
    const bench = new Bench({
      time: config.timeMs,
      warmupTime: config.warmupMs,
      // Throw instead of recording an errored task: a broken client must fail the run.
      throws: true,
    });
    for (const op of Object.keys(OPERATIONS) as Operation[]) {
      for (const client of clients) {
        bench.add(key(op, client.name), () => client[op](), {
          beforeEach: () => stub.prepare(bodies[op]),
        });
      }
    }
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== "completed") throw new Error(`${task.name}: ${result.state}`);
      perRound.set(task.name, [...(perRound.get(task.name) ?? []), 1000 / result.period]);
      samples.set(task.name, (samples.get(task.name) ?? 0) + result.latency.samplesCount);
    }
  }

  const rows: OverheadRow[] = [];
  for (const op of Object.keys(OPERATIONS) as Operation[]) {
    const base = median(perRound.get(key(op, BASELINE)) ?? []);
    for (const client of CONTENDERS) {
      const rounds = perRound.get(key(op, client)) ?? [];
      const opsPerSec = median(rounds);
      rows.push({
        op,
        client,
        opsPerSec,
        ratio: opsPerSec / base,
        rounds,
        samples: samples.get(key(op, client)) ?? 0,
      });
    }
  }
  return rows;
}
