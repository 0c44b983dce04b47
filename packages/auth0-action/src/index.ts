// Library entry: the lifecycle routine the action uses, for keysmith-sync, event handlers and
// other tooling. The Auth0 action itself is the bundled `dist/action.js`.
export type { PostLoginApi, PostLoginEvent, PostLoginUser, Secrets } from "./auth0-types.js";
export { APP_METADATA_KEY } from "./auth0-types.js";
export {
  type ActionConfig,
  type ConfigResult,
  type KeyScope,
  readConfig,
  type WithoutOrganization,
} from "./config.js";
export { CONSUMER_NAME_PATTERN, consumerNameFor, orgConsumerNameFor } from "./consumer-name.js";
export type { FindPrimary, PrimaryUser } from "./events/apply-event.js";
export type { Disposition, HandledEvent } from "./events/handle-event.js";
// Auth0 Event Streams: the webhook handler (the event-stream action is dist/event-stream-action.js).
export {
  type Auth0EventHandlerOptions,
  createAuth0EventHandler,
  DEFAULT_MAX_BODY_BYTES,
  type HandleAuth0Event,
  type WebhookAuth,
} from "./events/web-handler.js";
export * from "./lifecycle/index.js";
export {
  consumerBodyFor,
  type ProvisionOptions,
  type ProvisionResult,
  type ProvisionUser,
  provisionConsumer,
  storedConsumer,
} from "./provision.js";
