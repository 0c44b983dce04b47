// Sizes for the full run (`pnpm bench`) and the smoke run (`pnpm test`), which executes
// every benchmark path with tiny numbers so the code cannot rot.
export interface BenchConfig {
  mode: "full" | "smoke";
  overhead: {
    /** Rounds of every client in turn, the order rotating; one ratio per round. */
    rounds: number;
    /** Measured calls per client and round, in `chunks` interleaved chunks; warm-up calls
     * per client before the first round. */
    calls: number;
    chunks: number;
    warmupCalls: number;
    /** Rounds of the reference rows (openapi-fetch with a signal, and with a timer too). */
    referenceRounds: number;
  };
  /** Per round, client and concurrency level: `requests` in `chunks` interleaved chunks. */
  loopback: {
    warmup: number;
    requests: number;
    chunks: number;
    concurrency: number;
    rounds: number;
    /** Fresh processes, one after the other, that share the rounds equally. */
    processes: number;
  };
  /** Pairs of fresh processes (the action, the tutorial). */
  coldStart: { runs: number };
  login: { warmup: number; runs: number };
  pagination: { counts: number[]; limit: number };
  /** Users (one event each per scenario) and events in flight for the concurrent row. */
  events: { users: number; concurrency: number };
}

export const FULL: BenchConfig = {
  mode: "full",
  // Many short rounds: the 95% interval of a median narrows with the square root of the
  // rounds (about ±1 to ±2.5% at 200 on a quiet 2-core machine). One batch per client and
  // round (chunks: 1), the order rotating; warm-ups long enough that the optimising compiler
  // has finished before the first round.
  overhead: { rounds: 200, calls: 200, chunks: 1, warmupCalls: 2000, referenceRounds: 50 },
  // Three processes of 100 rounds: a process's JIT and heap layout shift all its rounds alike.
  loopback: { warmup: 2000, requests: 100, chunks: 1, concurrency: 10, rounds: 300, processes: 3 },
  coldStart: { runs: 160 },
  login: { warmup: 5, runs: 31 },
  pagination: { counts: [10_000, 100_000], limit: 1000 },
  // About 10 s per Node version on a busy machine: enough events for a p99.
  events: { users: 300, concurrency: 8 },
};

export const SMOKE: BenchConfig = {
  mode: "smoke",
  // Two rounds, so both halves of the repeat check have one.
  overhead: { rounds: 2, calls: 20, chunks: 2, warmupCalls: 8, referenceRounds: 2 },
  loopback: { warmup: 5, requests: 20, chunks: 2, concurrency: 4, rounds: 2, processes: 2 },
  coldStart: { runs: 2 },
  login: { warmup: 0, runs: 2 },
  // 2,500 is not a multiple of 1,000: the short last page ends the walk.
  pagination: { counts: [2_000, 2_500], limit: 1000 },
  events: { users: 5, concurrency: 2 },
};
