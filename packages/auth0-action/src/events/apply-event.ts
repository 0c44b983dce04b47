// Owns carrying out one Auth0 user event on @keysmith/client: read the user's consumers by
// owner tag, plan (plan-event.ts), then run each step. Never returns or logs a key.
import { type LeanZuploClient, NotFoundError, type RequestOptions } from "@keysmith/client";
import {
  type AccessRun,
  recordAccess,
  restoreConsumer,
  suspendConsumer,
} from "../lifecycle/access.js";
import { executePlan, USER_TAG, userTagValue } from "../lifecycle/index.js";
import { deleteConsumer, moveToPrimary } from "../lifecycle/remove.js";
import type { EventUser, UserEvent } from "./cloud-event.js";
import {
  type EventFindings,
  type EventStep,
  type FoundConsumer,
  planUserEvent,
} from "./plan-event.js";

/** The primary user a deleted account was linked into, and whether Auth0 has it blocked now. */
export interface PrimaryUser {
  userId: string;
  blocked: boolean;
}

/**
 * Finds the primary user a deleted account was linked into (null: not linked, or unknown).
 * A bare user id moves the consumer without touching its access.
 */
export type FindPrimary = (deleted: EventUser) => Promise<PrimaryUser | string | null>;

export interface ApplyOptions {
  prefix?: string;
  signal?: AbortSignal;
  requestOptions?: Omit<RequestOptions, "signal">;
  findPrimary?: FindPrimary | undefined;
}

export interface ApplyResult {
  /** `applied`: something changed; `unchanged`: nothing to do (stale, no consumer, in step). */
  outcome: "applied" | "unchanged";
  /** One short phrase per step, e.g. `suspended auth0-db-... (2 keys)`. */
  done: string[];
  requests: number;
}

/** Most consumers one user can have that an event acts on (a hostile server sends more). */
const MAX_CONSUMERS = 20;

/** The consumers carrying `tag=value` (a user's or an organization's), managers included. */
export async function listTagged(
  run: AccessRun,
  tag: string,
  value: string,
): Promise<FoundConsumer[]> {
  const out: FoundConsumer[] = [];
  run.requests += 1;
  const listing = run.client.consumers.list(
    {
      bucketName: run.bucketName,
      tags: { [tag]: value },
      includeManagers: true,
      keyFormat: "none",
    },
    run.options,
  );
  for await (const c of listing) {
    // The filter is the server's; the ownership is checked here again.
    if (c.tags?.[tag] !== value) continue;
    out.push({ name: c.name, tags: c.tags, managers: c.managers, createdOn: c.createdOn });
    if (out.length >= MAX_CONSUMERS) break;
  }
  return out;
}

async function runStep(run: AccessRun, step: EventStep): Promise<string | undefined> {
  switch (step.kind) {
    case "skip":
      return undefined;
    case "suspend": {
      const expired = await suspendConsumer(run, step.consumer.name);
      await recordAccess(run, step.consumer, "suspended", step.time);
      return `suspended ${step.consumer.name} (${expired} key${expired === 1 ? "" : "s"} expired)`;
    }
    case "record":
      // Nothing changes but the order: an older event delivered later is then stale.
      await recordAccess(run, step.consumer, step.access, step.time);
      return undefined;
    case "restore": {
      const created = await restoreConsumer(run, step.consumer.name);
      await recordAccess(run, step.consumer, "active", step.time);
      return `restored ${step.consumer.name}${created ? " (fresh key)" : ""}`;
    }
    case "manager": {
      const result = await executePlan(run.client, run.bucketName, step.action, {
        requestOptions: run.options,
      });
      run.requests += result.requests;
      await recordAccess(run, step.consumer, step.access, step.time);
      return `${result.outcome} on ${step.consumer.name}`;
    }
    case "delete":
      return (await deleteConsumer(run, step.consumer.name, step.userId))
        ? `deleted ${step.consumer.name}`
        : undefined;
    case "move": {
      // Gone, or no longer the secondary's (a concurrent event moved it): then its state is
      // that event's to set, and the steps planned on this snapshot are not run.
      if (!(await moveToPrimary(run, step.consumer, step.from, step.to))) return undefined;
      const lines = [`moved ${step.consumer.name} to the primary account`];
      for (const next of step.afterwards) {
        const line = await runStep(run, next);
        if (line) lines.push(line);
      }
      return lines.join("; ");
    }
    default: {
      const never: never = step;
      throw new TypeError(`unknown step ${(never as { kind: string }).kind}`);
    }
  }
}

/** The run of one event: the client, the bucket, per-request options with the budget signal. */
export function startRun(
  client: LeanZuploClient,
  bucketName: string,
  options: Pick<ApplyOptions, "signal" | "requestOptions">,
): AccessRun {
  const requestOptions: RequestOptions = { ...options.requestOptions };
  if (options.signal) requestOptions.signal = options.signal;
  return { client, bucketName, options: requestOptions, requests: 0 };
}

/**
 * Runs an event's steps in order and says what happened: `applied` with a phrase per step
 * that did something, or `unchanged` with the reasons of the skips. A consumer that vanished
 * meanwhile (deleted by a newer event) ends its step: nothing left to change.
 */
export async function runSteps<S extends { kind: string }>(
  run: AccessRun,
  steps: readonly S[],
  runOne: (run: AccessRun, step: S) => Promise<string | undefined>,
): Promise<ApplyResult> {
  const done: string[] = [];
  for (const step of steps) {
    try {
      const line = await runOne(run, step);
      if (line) done.push(line);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  if (done.length > 0) return { outcome: "applied", done, requests: run.requests };
  const reasons = steps.flatMap((s) =>
    s.kind === "skip" ? [(s as { reason?: string }).reason ?? ""] : [],
  );
  return {
    outcome: "unchanged",
    done: reasons.length > 0 ? reasons : ["in step"],
    requests: run.requests,
  };
}

/**
 * Brings a user's consumers in line with one Auth0 user event. Idempotent: a redelivery, a
 * duplicate or an older event changes nothing more. Throws the client's `ZuploError`s
 * (timeouts, 5xx, 429...) for the caller to turn into "retry later".
 */
export async function applyUserEvent(
  client: LeanZuploClient,
  bucketName: string,
  event: UserEvent,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const run = startRun(client, bucketName, options);
  const user = event.user;

  const found: EventFindings = {
    own: await listTagged(run, USER_TAG, userTagValue(user.user_id)),
    linked: new Map(),
    primary: null,
  };
  if (event.type === "user.updated") {
    for (const id of new Set(user.identityIds)) {
      if (id === user.user_id) continue;
      const consumers = await listTagged(run, USER_TAG, userTagValue(id));
      if (consumers.length > 0) found.linked.set(id, consumers);
    }
  } else if (found.own.length > 0 && options.findPrimary) {
    const primary = await options.findPrimary(user);
    if (typeof primary === "string") found.primary = primary;
    else if (primary) {
      found.primary = primary.userId;
      found.primaryBlocked = primary.blocked;
    }
  }

  const steps = planUserEvent(event, found, options.prefix ? { prefix: options.prefix } : {});
  return runSteps(run, steps, runStep);
}
