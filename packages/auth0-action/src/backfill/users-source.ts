import type { ManagementApi } from "./management-api.js";
import type { Auth0User } from "./users.js";
import { type ExportOptions, exportUsers } from "./users-export.js";
import { type Call, countUsers, SEARCH_CAP, searchUsers } from "./users-search.js";

export type SourceChoice = "auto" | "search" | "export";

export interface UsersSource {
  mode: "search" | "export";
  /** Auth0's count at the start (the export may differ slightly: users come and go). */
  total: number;
  users: AsyncIterable<Auth0User>;
}

/**
 * Counts the users, then picks search (≤ 1,000 users; fast, no job) or a users-export job
 * (above that: search cannot reach past the first 1,000). A count of exactly 1,000 goes to
 * export too, in case the count itself is capped.
 */
export async function openUsersSource(
  api: ManagementApi,
  call: Call,
  choice: SourceChoice,
  options: ExportOptions = {},
): Promise<UsersSource> {
  const total = await countUsers(api, call);
  const mode = choice === "auto" ? (total >= SEARCH_CAP ? "export" : "search") : choice;
  if (mode === "search" && total > SEARCH_CAP) {
    throw new Error(
      `--source search: the tenant has ${total} users and search reaches only the first ${SEARCH_CAP}; use --source export (or auto)`,
    );
  }
  const users =
    mode === "search" ? searchUsers(api, call, options.onNote) : exportUsers(api, call, options);
  return { mode, total, users };
}
