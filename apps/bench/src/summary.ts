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

/** "≥ target" and "< target" only when the interquartile range is on one side of it. */
export type Conclusion = "≥ target" | "< target" | "within the spread of the target";

export function conclude(ratio: Pick<Spread, "q1" | "q3">, target: number): Conclusion {
  if (ratio.q1 >= target) return "≥ target";
  if (ratio.q3 < target) return "< target";
  return "within the spread of the target";
}

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
  headlines: { id: string; node: string; median: number; q1: number; q3: number }[];
}

const MARK = "bench-summary";

export function summaryComment(date: string, all: Headline[]): string {
  const summary: Summary = {
    date,
    headlines: all.map((h) => ({
      id: h.id,
      node: h.node,
      median: h.ratio.median,
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
    return Array.isArray(summary.headlines) ? summary : undefined;
  } catch {
    return undefined;
  }
}
