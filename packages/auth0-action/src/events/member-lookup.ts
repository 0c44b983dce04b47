// Owns asking Auth0 (fetch only) about an organization member as they are now: the user's
// email and its verification, and whether they still belong to the organization.
import type { LifecycleUser } from "../lifecycle/desired.js";
import { Auth0ReadError, type Auth0Reader, createAuth0Reader } from "./auth0-reader.js";
import type { LinkLookupOptions } from "./link-lookup.js";

/** The member now: `user` null when the user no longer exists (then `member` is false). */
export interface MemberState {
  member: boolean;
  user: LifecycleUser | null;
}

/** Reads a member's state; throws when Auth0 cannot answer (the event is retried). */
export type MemberLookup = (userId: string, orgId: string) => Promise<MemberState>;

/** Auth0's largest page for a user's organizations; and how many pages are read at most. */
const PER_PAGE = 50;
const MAX_PAGES = 20;

function readUser(value: unknown): LifecycleUser {
  const u = value as Record<string, unknown> | null;
  if (typeof u?.user_id !== "string") throw new Auth0ReadError("users sent no user");
  const user: LifecycleUser = { user_id: u.user_id };
  if (typeof u.email === "string") user.email = u.email;
  if (typeof u.email_verified === "boolean") user.email_verified = u.email_verified;
  if (typeof u.name === "string") user.name = u.name;
  return user;
}

/**
 * A `MemberLookup` on the Management API: `GET /api/v2/users/{id}` (email, email_verified)
 * and `GET /api/v2/users/{id}/organizations` (paged), so an organization event acts on the
 * state as it is now, not on what the (possibly reordered) event says. Needs `read:users`
 * and `read:organizations`.
 */
export function createMemberLookup(
  options: LinkLookupOptions,
  reader: Auth0Reader = createAuth0Reader(options),
): MemberLookup {
  return async function memberState(userId, orgId) {
    const path = `users/${encodeURIComponent(userId)}`;
    const found = await reader.get(
      path,
      { fields: "user_id,email,email_verified,name" },
      "user read",
    );
    if (found === null) return { member: false, user: null };
    const user = readUser(found);
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const orgs = await reader.get(
        `${path}/organizations`,
        { page: String(page), per_page: String(PER_PAGE) },
        "user organizations",
      );
      if (orgs === null) break;
      if (!Array.isArray(orgs)) throw new Auth0ReadError("user organizations sent no list");
      if (orgs.some((o) => (o as { id?: unknown } | null)?.id === orgId)) {
        return { member: true, user };
      }
      if (orgs.length < PER_PAGE) break;
    }
    return { member: false, user };
  };
}
