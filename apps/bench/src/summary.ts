// The headline comparisons of a run, what each concludes against its target, and the
// repeat check: RESULTS.md carries the headlines as JSON, and the next run compares its own
// conclusions with them.
import type { Spread } from "./stats.js";
import type { Results } from "./suite.js";

export interface Headline {
  id: string;
  label: string;
  /** The ratio (higher: @keysmith cheaper or faster) the target asks for. */
  target: number;
  node: string;
  ratio: Spread;
}

/**
 * "≥ target" and "< target" only when the 95% confidence interval of the median is on one
 * side of it; otherwise this run cannot tell.
 */
export type Conclusion =
  | "≥ target"
  | "< target"
  | "not resolved (the 95% interval spans the target)";

export function conclude(ratio: Pick<Spread, "lo" | "hi">, target: number): Conclusion {
  if (ratio.lo >= target) return "≥ target";
  if (ratio.hi < target) return "< target";
  return "not resolved (the 95% interval spans the target)";
}

/** Half the 95% interval's width as a share of the median: the ± a ratio is known to. */
export const ciHalfWidth = (s: Pick<Spread, "lo" | "hi" | "median">) =>
  (s.hi - s.lo) / 2 / s.median;

/**
 * A run resolves 5% where the interval is at most ±2.5%: two figures 5% apart then have
 * intervals that do not overlap, and a ratio 5% from its target gets a conclusion.
 */
export const RESOLVES = 0.025;

export function headlines(r: Results): Headline[] {
  const node = r.node;
  const overhead = (op: "list" | "create") => {
    const row = r.overhead.find((x) => x.op === op && x.client === "@keysmith/client");
    if (!row) throw new Error(`no overhead row for ${op}`);
    return row.cpuRatio;
  };
  const loopback = (concurrency: number) => {
    const row = r.loopback.rows.find(
      (x) => x.client === "@keysmith/client" && x.concurrency === concurrency,
    );
    if (!row) throw new Error(`no loopback row at concurrency ${concurrency}`);
    return row;
  };
  const high = r.loopback.rows.at(-1)?.concurrency ?? 1;
  return [
    {
      id: "stub-list",
      label: "client CPU per call vs openapi-fetch, stub fetch, GET list",
      target: 0.9,
      node,
      ratio: overhead("list"),
    },
    {
      id: "stub-create",
      label: "client CPU per call vs openapi-fetch, stub fetch, POST create",
      target: 0.9,
      node,
      ratio: overhead("create"),
    },
    {
      id: "loopback-1",
      label: "client CPU per request vs openapi-fetch, loopback, concurrency 1",
      target: 1,
      node,
      ratio: loopback(1).cpuRatio,
    },
    {
      id: "loopback-n",
      label: `client CPU per request vs openapi-fetch, loopback, concurrency ${high}`,
      target: 1,
      node,
      ratio: loopback(high).cpuRatio,
    },
    {
      id: "cold-start",
      label: "cold start, require() + first login: tutorial time / action time",
      target: 1,
      node,
      ratio: r.coldStart.totalRatio,
    },
  ];
}

/** What RESULTS.md keeps of a run for the next run to compare with. */
export interface Summary {
  date: string;
  headlines: {
    id: string;
    node: string;
    median: number;
    lo: number;
    hi: number;
    q1: number;
    q3: number;
  }[];
}

const MARK = "bench-summary";

export function summaryComment(date: string, all: Headline[]): string {
  const summary: Summary = {
    date,
    headlines: all.map((h) => ({
      id: h.id,
      node: h.node,
      median: h.ratio.median,
      lo: h.ratio.lo,
      hi: h.ratio.hi,
      q1: h.ratio.q1,
      q3: h.ratio.q3,
    })),
  };
  return `<!-- ${MARK} ${JSON.stringify(summary)} -->`;
}

/** The summary of the run that wrote `markdown`, if it was a full run of this format. */
export function readSummary(markdown: string): Summary | undefined {
  const match = markdown.match(new RegExp(`<!-- ${MARK} (.*) -->`));
  if (!match?.[1]) return undefined;
  try {
    const summary = JSON.parse(match[1]) as Summary;
    // A run of an earlier format (no confidence interval) has no conclusions to compare.
    const complete =
      Array.isArray(summary.headlines) &&
      summary.headlines.every((h) => typeof h.lo === "number" && typeof h.hi === "number");
    return complete ? summary : undefined;
  } catch {
    return undefined;
  }
}
