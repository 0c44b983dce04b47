// Owns the event routine both deployable forms run: parse, dedupe, apply within the time
// budget, and the one decision of what an outcome means (HTTP status, retry, log line).
import { APIError, type FetchLike, InvalidInputError, RateLimitError } from "@keysmith/client";
import { budgetedClient } from "../budgeted-client.js";
import type { ActionConfig } from "../config.js";
import { describeFailure, safeLine, userLabel } from "../log-line.js";
import { type ApplyResult, applyUserEvent, type FindPrimary } from "./apply-event.js";
import { applyOrgEvent } from "./apply-org-event.js";
import { EventFormatError, parseCloudEvent } from "./cloud-event.js";
import { EventDeduper } from "./dedupe.js";
import type { MemberLookup } from "./member-lookup.js";

/**
 * `applied` / `unchanged` / `duplicate`: done (2xx). `ignored`: a type Keysmith does not
 * handle, or a test delivery (204). `invalid`: can never succeed (4xx, Auth0 does not retry).
 * `retry`: the key service failed or the budget ran out (5xx, Auth0 retries).
 */
export type Disposition = "applied" | "unchanged" | "duplicate" | "ignored" | "invalid" | "retry";

export interface HandledEvent {
  disposition: Disposition;
  /** The HTTP status a webhook answers with. */
  status: number;
  /** One log line, secrets and key-shaped text removed, at most 256 characters. */
  line: string;
}

export interface EventRoutineOptions {
  /** For tests and other runtimes; default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Tells a linked account's deletion from a real one (see README, account linking). */
  findPrimary?: FindPrimary;
  /** Organization scope: reads a member's email and membership (see README). */
  memberLookup?: MemberLookup;
  /** Event ids remembered for dedupe (default 10 000). */
  dedupeCapacity?: number;
}

/** Grace after the budget before the routine stops waiting, whatever the client does. */
const HARD_STOP_GRACE_MS = 250;

declare const __ACTION_VERSION__: string;
const USER_AGENT = `keysmith-events/${typeof __ACTION_VERSION__ === "string" ? __ACTION_VERSION__ : "dev"}`;

const STATUS: Record<Disposition, number> = {
  applied: 200,
  unchanged: 200,
  duplicate: 200,
  ignored: 204,
  invalid: 400,
  retry: 503,
};

/** Failures that can never succeed for this event (the key service refused its content). */
function isPermanent(error: unknown): boolean {
  if (error instanceof InvalidInputError) return true;
  return (
    error instanceof APIError &&
    !(error instanceof RateLimitError) &&
    (error.status === 400 || error.status === 422)
  );
}

function verdict(disposition: Disposition, text: string, secrets: readonly string[]): HandledEvent {
  return { disposition, status: STATUS[disposition], line: safeLine(`keysmith: ${text}`, secrets) };
}

/**
 * Creates the routine for one configuration (one Zuplo client, one dedupe memory: create it
 * once per process or warm action instance). Never throws: every outcome is a `HandledEvent`.
 */
export function createEventRoutine(config: ActionConfig, options: EventRoutineOptions = {}) {
  const secrets = [config.apiKey];
  const budgetMs = config.timeBudgetMs;
  // A consumer's key listing can hold many keys: a larger cap than the login's.
  const { client, attemptTimeoutMs } = budgetedClient(config, USER_AGENT, {
    maxResponseBytes: 512 * 1024,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  // Only what was carried out (or deliberately ignored) is final: an event rejected as
  // invalid (Zuplo 400/422, say) runs again when it is redelivered after a fix.
  const deduper = new EventDeduper<HandledEvent>(
    (h) =>
      h.disposition === "applied" || h.disposition === "unchanged" || h.disposition === "ignored",
    options.dedupeCapacity,
  );

  async function apply(event: ReturnType<typeof parseCloudEvent>): Promise<HandledEvent> {
    const label = `event ${event.id}`;
    if (event.type === "ignored") {
      return verdict("ignored", `${label} ignored: ${event.eventType} (${event.reason})`, secrets);
    }
    const who = "user" in event ? userLabel(event.user.user_id) : "";
    const org = "organization" in event ? `in ${userLabel(event.organization.id)}` : "";
    const about = [label, event.type, who, org].filter((part) => part !== "").join(" ");
    const budgetSignal = AbortSignal.timeout(budgetMs);
    const shape = { prefix: config.consumerPrefix, signal: budgetSignal };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hardStop = new Promise<"hard-stop">((resolve) => {
      timer = setTimeout(() => resolve("hard-stop"), budgetMs + HARD_STOP_GRACE_MS);
    });
    try {
      const outcome = await Promise.race([
        ("organization" in event
          ? applyOrgEvent(client, config.bucketName, event, {
              ...shape,
              memberLookup: options.memberLookup,
            })
          : applyUserEvent(client, config.bucketName, event, {
              ...shape,
              findPrimary: options.findPrimary,
            })
        ).then(
          (result: ApplyResult) => ({ result }),
          (error: unknown) => ({ error }),
        ),
        hardStop,
      ]);
      if (outcome === "hard-stop") {
        return verdict("retry", `${about}: retry later: timeout after ${budgetMs} ms`, secrets);
      }
      if ("error" in outcome) {
        const why = describeFailure(outcome.error, { attemptTimeoutMs, budgetMs, budgetSignal });
        return isPermanent(outcome.error)
          ? verdict("invalid", `${about}: rejected: ${why}`, secrets)
          : verdict("retry", `${about}: retry later: ${why}`, secrets);
      }
      const { result } = outcome;
      return verdict(result.outcome, `${about}: ${result.done.join("; ")}`, secrets);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Handles one delivery: a parsed JSON body (anything; it is checked here). */
  return async function handle(body: unknown): Promise<HandledEvent> {
    try {
      let event: ReturnType<typeof parseCloudEvent>;
      try {
        event = parseCloudEvent(body, config.keyScope === "organization");
      } catch (error) {
        if (error instanceof EventFormatError) {
          return verdict("invalid", `malformed event: ${error.message}`, secrets);
        }
        throw error;
      }
      const { outcome, duplicate } = await deduper.run(event.id, () => apply(event));
      // A duplicate says "already handled" only for a change carried out; an ignored event
      // stays ignored (204), a failure keeps its answer.
      if (
        !duplicate ||
        (outcome.disposition !== "applied" && outcome.disposition !== "unchanged")
      ) {
        return outcome;
      }
      return verdict("duplicate", `event ${event.id} duplicate: already handled`, secrets);
    } catch (error) {
      // Last line of defence: an unexpected failure is answered "retry", never thrown.
      const name = error instanceof Error ? error.name : typeof error;
      return verdict("retry", `unexpected ${name}`, secrets);
    }
  };
}

export type EventRoutine = ReturnType<typeof createEventRoutine>;
