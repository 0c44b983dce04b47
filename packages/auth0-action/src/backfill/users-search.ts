import { Auth0ApiError, type ManagementApi } from "./management-api.js";
import { type Auth0User, USER_FIELDS } from "./users.js";

/** Auth0 user search returns at most the first 1,000 matches, however you page. */
export const SEARCH_CAP = 1000;
const PER_PAGE = 100;

/** Wraps one Management API call with the caller's retry-on-429 policy. */
export type Call = <T>(fn: () => Promise<T>) => Promise<T>;

/** The tenant's user count (`include_totals`), one tiny page. */
export async function countUsers(api: ManagementApi, call: Call): Promise<number> {
  const body = await call(() =>
    api.request<{ total?: unknown }>("GET", "/api/v2/users", {
      query: {
        page: 0,
        per_page: 1,
        include_totals: true,
        search_engine: "v3",
        fields: "user_id",
        include_fields: true,
      },
    }),
  );
  if (typeof body?.total !== "number") {
    throw new Auth0ApiError(200, "GET /api/v2/users", "the answer has no numeric total");
  }
  return body.total;
}

/**
 * Every user through search, 100 per page, oldest first (users created during the run land
 * on later pages instead of shifting earlier ones). Deliberately no `q` filter on
 * `app_metadata.api_consumer`: the index is eventually consistent and the filtered set
 * shrinks while we write, which would shift pages and skip users. The runner decides per
 * user from the user record itself.
 */
export async function* searchUsers(
  api: ManagementApi,
  call: Call,
  onNote: (line: string) => void = () => {},
): AsyncGenerator<Auth0User> {
  for (let page = 0; page * PER_PAGE < SEARCH_CAP; page++) {
    const body = await call(() =>
      api.request<{ users?: unknown }>("GET", "/api/v2/users", {
        query: {
          page,
          per_page: PER_PAGE,
          include_totals: true,
          search_engine: "v3",
          sort: "created_at:1",
          fields: USER_FIELDS.join(","),
          include_fields: true,
        },
      }),
    );
    if (!Array.isArray(body?.users)) {
      throw new Auth0ApiError(200, "GET /api/v2/users", "the answer has no users array");
    }
    yield* body.users as Auth0User[];
    if (body.users.length < PER_PAGE) return;
  }
  onNote(
    `search stopped at Auth0's ${SEARCH_CAP}-result cap (the tenant grew during the run): re-run with --source export`,
  );
}
