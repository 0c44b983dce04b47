// The first-login provisioning call kept for the backfill and existing callers: a thin
// wrapper over the lifecycle routine (src/lifecycle), which owns every rule.
import type { LeanZuploClient } from "@keysmith/client";
import { APP_METADATA_KEY } from "./auth0-types.js";
import {
  createBodyFor,
  desiredConsumer,
  type LifecycleUser,
  USER_TAG,
} from "./lifecycle/desired.js";
import { type ExecuteOptions, executePlan } from "./lifecycle/execute.js";

export { USER_TAG };

/** The Auth0 user fields provisioning uses (a post-login `event.user` or a Management API user). */
export type ProvisionUser = LifecycleUser;

export interface ProvisionOptions extends ExecuteOptions {
  /** Consumer-name prefix; default `auth0`. */
  prefix?: string;
}

/**
 * `created`: a new consumer with a first key; `existing`: the consumer already existed and
 * belongs to this user; `conflict`: the name is taken by a consumer that is not this user's:
 * do not store it. `requests` counts the API calls made. The key is never returned.
 */
export interface ProvisionResult {
  outcome: "created" | "existing" | "conflict";
  consumerName: string;
  requests: number;
}

/**
 * The consumer already stored for a user, or `undefined`. Any stored value counts, including a
 * tutorial-era consumer id (`csmr_...`).
 */
export function storedConsumer(
  user: { app_metadata?: Record<string, unknown> | null } | undefined,
): unknown {
  const stored = user?.app_metadata?.[APP_METADATA_KEY];
  return stored === undefined || stored === null || stored === "" ? undefined : stored;
}

/** The create body for a user (see `desiredConsumer`): what a create would send. */
export function consumerBodyFor(user: ProvisionUser, prefix?: string) {
  return createBodyFor(desiredConsumer(user, prefix === undefined ? {} : { prefix }));
}

/**
 * Gives an Auth0 user their Zuplo consumer with a first API key, idempotently: the `create`
 * action of the lifecycle routine (`planConsumer` / `executePlan`). Throws the client's
 * `ZuploError`s for anything but a 409.
 */
export async function provisionConsumer(
  client: LeanZuploClient,
  bucketName: string,
  user: ProvisionUser,
  options: ProvisionOptions = {},
): Promise<ProvisionResult> {
  const desired = desiredConsumer(
    user,
    options.prefix === undefined ? {} : { prefix: options.prefix },
  );
  const done = await executePlan(
    client,
    bucketName,
    { kind: "create", userId: user.user_id, desired, reason: "provision" },
    options,
  );
  const outcome =
    done.outcome === "created" ? "created" : done.outcome === "conflict" ? "conflict" : "existing";
  return { outcome, consumerName: desired.name, requests: done.requests };
}
