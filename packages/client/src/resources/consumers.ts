import type { Core, ListMethod, Method } from "../core/transport.js";
import { checkMetadata, checkName, checkTags } from "../core/validation.js";
import { rules } from "../generated/rules.js";

type Body = { name?: unknown; tags?: unknown; metadata?: unknown };

function checkBody(body: Body) {
  checkTags("body.tags", body.tags);
  checkMetadata("body.metadata", body.metadata);
}

/** `zuplo.consumers`: one method per operation of the spec. */
export interface ConsumersResource {
  list: ListMethod<"listConsumers">;
  create: Method<"createConsumer">;
  get: Method<"getConsumer">;
  update: Method<"updateConsumer">;
  delete: Method<"deleteConsumer">;
  rollKey: Method<"rollConsumerKey">;
}

export const consumers = ({ method, pages }: Core): ConsumersResource => ({
  /** One page (`await`) or every consumer (`for await`); `tags` filters. */
  list: pages("listConsumers"),
  /** `withApiKey: true` also creates a first key, returned in plain text. 409 if the name exists. */
  create: method("createConsumer", ({ body }) => {
    checkName("body.name", body.name, rules.patterns.ConsumerName);
    checkBody(body);
  }),
  get: method("getConsumer"),
  /** `tags` guards the update: 404 unless the consumer carries them. The name cannot change. */
  update: method("updateConsumer", ({ body }) => checkBody(body)),
  delete: method("deleteConsumer"),
  /** Creates a new key and sets `expiresOn` on the existing ones. */
  rollKey: method("rollConsumerKey"),
});
