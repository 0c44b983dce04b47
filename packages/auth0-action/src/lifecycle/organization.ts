// Owns "what an Auth0 Organization's consumer looks like": name, owner tag, metadata,
// description, the member as manager, and the ownership test. Login, sync and events use it.
import type { Consumer } from "@keysmith/client";
import { orgConsumerNameFor, sha256Hex } from "../consumer-name.js";
import {
  checkUser,
  type DesiredConsumer,
  idTagValue,
  type LifecycleUser,
  MAX_DESCRIPTION,
  plainIdFits,
  type ShapeOptions,
  verifiedManager,
} from "./desired.js";

/** The tag that ties a consumer to its Auth0 Organization (tags are management-only). */
export const ORG_TAG = "auth0OrgId";

/** The organization fields the routine reads (post-login `event.organization`, Management API). */
export interface LifecycleOrganization {
  /** e.g. `org_9ybsU1dN2dKfDkBi`: the only field relied on. */
  id: string;
  /** The organization's handle, e.g. `acme` (renamable: never part of the consumer name). */
  name?: string | null | undefined;
  display_name?: string | null | undefined;
  metadata?: unknown;
}

/** Longest organization name kept in metadata (code points), so metadata stays under 1 KB. */
const MAX_NAME_IN_METADATA = 100;

/** Checks the organization and throws a TypeError naming the field. */
export function checkOrganization(org: LifecycleOrganization): void {
  if (!org || typeof org.id !== "string" || org.id === "") {
    throw new TypeError("organization.id: must be a non-empty string");
  }
}

/** The value of the `auth0OrgId` tag for an organization id (`sha256:<hex>` over 256 bytes). */
export function orgTagValue(orgId: string): string {
  return idTagValue(orgId);
}

function label(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}

/**
 * The one definition of an organization's consumer. Deterministic in `org.id` (name, tag),
 * so every member's login, the sync and the events address the same consumer. `member` is the
 * person signing in: they become its manager when their email is verified (else `manager` is
 * `null`: pending). Metadata (the gateway's `request.user.data`) carries `org_id` and
 * `org_name`, well within Zuplo's 1 KB.
 */
export function desiredOrgConsumer(
  org: LifecycleOrganization,
  member?: LifecycleUser | null,
  options: ShapeOptions = {},
): DesiredConsumer {
  checkOrganization(org);
  if (member) checkUser(member);
  const orgId = org.id;
  const owner = { tag: ORG_TAG, value: orgTagValue(orgId) };
  const metadata: Record<string, string> = plainIdFits(orgId)
    ? { org_id: orgId }
    : { org_id_sha256: sha256Hex(orgId) };
  const name = label(org.name);
  // Cut by code points (no half surrogate pair), after a cheap cut of a hostile long name.
  if (name) {
    metadata.org_name = Array.from(name.slice(0, 2 * MAX_NAME_IN_METADATA))
      .slice(0, MAX_NAME_IN_METADATA)
      .join("");
  }
  const shown = label(org.display_name) ?? name ?? orgId;
  return {
    name: orgConsumerNameFor(orgId, options.prefix),
    description: `Consumer for organization ${shown}`.slice(0, MAX_DESCRIPTION),
    owner,
    tags: { [owner.tag]: owner.value },
    metadata,
    manager: member ? verifiedManager(member) : null,
  };
}

/**
 * The ownership test for organization consumers: the consumer carries this organization's
 * `auth0OrgId` tag. `name`, when given, must match too (the planner's rule; a consumer made
 * under another prefix is still the organization's by its tag).
 */
export function ownsOrgConsumer(
  consumer: Pick<Consumer, "name" | "tags"> | null | undefined,
  orgId: string,
  name?: string,
): boolean {
  return (
    !!consumer &&
    (name === undefined || consumer.name === name) &&
    consumer.tags?.[ORG_TAG] === orgTagValue(orgId)
  );
}
