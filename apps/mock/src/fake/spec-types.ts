// Wire types of the fake, derived from @keysmith/client's types (which the client
// generates from the spec): the fake can never drift from the spec's shapes silently.
import type {
  ApiKey,
  Bucket,
  Consumer,
  KeyFormat,
  Manager,
  ManagerInvite,
  Metadata,
  OperationId,
  OperationParams,
  Problem,
  Tags,
  WhoAmI,
} from "@keysmith/client";

type Body<O extends OperationId> = OperationParams<O> extends { body: infer B } ? B : never;

export type {
  ApiKey,
  Bucket,
  Consumer,
  KeyFormat,
  Manager,
  ManagerInvite,
  Metadata,
  OperationId,
  Problem,
  Tags,
  WhoAmI,
};
export type BucketCreate = Body<"createBucket">;
export type BucketUpdate = Body<"updateBucket">;
export type ConsumerCreate = Body<"createConsumer">;
export type ConsumerUpdate = Body<"updateConsumer">;
export type ApiKeyCreate = Body<"createKey">;
export type ApiKeyUpdate = Body<"updateKey">;
export type ManagerCreate = Body<"createManager">;
export interface Page<T> {
  data: T[];
  limit?: number;
  offset?: number;
  total?: number;
}
