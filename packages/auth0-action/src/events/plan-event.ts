// Owns what an Auth0 user event means for the user's consumers: suspend, restore, the login
// path's manager rule, delete, or move a linked account's consumer to its primary. Pure.
import {
  type ConsumerSnapshot,
  desiredConsumer,
  type PlannedAction,
  planConsumer,
  readRecord,
  type ShapeOptions,
} from "../lifecycle/index.js";
import { movedTags } from "../lifecycle/remove.js";
import type { UserEvent } from "./cloud-event.js";
import { type Access, accessChange, isStale, readAccessState } from "./event-state.js";

/** A consumer found by its owner tag, as listed (managers included, no keys). */
export interface FoundConsumer extends ConsumerSnapshot {
  createdOn?: string | undefined;
  managers?: ReadonlyArray<FoundManager> | undefined;
}

/** A manager entry as listed (`createdOn` orders an event against the entry). */
export type FoundManager = NonNullable<ConsumerSnapshot["managers"]>[number] & {
  createdOn?: string | undefined;
};

/** What was read before planning. */
export interface EventFindings {
  /** Consumers tagged for the event's user. */
  own: FoundConsumer[];
  /** `user.updated`: consumers of each linked (secondary) account, by its user id. */
  linked: Map<string, FoundConsumer[]>;
  /** `user.deleted`: the primary user this account was linked into, when known. */
  primary: string | null;
  /** `user.deleted`: whether that primary is blocked now (as Auth0 answered). */
  primaryBlocked?: boolean | undefined;
}

export type EventStep =
  | { kind: "suspend" | "restore"; consumer: FoundConsumer; time: number }
  | { kind: "record"; consumer: FoundConsumer; access: Access; time: number }
  | {
      kind: "manager";
      consumer: FoundConsumer;
      action: PlannedAction;
      access: Access;
      time: number;
    }
  | { kind: "delete"; consumer: FoundConsumer; userId: string }
  | {
      kind: "move";
      consumer: FoundConsumer;
      from: string;
      to: string;
      /** Run only when the move happened: they write tags that assume the new owner. */
      afterwards: EventStep[];
    }
  | { kind: "skip"; consumerName?: string; reason: string };

/**
 * A deletion older than the consumer by more than this is about an earlier account with the
 * same id (social ids come back when the person signs in again); the margin absorbs clock
 * differences between Auth0 and Zuplo.
 */
export const RECREATED_MARGIN_MS = 60_000;

const MANAGER_KINDS = new Set(["link", "add-manager", "replace-manager"]);

/** Whether a planned action changes managers (a `link` that only records does not). */
export function changesManagers(action: PlannedAction): boolean {
  return MANAGER_KINDS.has(action.kind) && !(action.kind === "link" && !action.addManager);
}

function planDeleted(event: UserEvent, found: EventFindings): EventStep[] {
  const userId = event.user.user_id;
  if (found.own.length === 0) return [{ kind: "skip", reason: "no consumer (already gone)" }];
  if (found.primary) {
    // Account linking deletes the secondary account: its key lives on with the primary.
    const to = found.primary;
    return found.own.flatMap((consumer) =>
      planMove(consumer, userId, to, found.primaryBlocked, event.time),
    );
  }
  return found.own.map((consumer): EventStep => {
    const created = consumer.createdOn ? Date.parse(consumer.createdOn) : Number.NaN;
    if (created > event.time + RECREATED_MARGIN_MS) {
      return {
        kind: "skip",
        consumerName: consumer.name,
        reason: "consumer is newer than the deletion (account created again)",
      };
    }
    if (isStale(event.time, readAccessState(consumer.tags))) {
      return { kind: "skip", consumerName: consumer.name, reason: "a newer event was applied" };
    }
    return { kind: "delete", consumer, userId };
  });
}

