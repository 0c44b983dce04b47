// The lifecycle routine: what a user's consumer should be (desired), Keysmith's record in
// app_metadata (record), the one action to take (plan) and carrying it out (execute).
export {
  checkUser,
  createBodyFor,
  type DesiredConsumer,
  desiredConsumer,
  type LifecycleUser,
  type ManagerIdentity,
  ownsConsumer,
  type ShapeOptions,
  USER_TAG,
  userTagValue,
  verifiedManager,
} from "./desired.js";
export {
  type ExecuteOptions,
  type ExecuteOutcome,
  type ExecuteResult,
  executePlan,
} from "./execute.js";
export {
  type ConsumerSnapshot,
  expectedConsumerName,
  type PlanInput,
  type PlannedAction,
  type PlannedKind,
  planConsumer,
} from "./plan.js";
export {
  MANAGER_METADATA_KEY,
  MANAGER_PENDING,
  type RecordUpdate,
  readRecord,
  type StoredRecord,
} from "./record.js";
