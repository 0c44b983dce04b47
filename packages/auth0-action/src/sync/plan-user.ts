// Owns the sync's per-user decision: the lifecycle planner, fed from the consumer index.

import type { Auth0User } from "../backfill/users.js";
import {
  desiredConsumer,
  type PlannedAction,
  planConsumer,
  readRecord,
  userTagValue,
} from "../lifecycle/index.js";
import type { ConsumerIndex } from "./consumer-index.js";

/**
 * The one action for a listed user, decided by `planConsumer` with the consumer Zuplo holds at
 * the recorded name (or, with no record, the derived one). Marks the user's consumers as
 * claimed (not orphans). Pure apart from that mark: no request.
 */
export function planUser(user: Auth0User, index: ConsumerIndex, prefix: string): PlannedAction {
  const record = readRecord(user.app_metadata);
  index.claim(userTagValue(user.user_id));
  if (record.kind === "tutorial") return planConsumer({ user, record, prefix });
  const name =
    record.kind === "keysmith" ? record.consumer : desiredConsumer(user, { prefix }).name;
  return planConsumer({ user, record, consumer: index.snapshot(name as string), prefix });
}
