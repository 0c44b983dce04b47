// Owns one keysmith-sync run: read the bucket's consumers, stream the users, plan each with
// the lifecycle routine, and (apply) carry the actions out with bounded concurrency.
import { setMaxListeners } from "node:events";
import type { ZuploClient } from "@keysmith/client";
import type { ManagementApi } from "../backfill/management-api.js";
import { afterGrace, stopMessage } from "../backfill/stop.js";
import type { ExportOptions } from "../backfill/users-export.js";
import { openUsersSource, type SourceChoice } from "../backfill/users-source.js";
import { errorLine } from "../error-line.js";
import type { PlannedAction, PlannedKind } from "../lifecycle/index.js";
import { type AccessKind, applyAccess, holdIfBlocked, planAccess } from "./access.js";
import { applyAction, pruneOrphan } from "./apply-action.js";
import { readConsumers } from "./consumer-index.js";
import { planUser } from "./plan-user.js";

/** After a stop, actions in flight get this long to finish before their requests abort. */
export const STOP_GRACE_MS = 1000;

/** An action the sync plans per user: the lifecycle's, or a suspension or restoration. */
export type SyncKind = PlannedKind | AccessKind;

/** What the sync reports per user or orphan; printed as a row or one NDJSON object. */
export interface SyncEvent {
  action: SyncKind | "orphan";
  userId: string;
  consumer?: string | undefined;
  reason: string;
  /** `planned` (plan), `done`, `failed`, `gone` (user deleted meanwhile), `kept` (orphan). */
  status: "planned" | "done" | "failed" | "gone" | "kept";
  error?: string;
}

export interface SyncTotals {
  mode: "search" | "export";
  apply: boolean;
  /** Auth0's count at the start (1,000 may mean "at least"). */
  auth0Total: number;
  users: number;
  consumers: number;
  planned: Record<SyncKind, number>;
  orphans: number;
  done: number;
  failed: number;
  gone: number;
  incomplete?: string;
}

export interface SyncOptions {
  api: ManagementApi;
  zuplo: ZuploClient;
  bucketName: string;
  prefix: string;
  apply: boolean;
  /** Delete orphans (apply only). */
  prune?: boolean;
  /** Actions in flight at once (apply), default 32. */
  concurrency?: number;
  maxAttempts?: number;
  source?: SourceChoice;
  exportOptions?: Omit<ExportOptions, "onNote" | "signal">;
  signal?: AbortSignal;
  onStart?: (totals: SyncTotals) => void;
  onEvent?: (event: SyncEvent, totals: SyncTotals) => void;
  /** After each user (progress). */
  onProgress?: (totals: SyncTotals) => void;
  onNote?: (line: string) => void;
}

export const PLANNED_KINDS: readonly SyncKind[] = [
  "create",
  "link",
  "add-manager",
  "replace-manager",
  "suspend",
  "restore",
  "conflict",
  "nothing",
];

function eventFor(action: PlannedAction): SyncEvent {
  const consumer =
    action.kind === "create"
      ? action.desired.name
      : "consumerName" in action
        ? action.consumerName
        : undefined;
  return {
    action: action.kind,
    userId: action.userId,
    consumer,
    reason: action.reason,
    status: "planned",
  };
}

/** Changes a plan found: anything but `nothing`, orphans included. */
export function changesIn(totals: SyncTotals): number {
  return (
    totals.orphans +
    PLANNED_KINDS.filter((k) => k !== "nothing").reduce((n, k) => n + totals.planned[k], 0)
  );
}

