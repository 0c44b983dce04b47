import type { Core, ListMethod, Method } from "../core/transport.js";
import { fail } from "../core/validation.js";

/** `zuplo.keys`: one method per operation of the spec. */
export interface KeysResource {
  list: ListMethod<"listKeys">;
  create: Method<"createKey">;
  bulkCreate: Method<"bulkCreateKeys">;
  get: Method<"getKey">;
  update: Method<"updateKey">;
  delete: Method<"deleteKey">;
}

export const keys = ({ method, pages }: Core): KeysResource => ({
  /** One page (`await`) or every key of the consumer (`for await`). */
  list: pages("listKeys"),
  /** The answer carries the key in plain text: treat it as a secret. */
  create: method("createKey"),
  /** Several keys in one call (`POST .../keys/$bulk`). */
  bulkCreate: method("bulkCreateKeys", ({ body }) => {
    if (!Array.isArray(body) || !body.length) fail("body", "must be a non-empty array");
  }),
  get: method("getKey"),
  update: method("updateKey"),
  delete: method("deleteKey"),
});
