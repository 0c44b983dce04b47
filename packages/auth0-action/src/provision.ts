import { ConflictError, type RequestOptions, type ZuploClient } from "@keysmith/client";
import { APP_METADATA_KEY } from "./auth0-types.js";
import { consumerNameFor } from "./consumer-name.js";

/** The tag that ties a consumer to its Auth0 user (tags are management-only). */
export const USER_TAG = "auth0UserId";

type CreateParams = Parameters<ZuploClient["consumers"]["create"]>[0];
type ConsumerCreateBody = CreateParams["body"];

/** The Auth0 user fields provisioning uses (a post-login `event.user` or a Management API user). */
export interface ProvisionUser {
  user_id: string;
  email?: string | null | undefined;
  email_verified?: boolean | null | undefined;
  name?: string | null | undefined;
}

export interface ProvisionOptions {
  /** Consumer-name prefix; default `auth0`. */
  prefix?: string;
  /** Aborts every request (pass `AbortSignal.timeout(ms)` for an overall budget). */
  signal?: AbortSignal;
  /** Per-request options forwarded to the client (timeout, retries). */
  requestOptions?: Omit<RequestOptions, "signal">;
}

/**
 * `created`: a new consumer with a first key; `existing`: the consumer already existed and
 * belongs to this user (a concurrent login or an earlier run made it); `conflict`: the name is
 * taken by a consumer that is not tagged for this user: do not store it.
 * `requests` counts the API calls made (client retries not included). The key is never returned.
 */
export type ProvisionResult =
  | { outcome: "created" | "existing"; consumerName: string; requests: number }
  | { outcome: "conflict"; consumerName: string; requests: number; ownerTag: string | null };

/**
 * The consumer already stored for a user, or `undefined`. Any stored value counts, including a
 * tutorial-era consumer id (`csmr_...`): the action and the backfill both leave such users alone.
 */
export function storedConsumer(
  user: { app_metadata?: Record<string, unknown> | null } | undefined,
): unknown {
  const stored = user?.app_metadata?.[APP_METADATA_KEY];
  return stored === undefined || stored === null || stored === "" ? undefined : stored;
}

const MAX_USER_ID = 512;
const MAX_DESCRIPTION = 200;

/** The create body for a user: exported so a backfill can show what it would send. */
export function consumerBodyFor(user: ProvisionUser, prefix?: string): ConsumerCreateBody {
  checkUser(user);
  const label = [user.name, user.email, user.user_id].find(
    (v): v is string => typeof v === "string" && v.trim() !== "",
  ) as string;
  const body: ConsumerCreateBody = {
    name: consumerNameFor(user.user_id, prefix),
    description: `Consumer for ${label}`.slice(0, MAX_DESCRIPTION),
    tags: { [USER_TAG]: user.user_id },
    metadata: { user_id: user.user_id },
  };
  // Only a verified address may see the key in the developer portal: an unverified email
  // can belong to anybody.
  if (user.email_verified === true && typeof user.email === "string" && user.email !== "") {
    body.managers = [{ email: user.email, sub: user.user_id }];
  }
  return body;
}

function checkUser(user: ProvisionUser): void {
  if (!user || typeof user.user_id !== "string" || user.user_id === "") {
    throw new TypeError("user.user_id: must be a non-empty string");
  }
  if (user.user_id.length > MAX_USER_ID) {
    // Keeps metadata `{user_id}` far below Zuplo's 1 KB metadata limit.
    throw new TypeError(`user.user_id: must be at most ${MAX_USER_ID} characters`);
  }
}

/**
 * Gives an Auth0 user their Zuplo consumer (with a first API key), idempotently: the name is
 * derived from `user_id`, so a second call gets 409 and confirms ownership by the
 * `auth0UserId` tag instead of creating a duplicate. Shared by the post-login action and
 * backfill tooling. Throws the client's `ZuploError`s for anything else.
 */
export async function provisionConsumer(
  client: ZuploClient,
  bucketName: string,
  user: ProvisionUser,
  options: ProvisionOptions = {},
): Promise<ProvisionResult> {
  const body = consumerBodyFor(user, options.prefix);
  const consumerName = body.name;
  const requestOptions: RequestOptions = { ...options.requestOptions };
  if (options.signal) requestOptions.signal = options.signal;

  try {
    // The response carries the new key in plain text: drop it right here.
    await client.consumers.create({ bucketName, withApiKey: true, body }, requestOptions);
    return { outcome: "created", consumerName, requests: 1 };
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }

  // 409: the name exists. Read it (no keys) and check it is this user's before adopting it.
  const existing = await client.consumers.get(
    { bucketName, consumerName, keyFormat: "none" },
    requestOptions,
  );
  const owner = existing?.tags?.[USER_TAG];
  if (owner === user.user_id) return { outcome: "existing", consumerName, requests: 2 };
  return {
    outcome: "conflict",
    consumerName,
    requests: 2,
    ownerTag: typeof owner === "string" ? owner : null,
  };
}
