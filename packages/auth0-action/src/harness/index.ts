// Test and demo harness for the bundled action. Not part of the action bundle or the
// library entry.
export {
  type LoadedAction,
  loadActionCode,
  loadActionFile,
  type PostLoginHandler,
} from "./load-action.js";
export {
  Auth0Tenant,
  type Execution,
  type HarnessUser,
  type LoginOptions,
  type TenantOptions,
  TRIGGER_LIMIT_MS,
} from "./tenant.js";
