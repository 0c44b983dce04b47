// Owns the sync's per-user decision: the lifecycle planner, fed from the consumer index.
import type { Auth0User } from "../backfill/users.js";
import {
  desiredConsumer,
  expectedConsumerName,
  type PlannedAction,
  planConsumer,
  readRecord,
} from "../lifecycle/index.js";
import type { ConsumerIndex } from "./consumer-index.js";

/**
 * The one action for a listed user, decided by `planConsumer` with the consumer Zuplo holds
 * under the name the routine expects (the recorded one, else the derived one). Marks the
 * user's consumers as claimed (not orphans). No request.
 */
export function planUser(user: Auth0User, index: ConsumerIndex, prefix: string): PlannedAction {
  const record = readRecord(user.app_metadata);
  const desired = desiredConsumer(user, { prefix });
  index.claim(desired.owner.value);
  if (record.kind === "tutorial") return planConsumer({ user, record, desired, prefix });
  const name = expectedConsumerName({ user, record, desired, prefix });
  return planConsumer({ user, record, desired, consumer: index.snapshot(name), prefix });
}
