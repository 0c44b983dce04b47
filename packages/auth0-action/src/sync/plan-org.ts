// Owns the organization-scope sync's decisions for one organization: its consumer (create or
// conflict), each member through the lifecycle planner, and the managers who left. Pure.
import type { Auth0User } from "../backfill/users.js";
import {
  type ConsumerSnapshot,
  type DesiredConsumer,
  desiredOrgConsumer,
  expectedConsumerName,
  ownsOrgConsumer,
  type PlannedAction,
  type PlannedKind,
  planConsumer,
  readOrgRecord,
} from "../lifecycle/index.js";
import type { ConsumerIndex } from "./consumer-index.js";
import type { OrgView } from "./org-tenant.js";

/** What the organization scope plans: the lifecycle's kinds, plus removing a leaver. */
export type OrgKind = PlannedKind | "remove-manager";

interface Base {
  orgId: string;
  reason: string;
}

/**
 * One planned step. `create`: the organization's consumer with a first key (no manager; the
 * members' own steps add them). `member`: a member's lifecycle action (link, add or replace
 * manager, conflict, nothing). `remove-manager`: someone who is no longer a member: delete
 * their manager entries and their record of this organization. `conflict`: the consumer's
 * name is held by a consumer not tagged for this organization (its members are left alone).
 */
export type OrgStep =
  | (Base & { kind: "create"; consumer: string; desired: DesiredConsumer })
  | (Base & { kind: "conflict"; consumer: string })
  | (Base & { kind: "member"; userId: string; action: PlannedAction })
  | (Base & {
      kind: "remove-manager";
      userId: string;
      consumer: string;
      /** Manager entries to delete (may be empty: only the record is stale). */
      managerIds: string[];
      /** The person's record of this organization is to be removed. */
      record: boolean;
    });

export interface OrgPlanContext {
  index: ConsumerIndex;
  /** The users kept from the listing (members, managers, holders of a record). */
  users: ReadonlyMap<string, Auth0User>;
  /** Organization tag value -> ids of users whose app_metadata holds a record of it. */
  recordHolders: ReadonlyMap<string, readonly string[]>;
  prefix: string;
}

/** The kind a step counts as in the totals. */
export function stepKind(step: OrgStep): OrgKind {
  return step.kind === "member" ? step.action.kind : step.kind;
}

/**
 * The steps that bring one organization's consumer in line: verified members manage it,
 * unverified members are recorded as pending, people who left manage it no more. Marks the
 * organization's consumers as claimed (not orphans). Members missing from the users listing
 * (Auth0's search lags) are returned in `unlisted` and left as they are this run.
 */
export function planOrganization(
  view: OrgView,
  ctx: OrgPlanContext,
): { steps: OrgStep[]; unlisted: number } {
  const { org } = view;
  const orgId = org.id;
  const shape = desiredOrgConsumer(org, null, { prefix: ctx.prefix });
  ctx.index.claim(shape.owner.value);
  const steps: OrgStep[] = [];
  const current = ctx.index.snapshot(shape.name);
  if (current && !ownsOrgConsumer(current, orgId, shape.name)) {
    const reason = `consumer exists but is not tagged ${shape.owner.tag} for this organization`;
    return { steps: [{ kind: "conflict", orgId, consumer: shape.name, reason }], unlisted: 0 };
  }
  // Planned against the consumer as it will be once created: Zuplo's answer, no managers.
  const created: ConsumerSnapshot | null = current
    ? null
    : { name: shape.name, tags: { ...shape.tags }, managers: [] };
  if (created) {
    steps.push({
      kind: "create",
      orgId,
      consumer: shape.name,
      desired: shape,
      reason: "organization has no consumer",
    });
  }

  // The planner reads only the member's own entries (matched by sub): handing each member just
  // those keeps a large organization linear, not members x managers.
  const own = new Map<string, NonNullable<ConsumerSnapshot["managers"]>[number][]>();
  for (const entry of current?.managers ?? []) {
    if (!entry.sub) continue;
    const entries = own.get(entry.sub);
    if (entries) entries.push(entry);
    else own.set(entry.sub, [entry]);
  }
  const orgConsumer = (current ?? created) as ConsumerSnapshot;
  const members = new Set(view.members);
  let unlisted = 0;
  for (const userId of view.members) {
    const user = ctx.users.get(userId);
    if (!user) {
      unlisted += 1;
      continue;
    }
    const record = readOrgRecord(user.app_metadata, orgId);
    const desired = desiredOrgConsumer(org, user, { prefix: ctx.prefix });
    const name = expectedConsumerName({ user, record, desired, prefix: ctx.prefix });
    const consumer =
      name === shape.name
        ? { ...orgConsumer, managers: own.get(userId) ?? [] }
        : ctx.index.snapshot(name);
    const action = planConsumer({ user, record, desired, consumer, prefix: ctx.prefix });
    // Against the consumer the create step makes, "consumer exists" would mislead.
    const reason =
      created && action.kind === "link"
        ? desired.manager
          ? "new consumer: the verified member becomes a manager"
          : "new consumer: email not verified, recorded as pending"
        : action.reason;
    steps.push({ kind: "member", orgId, userId, action, reason });
  }

  // Leavers: manager entries of people who are not members, and stale records.
  const leavers = new Map<string, string[]>();
  for (const [sub, entries] of own) {
    if (members.has(sub)) continue;
    leavers.set(
      sub,
      entries.map((entry) => entry.id),
    );
  }
  const withRecord = new Set(
    (ctx.recordHolders.get(shape.owner.value) ?? []).filter((id) => !members.has(id)),
  );
  for (const userId of withRecord) if (!leavers.has(userId)) leavers.set(userId, []);
  for (const [userId, managerIds] of leavers) {
    steps.push({
      kind: "remove-manager",
      orgId,
      userId,
      consumer: shape.name,
      managerIds,
      record: withRecord.has(userId),
      reason:
        managerIds.length > 0
          ? "no longer a member: remove the manager"
          : "no longer a member: forget the record",
    });
  }
  return { steps, unlisted };
}
