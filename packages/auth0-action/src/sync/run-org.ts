// Owns one keysmith-sync run in organization scope: read the bucket's organization consumers,
// the organizations with their members and the users, plan each organization, and (apply)
// carry the steps out with bounded concurrency, one person's record writes in order.
import { stopMessage } from "../backfill/stop.js";
import type { Auth0User } from "../backfill/users.js";
import { errorLine } from "../error-line.js";
import type { MemberLookup } from "../events/member-lookup.js";
import {
  ORG_TAG,
  orgRecordUpdate,
  type PlannedAction,
  type RecordUpdate,
  readOrgRecords,
  removeOrgRecord,
} from "../lifecycle/index.js";
import { type ApplyResult, applyAction } from "./apply-action.js";
import { createOrgConsumer, ORG_OWNER, removeLeaver } from "./apply-org.js";
import { readConsumers } from "./consumer-index.js";
import { readOrgTenant } from "./org-tenant.js";
import { type OrgKind, type OrgStep, planOrganization, stepKind } from "./plan-org.js";
import {
  applyContext,
  reporter,
  type SyncEvent,
  type SyncOptions,
  type SyncTotals,
  settleOrphans,
} from "./run.js";

/** The kinds the organization scope counts, in the order the plan lists them. */
export const ORG_KINDS: readonly OrgKind[] = [
  "create",
  "link",
  "add-manager",
  "replace-manager",
  "remove-manager",
  "conflict",
  "nothing",
];

function eventFor(step: OrgStep): SyncEvent {
  const base = { orgId: step.orgId, reason: step.reason, status: "planned" as const };
  if (step.kind !== "member") {
    return {
      action: step.kind,
      ...("userId" in step ? { userId: step.userId } : {}),
      consumer: step.consumer,
      ...base,
    };
  }
  const a: PlannedAction = step.action;
  const consumer =
    a.kind === "create" ? a.desired.name : "consumerName" in a ? a.consumerName : undefined;
  return { action: a.kind, userId: step.userId, consumer, ...base };
}

