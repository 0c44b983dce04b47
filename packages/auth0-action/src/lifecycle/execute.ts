// Owns carrying out one planned action on @keysmith/client, idempotently, and saying what to
// record. Never returns or logs an API key.
import {
  ConflictError,
  type LeanZuploClient,
  type Manager,
  NotFoundError,
  type RequestOptions,
} from "@keysmith/client";
import { APP_METADATA_KEY } from "../auth0-types.js";
import {
  createBodyFor,
  type DesiredConsumer,
  type ManagerIdentity,
  ownsConsumer,
  USER_TAG,
} from "./desired.js";
import type { PlannedAction } from "./plan.js";
import { MANAGER_METADATA_KEY, MANAGER_PENDING, type RecordUpdate } from "./record.js";

export interface ExecuteOptions {
  /** Aborts every request (pass `AbortSignal.timeout(ms)` for an overall budget). */
  signal?: AbortSignal;
  /** Per-request options forwarded to the client (timeout, retries). */
  requestOptions?: Omit<RequestOptions, "signal">;
}

/**
 * What happened. `created`: new consumer with a first key. `adopted`: a create met 409 and
 * the consumer is this user's. `linked`: only the record was missing. `manager-added`,
 * `manager-replaced`: the managers changed. `unchanged`: nothing to do. `conflict`: the name
 * belongs to another user's consumer, or the answer was not the consumer asked for; nothing
 * to record.
 */
export type ExecuteOutcome =
  | "created"
  | "adopted"
  | "linked"
  | "manager-added"
  | "manager-replaced"
  | "unchanged"
  | "conflict";

export interface ExecuteResult {
  outcome: ExecuteOutcome;
  consumerName?: string;
  /** API calls made (the client's own retries not counted). */
  requests: number;
  /** Manager entries added and removed (the person's other or duplicate entries). */
  managers: { added: number; removed: number };
  /** What to write to `app_metadata` (`null` removes a key). Empty: write nothing. */
  update: RecordUpdate;
  /** For `conflict`: why, without the other owner's id. */
  reason?: string;
}

/** Manager entries per page; a user's consumer has a handful, so one page is the rule. */
const MANAGER_PAGE = 100;
/** Most manager entries read (a hostile server could page forever). */
const MAX_MANAGERS = 10_000;

interface Run {
  client: LeanZuploClient;
  bucketName: string;
  options: RequestOptions;
  requests: number;
  added: number;
  removed: number;
}

function recordFor(consumerName: string, manager: ManagerIdentity | null): RecordUpdate {
  return {
    [APP_METADATA_KEY]: consumerName,
    [MANAGER_METADATA_KEY]: manager ? manager.email : MANAGER_PENDING,
  };
}

function result(
  run: Run,
  outcome: ExecuteOutcome,
  consumerName: string | undefined,
  update: RecordUpdate,
  reason?: string,
): ExecuteResult {
  return {
    outcome,
    ...(consumerName === undefined ? {} : { consumerName }),
    requests: run.requests,
    managers: { added: run.added, removed: run.removed },
    update,
    ...(reason === undefined ? {} : { reason }),
  };
}

/**
 * Makes `manager` the person's one manager entry: add (an "already there" answer is success),
 * then read the managers and remove every other entry with the same `sub` (duplicates left by
 * concurrent logins, the old email). Concurrent runs converge: all keep the oldest matching
 * entry. Add-then-dedupe, because Zuplo does not document whether a duplicate add is merged.
 */
