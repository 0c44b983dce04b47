// Chooses how to list the tenant's users: search below Auth0's cap, an export job above.
import type { ManagementApi } from "./management-api.js";
import type { Auth0User } from "./users.js";
import { type ExportOptions, exportUsers } from "./users-export.js";
import { countUsers, SEARCH_CAP, searchUsers } from "./users-search.js";

export type SourceChoice = "auto" | "search" | "export";

export interface UsersSource {
  mode: "search" | "export";
  /** Auth0's count at the start; 1,000 may mean "at least 1,000" (the count is capped). */
  total: number;
  users: AsyncIterable<Auth0User>;
}

/**
 * Counts the users, then picks search (below 1,000 users; fast, no job) or a users-export
 * job (from 1,000 up: search cannot reach past the first 1,000, and the count itself may be
 * capped at 1,000).
 */
export async function openUsersSource(
  api: ManagementApi,
  choice: SourceChoice,
  options: ExportOptions = {},
): Promise<UsersSource> {
  const total = await countUsers(api, options.signal);
  const mode = choice === "auto" ? (total >= SEARCH_CAP ? "export" : "search") : choice;
  if (mode === "search" && total > SEARCH_CAP) {
    throw new Error(
      `--source search: the tenant has ${total} users and search reaches only the first 1,000; use --source export (or auto)`,
    );
  }
  const users = mode === "search" ? searchUsers(api, options.signal) : exportUsers(api, options);
  return { mode, total, users };
}
