// Entry of dist/event-stream-action.js: the Auth0 Event Stream Action (trigger event-stream)
// that suspends, restores and deletes users' consumers and, in organization scope, keeps
// organization consumers' managers in step. Same secrets as the login action.
import type { Secrets } from "./auth0-types.js";
import { readConfig } from "./config.js";
import { createAuth0Lookups } from "./events/auth0-lookups.js";
import { createEventRoutine, type EventRoutine } from "./events/handle-event.js";
import { linkLookupSettings } from "./events/link-lookup.js";

/** The subset of Auth0's event-stream `event` object this action reads. */
export interface EventStreamEvent {
  /** The CloudEvent delivered on the stream. */
  message: unknown;
  secrets: Secrets;
}

// One routine per warm instance (Zuplo client and dedupe memory survive between events),
// rebuilt when the secrets change.
let cached: { key: string; routine: EventRoutine } | undefined;

function routineFor(secrets: Secrets): EventRoutine {
  const read = readConfig(secrets);
  // A setting that can never work fails the delivery: once fixed, Auth0 can redeliver it.
  if (!read.ok) throw new Error(`keysmith: event not handled: ${read.problem}`);
  let link: ReturnType<typeof linkLookupSettings>;
  try {
    link = linkLookupSettings(secrets);
  } catch (error) {
    throw new Error(`keysmith: event not handled: ${(error as Error).message}`);
  }
  const key = JSON.stringify([read.config, link]);
  if (cached?.key !== key) {
    const lookups = createAuth0Lookups(link, read.config.keyScope === "organization");
    cached = { key, routine: createEventRoutine(read.config, lookups) };
  }
  return cached.routine;
}

/**
 * Auth0 event-stream handler. Handles `user.deleted` and `user.updated`, and in organization
 * scope `organization.member.added`, `.member.deleted` and `organization.deleted` (see README), logs
 * one line, and throws only when the delivery should be retried (the key service failed or
 * the time budget ran out) or a secret is missing; the thrown message carries no secret.
 */
export async function onExecuteEventStream(event: EventStreamEvent, _api: unknown): Promise<void> {
  const routine = routineFor(event?.secrets ?? {});
  const handled = await routine(event?.message);
  console.log(handled.line);
  if (handled.disposition === "retry") throw new Error(handled.line);
}
