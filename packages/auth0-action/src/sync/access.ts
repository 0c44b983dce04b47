// Owns the sync's safety net for missed block/unblock events: which of a user's consumers to
// suspend or restore, and doing it with the lifecycle's own suspend/restore routine.
import { NotFoundError } from "@keysmith/client";
import { ABANDONED, describeError } from "../backfill/process-user.js";
import { retryTransient } from "../backfill/rate-limit.js";
import type { Auth0User } from "../backfill/users.js";
import { ACCESS_TAG, accessChange, isStale, readAccessState } from "../events/event-state.js";
import { recordAccess, restoreConsumer, suspendConsumer } from "../lifecycle/access.js";
import { type PlannedAction, USER_TAG, userTagValue } from "../lifecycle/index.js";
import { type ApplyContext, type ApplyResult, accessRun } from "./apply-action.js";
import type { ConsumerIndex } from "./consumer-index.js";

export type AccessKind = "suspend" | "restore";

export interface AccessAction {
  kind: AccessKind;
  userId: string;
  consumerName: string;
  /** The `auth0UserId` tag value the consumer must still carry. */
  ownerTag: string;
  reason: string;
}

const REASON: Record<AccessKind, string> = {
  suspend: "blocked in Auth0: every key expires now",
  restore: "no longer blocked: a fresh key",
};

/**
 * The suspensions and restorations that bring a listed user's consumers in line with
 * `blocked` (call before `planUser`, which claims the consumers). `since` is when the users
 * listing began: a consumer whose access tag is as new or newer was set by an event after
 * that, which wins. No request.
 */
export function planAccess(user: Auth0User, index: ConsumerIndex, since: number): AccessAction[] {
  const ownerTag = userTagValue(user.user_id);
  const out: AccessAction[] = [];
  for (const { name, access } of index.owned(ownerTag)) {
    const recorded = readAccessState({ [ACCESS_TAG]: access ?? "" });
    const kind = isStale(since, recorded)
      ? undefined
      : accessChange(user.blocked === true, recorded);
    if (kind) {
      out.push({ kind, userId: user.user_id, consumerName: name, ownerTag, reason: REASON[kind] });
    }
  }
  return out;
}

/** A blocked user gets no new consumer (and so no working key) until unblocked. */
export function holdIfBlocked(user: Auth0User, action: PlannedAction): PlannedAction {
  if (user.blocked !== true || action.kind !== "create") return action;
  return { kind: "nothing", userId: action.userId, reason: "blocked: no consumer until unblocked" };
}

async function once(action: AccessAction, ctx: ApplyContext, since: number): Promise<ApplyResult> {
  const run = accessRun(ctx);
  const { options } = run;
  // Read again: the listing is minutes old, and an event may have acted since.
  const consumer = await ctx.zuplo.consumers.get(
    { bucketName: ctx.bucketName, consumerName: action.consumerName, keyFormat: "none" },
    options,
  );
  if (consumer.tags?.[USER_TAG] !== action.ownerTag) return { status: "gone" };
  const recorded = readAccessState(consumer.tags);
  if (isStale(since, recorded) || accessChange(action.kind === "suspend", recorded) === undefined) {
    return { status: "done", consumerName: consumer.name };
  }
  if (action.kind === "suspend") await suspendConsumer(run, consumer.name);
  else await restoreConsumer(run, consumer.name);
  await recordAccess(run, consumer, action.kind === "suspend" ? "suspended" : "active", since);
  return { status: "done", consumerName: consumer.name };
}

/**
 * Suspends or restores one consumer and records the state as of `since` (so any later event
 * still wins). Idempotent; a transient Zuplo failure repeats it. Never throws.
 */
export async function applyAccess(
  action: AccessAction,
  ctx: ApplyContext,
  since: number,
): Promise<ApplyResult> {
  try {
    return await retryTransient(() => once(action, ctx, since), ctx.maxAttempts, ctx.signal);
  } catch (error) {
    if (error instanceof NotFoundError) return { status: "gone" };
    return { status: "failed", reason: ctx.signal?.aborted ? ABANDONED : describeError(error) };
  }
}
