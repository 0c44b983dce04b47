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
import {
  type ApplyContext,
  applyAction,
  type OrphanOwner,
  pruneOrphan,
  USER_OWNER,
} from "./apply-action.js";
import { type ConsumerIndex, readConsumers } from "./consumer-index.js";
import { planUser } from "./plan-user.js";

/** After a stop, actions in flight get this long to finish before their requests abort. */
export const STOP_GRACE_MS = 1000;

/**
 * Every kind a plan counts: the lifecycle's, a suspension or restoration (user scope), and
 * removing a leaver (organization scope).
 */
export type SyncKind = PlannedKind | AccessKind | "remove-manager";

/** What the sync reports per user, member, organization or orphan; a row or an NDJSON object. */
export interface SyncEvent {
  action: SyncKind | "orphan";
  /** The user (user scope) or member; absent for an organization's own steps. */
  userId?: string | undefined;
  /** Organization scope: the organization. */
  orgId?: string | undefined;
  consumer?: string | undefined;
  reason: string;
  /**
   * `planned` (plan), `done`, `failed`, `gone` (user deleted meanwhile), `kept` (an orphan's
   * owner, or a leaver's membership, that Auth0 still has), `moved` (an orphan whose account
   * was linked into another user: it now belongs to that primary).
   */
  status: "planned" | "done" | "failed" | "gone" | "kept" | "moved";
  error?: string;
}

export interface SyncTotals {
  mode: "search" | "export";
  apply: boolean;
  /** Auth0's count at the start (1,000 may mean "at least"). */
  auth0Total: number;
  users: number;
  consumers: number;
  /** Each kind the scope plans, in the order the plan lists them. */
  planned: Partial<Record<SyncKind, number>>;
  /** Organization scope: organizations listed, done (planned or applied), memberships read. */
  scope?: "organization";
  organizations?: number;
  organizationsDone?: number;
  memberships?: number;
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
  return Object.entries(totals.planned).reduce(
    (n, [kind, count]) => (kind === "nothing" ? n : n + (count ?? 0)),
    totals.orphans,
  );
}

/** Counts an event's outcome in the totals, then hands it to `onEvent`. */
export function reporter(totals: SyncTotals, options: SyncOptions) {
  return (event: SyncEvent) => {
    // A moved orphan is a change carried out, like a deletion.
    if (event.status === "done" || event.status === "moved") totals.done += 1;
    if (event.status === "failed") totals.failed += 1;
    if (event.status === "gone") totals.gone += 1;
    options.onEvent?.(event, totals);
  };
}

/** What both scopes carry actions out with: the stop signal given a grace period. */
export function applyContext(options: SyncOptions): ApplyContext {
  if (options.signal) setMaxListeners(0, options.signal);
  const actionSignal = afterGrace(options.signal, STOP_GRACE_MS);
  if (actionSignal) setMaxListeners(0, actionSignal);
  return {
    api: options.api,
    zuplo: options.zuplo,
    bucketName: options.bucketName,
    maxAttempts: options.maxAttempts ?? 8,
    signal: actionSignal,
  };
}

/**
 * Reports the consumers nobody claimed and, with apply --prune, deletes each one whose owner
 * Auth0 confirms is gone. Only after a complete listing: an incomplete one would call live
 * owners' consumers orphans.
 */
export async function settleOrphans(
  index: ConsumerIndex,
  totals: SyncTotals,
  options: SyncOptions,
  ctx: ApplyContext,
  report: (event: SyncEvent) => void,
  owner: OrphanOwner = USER_OWNER,
  since = Date.now(),
): Promise<void> {
  if (totals.incomplete !== undefined) return;
  for (const [consumer, ownerTag] of index.orphans()) {
    if (options.signal?.aborted) break;
    totals.orphans += 1;
    const event: SyncEvent = {
      action: "orphan",
      ...(owner.noun === "organization" ? { orgId: ownerTag } : { userId: ownerTag }),
      consumer,
      reason: `tagged with an Auth0 ${owner.noun} id that no longer exists`,
      status: "planned",
    };
    if (!(options.apply && options.prune)) {
      report(event);
      continue;
    }
    const emails = index.managerEmails(consumer);
    const result = await pruneOrphan(consumer, ownerTag, ctx, owner, emails, since);
    report(
      result.status === "failed"
        ? { ...event, status: "failed", error: result.reason }
        : result.status === "moved"
          ? { ...event, status: "moved", reason: `account linked into ${result.to}: moved there` }
          : { ...event, status: result.status },
    );
  }
}

/** Plans (and with `apply`, carries out) what brings Auth0 users and Zuplo consumers in step. */
export async function runSync(options: SyncOptions): Promise<SyncTotals> {
  const { signal, onNote = () => {}, maxAttempts = 8, concurrency = 32 } = options;
  const ctx = applyContext(options);

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
  const report = reporter(totals, options);

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
        totals.planned[step.kind] = (totals.planned[step.kind] ?? 0) + 1;
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
      if (action.kind !== "nothing" || access.length === 0) {
        totals.planned[action.kind] = (totals.planned[action.kind] ?? 0) + 1;
      }
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
  await settleOrphans(index, totals, options, ctx, report, USER_OWNER, since);
  return totals;
}
