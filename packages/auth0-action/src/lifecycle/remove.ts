// Owns the end of a consumer: deleting a deleted user's consumer, and handing a linked
// (secondary) account's consumer to the primary user instead.
import { NotFoundError } from "@keysmith/client";
import type { AccessRun } from "./access.js";
import { USER_TAG, userTagValue } from "./desired.js";

/** The tag naming the account a consumer came from when Keysmith moved it to a primary user. */
export const LINKED_FROM_TAG = "auth0LinkedFrom";

/**
 * Deletes a user's consumer with all its keys, guarded by the owner tag: a consumer that is
 * gone, or no longer this user's (moved to a primary meanwhile), answers 404, which is
 * success. Returns whether it deleted something.
 */
export async function deleteConsumer(
  run: AccessRun,
  consumerName: string,
  ownerUserId: string,
): Promise<boolean> {
  try {
    run.requests += 1;
    await run.client.consumers.delete(
      { bucketName: run.bucketName, consumerName, tags: { [USER_TAG]: userTagValue(ownerUserId) } },
      run.options,
    );
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

/** A consumer's tags once moved to the primary: its owner, and the account it came from. */
export function movedTags(
  tags: Record<string, string> | null | undefined,
  secondaryUserId: string,
  primaryUserId: string,
): Record<string, string> {
  return {
    ...tags,
    [USER_TAG]: userTagValue(primaryUserId),
    [LINKED_FROM_TAG]: userTagValue(secondaryUserId),
  };
}

/**
 * Moves a linked account's consumer to its primary user: the owner tag becomes the primary's
 * (so the primary's deletion, blocking and the sync find it) and `auth0LinkedFrom` keeps the
 * old owner. Keys, name and managers stay: the person keeps using the same key. The update is
 * guarded by the old owner tag, so a consumer that changed hands meanwhile is left alone.
 * Returns false when the consumer is gone or no longer the secondary's.
 */
export async function moveToPrimary(
  run: AccessRun,
  consumer: { name: string; tags?: Record<string, string> | null | undefined },
  secondaryUserId: string,
  primaryUserId: string,
): Promise<boolean> {
  try {
    run.requests += 1;
    await run.client.consumers.update(
      {
        bucketName: run.bucketName,
        consumerName: consumer.name,
        tags: { [USER_TAG]: userTagValue(secondaryUserId) },
        body: { tags: movedTags(consumer.tags, secondaryUserId, primaryUserId) },
      },
      run.options,
    );
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}
