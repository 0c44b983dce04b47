// Owns ending and giving back a consumer's access: suspend (every key expires now) and
// restore (a fresh key without expiry), plus writing the consumer's access state tag.
import { type LeanZuploClient, NotFoundError, type RequestOptions } from "@keysmith/client";
import { ACCESS_TAG, type Access, accessTagValue } from "../events/event-state.js";
import { USER_TAG } from "./desired.js";
import { ORG_TAG } from "./organization.js";

/** Most keys one suspension walks; a user's consumer has a handful. */
const MAX_KEYS = 1000;
export const RESTORED_KEY_DESCRIPTION = "Restored by Keysmith after the Auth0 user was unblocked";

export interface AccessRun {
  client: LeanZuploClient;
  bucketName: string;
  options: RequestOptions;
  /** API calls made (the client's own retries not counted). */
  requests: number;
}

function works(expiresOn: string | null | undefined, now: number): boolean {
  return expiresOn === null || expiresOn === undefined || Date.parse(expiresOn) > now;
}

/**
 * Suspends a consumer: every key that still works gets `expiresOn` = now, so the gateway
 * rejects it from then on. Zuplo has no "disable consumer"; expiring (not deleting) keeps the
 * keys visible, reversible by an administrator, and leaves consumer, managers and metadata in
 * place. Idempotent: already expired keys are left alone. Returns how many keys it expired.
 */
export async function suspendConsumer(run: AccessRun, consumerName: string): Promise<number> {
  const { client, bucketName, options } = run;
  const now = Date.now();
  const expiresOn = new Date(now).toISOString();
  const live: string[] = [];
  run.requests += 1;
  for await (const key of client.keys.list(
    { bucketName, consumerName, keyFormat: "none" },
    options,
  )) {
    if (works(key.expiresOn, now)) live.push(key.id);
    if (live.length >= MAX_KEYS) break;
  }
  for (const keyId of live) {
    try {
      run.requests += 1;
      await client.keys.update({ bucketName, consumerName, keyId, body: { expiresOn } }, options);
    } catch (error) {
      // Deleted meanwhile: it does not work either.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return live.length;
}

/**
 * Gives a suspended consumer working access again: one fresh key without expiry, which its
 * manager sees in the developer portal. The old keys stay expired (they may be why the user
 * was blocked). Creates nothing when a working key exists already (a repeat or a concurrent
 * run). The answer's plain-text key is dropped here. Returns whether a key was created.
 */
export async function restoreConsumer(run: AccessRun, consumerName: string): Promise<boolean> {
  const { client, bucketName, options } = run;
  const now = Date.now();
  run.requests += 1;
  for await (const key of client.keys.list(
    { bucketName, consumerName, keyFormat: "none" },
    options,
  )) {
    if (works(key.expiresOn, now)) return false;
  }
  run.requests += 1;
  await client.keys.create(
    { bucketName, consumerName, body: { description: RESTORED_KEY_DESCRIPTION } },
    options,
  );
  return true;
}

/** The tags a state write is guarded by: the owner's, and the state it was decided on. */
const GUARDED = [USER_TAG, ORG_TAG, ACCESS_TAG];

/**
 * Records the access state of the newest event applied (all other tags kept). Guarded by the
 * owner and state tags the decision was made on: when the consumer changed hands, or a
 * concurrent newer event wrote its state meanwhile, the write answers 404 (NotFoundError)
 * and that newer state stands.
 */
export async function recordAccess(
  run: AccessRun,
  consumer: { name: string; tags?: Record<string, string> | null | undefined },
  access: Access,
  time: number,
): Promise<void> {
  const { client, bucketName, options } = run;
  const tags: Record<string, string> = {};
  for (const name of GUARDED) {
    const value = consumer.tags?.[name];
    if (value) tags[name] = value;
  }
  run.requests += 1;
  await client.consumers.update(
    {
      bucketName,
      consumerName: consumer.name,
      tags,
      body: { tags: { ...consumer.tags, [ACCESS_TAG]: accessTagValue(access, time) } },
    },
    options,
  );
}
