// Owns telling an account-linking deletion from a real one: asks Auth0 (fetch only) whether
// another user now carries the deleted user's identity.
import type { FindPrimary, PrimaryUser } from "./apply-event.js";
import { Auth0ReadError, type Auth0Reader, createAuth0Reader } from "./auth0-reader.js";
import type { EventUser } from "./cloud-event.js";

export interface LinkLookupOptions {
  /** Tenant domain, e.g. `acme.eu.auth0.com`. */
  domain: string;
  /**
   * A machine-to-machine application with the `read:users` scope (organization scope also
   * `read:organizations`).
   */
  clientId: string;
  clientSecret: string;
  /** Default `https://<domain>`; tests point it at a stand-in. */
  origin?: string;
  fetch?: typeof fetch;
}

/** Reads `AUTH0_DOMAIN`, `AUTH0_CLIENT_ID`, `AUTH0_CLIENT_SECRET`: all three, or none (off). */
export function linkLookupSettings(
  settings: Readonly<Record<string, string | undefined>>,
): LinkLookupOptions | undefined {
  const domain = settings.AUTH0_DOMAIN?.trim();
  const clientId = settings.AUTH0_CLIENT_ID?.trim();
  const clientSecret = settings.AUTH0_CLIENT_SECRET?.trim();
  if (!domain && !clientId && !clientSecret) return undefined;
  if (!domain || !clientId || !clientSecret) {
    throw new TypeError(
      "AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET: set all three or none",
    );
  }
  const origin = settings.KEYSMITH_AUTH0_ORIGIN?.trim();
  return {
    domain: domain.replace(/^https?:\/\//, "").replace(/\/+$/, ""),
    clientId,
    clientSecret,
    ...(origin ? { origin } : {}),
  };
}

/**
 * A `FindPrimary` on the Management API: `GET /api/v2/users-by-email` (immediately
 * consistent, the endpoint Auth0 recommends for account linking) for the deleted user's
 * email, then the user whose `identities` include the deleted `user_id` (and its `blocked`,
 * which the moved consumer follows). A deleted user without an email was not linked by
 * email and answers null. Failures throw: the event is retried rather than a linked
 * person's key deleted.
 */
export function createLinkLookup(
  options: LinkLookupOptions,
  reader: Auth0Reader = createAuth0Reader(options),
): FindPrimary {
  return linkLookupOn(reader);
}

/** The same lookup on any reader (the sync passes its Management API client). */
export function linkLookupOn(
  reader: Auth0Reader,
): (deleted: EventUser) => Promise<PrimaryUser | null> {
  return async function findPrimary(deleted: EventUser): Promise<PrimaryUser | null> {
    if (!deleted.email) return null;
    const users = await reader.get(
      "users-by-email",
      { email: deleted.email, fields: "user_id,identities,blocked" },
      "users-by-email",
    );
    if (!Array.isArray(users)) throw new Auth0ReadError("users-by-email sent no list");
    for (const user of users as Array<{
      user_id?: unknown;
      identities?: unknown;
      blocked?: unknown;
    }>) {
      if (typeof user?.user_id !== "string" || user.user_id === deleted.user_id) continue;
      const identities = Array.isArray(user.identities) ? user.identities : [];
      if (identities.some((i) => `${i?.provider}|${i?.user_id}` === deleted.user_id))
        // Auth0 leaves `blocked` out for a user never blocked.
        return { userId: user.user_id, blocked: user.blocked === true };
    }
    return null;
  };
}
