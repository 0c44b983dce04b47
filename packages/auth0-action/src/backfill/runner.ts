import type { ZuploClient } from "@keysmith/client";
import { errorLine } from "../error-line.js";
import type { ManagementApi } from "./management-api.js";
import { type Outcome, processUser } from "./process-user.js";
import { type Gates, retryRateLimited } from "./rate-limit.js";
import { emptySummary, type Summary, tally } from "./summary.js";
import type { ExportOptions } from "./users-export.js";
import { openUsersSource, type SourceChoice } from "./users-source.js";

export interface BackfillOptions {
  api: ManagementApi;
  zuplo: ZuploClient;
  bucketName: string;
  prefix: string;
  gates: Gates;
  dryRun?: boolean;
  /** Users in flight at once, default 4. */
  concurrency?: number;
  /** Tries per user (and per listing call) when rate limited, default 8. */
  maxAttempts?: number;
  source?: SourceChoice;
  exportOptions?: Omit<ExportOptions, "onNote">;
  /** Stop taking new users (those in flight finish); the summary says incomplete. */
  signal?: AbortSignal;
  onStart?: (summary: Summary) => void;
  onOutcome?: (outcome: Outcome, summary: Summary) => void;
  onNote?: (line: string) => void;
}

/**
 * Lists the tenant's users and gives every one without `app_metadata.api_consumer` a
 * consumer, `concurrency` at a time. Returns the summary; throws only when the run could
 * not start (no token, no count). A listing failure midway ends the run as `incomplete`.
 */
export async function runBackfill(options: BackfillOptions): Promise<Summary> {
  const {
    gates,
    dryRun = false,
    concurrency = 4,
    maxAttempts = 8,
    source = "auto",
    signal,
    onNote = () => {},
  } = options;
  const call = <T>(fn: () => Promise<T>) => retryRateLimited(fn, gates, maxAttempts);
  const opened = await openUsersSource(options.api, call, source, {
    ...options.exportOptions,
    onNote,
  });
  const summary = emptySummary(opened.mode, opened.total, dryRun);
  options.onStart?.(summary);
  const context = {
    api: options.api,
    zuplo: options.zuplo,
    bucketName: options.bucketName,
    prefix: options.prefix,
    dryRun,
    gates,
    maxAttempts,
  };
  // A user can show up twice when pages shift under search: handle it once.
  const seen = new Set<string>();
  const iterator = opened.users[Symbol.asyncIterator]();

  // Workers share one iterator: an async generator queues concurrent next() calls.
  const worker = async () => {
    while (!signal?.aborted) {
      const next = await iterator.next();
      if (next.done) return;
      const user = next.value;
      if (typeof user?.user_id === "string") {
        if (seen.has(user.user_id)) continue;
        seen.add(user.user_id);
      }
      const outcome = await processUser(user, context);
      tally(summary, outcome);
      summary.auth0Pauses = gates.auth0.pauses;
      summary.zuploPauses = gates.zuplo.pauses;
      options.onOutcome?.(outcome, summary);
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.max(1, concurrency) }, worker),
  );
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) {
    summary.incomplete = `listing users failed: ${errorLine(failure.reason)}`;
  } else if (signal?.aborted) {
    summary.incomplete = "interrupted";
  }
  summary.auth0Pauses = gates.auth0.pauses;
  summary.zuploPauses = gates.zuplo.pauses;
  return summary;
}
