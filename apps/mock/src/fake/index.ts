export type { Fault, FaultKind, FaultScope } from "./faults.js";
export type { FakeZuplo, LoggedRequest, StartFakeZuploOptions } from "./server.js";
export { startFakeZuplo } from "./server.js";
export type { OperationId } from "./spec-types.js";
export type {
  BucketRecord,
  BucketSeed,
  ConsumerRecord,
  ConsumerSeed,
  FakeState,
  InviteRecord,
  KeyRecord,
  KeySeed,
  ManagerRecord,
  SeedConsumersOptions,
} from "./state.js";