/** Plans (and with `apply`, carries out) what brings Auth0 users and Zuplo consumers in step. */
export async function runSync(options: SyncOptions): Promise<SyncTotals> {
  const { signal, onNote = () => {}, maxAttempts = 8, concurrency = 32 } = options;
  if (signal) setMaxListeners(0, signal);
  const actionSignal = afterGrace(signal, STOP_GRACE_MS);
  if (actionSignal) setMaxListeners(0, actionSignal);
  const ctx = {
    api: options.api,
    zuplo: options.zuplo,
    bucketName: options.bucketName,
    maxAttempts,
    signal: actionSignal,
  };

  // Consumers first: a consumer made after this read is a user's made at a login, never an
  // orphan; the users listing that follows sees its user.
  onNote(`reading the consumers of bucket ${options.bucketName}`);
  const index = await readConsumers(options.zuplo, options.bucketName, {
    maxRetries: maxAttempts - 1,
    ...(signal ? { signal } : {}),
  });
  // Access states the sync records are as of the listing's start: any later event wins.
  const since = Date.now();
  const source = await openUsersSource(options.api, options.source ?? "auto", {
    ...options.exportOptions,
    onNote,
    signal,
  });
  const totals: SyncTotals = {
    mode: source.mode,
    apply: options.apply,
    auth0Total: source.total,
    users: 0,
    consumers: index.count,
    planned: Object.fromEntries(PLANNED_KINDS.map((k) => [k, 0])) as Record<SyncKind, number>,
    orphans: 0,
    done: 0,
    failed: 0,
    gone: 0,
  };
  options.onStart?.(totals);
  const report = (event: SyncEvent) => {
    if (event.status === "done") totals.done += 1;
    if (event.status === "failed") totals.failed += 1;
    if (event.status === "gone") totals.gone += 1;
    options.onEvent?.(event, totals);
  };

  // Search pages can shift and show a user twice (search holds at most 1,000 users); an
  // export is one snapshot with each user once, so a 1M-user export keeps no id per user.
  const seen = source.mode === "search" ? new Set<string>() : undefined;
  const iterator = source.users[Symbol.asyncIterator]();
  const worker = async () => {
    while (!signal?.aborted) {
      const next = await iterator.next();
      if (next.done || signal?.aborted) return;
      const user = next.value;
      if (typeof user?.user_id !== "string" || user.user_id === "" || seen?.has(user.user_id)) {
        continue;
      }
      seen?.add(user.user_id);
      totals.users += 1;
      // Suspend or restore first (before planUser claims the consumers), then the rest.
      const access = planAccess(user, index, since);
      const action = holdIfBlocked(user, planUser(user, index, options.prefix));
      for (const step of access) {
        totals.planned[step.kind] += 1;
        const event: SyncEvent = {
          action: step.kind,
          userId: step.userId,
          consumer: step.consumerName,
          reason: step.reason,
          status: "planned",
        };
        if (!options.apply) report(event);
        else {
          const result = await applyAccess(step, ctx, since);
          report(
            result.status === "failed"
              ? { ...event, status: "failed", error: result.reason }
              : { ...event, status: result.status },
          );
        }
      }
      if (action.kind !== "nothing" || access.length === 0) totals.planned[action.kind] += 1;
      const event = eventFor(action);
      if (action.kind === "nothing") {
        options.onProgress?.(totals);
        continue;
      }
      if (!options.apply || action.kind === "conflict") {
        report(
          action.kind === "conflict" && options.apply
            ? { ...event, status: "failed", error: action.reason }
            : event,
        );
      } else {
        const result = await applyAction(action, ctx);
        report(
          result.status === "failed"
            ? { ...event, status: "failed", error: result.reason }
            : { ...event, status: result.status },
        );
      }
      options.onProgress?.(totals);
    }
  };
  // Plan is pure: one worker keeps the order; apply runs `concurrency` users at once.
  const workers = options.apply ? Math.max(1, concurrency) : 1;
  const results = await Promise.allSettled(Array.from({ length: workers }, worker));
  await iterator.return?.(undefined).catch(() => {});
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  const stopped = stopMessage(signal);
  if (stopped !== undefined) totals.incomplete = stopped;
  else if (failure) {
    totals.incomplete = `listing users failed: ${errorLine(failure.reason)}`;
  }
  // Orphans only from a complete listing: an incomplete one would call live users' consumers orphans.
  if (totals.incomplete === undefined) {
    for (const [consumer, owner] of index.orphans()) {
      if (signal?.aborted) break;
      totals.orphans += 1;
      const event: SyncEvent = {
        action: "orphan",
        userId: owner,
        consumer,
        reason: "tagged with an Auth0 user id that no longer exists",
        status: "planned",
      };
      if (!(options.apply && options.prune)) {
        report(event);
        continue;
      }
      const result = await pruneOrphan(consumer, owner, ctx);
      report(
        result.status === "failed"
          ? { ...event, status: "failed", error: result.reason }
          : { ...event, status: result.status },
      );
    }
  }
  return totals;
}
