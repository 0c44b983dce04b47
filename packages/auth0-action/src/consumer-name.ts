import { createHash } from "node:crypto";

/** Zuplo's consumer-name rule. */
export const CONSUMER_NAME_PATTERN = /^[a-z0-9-]{1,128}$/;
/** A prefix: lowercase letters, digits and inner hyphens, at most 32 characters. */
export const CONSUMER_PREFIX_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

const SLUG_MAX = 48;
const HASH_HEX_CHARS = 16;

/**
 * The consumer name for an Auth0 user: `<prefix>-<readable slug>-<16 hex of sha256(user_id)>`.
 * Deterministic, so concurrent first logins and retries after a lost metadata write all
 * converge on one consumer (the second create gets 409). The slug is for humans; the hash
 * keeps ids that slug alike (`auth0|Ab` and `auth0|ab`) apart.
 */
export function consumerNameFor(userId: string, prefix = "auth0"): string {
  if (typeof userId !== "string" || userId.length === 0) {
    throw new TypeError("user_id: must be a non-empty string");
  }
  if (!CONSUMER_PREFIX_PATTERN.test(prefix)) {
    throw new TypeError(
      `prefix: must match ${CONSUMER_PREFIX_PATTERN.source} (lowercase letters, digits, inner hyphens, 1-32 chars)`,
    );
  }
  const hash = createHash("sha256").update(userId, "utf8").digest("hex").slice(0, HASH_HEX_CHARS);
  const slug = userId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, "");
  return slug ? `${prefix}-${slug}-${hash}` : `${prefix}-${hash}`;
}
