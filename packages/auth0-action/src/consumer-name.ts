// Owns the consumer-name derivation: the one place an Auth0 user id or organization id
// becomes a Zuplo name.
import { createHash } from "node:crypto";
import { rules } from "@keysmith/client";

/** Zuplo's consumer-name rule for creation (the spec's `ConsumerName` pattern, generated). */
export const CONSUMER_NAME_PATTERN = new RegExp(rules.patterns.ConsumerName);
/** A prefix: lowercase letters, digits and inner hyphens, at most 32 characters. */
export const CONSUMER_PREFIX_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/** Short, readable labels for the identity providers whose names read badly in a slug. */
const PROVIDER_LABELS: Readonly<Record<string, string>> = {
  auth0: "db", // database connections: avoids `auth0-auth0-...`
  "google-oauth2": "google",
};
const PROVIDER_MAX = 16;
const SLUG_MAX = 48;
const HASH_HEX_CHARS = 12;

/** Hex SHA-256 of a text's UTF-8 bytes. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function slugify(text: string, max: number): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, max)
    .replace(/-+$/, "");
}

/**
 * The consumer name for an Auth0 user: `<prefix>-<provider>-<slug>-<12 hex of sha256(user_id)>`,
 * e.g. `auth0-db-65f1c2d3e4f5a6b7c8d9e0f1-3f2a9c1b7d4e` for `auth0|65f1...` (a database user)
 * or `auth0-google-1029384756-...` for `google-oauth2|1029384756`. At most 111 characters.
 * Deterministic, so concurrent first logins and retries after a lost metadata write converge
 * on one consumer (the second create gets 409). Provider and slug are for humans; the hash
 * keeps ids that slug alike (`auth0|Ab`, `auth0|ab`) apart.
 */
export function consumerNameFor(userId: string, prefix = "auth0"): string {
  checkNameInput("user_id", userId, prefix);
  const hash = sha256Hex(userId).slice(0, HASH_HEX_CHARS);
  const bar = userId.indexOf("|");
  const provider = bar > 0 ? userId.slice(0, bar) : "";
  const rest = bar > 0 ? userId.slice(bar + 1) : userId;
  const label = slugify(PROVIDER_LABELS[provider.toLowerCase()] ?? provider, PROVIDER_MAX);
  return [prefix, label, slugify(rest, SLUG_MAX), hash].filter((part) => part !== "").join("-");
}

function checkNameInput(field: string, id: string, prefix: string): void {
  if (typeof id !== "string" || id.length === 0) {
    throw new TypeError(`${field}: must be a non-empty string`);
  }
  if (!CONSUMER_PREFIX_PATTERN.test(prefix)) {
    throw new TypeError(
      `prefix: must match ${CONSUMER_PREFIX_PATTERN.source} (lowercase letters, digits, inner hyphens, 1-32 chars)`,
    );
  }
}

/**
 * The consumer name for an Auth0 Organization: `<prefix>-org-<slug>-<12 hex of sha256(id)>`,
 * e.g. `auth0-org-9ybsu1dn2dkfdkbi-5d41402abc4b` for `org_9ybsU1dN2dKfDkBi`. At most 103
 * characters. Deterministic in the id (never the renamable name), so every member's first
 * login, the sync and the events address one consumer. Cannot equal a user's name: the hash
 * covers the whole id, and a user id always carries a `provider|` part.
 */
export function orgConsumerNameFor(orgId: string, prefix = "auth0"): string {
  checkNameInput("organization.id", orgId, prefix);
  const hash = sha256Hex(orgId).slice(0, HASH_HEX_CHARS);
  return [prefix, "org", slugify(orgId.replace(/^org_/, ""), SLUG_MAX), hash]
    .filter((part) => part !== "")
    .join("-");
}
