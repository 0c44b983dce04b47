// Order statistics and the per-round ratio summary every comparison in the report uses.

/** Sorted copy. */
const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error("percentile of an empty list");
  const s = sorted(values);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length, Math.max(1, rank)) - 1] as number;
}

export const median = (values: readonly number[]) => percentile(values, 50);

export const round = (value: number, digits = 0) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

/** Median, its 95% confidence interval, quartiles and range of one figure over rounds. */
export interface Spread {
  n: number;
  median: number;
  /** 95% confidence interval of the median (distribution-free: order statistics). */
  lo: number;
  hi: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
  /** Medians of the first and the second half of the rounds: a repeat inside the run. */
  firstHalf: number;
  secondHalf: number;
}

/**
 * The ranks (1-based) bounding a 95% confidence interval of the median of n values: the
 * number of values below the true median is Binomial(n, 1/2), approximated by the normal
 * (n/2 ± 1.96·√n/2). Needs no assumption about the distribution, so heavy tails (a garbage
 * collection landing in one batch) widen it only as much as they move the middle values.
 */
export function medianCiRanks(n: number): [number, number] {
  const h = (1.96 * Math.sqrt(n)) / 2;
  return [Math.max(1, Math.floor(n / 2 - h)), Math.min(n, Math.ceil(n / 2 + 1 + h))];
}

export function spread(values: readonly number[]): Spread {
  const half = Math.max(1, Math.floor(values.length / 2));
  const s = sorted(values);
  const [lo, hi] = medianCiRanks(s.length);
  return {
    n: values.length,
    median: median(values),
    lo: s[lo - 1] as number,
    hi: s[hi - 1] as number,
    q1: percentile(values, 25),
    q3: percentile(values, 75),
    min: Math.min(...values),
    max: Math.max(...values),
    firstHalf: median(values.slice(0, half)),
    secondHalf: median(values.length > 1 ? values.slice(half) : values),
  };
}

/** Each item in turn, starting at a different one every round (no fixed first place). */
export const rotate = <T>(list: readonly T[], by: number): T[] =>
  list.map((_, i) => list[(i + by) % list.length] as T);

/** CPU time (user + system) this process has used since `start`, µs. */
export function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

/** Collects numbers under string keys, in insertion order. */
export class Samples {
  readonly #map = new Map<string, number[]>();
  push(key: string, value: number): void {
    const list = this.#map.get(key);
    if (list) list.push(value);
    else this.#map.set(key, [value]);
  }
  get(key: string): number[] {
    const list = this.#map.get(key);
    if (!list || list.length === 0) throw new Error(`no samples for ${key}`);
    return list;
  }
  /** Every key's samples as plain data (to send from a child process as JSON). */
  toRecord(): Record<string, number[]> {
    return Object.fromEntries(this.#map);
  }
}
