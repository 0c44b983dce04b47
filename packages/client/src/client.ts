import type { Client } from "openapi-fetch";
import { rawClient } from "./core/raw.js";
import { type ClientOptions, type Core, createCore, type Method } from "./core/transport.js";
import type { paths } from "./generated/schema.js";
import { type BucketsResource, buckets } from "./resources/buckets.js";
import { type ConsumersResource, consumers } from "./resources/consumers.js";
import { type KeysResource, keys } from "./resources/keys.js";
import { type ManagersResource, managers } from "./resources/managers.js";

/** The client without `raw`: every operation, with the same checks, retries and errors. */
export interface LeanZuploClient {
  /** Who the API key belongs to. */
  whoAmI: Method<"whoAmI">;
  buckets: BucketsResource;
  consumers: ConsumersResource;
  keys: KeysResource;
  managers: ManagersResource;
}

export interface ZuploClient extends LeanZuploClient {
  /** The typed openapi-fetch client (auth, User-Agent and baseUrl set, redirects not followed; no retries, timeouts or checks). */
  raw: Client<paths>;
}

function resources(core: Core): LeanZuploClient {
  return {
    whoAmI: core.method("whoAmI"),
    buckets: buckets(core),
    consumers: consumers(core),
    keys: keys(core),
    managers: managers(core),
  };
}

/** Creates a client for Zuplo's API-key service. Throws InvalidInputError on bad options. */
export function createZuploClient(options: ClientOptions): ZuploClient {
  const core = createCore(options);
  return { ...resources(core), raw: rawClient(core.wire) };
}

/**
 * The same client without `raw`, for bundles where size counts (an Auth0 Action): a bundler
 * then leaves openapi-fetch out. Throws InvalidInputError on bad options.
 */
export function createLeanZuploClient(options: ClientOptions): LeanZuploClient {
  return resources(createCore(options));
}
