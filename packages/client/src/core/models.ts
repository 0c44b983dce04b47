// Model and parameter types, all derived from the generated `components` and
// `operations` (never hand-mirrored). `Readable` drops writeOnly fields from
// responses; `Writable` forbids readOnly fields (id, createdOn...) in bodies.
import type { tagFilterOperations } from "../generated/rules.js";
import type { components, operations, Readable, Writable } from "../generated/schema.js";

type Schemas = components["schemas"];

export type Bucket = Readable<Schemas["Bucket"]>;
export type Consumer = Readable<Schemas["Consumer"]>;
export type ApiKey = Readable<Schemas["ApiKey"]>;
export type Manager = Readable<Schemas["Manager"]>;
export type ManagerInvite = Readable<Schemas["ManagerInvite"]>;
export type WhoAmI = Readable<Schemas["WhoAmI"]>;
export type Problem = Readable<Schemas["Problem"]>;
export type Tags = Schemas["Tags"];
export type Metadata = Schemas["Metadata"];
export type KeyFormat = Schemas["KeyFormat"];

export type OperationId = keyof operations;

/** `include-api-keys` → `includeApiKeys`. */
export type KebabToCamel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<KebabToCamel<Tail>>}`
  : S;
export type CamelCased<T> = { [K in keyof T as K extends string ? KebabToCamel<K> : K]: T[K] };

type Defined<T> = [NonNullable<T>] extends [never] ? unknown : NonNullable<T>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type Op<O extends OperationId> = operations[O];

type PathParams<O extends OperationId> = Omit<Defined<Op<O>["parameters"]["path"]>, "accountName">;
type QueryParams<O extends OperationId> = CamelCased<Defined<Op<O>["parameters"]["query"]>>;
type BodyParam<O extends OperationId> =
  Op<O> extends {
    requestBody: { content: { "application/json": infer Body } };
  }
    ? { body: Writable<Body> }
    : unknown;
type TagParam<O extends OperationId> = O extends (typeof tagFilterOperations)[number]
  ? { /** Sent as `tag.<name>=<value>`: filters reads, guards mutations. */ tags?: Tags }
  : unknown;

/** The one params object of an operation: path params (minus accountName), camelCased query, `body`, `tags`. */
export type OperationParams<O extends OperationId> = Simplify<
  PathParams<O> & QueryParams<O> & BodyParam<O> & TagParam<O>
>;

/** What an operation resolves to: the parsed 200 body, or `undefined` for 204. */
export type OperationResult<O extends OperationId> = Op<O>["responses"] extends {
  200: { content: { "application/json": infer Data } };
}
  ? Readable<Data>
  : undefined;

/** Per-call overrides of the client options. */
export interface RequestOptions {
  /** Aborting rejects with APIUserAbortError; never retried. */
  signal?: AbortSignal;
  /** Per attempt. */
  timeoutMs?: number;
  maxRetries?: number;
  headers?: Record<string, string>;
}
