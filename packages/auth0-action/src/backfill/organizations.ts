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
 * answer has none). Checkpoint paging, unlike `page`/`per_page`, reaches past 1,000 records.
 * A server that hands out a cursor it handed out before would page forever: that fails.
 */
async function* checkpointList<T>(
  api: ManagementApi,
  path: string,
  key: string,
  query: Record<string, string | number | boolean>,
  signal: AbortSignal | undefined,
): AsyncGenerator<T> {
  const endpoint = `GET ${path}`;
  const cursors = new Set<string>();
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
    for (const item of items) yield item as T;
    const next = body.next;
    if (typeof next !== "string" || next === "") return;
    if (cursors.has(next)) {
      throw new Auth0ApiError(200, endpoint, "the answer repeats a page (a cursor seen before)");
    }
    cursors.add(next);
    from = next;
  }
}

/** Every organization of the tenant, one request per 50. Items without an id are dropped. */
export async function* listOrganizations(
  api: ManagementApi,
  signal?: AbortSignal,
): AsyncGenerator<Auth0Organization> {
  for await (const org of checkpointList<Auth0Organization>(
    api,
    "/api/v2/organizations",
    "organizations",
    {},
    signal,
  )) {
    if (typeof org?.id === "string" && org.id !== "") yield org;
  }
}

/**
 * The organization's members, one request per 50. Throws an `Auth0ApiError` with status 404
 * when the organization does not exist (deleted since it was listed). Auth0's member listing
 * is eventually consistent: a member added or removed a moment ago may be missing or still
 * listed.
 */
export async function* listMembers(
  api: ManagementApi,
  orgId: string,
  signal?: AbortSignal,
): AsyncGenerator<Auth0Member> {
  for await (const member of checkpointList<Auth0Member>(
    api,
    `${organizationPath(orgId)}/members`,
    "members",
    { fields: MEMBER_FIELDS, include_fields: true },
    signal,
  )) {
    if (typeof member?.user_id === "string" && member.user_id !== "") yield member;
  }
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
