import type { OperationParams as P, RequestOptions } from "../core/models.js";
import type { Core } from "../core/transport.js";
import { checkObject, checkString } from "../core/validation.js";

export const managers = (core: Core) => ({
  /** One page (`await`) or every manager of the consumer (`for await`). */
  list: (params: P<"listManagers">, options?: RequestOptions) =>
    core.list("listManagers", params, options),
  create: async (params: P<"createManager">, options?: RequestOptions) => {
    checkObject("body", params?.body);
    checkString("body.email", params.body.email);
    checkString("body.sub", params.body.sub);
    return core.call("createManager", params, options);
  },
  delete: (params: P<"deleteManager">, options?: RequestOptions) =>
    core.call("deleteManager", params, options),
});
