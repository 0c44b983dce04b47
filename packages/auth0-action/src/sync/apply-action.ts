// Owns carrying out one planned action for the sync: the lifecycle executor, then the record
// in app_metadata; a user deleted meanwhile keeps no consumer.
import type { ZuploClient } from "@keysmith/client";
import {
  Auth0ApiError,
  type ManagementApi,
  userPath,
  writeAppMetadata,
} from "../backfill/management-api.js";
import { ABANDONED, describeError, zuploOptions } from "../backfill/process-user.js";
import { retryTransient } from "../backfill/rate-limit.js";
import type { PrimaryUser } from "../events/apply-event.js";
import type { Auth0Reader } from "../events/auth0-reader.js";
import { linkLookupOn } from "../events/link-lookup.js";
import type { AccessRun } from "../lifecycle/access.js";
import {
  executePlan,
  type PlannedAction,
  type RecordUpdate,
  USER_TAG,
  userTagValue,
} from "../lifecycle/index.js";
import { moveToPrimary } from "../lifecycle/remove.js";
import { applyAccess } from "./access.js";

export interface ApplyContext {
  api: ManagementApi;
  zuplo: ZuploClient;
  bucketName: string;
  /** Tries per call when rate limited, and per action after a transient Zuplo failure. */
  maxAttempts: number;
  signal?: AbortSignal | undefined;
}

/** The lifecycle's suspend/restore/move run on the sync's context. */
export function accessRun(ctx: ApplyContext): AccessRun {
  return { client: ctx.zuplo, bucketName: ctx.bucketName, options: zuploOptions(ctx), requests: 0 };
}

export type ApplyResult =
  | { status: "done"; consumerName?: string | undefined }
  | { status: "gone" }
  | { status: "failed"; reason: string };

/**
 * The app_metadata write for the executor's `update`; the default writes it as is (user
 * scope). The organization scope passes the member's `api_org_consumers` entry instead; the
 * consumer is then the organization's, so a member deleted meanwhile leaves it in place.
 */
export type RecordWrite = (update: RecordUpdate) => Record<string, unknown>;

