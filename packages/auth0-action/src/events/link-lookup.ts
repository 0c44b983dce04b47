// Owns telling an account-linking deletion from a real one: asks Auth0 (fetch only) whether
// another user now carries the deleted user's identity.
import type { FindPrimary } from "./apply-event.js";
import type { EventUser } from "./cloud-event.js";

export interface LinkLookupOptions {
  /** Tenant domain, e.g. `acme.eu.auth0.com`. */
  domain: string;
  /** A machine-to-machine application with the `read:users` scope. */
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

async function json(response: Response, what: string): Promise<unknown> {
  if (!response.ok) throw new Error(`Auth0 ${what} answered ${response.status}`);
  return response.json();
}

/**
 * A `FindPrimary` on the Management API: `GET /api/v2/users-by-email` (immediately
 * consistent, the endpoint Auth0 recommends for account linking) for the deleted user's
 * email, then the user whose `identities` include the deleted `user_id`. A deleted user
 * without an email was not linked by email and answers null. Failures throw: the event is
 * retried rather than a linked person's key deleted.
 */
export function createLinkLookup(options: LinkLookupOptions): FindPrimary {
  const origin = options.origin ?? `https://${options.domain}`;
  const doFetch = options.fetch ?? fetch;
  let token: { value: string; until: number } | undefined;

  async function accessToken(signal: AbortSignal): Promise<string> {
    if (token && token.until > Date.now()) return token.value;
    const answer = (await json(
      await doFetch(`${origin}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          grant_type: "client_credentials",
          client_id: options.clientId,
          client_secret: options.clientSecret,
          audience: `https://${options.domain}/api/v2/`,
        }),
        signal,
      }),
      "token endpoint",
    )) as { access_token?: unknown; expires_in?: unknown };
    if (typeof answer.access_token !== "string") throw new Error("Auth0 sent no access token");
    const seconds = typeof answer.expires_in === "number" ? answer.expires_in : 300;
    token = { value: answer.access_token, until: Date.now() + Math.max(0, seconds - 60) * 1000 };
    return token.value;
  }

  return async function findPrimary(deleted: EventUser): Promise<string | null> {
    if (!deleted.email) return null;
    const signal = AbortSignal.timeout(3000);
    const query = new URLSearchParams({ email: deleted.email, fields: "user_id,identities" });
    const users = await json(
      await doFetch(`${origin}/api/v2/users-by-email?${query}`, {
        headers: { authorization: `Bearer ${await accessToken(signal)}` },
        signal,
      }),
      "users-by-email",
    );
    if (!Array.isArray(users)) throw new Error("Auth0 users-by-email sent no list");
    for (const user of users as Array<{ user_id?: unknown; identities?: unknown }>) {
      if (typeof user?.user_id !== "string" || user.user_id === deleted.user_id) continue;
      const identities = Array.isArray(user.identities) ? user.identities : [];
      if (identities.some((i) => `${i?.provider}|${i?.user_id}` === deleted.user_id))
        return user.user_id;
    }
    return null;
  };
}
