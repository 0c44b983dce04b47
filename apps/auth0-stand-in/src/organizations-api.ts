// Owns the stand-in's Auth0 Organizations: the organizations and their members, and the
// Management API routes that read them (list, get, members, a user's organizations), paged
// as Auth0 pages them.
import { randomBytes } from "node:crypto";

/** An organization as the Management API returns it. */
export interface StandInOrganization {
  id: string;
  name: string;
  display_name?: string;
  metadata?: Record<string, string>;
}

/** The user fields a member listing carries (Auth0 sends no `email_verified` here). */
export interface MemberProfile {
  user_id: string;
  email?: string;
  name?: string;
  picture?: string;
}

/** Auth0's largest `take` / `per_page` for these lists on public cloud. */
export const ORG_PAGE_MAX = 50;
/** Offset paging (`page`/`per_page`) reaches only the first 1,000 records. */
const OFFSET_CAP = 1000;
const MEMBER_FIELDS = ["user_id", "email", "name", "picture"] as const;

export interface RouteAnswer {
  status: number;
  body: unknown;
}

const problem = (status: number, message: string, errorCode?: string): RouteAnswer => ({
  status,
  body: {
    statusCode: status,
    error: status === 404 ? "Not Found" : "Bad Request",
    message,
    ...(errorCode ? { errorCode } : {}),
  },
});

/** The opaque checkpoint Auth0 answers as `next` (here: the next record's id, encoded). */
const cursorFor = (id: string) => Buffer.from(`ks:${id}`).toString("base64url");
const idFrom = (cursor: string) => {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  return text.startsWith("ks:") ? text.slice(3) : undefined;
};

/**
 * Pages `all` as Auth0 does: checkpoint (`from`/`take`, answer `{ [key], next? }`) when
 * either is given, else offset (`page`/`per_page`, a bare array, or `{ [key], start, limit,
 * total }` with `include_totals=true`, refused past the first 1,000 records).
 */
function paged<T extends { id: string }>(
  url: URL,
  key: string,
  all: T[],
  view: (item: T) => unknown,
): RouteAnswer {
  const q = url.searchParams;
  if (q.has("from") || q.has("take")) {
    const take = Number(q.get("take") ?? 50);
    if (!Number.isInteger(take) || take < 1 || take > ORG_PAGE_MAX) {
      return problem(400, `Query validation error: 'take' must be 1-${ORG_PAGE_MAX}`);
    }
    let start = 0;
    const from = q.get("from");
    if (from) {
      const id = idFrom(from);
      start = all.findIndex((item) => item.id === id);
      if (start < 0) return problem(400, "Invalid 'from' checkpoint", "invalid_paging");
    }
    const page = all.slice(start, start + take);
    const next = all[start + take];
    return {
      status: 200,
      body: { [key]: page.map(view), ...(next ? { next: cursorFor(next.id) } : {}) },
    };
  }
  const page = Number(q.get("page") ?? 0);
  const perPage = Number(q.get("per_page") ?? 50);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > ORG_PAGE_MAX) {
    return problem(400, `Query validation error: 'per_page' must be 1-${ORG_PAGE_MAX}`);
  }
  if ((page + 1) * perPage > OFFSET_CAP) {
    return problem(
      400,
      "Requesting page exceeds the allowed maximum of 1000 records",
      "invalid_paging",
    );
  }
  const list = all.slice(page * perPage, (page + 1) * perPage).map(view);
  if (q.get("include_totals") !== "true") return { status: 200, body: list };
  return {
    status: 200,
    body: { [key]: list, start: page * perPage, limit: perPage, total: all.length },
  };
}

/**
 * Organizations and memberships. Organizations are read live; member listings answer from
 * a snapshot taken at `reindex()` (Auth0: "subject to eventual consistency. New users may
 * not be immediately included in the response and deleted users may not be immediately
 * removed from it"), with each member's profile as it was then.
 */
export function createOrganizations(profileOf: (userId: string) => MemberProfile | undefined) {
  const organizations = new Map<string, StandInOrganization>();
  /** orgId -> member user ids, live. */
  const members = new Map<string, Set<string>>();
  /** orgId -> the members listing as of the last reindex. */
  let listed = new Map<string, MemberProfile[]>();

  const orgOr404 = (id: string) => organizations.get(id);
  const notFound = () =>
    problem(404, "No organization found by that id or name", "inexistent_organization");

  return {
    organizations,
    members,
    add(org: Partial<StandInOrganization> & { name: string }): StandInOrganization {
      const id = org.id ?? `org_${randomBytes(8).toString("hex")}`;
      const stored: StandInOrganization = { ...structuredClone(org), id };
      organizations.set(id, stored);
      members.set(id, new Set());
      return stored;
    },
    addMembers(orgId: string, userIds: string[]): void {
      const set = members.get(orgId);
      if (!set) throw new Error(`stand-in: no organization ${orgId}`);
      for (const id of userIds) set.add(id);
    },
    removeMembers(orgId: string, userIds: string[]): void {
      for (const id of userIds) members.get(orgId)?.delete(id);
    },
    /** Deletes the organization and its memberships (live: its reads answer 404 at once). */
    delete(orgId: string): void {
      organizations.delete(orgId);
      members.delete(orgId);
    },
    /** A deleted user leaves every organization. */
    forgetUser(userId: string): void {
      for (const set of members.values()) set.delete(userId);
    },
    /** Member listings see the memberships and profiles as they are now. */
    reindex(): void {
      listed = new Map(
        [...members].map(([orgId, ids]) => [
          orgId,
          [...ids].flatMap((id) => {
            const profile = profileOf(id);
            return profile ? [structuredClone(profile)] : [];
          }),
        ]),
      );
    },
    /** Answers `/organizations...` (path without `/api/v2`); `undefined` for other paths. */
    route(method: string, path: string, url: URL): RouteAnswer | undefined {
      if (method !== "GET") return undefined;
      // A user's organizations: live memberships (no listing index), offset paged.
      const ofUser = path.match(/^\/users\/([^/]+)\/organizations$/);
      if (ofUser) {
        const userId = decodeURIComponent(ofUser[1] as string);
        const mine = [...organizations.values()].filter((o) => members.get(o.id)?.has(userId));
        return paged(url, "organizations", mine, (o) => structuredClone(o));
      }
      if (!path.startsWith("/organizations")) return undefined;
      if (path === "/organizations") {
        return paged(url, "organizations", [...organizations.values()], (o) => structuredClone(o));
      }
      const match = path.match(/^\/organizations\/([^/]+)(\/members)?$/);
      if (!match) return undefined;
      const org = orgOr404(decodeURIComponent(match[1] as string));
      if (!org) return notFound();
      if (!match[2]) return { status: 200, body: structuredClone(org) };
      const fieldsParam = url.searchParams.get("fields");
      const wanted = fieldsParam ? fieldsParam.split(",") : [...MEMBER_FIELDS];
      const include = url.searchParams.get("include_fields") !== "false";
      const fields = include ? wanted : MEMBER_FIELDS.filter((f) => !wanted.includes(f));
      const list = (listed.get(org.id) ?? []).map((m) => ({ ...m, id: m.user_id }));
      return paged(url, "members", list, (m) => {
        const out: Record<string, unknown> = {};
        for (const f of fields) {
          // Roles come only when asked for (and need read:organization_member_roles).
          if (f === "roles") out.roles = [];
          else if (m[f as keyof MemberProfile] !== undefined) out[f] = m[f as keyof MemberProfile];
        }
        return out;
      });
    },
  };
}

export type StandInOrganizations = ReturnType<typeof createOrganizations>;
