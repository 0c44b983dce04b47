// Owns the lifecycle decision: given a user, Keysmith's record and (when known) the consumer
// as Zuplo has it, the one action that brings them in line. Pure: no I/O.
import type { Consumer, Manager } from "@keysmith/client";
import {
  type DesiredConsumer,
  desiredConsumer,
  type LifecycleUser,
  type ManagerIdentity,
  ownsConsumer,
  type ShapeOptions,
} from "./desired.js";
import { MANAGER_PENDING, type StoredRecord } from "./record.js";

/** The consumer as Zuplo has it (e.g. from a listing with `include-managers`). */
export type ConsumerSnapshot = Pick<Consumer, "name" | "tags"> & {
  /** Present only when the listing included managers; `undefined` means "not known". */
  managers?: ReadonlyArray<Pick<Manager, "id" | "email" | "sub">> | undefined;
};

export interface PlanInput extends ShapeOptions {
  user: LifecycleUser;
  /** Keysmith's record, from `readRecord(user.app_metadata)`. */
  record: StoredRecord;
  /**
   * The consumer Zuplo holds at the recorded (or, with no record, the derived) name:
   * `undefined` when not looked up (the login path), `null` when looked up and absent.
   */
  consumer?: ConsumerSnapshot | null | undefined;
  /**
   * The consumer the user should have; default `desiredConsumer(user)`. Another scope (an
   * organization's consumer, its member as the manager) passes its own shape here and gets
   * the same create / link / manager rules.
   */
  desired?: DesiredConsumer | undefined;
}

interface Base {
  userId: string;
  /** Why, in a few words a person understands. */
  reason: string;
}

/**
 * One action. `create`: a consumer with a first key (409 → adopt if owned). `link`: the
 * consumer exists and is this user's; write the record (and add `manager` if not there yet).
 * `add-manager`: the verified email becomes a manager (pending or missing before).
 * `replace-manager`: the verified email changed; add the new, remove the person's other
 * entries. `nothing`: in step (no request). `conflict`: the name is held by a consumer that is
 * not this user's; nothing is written.
 *
 * Designed to grow: `suspend` / `restore` / `delete` (blocked, unblocked and deleted users)
 * and an organization owner join this union; the executor's switch is exhaustive.
 */
export type PlannedAction =
  | (Base & { kind: "create"; desired: DesiredConsumer })
  | (Base & {
      kind: "link";
      desired: DesiredConsumer;
      consumerName: string;
      /** Add this manager too (not known to be there). */
      addManager: ManagerIdentity | null;
    })
  | (Base & {
      kind: "add-manager" | "replace-manager";
      desired: DesiredConsumer;
      consumerName: string;
      manager: ManagerIdentity;
      /** The email Keysmith recorded before (replace only). */
      previous?: string;
    })
  | (Base & { kind: "nothing"; consumerName?: string })
  | (Base & { kind: "conflict"; desired: DesiredConsumer; consumerName: string });

export type PlannedKind = PlannedAction["kind"];

