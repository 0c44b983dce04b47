import type { OperationParams as P, RequestOptions } from "../core/models.js";
import type { Core } from "../core/transport.js";
import { checkObject, fail } from "../core/validation.js";

export const keys = (core: Core) => ({
  /** One page (`await`) or every key of the consumer (`for await`). */
  list: (params: P<"listKeys">, options?: RequestOptions) => core.list("listKeys", params, options),
  /** The answer carries the key in plain text: treat it as a secret. */
  create: async (params: P<"createKey">, options?: RequestOptions) => {
    checkObject("body", params?.body);
    return core.call("createKey", params, options);
  },
  bulkCreate: async (params: P<"bulkCreateKeys">, options?: RequestOptions) => {
    const body: unknown = params?.body;
    if (!Array.isArray(body) || !body.length) fail("body", "must be a non-empty array");
    body.forEach((key, i) => checkObject(`body[${i}]`, key));
    return core.call("bulkCreateKeys", params, options);
  },
  get: (params: P<"getKey">, options?: RequestOptions) => core.call("getKey", params, options),
  update: async (params: P<"updateKey">, options?: RequestOptions) => {
    checkObject("body", params?.body);
    return core.call("updateKey", params, options);
  },
  delete: (params: P<"deleteKey">, options?: RequestOptions) =>
    core.call("deleteKey", params, options),
});
