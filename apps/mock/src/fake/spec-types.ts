// Wire types derived from the spec's generated types (type-only import: no runtime
// dependency on @keysmith/client, which itself uses this package in its tests).
import type {
  components,
  operations,
  Readable,
  Writable,
} from "../../../../packages/client/src/generated/schema.js";

type Schemas = components["schemas"];

export type OperationId = keyof operations;
export type Bucket = Readable<Schemas["Bucket"]>;
export type BucketCreate = Writable<Schemas["BucketCreate"]>;
export type BucketUpdate = Writable<Schemas["BucketUpdate"]>;
export type Consumer = Readable<Schemas["Consumer"]>;
export type ConsumerCreate = Writable<Schemas["ConsumerCreate"]>;
export type ConsumerUpdate = Writable<Schemas["ConsumerUpdate"]>;
export type ApiKey = Readable<Schemas["ApiKey"]>;
export type ApiKeyCreate = Writable<Schemas["ApiKeyCreate"]>;
export type ApiKeyUpdate = Writable<Schemas["ApiKeyUpdate"]>;
export type Manager = Readable<Schemas["Manager"]>;
export type ManagerCreate = Writable<Schemas["ManagerCreate"]>;
export type ManagerInvite = Readable<Schemas["ManagerInvite"]>;
export type KeyFormat = Schemas["KeyFormat"];
export type Problem = Schemas["Problem"];
export type WhoAmI = Readable<Schemas["WhoAmI"]>;
export type Metadata = Schemas["Metadata"];
export type Tags = Schemas["Tags"];
export interface Page<T> {
  data: T[];
  limit?: number;
  offset?: number;
  total?: number;
}
