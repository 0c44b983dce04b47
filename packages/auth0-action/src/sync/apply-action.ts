// Owns carrying out one planned action for the sync: the lifecycle executor, then the record
// in app_metadata; a user deleted meanwhile keeps no consumer.
import type { ZuploClient } from "@keysmith/client";
import { Auth0ApiError, type ManagementApi } from "../backfill/management-api.js";
import { ABANDONED, describeError } from "../backfill/process-user.js";
import { retryTransient } from "../backfill/rate-limit.js";
import { executePlan, type PlannedAction, USER_TAG } from "../lifecycle/index.js";

export interface ApplyContext {
  api: ManagementApi;
  zuplo: ZuploClient;
  bucketName: string;
  /** Tries per call when rate limited, and per action after a transient Zuplo failure. */
  maxAttempts: number;
  signal?: AbortSignal | undefined;
}

export type ApplyResult =
  | { status: "done"; consumerName?: string | undefined }
  | { status: "gone" }
  | { status: "failed"; reason: string };

export function userPath(userId: string): string {
  return `/api/v2/users/${encodeURIComponent(userId)}`;
}

async function once(action: PlannedAction, ctx: ApplyContext): Promise<ApplyResult> {
  const signalOption = ctx.signal ? { signal: ctx.signal } : {};
  // The client retries a 429 itself (that call only); the paced fetch paused everyone.
  const result = await executePlan(ctx.zuplo, ctx.bucketName, action, {
    ...signalOption,
    requestOptions: { maxRetries: ctx.maxAttempts - 1 },
  });
  if (result.outcome === "conflict") {
    return { status: "failed", reason: `conflict: ${result.reason ?? "not this user's consumer"}` };
  }
  if (Object.keys(result.update).length === 0) {
    return { status: "done", consumerName: result.consumerName };
  }
  try {
    // Auth0 merges app_metadata at the first level: other keys stay; null removes a key.
    await ctx.api.request("PATCH", userPath(action.userId), {
      body: { app_metadata: result.update },
      signal: ctx.signal,
    });
  } catch (error) {
    if (!(error instanceof Auth0ApiError && error.status === 404)) throw error;
    // Deleted since the listing: a consumer made just now for nobody goes again.
    if (result.outcome === "created" && result.consumerName && action.kind === "create") {
      await ctx.zuplo.consumers.delete(
        {
          bucketName: ctx.bucketName,
          consumerName: result.consumerName,
          tags: { [USER_TAG]: action.desired.owner.value },
        },
        { maxRetries: ctx.maxAttempts - 1, ...signalOption },
      );
    }
    return { status: "gone" };
  }
  return { status: "done", consumerName: result.consumerName };
}

/**
 * Applies one action. Never throws: a failure becomes `failed` with a key-free reason. A
 * transient Zuplo failure repeats the action after a backoff (the executor is idempotent),
 * unless the run is stopping.
 */
export async function applyAction(action: PlannedAction, ctx: ApplyContext): Promise<ApplyResult> {
  try {
    return await retryTransient(() => once(action, ctx), ctx.maxAttempts, ctx.signal);
  } catch (error) {
    return { status: "failed", reason: ctx.signal?.aborted ? ABANDONED : describeError(error) };
  }
}

/**
 * Deletes an orphan (only with --prune): first asks Auth0 whether the user is really gone
 * (search lags, and a user may have signed up since the listing), then deletes the consumer
 * with the owner tag as a guard.
 */
export async function pruneOrphan(
  consumerName: string,
  ownerTag: string,
  ctx: ApplyContext,
): Promise<ApplyResult | { status: "kept" }> {
  try {
    if (!ownerTag.startsWith("sha256:")) {
      try {
        await ctx.api.request("GET", userPath(ownerTag), {
          query: { fields: "user_id", include_fields: true },
          signal: ctx.signal,
        });
        return { status: "kept" };
      } catch (error) {
        if (!(error instanceof Auth0ApiError && error.status === 404)) throw error;
      }
    }
    await ctx.zuplo.consumers.delete(
      { bucketName: ctx.bucketName, consumerName, tags: { [USER_TAG]: ownerTag } },
      { maxRetries: ctx.maxAttempts - 1, ...(ctx.signal ? { signal: ctx.signal } : {}) },
    );
    return { status: "done", consumerName };
  } catch (error) {
    return { status: "failed", reason: describeError(error) };
  }
}