async function convergeManager(
  run: Run,
  consumerName: string,
  manager: ManagerIdentity,
): Promise<void> {
  const { client, bucketName, options } = run;
  let addedId: string | undefined;
  try {
    run.requests += 1;
    const added = await client.managers.create(
      { bucketName, consumerName, body: { email: manager.email, sub: manager.sub } },
      options,
    );
    addedId = added?.id;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
  // Every page: an organization's consumer can have hundreds of managers, and an entry past
  // the first page (an old email) would otherwise stay, still seeing the key.
  const mine: Manager[] = [];
  let seen = 0;
  const listing = client.managers.list({ bucketName, consumerName, limit: MANAGER_PAGE }, options);
  for await (const m of listing) {
    if (m.sub === manager.sub) mine.push(m);
    if (++seen >= MAX_MANAGERS) break;
  }
  run.requests += Math.ceil(seen / MANAGER_PAGE) || 1;
  const matching = mine
    .filter((m) => m.email === manager.email)
    .sort(
      (a, b) => (a.createdOn ?? "").localeCompare(b.createdOn ?? "") || a.id.localeCompare(b.id),
    );
  const keep = matching[0];
  if (keep && keep.id === addedId) run.added += 1;
  for (const entry of mine) {
    if (entry === keep) continue;
    try {
      run.requests += 1;
      await client.managers.delete({ bucketName, consumerName, managerId: entry.id }, options);
    } catch (error) {
      // Already removed (by a concurrent run): the end state is what we want.
      if (!(error instanceof NotFoundError)) throw error;
    }
    run.removed += 1;
  }
}

async function create(run: Run, desired: DesiredConsumer): Promise<ExecuteResult> {
  const { client, bucketName, options } = run;
  try {
    run.requests += 1;
    // The answer carries the new key in plain text: only its name and tags are read.
    const created = await client.consumers.create(
      { bucketName, withApiKey: true, body: createBodyFor(desired) },
      options,
    );
    // The answer must be the consumer asked for (a redirect or a proxy may answer another).
    // Zuplo's docs do not say whether a create answer carries tags: checked when present.
    const answered =
      created?.tags === undefined ? created?.name === desired.name : ownsConsumer(created, desired);
    if (!answered) {
      return result(
        run,
        "conflict",
        desired.name,
        {},
        "was not in the answer (another consumer came back)",
      );
    }
    if (desired.manager) run.added += 1;
    return result(run, "created", desired.name, recordFor(desired.name, desired.manager));
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
  // 409: the name exists. Read it (no keys) and adopt it only if it is this user's.
  run.requests += 1;
  const existing = await client.consumers.get(
    { bucketName, consumerName: desired.name, keyFormat: "none", includeManagers: true },
    options,
  );
  if (!ownsConsumer(existing, desired)) {
    const other = desired.owner.tag === USER_TAG ? "user" : "organization";
    return result(run, "conflict", desired.name, {}, `belongs to another ${other}`);
  }
  const manager = desired.manager;
  const entries = (existing.managers ?? []).filter((m) => manager && m.sub === manager.sub);
  if (manager && !(entries.length === 1 && entries[0]?.email === manager.email)) {
    await convergeManager(run, desired.name, manager);
  }
  return result(run, "adopted", desired.name, recordFor(desired.name, manager));
}

/**
 * Carries out one planned action idempotently: a repeat, or a concurrent run of the same
 * plan, ends in the same state. Creates with a first key (`with-api-key`), adopting a 409 only
 * when the consumer carries this user's `auth0UserId` tag; adds managers as `{ email, sub }`
 * and only for a verified email; removes the person's old or duplicate manager entries by
 * id. Returns what happened and what to record in `app_metadata`, never the key. Throws the
 * client's `ZuploError`s (timeouts, 5xx, 429...): the caller decides whether to retry.
 */
export async function executePlan(
  client: LeanZuploClient,
  bucketName: string,
  action: PlannedAction,
  options: ExecuteOptions = {},
): Promise<ExecuteResult> {
  const requestOptions: RequestOptions = { ...options.requestOptions };
  if (options.signal) requestOptions.signal = options.signal;
  const run: Run = {
    client,
    bucketName,
    options: requestOptions,
    requests: 0,
    added: 0,
    removed: 0,
  };

  switch (action.kind) {
    case "nothing":
      return result(run, "unchanged", action.consumerName, {});
    case "conflict":
      return result(run, "conflict", action.consumerName, {}, action.reason);
    case "create":
      return create(run, action.desired);
    case "link": {
      if (action.addManager) await convergeManager(run, action.consumerName, action.addManager);
      return result(
        run,
        "linked",
        action.consumerName,
        recordFor(action.consumerName, action.desired.manager),
      );
    }
    case "add-manager":
    case "replace-manager": {
      await convergeManager(run, action.consumerName, action.manager);
      return result(
        run,
        action.kind === "replace-manager" ? "manager-replaced" : "manager-added",
        action.consumerName,
        { [MANAGER_METADATA_KEY]: action.manager.email },
      );
    }
    default: {
      const never: never = action;
      throw new TypeError(`unknown planned action ${(never as { kind: string }).kind}`);
    }
  }
}
