// The backfill loop: list users, hand each to processUser with bounded concurrency, tally.
import { setMaxListeners } from "node:events";
import type { ZuploClient } from "@keysmith/client";
import { errorLine } from "../error-line.js";
import type { ManagementApi } from "./management-api.js";
import type { Pacer } from "./pacer.js";
import { type Outcome, processUser } from "./process-user.js";
import { afterGrace, stopMessage } from "./stop.js";
import { emptySummary, type Summary, tally } from "./summary.js";
import type { ExportOptions } from "./users-export.js";
import { openUsersSource, type SourceChoice } from "./users-source.js";

/** After a stop, users in flight get this long to finish before their requests are aborted. */
export const STOP_GRACE_MS = 1000;

export interface BackfillOptions {
  api: ManagementApi;
  zuplo: ZuploClient;
  bucketName: string;
  prefix: string;
  pacers: { auth0: Pacer; zuplo: Pacer };
  dryRun?: boolean;
  /** Users in flight at once, default 4. */
  concurrency?: number;
  /** Tries per call when rate limited, default 8. */
  maxAttempts?: number;
  source?: SourceChoice;
  exportOptions?: Omit<ExportOptions, "onNote" | "signal">;
  /** Stops the listing at once and users in flight after a grace; the summary says why. */
  signal?: AbortSignal;
  onStart?: (summary: Summary) => void;
  onOutcome?: (outcome: Outcome, summary: Summary) => void;
  onNote?: (line: string) => void;
}

/**
 * Lists the tenant's users and gives every one without `app_metadata.api_consumer` a
 * consumer, `concurrency` at a time. Returns the summary; throws only when the run could
 * not start (no token, no count). A listing failure midway, or a stop, ends the run as
 * `incomplete`.
 */
export async function runBackfill(options: BackfillOptions): Promise<Summary> {
  const {
    pacers,
    dryRun = false,
    concurrency = 4,
    maxAttempts = 8,
    source = "auto",
    signal,
    onNote = () => {},
  } = options;
  const opened = await openUsersSource(options.api, source, {
    ...options.exportOptions,
    onNote,
    signal,
  });
  const summary = emptySummary(opened.mode, opened.total, dryRun);
  options.onStart?.(summary);
  const userSignal = afterGrace(signal, STOP_GRACE_MS);
  // Every request in flight listens to it: up to `concurrency` x a few at once.
  if (userSignal) setMaxListeners(0, userSignal);
  if (signal) setMaxListeners(0, signal);
  const context = {
    api: options.api,
    zuplo: options.zuplo,
    bucketName: options.bucketName,
    prefix: options.prefix,
    dryRun,
    maxAttempts,
    signal: userSignal,
  };
  // Search may show a user twice when pages shift: handle it once.
  const seen = new Set<string>();
  const iterator = opened.users[Symbol.asyncIterator]();
  const count = () => {
    summary.auth0Pauses = pacers.auth0.pauses;
    summary.zuploPauses = pacers.zuplo.pauses;
  };

  // Workers share one iterator: an async generator queues concurrent next() calls.
  const worker = async () => {
    while (!signal?.aborted) {
      const next = await iterator.next();
      if (next.done || signal?.aborted) return;
      const user = next.value;
      if (typeof user?.user_id === "string") {
        if (seen.has(user.user_id)) continue;
        seen.add(user.user_id);
      }
      const outcome = await processUser(user, context);
      tally(summary, outcome);
      count();
      options.onOutcome?.(outcome, summary);
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: Math.max(1, concurrency) }, worker),
  );
  // Ends the listing (removes an export's temporary file); a pending next() settles first.
  await iterator.return?.(undefined).catch(() => {});
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  const stopped = stopMessage(signal);
  if (stopped !== undefined) summary.incomplete = stopped;
  else if (failure) {
    summary.incomplete = `listing users failed: ${errorLine(failure.reason)}`;
  }
  count();
  return summary;
}
