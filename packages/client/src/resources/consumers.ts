import type { OperationParams as P, RequestOptions } from "../core/models.js";
import type { Core } from "../core/transport.js";
import { rules } from "../generated/rules.js";
import { checkMetadata, checkName, checkObject, checkString, checkTags } from "../core/validation.js";

function checkBody(body: unknown, create?: boolean) {
  checkObject("body", body);
  if (create) checkName("body.name", body.name, rules.patterns.ConsumerName);
  checkTags("body.tags", body.tags);
  checkMetadata("body.metadata", body.metadata);
}

export const consumers = (core: Core) => ({
  /** One page (`await`) or every consumer (`for await`). */
  list: (params: P<"listConsumers">, options?: RequestOptions) =>
    core.list("listConsumers", params, options),
  /** `withApiKey: true` also creates a first key, returned in plain text. 409 if the name exists. */
  create: async (params: P<"createConsumer">, options?: RequestOptions) => {
    checkBody(params?.body, true);
    return core.call("createConsumer", params, options);
  },
  get: (params: P<"getConsumer">, options?: RequestOptions) =>
    core.call("getConsumer", params, options),
  /** `tags` guards the update: 404 unless the consumer carries them. */
  update: async (params: P<"updateConsumer">, options?: RequestOptions) => {
    checkBody(params?.body);
    return core.call("updateConsumer", params, options);
  },
  delete: (params: P<"deleteConsumer">, options?: RequestOptions) =>
    core.call("deleteConsumer", params, options),
  /** Creates a new key and sets `expiresOn` on the existing ones. */
  rollKey: async (params: P<"rollConsumerKey">, options?: RequestOptions) => {
    checkObject("body", params?.body);
    checkString("body.expiresOn", params.body.expiresOn);
    return core.call("rollConsumerKey", params, options);
  },
});
