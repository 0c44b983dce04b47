import { setTimeout as sleep } from "node:timers/promises";
import { NotFoundError, type ZuploClient, ZuploError } from "@keysmith/client";
import { APP_METADATA_KEY } from "../auth0-types.js";
import { consumerNameFor } from "../consumer-name.js";
import { toLine } from "../error-line.js";
import { provisionConsumer, storedConsumer, USER_TAG } from "../provision.js";
import { Auth0ApiError, type ManagementApi } from "./management-api.js";
import {
  type Gates,
  isRateLimit,
  isTransientZuplo,
  pauseForRateLimit,
  transientBackoffMs,
} from "./rate-limit.js";
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
  gates: Gates;
  /** Tries per user when rate limited (the first included). */
  maxAttempts: number;
}

const MAX_REASON = 240;
/**
 * The client's own retries are off: its 429 waits are per request, while ours pause every
 * worker (Zuplo's limit is per account), and retrying the whole user is idempotent anyway.
 */
const NO_CLIENT_RETRIES = { maxRetries: 0 };

/** A short, key-free reason for a failure: one line by the shared rule (error-line.ts). */
export function describeError(error: unknown): string {
  let text: string;
  if (error instanceof Auth0ApiError) text = error.message;
  else if (error instanceof ZuploError) text = `Zuplo ${error.message}`;
  else if (error instanceof TypeError) text = error.message;
  else text = `unexpected ${error instanceof Error ? error.name : typeof error}`;
  return toLine(text, [], MAX_REASON);
}

function userPath(userId: string): string {
  return `/api/v2/users/${encodeURIComponent(userId)}`;
}

/** The user's record as it is now (search and exports lag behind). undefined: deleted. */
async function freshUser(api: ManagementApi, userId: string): Promise<Auth0User | undefined> {
  try {
    return await api.request<Auth0User>("GET", userPath(userId), {
      query: { fields: USER_FIELDS.join(","), include_fields: true },
    });
  } catch (error) {
    if (error instanceof Auth0ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** Dry run: read-only look at the consumer the run would create or adopt. */
async function plan(user: Auth0User, ctx: UserContext): Promise<Outcome> {
  const consumerName = consumerNameFor(user.user_id, ctx.prefix);
  await ctx.gates.zuplo.wait();
  try {
    const existing = await ctx.zuplo.consumers.get(
      { bucketName: ctx.bucketName, consumerName, keyFormat: "none" },
      NO_CLIENT_RETRIES,
    );
    if (existing?.tags?.[USER_TAG] === user.user_id) {
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
    reason: `consumer ${consumerName} exists but is not tagged ${USER_TAG}=${userId}: investigate in the Zuplo portal`,
  };
}

async function attempt(user: Auth0User, ctx: UserContext, onCreated: () => void): Promise<Outcome> {
  const userId = user.user_id;
  // Decided per user from its record, never by a search filter (see users-search.ts).
  if (storedConsumer(user) !== undefined) return { kind: "present", userId };
  if (ctx.dryRun) return plan(user, ctx);

  await ctx.gates.zuplo.wait();
  // THE provisioning routine, shared with the action: deterministic name, 409 → adopt if the
  // consumer's tag says it is this user's. That is what makes a re-run safe.
  const result = await provisionConsumer(ctx.zuplo, ctx.bucketName, user, {
    prefix: ctx.prefix,
    requestOptions: NO_CLIENT_RETRIES,
  });
  if (result.outcome === "conflict") return conflict(userId, result.consumerName);
  if (result.outcome === "created") onCreated();
  else {
    // The consumer was already there: an earlier run, or the action at a login since the
    // listing (search and exports lag). Re-read the user so that a value stored meanwhile
    // is kept, not overwritten.
    const fresh = await freshUser(ctx.api, userId);
    if (!fresh) return { kind: "gone", userId };
    if (storedConsumer(fresh) !== undefined) return { kind: "present", userId };
  }
  // app_metadata is merged at the first level by Auth0: other keys stay.
  await ctx.api.request("PATCH", userPath(userId), {
    body: { app_metadata: { [APP_METADATA_KEY]: result.consumerName } },
  });
  return {
    kind: result.outcome === "created" ? "created" : "fixed",
    userId,
    consumerName: result.consumerName,
  };
}

/**
 * One user, end to end. Never throws: a failure becomes an outcome. A 429 from either API
 * pauses that API for everyone, then this user starts over; so does a transient Zuplo
 * failure after a short backoff (every step is idempotent).
 */
export async function processUser(listed: Auth0User, ctx: UserContext): Promise<Outcome> {
  const userId = typeof listed?.user_id === "string" ? listed.user_id : "";
  if (userId === "") return { kind: "failed", userId: "(none)", reason: "record without user_id" };
  // Created in an earlier attempt whose metadata write was rate limited: still "created".
  let created = false;
  for (let n = 1; ; n++) {
    try {
      const outcome = await attempt(listed, ctx, () => {
        created = true;
      });
      return created && outcome.kind === "fixed" ? { ...outcome, kind: "created" } : outcome;
    } catch (error) {
      if (n < ctx.maxAttempts && pauseForRateLimit(error, ctx.gates)) {
        await ctx.gates.auth0.wait();
        await ctx.gates.zuplo.wait();
        continue;
      }
      if (n < ctx.maxAttempts && isTransientZuplo(error)) {
        await sleep(transientBackoffMs(n, error));
        continue;
      }
      const reason =
        (created ? "consumer created, app_metadata not written (re-run fixes it): " : "") +
        (isRateLimit(error)
          ? `still rate limited after ${n} attempts: ${describeError(error)}`
          : describeError(error));
      return { kind: "failed", userId, reason };
    }
  }
}