function managerPlan(
  user: LifecycleUser,
  record: StoredRecord & { consumer: string },
  desired: DesiredConsumer,
  consumer: ConsumerSnapshot | undefined,
): PlannedAction {
  const userId = user.user_id;
  const consumerName = record.consumer;
  const manager = desired.manager;
  if (!manager) {
    const reason =
      typeof user.email === "string" && user.email !== ""
        ? "email not verified yet: no manager until it is"
        : "no email yet: no manager until a verified one";
    return { kind: "nothing", userId, consumerName, reason };
  }
  const known = consumer?.managers;
  if (known) {
    const mine = known.filter((m) => m.sub === userId);
    const current = mine.filter((m) => m.email === manager.email);
    if (current.length === 1 && mine.length === 1) {
      return record.manager === manager.email
        ? { kind: "nothing", userId, consumerName, reason: "in step" }
        : {
            kind: "link",
            userId,
            desired,
            consumerName,
            addManager: null,
            reason: "manager already in Zuplo: record it",
          };
    }
    if (mine.length === 0) {
      return {
        kind: "add-manager",
        userId,
        desired,
        consumerName,
        manager,
        reason: "verified email is not a manager yet",
      };
    }
    return {
      kind: "replace-manager",
      userId,
      desired,
      consumerName,
      manager,
      ...(record.manager && record.manager !== MANAGER_PENDING ? { previous: record.manager } : {}),
      reason:
        current.length > 1
          ? "duplicate manager entries for this user"
          : "verified email changed: replace the manager",
    };
  }
  if (record.manager === manager.email) {
    return { kind: "nothing", userId, consumerName, reason: "in step" };
  }
  if (record.manager === undefined || record.manager === MANAGER_PENDING) {
    return {
      kind: "add-manager",
      userId,
      desired,
      consumerName,
      manager,
      reason:
        record.manager === MANAGER_PENDING
          ? "email now verified: add the pending manager"
          : "no manager recorded: add the verified email",
    };
  }
  return {
    kind: "replace-manager",
    userId,
    desired,
    consumerName,
    manager,
    previous: record.manager,
    reason: "verified email changed: replace the manager",
  };
}

/**
 * The name under which the planner expects the user's consumer: the recorded name for a
 * Keysmith record (a prefix may have changed since), else the derived one. keysmith-sync
 * looks this name up in its listing and passes what it finds as `consumer`.
 */
export function expectedConsumerName(input: Omit<PlanInput, "consumer">): string {
  return input.record.kind === "keysmith" && input.record.consumer
    ? input.record.consumer
    : (input.desired ?? desiredConsumer(input.user, input)).name;
}

/**
 * Decides the one action that brings a user's consumer in line. Pure and synchronous: the
 * login path calls it without `consumer` (zero requests when nothing is to do); keysmith-sync
 * passes the consumer from its listing. Throws a TypeError only for a user without `user_id`
 * or a bad prefix.
 */
export function planConsumer(input: PlanInput): PlannedAction {
  const { user, record, consumer } = input;
  const desired = input.desired ?? desiredConsumer(user, input);
  const userId = user.user_id;

  if (record.kind === "tutorial") {
    return {
      kind: "nothing",
      userId,
      ...(record.consumer ? { consumerName: record.consumer } : {}),
      reason: "tutorial-era consumer id: left alone",
    };
  }

  if (record.kind === "none" || consumer === null) {
    if (consumer === undefined || consumer === null) {
      return {
        kind: "create",
        userId,
        desired,
        reason:
          record.kind === "none"
            ? "no consumer recorded"
            : "the recorded consumer no longer exists in Zuplo",
      };
    }
    if (!ownsConsumer(consumer, desired)) {
      return {
        kind: "conflict",
        userId,
        desired,
        consumerName: consumer.name,
        reason: `consumer exists but is not tagged ${desired.owner.tag} for this user`,
      };
    }
    const present = consumer.managers?.some(
      (m) => desired.manager && m.sub === userId && m.email === desired.manager.email,
    );
    return {
      kind: "link",
      userId,
      desired,
      consumerName: consumer.name,
      addManager: present ? null : desired.manager,
      reason: "consumer exists, record missing",
    };
  }

  // A Keysmith record: the consumer is addressed by the recorded name (a prefix may have
  // changed since); its owner tag must still be this user's.
  if (
    consumer &&
    !ownsConsumer(consumer, { name: record.consumer as string, owner: desired.owner })
  ) {
    return {
      kind: "conflict",
      userId,
      desired,
      consumerName: consumer.name,
      reason: `recorded consumer is not tagged ${desired.owner.tag} for this user`,
    };
  }
  return managerPlan(
    user,
    record as StoredRecord & { consumer: string },
    desired,
    consumer ?? undefined,
  );
}
