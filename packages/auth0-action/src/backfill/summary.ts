import type { Outcome } from "./process-user.js";
import { describeCount } from "./users-search.js";

export interface Summary {
  mode: "search" | "export";
  dryRun: boolean;
  /** Auth0's count when the run started (1,000 may mean "at least": the count is capped). */
  total: number;
  /** Distinct users handled so far. */
  processed: number;
  created: number;
  present: number;
  fixed: number;
  failed: number;
  /** Deleted between listing and processing. */
  gone: number;
  wouldCreate: number;
  wouldFix: number;
  /** 429 pauses seen per side. */
  auth0Pauses: number;
  zuploPauses: number;
  /** Set when listing users failed or the run was interrupted: not every user was seen. */
  incomplete?: string;
}

export function emptySummary(mode: Summary["mode"], total: number, dryRun: boolean): Summary {
  return {
    mode,
    dryRun,
    total,
    processed: 0,
    created: 0,
    present: 0,
    fixed: 0,
    failed: 0,
    gone: 0,
    wouldCreate: 0,
    wouldFix: 0,
    auth0Pauses: 0,
    zuploPauses: 0,
  };
}

const FIELD: Record<Outcome["kind"], keyof Summary> = {
  created: "created",
  present: "present",
  fixed: "fixed",
  failed: "failed",
  gone: "gone",
  "would-create": "wouldCreate",
  "would-fix": "wouldFix",
};

export function tally(summary: Summary, outcome: Outcome): void {
  summary.processed += 1;
  (summary[FIELD[outcome.kind]] as number) += 1;
}

/** 1 when any user failed or not every user was seen; 0 otherwise. */
export function exitCodeFor(summary: Summary): 0 | 1 {
  return summary.failed > 0 || summary.incomplete !== undefined ? 1 : 0;
}

/** The final report, one `label  count` row per outcome. */
export function formatSummary(s: Summary): string {
  const rows: Array<[string, number]> = s.dryRun
    ? [
        ["would create", s.wouldCreate],
        ["would fix", s.wouldFix],
        ["already present", s.present],
        ["failed", s.failed],
      ]
    : [
        ["created", s.created],
        ["already present", s.present],
        ["fixed", s.fixed],
        ["failed", s.failed],
      ];
  if (s.gone > 0) rows.push(["deleted meanwhile", s.gone]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const head =
    `${s.dryRun ? "dry run (nothing written): " : ""}${s.processed} users via ${s.mode} ` +
    `(Auth0 counted ${describeCount(s.total)}); rate-limit pauses: Auth0 ${s.auth0Pauses}, Zuplo ${s.zuploPauses}`;
  const lines = [head, ...rows.map(([label, n]) => `  ${label.padEnd(width)}  ${n}`)];
  if (s.incomplete) lines.push(`incomplete: ${s.incomplete}; re-run to finish (safe to repeat)`);
  else if (s.failed > 0)
    lines.push("some users failed (see the lines above); fix the cause and re-run");
  return `${lines.join("\n")}\n`;
}
