import type { Client } from "openapi-fetch";
import type { OperationResult, RequestOptions } from "./core/models.js";
import { type ClientOptions, createCore } from "./core/transport.js";
import type { paths } from "./generated/schema.js";
import { buckets } from "./resources/buckets.js";
import { consumers } from "./resources/consumers.js";
import { keys } from "./resources/keys.js";
import { managers } from "./resources/managers.js";

export interface ZuploClient {
  /** Who the API key belongs to. */
  whoAmI(params?: Record<string, never>, options?: RequestOptions): Promise<OperationResult<"whoAmI">>;
  buckets: ReturnType<typeof buckets>;
  consumers: ReturnType<typeof consumers>;
  keys: ReturnType<typeof keys>;
  managers: ReturnType<typeof managers>;
  /** The typed openapi-fetch client (auth, User-Agent and baseUrl set; no retries, timeouts or checks). */
  raw: Client<paths>;
}

/** Creates a client for Zuplo's API-key service. Throws InvalidInputError on bad options. */
export function createZuploClient(options: ClientOptions): ZuploClient {
  const core = createCore(options);
  return {
    whoAmI: (params, requestOptions) => core.call("whoAmI", params, requestOptions),
    buckets: buckets(core),
    consumers: consumers(core),
    keys: keys(core),
    managers: managers(core),
    raw: core.raw,
  };
}