async function once(
  action: PlannedAction,
  ctx: ApplyContext,
  write: RecordWrite | undefined,
): Promise<ApplyResult> {
  const signalOption = ctx.signal ? { signal: ctx.signal } : {};
  // The client retries a 429 itself (that call only); the paced fetch paused everyone.
  const result = await executePlan(ctx.zuplo, ctx.bucketName, action, {
    ...signalOption,
    requestOptions: { maxRetries: ctx.maxAttempts - 1 },
  });
  if (result.outcome === "conflict") {
    return { status: "failed", reason: `conflict: ${result.reason ?? "not this user's consumer"}` };
  }
  const appMetadata = write ? write(result.update) : result.update;
  if (Object.keys(appMetadata).length === 0) {
    return { status: "done", consumerName: result.consumerName };
  }
  if ((await writeAppMetadata(ctx.api, action.userId, appMetadata, ctx.signal)) === "gone") {
    // Deleted since the listing: a consumer made just now for nobody goes again.
    if (!write && result.outcome === "created" && result.consumerName && action.kind === "create") {
      await ctx.zuplo.consumers.delete(
        {
          bucketName: ctx.bucketName,
          consumerName: result.consumerName,
          tags: { [USER_TAG]: action.desired.owner.value },
        },
        zuploOptions(ctx),
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
export async function applyAction(
  action: PlannedAction,
  ctx: ApplyContext,
  write?: RecordWrite,
): Promise<ApplyResult> {
  try {
    return await retryTransient(() => once(action, ctx, write), ctx.maxAttempts, ctx.signal);
  } catch (error) {
    return { status: "failed", reason: ctx.signal?.aborted ? ABANDONED : describeError(error) };
  }
}

/** Who an orphan's owner tag names, and how to ask Auth0 whether they still exist. */
export interface OrphanOwner {
  /** What the tag names: rows show a user's id as `userId`, an organization's as `orgId`. */
  noun: "user" | "organization";
  tag: string;
  exists: (ownerTag: string, ctx: ApplyContext) => Promise<boolean>;
  /**
   * The user a gone owner's account was linked into (account linking deletes the secondary
   * user), found by the emails the consumer's managers have; null when none.
   */
  linkedInto?: (
    ownerTag: string,
    emails: readonly string[],
    ctx: ApplyContext,
  ) => Promise<PrimaryUser | null>;
}

/**
 * The event handling's Auth0 lookups (members, linked accounts) read Auth0 through this: the
 * sync's paced Management API client (a 429 waits and repeats that call), a 404 as `null`.
 */
export function pacedReader(api: ManagementApi, signal?: AbortSignal): Auth0Reader {
  return {
    async get(path, query) {
      try {
        return await api.request("GET", `/api/v2/${path}`, { query, signal });
      } catch (error) {
        if (error instanceof Auth0ApiError && error.status === 404) return null;
        throw error;
      }
    },
  };
}

/** The user scope's owners: users, looked up one by one. */
export const USER_OWNER: OrphanOwner = {
  noun: "user",
  tag: USER_TAG,
  async linkedInto(userId, emails, ctx) {
    const findPrimary = linkLookupOn(pacedReader(ctx.api, ctx.signal));
    for (const email of new Set(emails)) {
      const primary = await findPrimary({ user_id: userId, email, identityIds: [] });
      if (primary) return primary;
    }
    return null;
  },
  async exists(userId, ctx) {
    try {
      await ctx.api.request("GET", userPath(userId), {
        query: { fields: "user_id", include_fields: true },
        signal: ctx.signal,
      });
      return true;
    } catch (error) {
      if (error instanceof Auth0ApiError && error.status === 404) return false;
      throw error;
    }
  },
};

/**
 * Deletes an orphan (only with --prune): first asks Auth0 whether the owner is really gone
 * (search lags, and a user may have signed up since the listing) and, for a user, whether
 * the account was linked into another user (then the consumer moves to that primary, as the
 * events do: the person keeps their key); then deletes the consumer with the owner tag as a
 * guard. A hashed tag (`sha256:`, an id over 256 bytes) cannot be looked up: the listing
 * alone decides.
 */
export async function pruneOrphan(
  consumerName: string,
  ownerTag: string,
  ctx: ApplyContext,
  owner: OrphanOwner = USER_OWNER,
  managerEmails: readonly string[] = [],
  since = Date.now(),
): Promise<ApplyResult | { status: "kept" } | { status: "moved"; to: string }> {
  const options = zuploOptions(ctx);
  try {
    const hashed = ownerTag.startsWith("sha256:");
    if (!hashed && (await owner.exists(ownerTag, ctx))) return { status: "kept" };
    const primary = hashed ? null : await owner.linkedInto?.(ownerTag, managerEmails, ctx);
    if (primary) {
      // The move writes every tag: read them first so none is lost.
      const consumer = await ctx.zuplo.consumers.get(
        { bucketName: ctx.bucketName, consumerName, keyFormat: "none" },
        options,
      );
      const to = primary.userId;
      if (!(await moveToPrimary(accessRun(ctx), consumer, ownerTag, to))) return { status: "gone" };
      // The moved key follows the primary's access, as in the event handling.
      const access = await applyAccess(
        {
          kind: primary.blocked ? "suspend" : "restore",
          userId: to,
          consumerName,
          ownerTag: userTagValue(to),
          reason: "the primary's access",
        },
        ctx,
        since,
      );
      return access.status === "failed" ? access : { status: "moved", to };
    }
    await ctx.zuplo.consumers.delete(
      { bucketName: ctx.bucketName, consumerName, tags: { [owner.tag]: ownerTag } },
      options,
    );
    return { status: "done", consumerName };
  } catch (error) {
    return { status: "failed", reason: describeError(error) };
  }
}
