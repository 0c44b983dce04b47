// Sizes for the full run (`pnpm bench`) and the smoke run (`pnpm test`), which executes
// every benchmark path with tiny numbers so the code cannot rot.
export interface BenchConfig {
  mode: "full" | "smoke";
  overhead: {
    /** tinybench time per task and round, ms. */
    timeMs: number;
    warmupMs: number;
    /** Rounds of all clients in turn; medians over rounds (background load drifts). */
    rounds: number;
  };
  loopback: { warmup: number; requests: number; concurrency: number; rounds: number };
  coldStart: { runs: number };
  login: { warmup: number; runs: number };
  pagination: { counts: number[]; limit: number };
}

export const FULL: BenchConfig = {
  mode: "full",
  overhead: { timeMs: 100, warmupMs: 20, rounds: 25 },
  loopback: { warmup: 300, requests: 2000, concurrency: 10, rounds: 3 },
  coldStart: { runs: 21 },
  login: { warmup: 5, runs: 31 },
  pagination: { counts: [10_000, 100_000], limit: 1000 },
};

export const SMOKE: BenchConfig = {
  mode: "smoke",
  overhead: { timeMs: 20, warmupMs: 5, rounds: 1 },
  loopback: { warmup: 5, requests: 20, concurrency: 4, rounds: 1 },
  coldStart: { runs: 2 },
  login: { warmup: 0, runs: 2 },
  // 2,500 is not a multiple of 1,000: the short last page ends the walk.
  pagination: { counts: [2_000, 2_500], limit: 1000 },
};
