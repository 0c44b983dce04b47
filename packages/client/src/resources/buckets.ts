import type { OperationParams as P, RequestOptions } from "../core/models.js";
import type { Core } from "../core/transport.js";
import { rules } from "../generated/rules.js";
import { checkName, checkObject, checkTags } from "../core/validation.js";

function checkBody(body: unknown, create?: boolean) {
  checkObject("body", body);
  if (create) checkName("body.name", body.name, rules.patterns.BucketName);
  checkTags("body.tags", body.tags, Infinity);
}

export const buckets = (core: Core) => ({
  /** Every bucket of the account (not paged). */
  list: (params?: P<"listBuckets">, options?: RequestOptions) =>
    core.call("listBuckets", params, options),
  create: async (params: P<"createBucket">, options?: RequestOptions) => {
    checkBody(params?.body, true);
    return core.call("createBucket", params, options);
  },
  get: (params: P<"getBucket">, options?: RequestOptions) => core.call("getBucket", params, options),
  update: async (params: P<"updateBucket">, options?: RequestOptions) => {
    checkBody(params?.body);
    return core.call("updateBucket", params, options);
  },
  /** Deletes the bucket with all its consumers and keys. */
  delete: (params: P<"deleteBucket">, options?: RequestOptions) =>
    core.call("deleteBucket", params, options),
});