/** Applies an app_metadata write to the copy in memory (null removes a key). */
function remember(user: Auth0User, body: Record<string, unknown>): Record<string, unknown> {
  const next: Record<string, unknown> = { ...(user.app_metadata ?? {}) };
  for (const [key, value] of Object.entries(body)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  user.app_metadata = next;
  return body;
}

/** Runs `fn` after every earlier call for the same key has settled. */
function serialiser() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const run = (tails.get(key) ?? Promise.resolve()).then(fn, fn);
    const tail = run.catch(() => {});
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

/**
 * Plans (and with `apply`, carries out) what brings Auth0 Organizations and their Zuplo
 * consumers in step: one consumer per organization, its verified members its managers,
 * people who left removed, consumers of deleted organizations reported (deleted with --prune).
 */
export async function runOrgSync(
  options: SyncOptions,
  /** Confirms each leaver with Auth0 before removing them (see `removeLeaver`). */
  memberLookup?: MemberLookup,
): Promise<SyncTotals> {
  const { signal, onNote = () => {}, maxAttempts = 8, concurrency = 32 } = options;
  const ctx = applyContext(options);
  const totals: SyncTotals = {
    mode: "search",
    apply: options.apply,
    auth0Total: 0,
    users: 0,
    consumers: 0,
    planned: Object.fromEntries(ORG_KINDS.map((k) => [k, 0])),
    scope: "organization",
    organizations: 0,
    organizationsDone: 0,
    memberships: 0,
    orphans: 0,
    done: 0,
    failed: 0,
    gone: 0,
  };
  const report = reporter(totals, options);

  // Consumers first: one made after this read is made by a login, never an orphan.
  onNote(`reading the consumers of bucket ${options.bucketName}`);
  const index = await readConsumers(
    options.zuplo,
    options.bucketName,
    { maxRetries: maxAttempts - 1, ...(signal ? { signal } : {}) },
    ORG_TAG,
  );
  totals.consumers = index.count;
  const managers = index.managerSubs();
  let tenant: Awaited<ReturnType<typeof readOrgTenant>>;
  try {
    tenant = await readOrgTenant(options.api, {
      source: options.source ?? "auto",
      ...(options.exportOptions ? { exportOptions: options.exportOptions } : {}),
      concurrency,
      // Members, managers of an organization's consumer, and anyone with an organization record.
      keep: (user, members) =>
        members.has(user.user_id) ||
        managers.has(user.user_id) ||
        Object.keys(readOrgRecords(user.app_metadata)).length > 0,
      signal,
      onNote,
    });
  } catch (error) {
    totals.incomplete = stopMessage(signal) ?? `reading Auth0 failed: ${errorLine(error)}`;
    return totals;
  }
  const live = tenant.orgs.filter((view) => !view.gone);
  Object.assign(totals, {
    mode: tenant.mode,
    auth0Total: tenant.auth0Total,
    organizations: live.length,
    memberships: tenant.memberships,
  });
  options.onStart?.(totals);

  const recordHolders = new Map<string, string[]>();
  for (const user of tenant.users.values()) {
    for (const key of Object.keys(readOrgRecords(user.app_metadata))) {
      const holders = recordHolders.get(key);
      if (holders) holders.push(user.user_id);
      else recordHolders.set(key, [user.user_id]);
    }
  }
  const queue: OrgStep[] = [];
  const left = new Map<string, number>();
  let unlisted = 0;
  for (const view of live) {
    const plan = planOrganization(view, {
      index,
      users: tenant.users,
      recordHolders,
      prefix: options.prefix,
    });
    unlisted += plan.unlisted;
    for (const step of plan.steps) {
      const kind = stepKind(step);
      totals.planned[kind] = (totals.planned[kind] ?? 0) + 1;
      if (step.kind === "member") totals.users += 1;
    }
    const work = plan.steps.filter((s) => stepKind(s) !== "nothing");
    left.set(view.org.id, work.length);
    queue.push(...work);
    if (work.length === 0) totals.organizationsDone = (totals.organizationsDone ?? 0) + 1;
  }
  if (unlisted > 0) {
    onNote(
      `${unlisted} members are not in the users listing yet (Auth0's search lags): left as they are; re-run later`,
    );
  }
  options.onProgress?.(totals);

  const creates = new Map<string, Promise<ApplyResult>>();
  const inOrder = serialiser();
  const write = (user: Auth0User, orgId: string) => (update: RecordUpdate) =>
    remember(user, orgRecordUpdate(user.app_metadata, orgId, update));

  /** Carries one step out; never throws. Member steps wait for their organization's create. */
  async function carryOut(step: OrgStep): Promise<ApplyResult | { status: "kept" }> {
    if (step.kind === "create") {
      const created = createOrgConsumer(step, ctx);
      creates.set(step.orgId, created);
      return created;
    }
    if (step.kind === "conflict") return { status: "failed", reason: step.reason };
    const gate = creates.get(step.orgId);
    if (gate && (await gate).status !== "done") {
      return { status: "failed", reason: "the organization's consumer was not created" };
    }
    const user = tenant.users.get(step.userId);
    if (step.kind === "remove-manager") {
      const record = user && step.record ? user : undefined;
      return inOrder(step.userId, () =>
        removeLeaver(
          step,
          record && (() => remember(record, removeOrgRecord(record.app_metadata, step.orgId))),
          ctx,
          memberLookup,
        ),
      );
    }
    const action = step.action;
    if (action.kind === "conflict") return { status: "failed", reason: action.reason };
    if (!user) return { status: "failed", reason: "not in the users listing" };
    return inOrder(step.userId, () => applyAction(action, ctx, write(user, step.orgId)));
  }

  let next = 0;
  const worker = async () => {
    while (next < queue.length && !signal?.aborted) {
      const step = queue[next++] as OrgStep;
      const event = eventFor(step);
      if (!options.apply) report(event);
      else {
        const result = await carryOut(step);
        report(
          result.status === "failed"
            ? { ...event, status: "failed", error: result.reason }
            : { ...event, status: result.status },
        );
      }
      const remaining = (left.get(step.orgId) ?? 1) - 1;
      left.set(step.orgId, remaining);
      if (remaining === 0) totals.organizationsDone = (totals.organizationsDone ?? 0) + 1;
      options.onProgress?.(totals);
    }
  };
  // Plan is pure: one worker keeps the order; apply runs `concurrency` steps at once.
  const workers = options.apply ? Math.max(1, concurrency) : 1;
  await Promise.all(Array.from({ length: workers }, worker));
  const stopped = stopMessage(signal);
  if (stopped !== undefined) totals.incomplete = stopped;
  await settleOrphans(index, totals, options, ctx, report, ORG_OWNER);
  return totals;
}
