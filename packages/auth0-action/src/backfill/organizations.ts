// Reading Auth0 Organizations through the Management API: every organization, each one's
// members (checkpoint paging), and whether one still exists.
import { Auth0ApiError, type ManagementApi } from "./management-api.js";

/** An organization as listed (`id` is the only field relied on). */
export interface Auth0Organization {
  id: string;
  name?: string;
  display_name?: string;
  metadata?: unknown;
}

/** A member as listed: Auth0 sends `user_id`, `email`, `name`, `picture`, never `email_verified`. */
export interface Auth0Member {
  user_id: string;
  email?: string;
  name?: string;
}

/** Auth0's largest page for these lists on public cloud (`take`; the default is 50 too). */
export const ORG_PAGE = 50;
/** The member fields asked for: what planning needs, no roles (they need another scope). */
const MEMBER_FIELDS = "user_id,email,name";

const organizationPath = (orgId: string) => `/api/v2/organizations/${encodeURIComponent(orgId)}`;

/**
 * Every item of a checkpoint-paged list (`take`, then `from` = the answer's `next` until an
 * answer has none), each id once; items without an id are dropped. Checkpoint paging, unlike
 * `page`/`per_page`, reaches past 1,000 records. A server that would page forever (a cursor
 * handed out before, or a page with a `next` but nothing new on it) fails the listing.
 */
async function* checkpointList<T>(
  api: ManagementApi,
  path: string,
  key: string,
  idOf: (item: T) => unknown,
  query: Record<string, string | number | boolean>,
  signal: AbortSignal | undefined,
): AsyncGenerator<T> {
  const endpoint = `GET ${path}`;
  const cursors = new Set<string>();
  const seen = new Set<string>();
  let from: string | undefined;
  for (;;) {
    const body = await api.request<Record<string, unknown>>("GET", path, {
      query: { ...query, take: ORG_PAGE, ...(from === undefined ? {} : { from }) },
      signal,
    });
    const items = body?.[key];
    if (!Array.isArray(items)) {
      throw new Auth0ApiError(200, endpoint, `the answer has no ${key} array`);
    }
    let fresh = 0;
    for (const item of items as T[]) {
      const id = item ? idOf(item) : undefined;
      if (typeof id !== "string" || id === "" || seen.has(id)) continue;
      seen.add(id);
      fresh += 1;
      yield item;
    }
    const next = body.next;
    if (typeof next !== "string" || next === "") return;
    if (cursors.has(next) || fresh === 0) {
      throw new Auth0ApiError(
        200,
        endpoint,
        "the answer repeats a page (nothing new, or a cursor seen before)",
      );
    }
    cursors.add(next);
    from = next;
  }
}

/** Every organization of the tenant, one request per 50. */
export function listOrganizations(
  api: ManagementApi,
  signal?: AbortSignal,
): AsyncGenerator<Auth0Organization> {
  return checkpointList<Auth0Organization>(
    api,
    "/api/v2/organizations",
    "organizations",
    (org) => org.id,
    {},
    signal,
  );
}

/**
 * The organization's members, one request per 50. Throws an `Auth0ApiError` with status 404
 * when the organization does not exist (deleted since it was listed). Auth0's member listing
 * is eventually consistent: a member added or removed a moment ago may be missing or still
 * listed.
 */
export function listMembers(
  api: ManagementApi,
  orgId: string,
  signal?: AbortSignal,
): AsyncGenerator<Auth0Member> {
  return checkpointList<Auth0Member>(
    api,
    `${organizationPath(orgId)}/members`,
    "members",
    (member) => member.user_id,
    { fields: MEMBER_FIELDS, include_fields: true },
    signal,
  );
}

/** Whether the organization exists: one read; only a 404 says no, other failures throw. */
export async function organizationExists(
  api: ManagementApi,
  orgId: string,
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    await api.request("GET", organizationPath(orgId), { signal });
    return true;
  } catch (error) {
    if (error instanceof Auth0ApiError && error.status === 404) return false;
    throw error;
  }
}
