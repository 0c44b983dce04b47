// The lifecycle routine: what a user's consumer should be (desired), Keysmith's record in
// app_metadata (record), the organization shape and its member record (organization,
// org-record), the one action to take (plan) and carrying it out (execute).
export {
  checkUser,
  createBodyFor,
  type DesiredConsumer,
  desiredConsumer,
  idTagValue,
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
  MAX_ORG_RECORDS,
  ORG_METADATA_KEY,
  type OrgMemberRecord,
  type OrgRecords,
  type OrgRecordUpdate,
  orgRecordUpdate,
  readOrgRecord,
  readOrgRecords,
  removeOrgRecord,
} from "./org-record.js";
export {
  checkOrganization,
  desiredOrgConsumer,
  type LifecycleOrganization,
  ORG_TAG,
  orgTagValue,
  ownsOrgConsumer,
} from "./organization.js";
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
