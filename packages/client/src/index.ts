export {
  createLeanZuploClient,
  createZuploClient,
  type LeanZuploClient,
  type ZuploClient,
} from "./client.js";
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  InvalidInputError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  parseRetryAfter,
  RateLimitError,
  RedirectError,
  ZuploError,
} from "./core/errors.js";
export type {
  ApiKey,
  Bucket,
  CamelCased,
  Consumer,
  KebabToCamel,
  KeyFormat,
  Manager,
  ManagerInvite,
  Metadata,
  OperationId,
  OperationParams,
  OperationResult,
  Problem,
  RequestOptions,
  Tags,
  WhoAmI,
} from "./core/models.js";
export type { Page, PagePromise } from "./core/pagination.js";
export { BASE_DELAY_MS, MAX_BACKOFF_MS, retryDelay, sleep } from "./core/retry.js";
export { REDACTED, redactSecrets, ZUPLO_KEY_PATTERN } from "./core/secrets.js";
export type { ClientOptions, FetchLike, ListMethod, Method } from "./core/transport.js";
export { routes, rules, tagFilterOperations } from "./generated/rules.js";
export type { components, operations, paths } from "./generated/schema.js";
export type { BucketsResource } from "./resources/buckets.js";
export type { ConsumersResource } from "./resources/consumers.js";
export type { KeysResource } from "./resources/keys.js";
export type { ManagersResource } from "./resources/managers.js";
