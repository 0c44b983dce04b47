// Reading users through Auth0's user search (v3): the count, and every user up to the cap.
import { Auth0ApiError, type ManagementApi } from "./management-api.js";
import { type Auth0User, USER_FIELDS } from "./users.js";

/** Auth0 user search returns at most the first 1,000 matches, however you page. */
export const SEARCH_CAP = 1000;
const PER_PAGE = 100;
/** Listings of the whole result before giving up on a tenant that keeps changing. */
const MAX_PASSES = 4;

interface SearchPage {
  users?: unknown;
  start?: unknown;
  limit?: unknown;
  length?: unknown;
  total?: unknown;
}

/**
 * The tenant's user count (`include_totals`), one tiny page. Auth0 may cap `total` at
 * 1,000: a count of 1,000 means "at least 1,000" (see `describeCount`).
 */
export async function countUsers(api: ManagementApi, signal?: AbortSignal): Promise<number> {
  const body = await api.request<{ total?: unknown }>("GET", "/api/v2/users", {
    query: {
      page: 0,
      per_page: 1,
      include_totals: true,
      search_engine: "v3",
      fields: "user_id",
      include_fields: true,
    },
    signal,
  });
  if (typeof body?.total !== "number") {
    throw new Auth0ApiError(200, "GET /api/v2/users", "the answer has no numeric total");
  }
  return body.total;
}

/** "1234 users" or, exactly at Auth0's cap, "at least 1,000 users". */
export function describeCount(total: number): string {
  return total === SEARCH_CAP ? "at least 1,000 users" : `${total} users`;
}

const numberOr = (value: unknown, fallback: number) =>
  typeof value === "number" && Number.isFinite(value) ? value : fallback;

/**
 * Every user through search, oldest first, paged by the answer's own `start`/`length`/`total`
 * (a tenant may clamp `per_page`: a short page alone does not end the listing). Users
 * deleted during the run shift later pages and would skip live users, so the result is
 * listed again until one whole pass brings no user not seen before and the total held
 * still; only users not yet yielded are yielded. No `q` filter: the index is eventually
 * consistent and a filtered set shrinks while we write.
 */
export async function* searchUsers(
  api: ManagementApi,
  signal?: AbortSignal,
): AsyncGenerator<Auth0User> {
  const seen = new Set<string>();
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    let fresh = 0;
    let firstTotal: number | undefined;
    let stable = true;
    for (let page = 0, start = 0; ; page++) {
      const body = await api.request<SearchPage>("GET", "/api/v2/users", {
        query: {
          page,
          per_page: PER_PAGE,
          include_totals: true,
          search_engine: "v3",
          sort: "created_at:1",
          fields: USER_FIELDS.join(","),
          include_fields: true,
        },
        signal,
      });
      if (!Array.isArray(body?.users)) {
        throw new Auth0ApiError(200, "GET /api/v2/users", "the answer has no users array");
      }
      const users = body.users as Auth0User[];
      const total = numberOr(body.total, Number.POSITIVE_INFINITY);
      firstTotal ??= total;
      if (total !== firstTotal || numberOr(body.start, start) !== start) stable = false;
      for (const user of users) {
        const id = typeof user?.user_id === "string" ? user.user_id : undefined;
        if (id !== undefined && seen.has(id)) continue;
        if (id !== undefined) seen.add(id);
        fresh += 1;
        yield user;
      }
      start = numberOr(body.start, start) + numberOr(body.length, users.length);
      if (users.length === 0 || start >= Math.min(total, SEARCH_CAP)) break;
    }
    if (seen.size >= SEARCH_CAP) {
      throw new Auth0ApiError(
        200,
        "GET /api/v2/users",
        `search reached Auth0's ${SEARCH_CAP}-result cap (users beyond it were not seen): use --source export`,
      );
    }
    // The first pass yields everyone; a later one that finds nobody new confirms it.
    if (pass > 1 && fresh === 0 && stable) return;
  }
  throw new Auth0ApiError(
    200,
    "GET /api/v2/users",
    `users kept changing across ${MAX_PASSES} listings; re-run, or use --source export`,
  );
}
