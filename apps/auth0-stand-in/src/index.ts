// Stand-ins for Auth0, for tests, the demo and benchmarks: a harness that loads a
// bundled action the way Auth0 does, and local Management API servers.
export { AUTH0_NODE_MAJOR, auth0NodeBinary } from "./auth0-node.js";
export type {
  PostLoginApi,
  PostLoginEvent,
  PostLoginOrganization,
  PostLoginUser,
  Secrets,
} from "./auth0-types.js";
export * from "./event-delivery.js";
export * from "./event-stream.js";
export {
  type LoadedAction,
  loadActionCode,
  loadActionFile,
  type PostLoginHandler,
  TRIGGER_HANDLERS,
  type TriggerId,
} from "./load-action.js";
export * from "./management-api.js";
export * from "./organizations-api.js";
export {
  Auth0Tenant,
  type Execution,
  type HarnessUser,
  type LoginOptions,
  type TenantOptions,
  TRIGGER_LIMIT_MS,
} from "./tenant.js";
export * from "./users-api.js";
