// Owns the organization-scope sync's view of Auth0: every organization with its member ids,
// and the users that matter to them (from the same users listing as the user scope).
import { Auth0ApiError, type ManagementApi } from "../backfill/management-api.js";
import {
  type Auth0Organization,
  listMembers,
  listOrganizations,
} from "../backfill/organizations.js";
import type { Auth0User } from "../backfill/users.js";
import type { ExportOptions } from "../backfill/users-export.js";
import { openUsersSource, type SourceChoice } from "../backfill/users-source.js";

export interface OrgView {
  org: Auth0Organization;
  /** Member user ids as listed (each once). */
  members: string[];
  /** The member listing answered 404: deleted since the organization was listed. */
  gone: boolean;
}

export interface OrgTenant {
  orgs: OrgView[];
  /** Memberships read (a person in two organizations counts twice). */
  memberships: number;
  /** The users kept by `keep` (members, managers, users with an organization record). */
  users: Map<string, Auth0User>;
  mode: "search" | "export";
  /** Auth0's user count at the start (1,000 may mean "at least"). */
  auth0Total: number;
}

export interface OrgTenantOptions {
  source: SourceChoice;
  exportOptions?: Omit<ExportOptions, "onNote" | "signal">;
  /** Member listings read at once (each paced like every Auth0 call). */
  concurrency: number;
  /** Which listed users to keep; called with the member ids of every organization. */
  keep: (user: Auth0User, members: ReadonlySet<string>) => boolean;
  signal?: AbortSignal | undefined;
  onNote: (line: string) => void;
}

/** One organization's member ids; `gone` when the organization was deleted meanwhile. */
async function readMembers(
  api: ManagementApi,
  org: Auth0Organization,
  signal: AbortSignal | undefined,
): Promise<OrgView> {
  const ids: string[] = [];
  try {
    for await (const member of listMembers(api, org.id, signal)) ids.push(member.user_id);
  } catch (error) {
    if (error instanceof Auth0ApiError && error.status === 404) {
      return { org, members: [], gone: true };
    }
    throw error;
  }
  return { org, members: ids, gone: false };
}

/**
 * Reads organizations, then each one's members (`concurrency` listings at once), then the
 * users through the users source (search or an export job: the member listing carries no
 * `email_verified` and no `app_metadata`, and reading each member's profile would cost one
 * request per member). Memory grows with the memberships and the users kept, not the tenant.
 */
export async function readOrgTenant(
  api: ManagementApi,
  options: OrgTenantOptions,
): Promise<OrgTenant> {
  const { signal, onNote } = options;
  onNote("reading the organizations and their members");
  const listed: Auth0Organization[] = [];
  for await (const org of listOrganizations(api, signal)) listed.push(org);
  const orgs: OrgView[] = new Array(listed.length);
  let next = 0;
  const worker = async () => {
    while (next < listed.length && !signal?.aborted) {
      const at = next++;
      orgs[at] = await readMembers(api, listed[at] as Auth0Organization, signal);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  signal?.throwIfAborted();
  const members = new Set<string>();
  let memberships = 0;
  for (const view of orgs) {
    memberships += view.members.length;
    for (const id of view.members) members.add(id);
    if (view.gone) onNote(`organization ${view.org.id} was deleted while being read: skipped`);
  }
  onNote(`${orgs.length} organizations, ${memberships} memberships; reading the users`);

  const source = await openUsersSource(api, options.source, {
    ...options.exportOptions,
    onNote,
    signal,
  });
  const users = new Map<string, Auth0User>();
  for await (const user of source.users) {
    if (typeof user?.user_id !== "string" || user.user_id === "") continue;
    if (options.keep(user, members)) users.set(user.user_id, user);
  }
  return { orgs, memberships, users, mode: source.mode, auth0Total: source.total };
}
