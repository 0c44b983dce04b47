import { NotFoundError, type RequestOptions, type ZuploClient, ZuploError } from "@keysmith/client";
import { APP_METADATA_KEY } from "../auth0-types.js";
import { toLine } from "../error-line.js";
import { desiredConsumer, ownsConsumer, userTagValue } from "../lifecycle/index.js";
import { provisionConsumer, storedConsumer, USER_TAG } from "../provision.js";
import { Auth0ApiError, type ManagementApi, userPath, writeAppMetadata } from "./management-api.js";
import { isRateLimit, retryTransient } from "./rate-limit.js";
import { type Auth0User, USER_FIELDS } from "./users.js";

/**
 * What happened to one user. `present`: already had `app_metadata.api_consumer`;
 * `created`: new consumer + metadata; `fixed`: the consumer existed (owned by this user) and
 * the missing metadata was written; `gone`: the user was deleted during the run;
 * `would-create` / `would-fix`: the dry-run forms; `failed`: see `reason` (never a key).
 */
export type Outcome =
  | { kind: "present"; userId: string }
  | { kind: "gone"; userId: string }
  | {
      kind: "created" | "fixed" | "would-create" | "would-fix";
      userId: string;
      consumerName: string;
    }
  | { kind: "failed"; userId: string; reason: string; consumerName?: string };

export interface UserContext {
  api: ManagementApi;
  zuplo: ZuploClient;
  bucketName: string;
  prefix: string;
  dryRun: boolean;
  /** Tries per call when rate limited, and per user after a transient Zuplo failure. */
  maxAttempts: number;
  /** Abandons the user's requests (Ctrl-C, after a short grace). */
  signal?: AbortSignal | undefined;
}

const MAX_REASON = 240;
/** The reason of a user or action cut short by a stop. */
export const ABANDONED = "abandoned: the run was stopped (re-run to finish)";

/**
 * Options of every Zuplo call the backfill and the sync make: the client retries a 429
 * itself (only that call: the paced fetch has already paused every worker until
 * retry-after), and the stop signal ends it. A transient failure of a create is retried by
 * the caller, for the whole user or action, because the client never repeats a POST that
 * may have happened.
 */
export function zuploOptions(ctx: {
  maxAttempts: number;
  signal?: AbortSignal | undefined;
}): RequestOptions {
  return { maxRetries: ctx.maxAttempts - 1, ...(ctx.signal ? { signal: ctx.signal } : {}) };
}

/** A short, key-free reason for a failure: one line by the shared rule (error-line.ts). */
export function describeError(error: unknown): string {
  let text: string;
  if (error instanceof Auth0ApiError) text = error.message;
  else if (error instanceof ZuploError) text = `Zuplo ${error.message}`;
  else if (error instanceof TypeError) text = error.message;
  else text = `unexpected ${error instanceof Error ? error.name : typeof error}`;
  return toLine(text, [], MAX_REASON);
}

/** The user's record as it is now (search and exports lag behind). undefined: deleted. */
async function freshUser(
  api: ManagementApi,
  userId: string,
  signal: AbortSignal | undefined,
): Promise<Auth0User | undefined> {
  try {
    return await api.request<Auth0User>("GET", userPath(userId), {
      query: { fields: USER_FIELDS.join(","), include_fields: true },
      signal,
    });
  } catch (error) {
    if (error instanceof Auth0ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** Dry run: read-only look at the consumer the run would create or adopt. */
async function plan(user: Auth0User, ctx: UserContext): Promise<Outcome> {
  const desired = desiredConsumer(user, { prefix: ctx.prefix });
  const consumerName = desired.name;
  try {
    const existing = await ctx.zuplo.consumers.get(
      { bucketName: ctx.bucketName, consumerName, keyFormat: "none" },
      zuploOptions(ctx),
    );
    // The lifecycle's ownership rule: a long id is tagged by its hash, not the raw id.
    if (ownsConsumer(existing, desired)) {
      return { kind: "would-fix", userId: user.user_id, consumerName };
    }
    return conflict(user.user_id, consumerName);
  } catch (error) {
    if (error instanceof NotFoundError)
      return { kind: "would-create", userId: user.user_id, consumerName };
    throw error;
  }
}

function conflict(userId: string, consumerName: string): Outcome {
  return {
    kind: "failed",
    userId,
    consumerName,
    reason: `consumer ${consumerName} exists but is not tagged ${USER_TAG}=${userTagValue(userId)}: investigate in the Zuplo portal`,
  };
}

async function attempt(user: Auth0User, ctx: UserContext, onCreated: () => void): Promise<Outcome> {
  const userId = user.user_id;
  // Decided per user from its record, never by a search filter (see users-search.ts).
  if (storedConsumer(user) !== undefined) return { kind: "present", userId };
  if (ctx.dryRun) return plan(user, ctx);

  // THE provisioning routine, shared with the action: deterministic name, 409 → adopt if the
  // consumer's tag says it is this user's. That is what makes a re-run safe.
  const result = await provisionConsumer(ctx.zuplo, ctx.bucketName, user, {
    prefix: ctx.prefix,
    requestOptions: { maxRetries: ctx.maxAttempts - 1 },
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  if (result.outcome === "conflict") return conflict(userId, result.consumerName);
  if (result.outcome === "created") onCreated();
  else {
    // The consumer was already there: an earlier run, or the action at a login since the
    // listing (search and exports lag). Re-read the user so that a value stored meanwhile
    // is kept, not overwritten.
    const fresh = await freshUser(ctx.api, userId, ctx.signal);
    if (!fresh) return { kind: "gone", userId };
    if (storedConsumer(fresh) !== undefined) return { kind: "present", userId };
  }
  const written = await writeAppMetadata(
    ctx.api,
    userId,
    { [APP_METADATA_KEY]: result.consumerName },
    ctx.signal,
  );
  if (written === "gone") {
    // Deleted since the listing: the consumer made for nobody goes too (the tag guard
    // makes sure it is this user's), so no live key is left behind for a re-run to miss.
    await ctx.zuplo.consumers.delete(
      {
        bucketName: ctx.bucketName,
        consumerName: result.consumerName,
        tags: { [USER_TAG]: userTagValue(userId) },
      },
      zuploOptions(ctx),
    );
    return { kind: "gone", userId };
  }
  return {
    kind: result.outcome === "created" ? "created" : "fixed",
    userId,
    consumerName: result.consumerName,
  };
}

/**
 * One user, end to end. Never throws: a failure becomes an outcome. A 429 is retried by the
 * call that got it (both APIs); a transient Zuplo failure starts this user over after a
 * short backoff (every step is idempotent), unless the run is stopping.
 */
export async function processUser(listed: Auth0User, ctx: UserContext): Promise<Outcome> {
  const userId = typeof listed?.user_id === "string" ? listed.user_id : "";
  if (userId === "") return { kind: "failed", userId: "(none)", reason: "record without user_id" };
  // Created in an earlier attempt whose metadata write was rate limited: still "created".
  let created = false;
  try {
    const outcome = await retryTransient(
      () =>
        attempt(listed, ctx, () => {
          created = true;
        }),
      ctx.maxAttempts,
      ctx.signal,
    );
    return created && outcome.kind === "fixed" ? { ...outcome, kind: "created" } : outcome;
  } catch (error) {
    const reason =
      (created ? "consumer created, app_metadata not written (re-run fixes it): " : "") +
      (ctx.signal?.aborted
        ? ABANDONED
        : isRateLimit(error)
          ? `still rate limited after ${ctx.maxAttempts} attempts: ${describeError(error)}`
          : describeError(error));
    return { kind: "failed", userId, reason };
  }
}