/**
 * The access rule for one consumer: `blocked: true` suspends, `blocked: false` restores a
 * suspended consumer; an event no newer than the recorded state is skipped. A newer event
 * that carries `blocked` records its state@time even when nothing else changes, so an older
 * event delivered later is seen as stale.
 */
function planAccess(
  consumer: FoundConsumer,
  blocked: boolean | undefined,
  time: number,
): { steps: EventStep[]; access: Access } | { skip: EventStep } {
  const recorded = readAccessState(consumer.tags);
  if (isStale(time, recorded)) {
    return {
      skip: { kind: "skip", consumerName: consumer.name, reason: "a newer event was applied" },
    };
  }
  const change = blocked === undefined ? undefined : accessChange(blocked, recorded);
  if (change === "suspend")
    return { steps: [{ kind: "suspend", consumer, time }], access: "suspended" };
  if (change === "restore")
    return { steps: [{ kind: "restore", consumer, time }], access: "active" };
  const access: Access = recorded?.access === "suspended" ? "suspended" : "active";
  if (blocked === undefined) return { steps: [], access };
  return { steps: [{ kind: "record", consumer, access, time }], access };
}

/**
 * A linked account's consumer moving to its primary, then the access rule with the primary's
 * `blocked`: the moved key works exactly when the primary's do.
 */
function planMove(
  consumer: FoundConsumer,
  from: string,
  to: string,
  blocked: boolean | undefined,
  time: number,
): EventStep[] {
  // The access steps write the consumer's tags: they must carry the new owner.
  const moved = { ...consumer, tags: movedTags(consumer.tags, from, to) };
  const access = planAccess(moved, blocked, time);
  if ("skip" in access) return [{ kind: "move", consumer, from, to, afterwards: [] }, access.skip];
  return [{ kind: "move", consumer, from, to, afterwards: access.steps }];
}

function planOwn(
  event: UserEvent & { type: "user.updated" },
  consumer: FoundConsumer,
  options: ShapeOptions,
): EventStep[] {
  const planned = planAccess(consumer, event.user.blocked, event.time);
  if ("skip" in planned) return [planned.skip];
  const { steps, access } = planned;

  // The login path's manager rule, for the user's own consumer only (the one its record or
  // its derived name points at; a consumer moved from a linked account keeps its managers).
  const user = event.user;
  const record = readRecord(user.app_metadata);
  const name = record.kind === "keysmith" ? record.consumer : desiredConsumer(user, options).name;
  if (record.kind !== "tutorial" && consumer.name === name) {
    const action = planConsumer({ ...options, user, record, consumer });
    if (changesManagers(action)) {
      // The manager step records the state itself: one tag write, not two.
      return [
        ...steps.filter((s) => s.kind !== "record"),
        { kind: "manager", consumer, action, access, time: event.time },
      ];
    }
  }
  return steps;
}

/**
 * The steps for one user event, in order. `user.deleted`: delete each consumer tagged for
 * the user, unless the account was linked into a primary (then move it there) or the consumer
 * belongs to a newer state. `user.updated`: move linked accounts' consumers to this user;
 * `blocked: true` suspends, `blocked: false` restores a suspended consumer (moved ones
 * included, with the primary's `blocked`), a verified email change follows the login path's
 * manager rule; an event no newer than the consumer's recorded state changes nothing.
 */
export function planUserEvent(
  event: UserEvent,
  found: EventFindings,
  options: ShapeOptions = {},
): EventStep[] {
  if (event.type === "user.deleted") return planDeleted(event, found);
  const steps: EventStep[] = [];
  for (const [from, consumers] of found.linked) {
    for (const consumer of consumers) {
      steps.push(...planMove(consumer, from, event.user.user_id, event.user.blocked, event.time));
    }
  }
  if (found.own.length === 0 && steps.length === 0) {
    return [{ kind: "skip", reason: "no consumer yet (the next login creates it)" }];
  }
  for (const consumer of found.own) steps.push(...planOwn(event, consumer, options));
  return steps;
}
