// Owns what an Auth0 organization event means for the organization's consumer: add the
// member as manager, remove their manager entry, or delete the consumer. Pure.
import {
  desiredOrgConsumer,
  type PlannedAction,
  planConsumer,
  type ShapeOptions,
} from "../lifecycle/index.js";
import type { OrgEvent } from "./cloud-event.js";
import type { MemberState } from "./member-lookup.js";
import { changesManagers, type FoundConsumer, RECREATED_MARGIN_MS } from "./plan-event.js";

/** What was read before planning. */
export interface OrgFindings {
  /** Consumers tagged for the event's organization. */
  consumers: FoundConsumer[];
  /** Member events: the member as Auth0 has them now; `undefined` without credentials. */
  member?: MemberState | undefined;
}

export type OrgStep =
  | { kind: "delete"; consumer: FoundConsumer; orgId: string }
  | { kind: "remove-managers"; consumer: FoundConsumer; managerIds: string[] }
  | { kind: "manager"; consumer: FoundConsumer; action: PlannedAction }
  | { kind: "skip"; consumerName?: string; reason: string };

const after = (createdOn: string | undefined, time: number) =>
  createdOn !== undefined && Date.parse(createdOn) > time + RECREATED_MARGIN_MS;

function planDeleted(event: OrgEvent, found: OrgFindings): OrgStep[] {
  return found.consumers.map(
    (consumer): OrgStep =>
      after(consumer.createdOn, event.time)
        ? {
            kind: "skip",
            consumerName: consumer.name,
            reason: "consumer is newer than the deletion",
          }
        : { kind: "delete", consumer, orgId: event.organization.id },
  );
}

function planMemberDeleted(event: OrgEvent & { user: { user_id: string } }, found: OrgFindings) {
  if (found.member?.member) {
    return [{ kind: "skip", reason: "a member again (a newer event added them back)" } as OrgStep];
  }
  const userId = event.user.user_id;
  return found.consumers.map((consumer): OrgStep => {
    const entries = (consumer.managers ?? []).filter((m) => m.sub === userId);
    // Without Auth0's answer, an entry made after the removal belongs to a newer membership.
    const mine = found.member ? entries : entries.filter((m) => !after(m.createdOn, event.time));
    if (mine.length === 0) {
      return {
        kind: "skip",
        consumerName: consumer.name,
        reason:
          entries.length > 0 ? "manager added after the removal (a newer event)" : "not a manager",
      };
    }
    return { kind: "remove-managers", consumer, managerIds: mine.map((m) => m.id) };
  });
}

function planMemberAdded(
  event: OrgEvent & { user: { user_id: string } },
  found: OrgFindings,
  options: ShapeOptions,
): OrgStep[] {
  const state = found.member;
  if (!state) {
    return [
      { kind: "skip", reason: "no Auth0 credentials to read the member: added at their login" },
    ];
  }
  if (!state.user) return [{ kind: "skip", reason: "the user no longer exists" }];
  if (!state.member) return [{ kind: "skip", reason: "no longer a member (a newer event)" }];
  const user = state.user;
  const desired = desiredOrgConsumer(event.organization, user, options);
  if (!desired.manager) {
    return [{ kind: "skip", reason: "email not verified: no manager until it is" }];
  }
  return found.consumers.map((consumer): OrgStep => {
    const action = planConsumer({
      user,
      record: { kind: "keysmith", consumer: consumer.name },
      consumer,
      desired,
    });
    return changesManagers(action)
      ? { kind: "manager", consumer, action }
      : { kind: "skip", consumerName: consumer.name, reason: "already a manager" };
  });
}

/**
 * The steps for one organization event. `organization.deleted`: delete each consumer tagged
 * for the organization (unless made after the deletion). `organization.member.deleted`:
 * remove that member's manager entries (the key stays with the organization), unless Auth0
 * says they are a member again, or (without credentials) the entry is newer than the event.
 * `organization.member.added`: with the member read from Auth0 (still a member, verified
 * email), the login path's manager rule; a consumer is never created here (the first
 * member's login or keysmith-sync creates it).
 */
export function planOrgEvent(
  event: OrgEvent,
  found: OrgFindings,
  options: ShapeOptions = {},
): OrgStep[] {
  if (found.consumers.length === 0) {
    return [
      {
        kind: "skip",
        reason:
          event.type === "organization.member.added"
            ? "no consumer yet (the first member's login creates it)"
            : "no consumer (already gone)",
      },
    ];
  }
  if (event.type === "organization.deleted") return planDeleted(event, found);
  if (event.type === "organization.member.deleted") return planMemberDeleted(event, found);
  return planMemberAdded(event, found, options);
}
