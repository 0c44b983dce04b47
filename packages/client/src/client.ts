import type { Client } from "openapi-fetch";
import { type ClientOptions, createCore, type Method } from "./core/transport.js";
import type { paths } from "./generated/schema.js";
import { type BucketsResource, buckets } from "./resources/buckets.js";
import { type ConsumersResource, consumers } from "./resources/consumers.js";
import { type KeysResource, keys } from "./resources/keys.js";
import { type ManagersResource, managers } from "./resources/managers.js";

export interface ZuploClient {
  /** Who the API key belongs to. */
  whoAmI: Method<"whoAmI">;
  buckets: BucketsResource;
  consumers: ConsumersResource;
  keys: KeysResource;
  managers: ManagersResource;
  /** The typed openapi-fetch client (auth, User-Agent and baseUrl set, redirects not followed; no retries, timeouts or checks). */
  raw: Client<paths>;
}

/** Creates a client for Zuplo's API-key service. Throws InvalidInputError on bad options. */
export function createZuploClient(options: ClientOptions): ZuploClient {
  const core = createCore(options);
  return {
    whoAmI: core.method("whoAmI"),
    buckets: buckets(core),
    consumers: consumers(core),
    keys: keys(core),
    managers: managers(core),
    raw: core.raw,
  };
}
