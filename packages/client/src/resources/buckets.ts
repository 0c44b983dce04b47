import type { Core, Method } from "../core/transport.js";
import { checkName } from "../core/validation.js";
import { rules } from "../generated/rules.js";

/** `zuplo.buckets`: one method per operation of the spec. */
export interface BucketsResource {
  list: Method<"listBuckets">;
  create: Method<"createBucket">;
  get: Method<"getBucket">;
  update: Method<"updateBucket">;
  delete: Method<"deleteBucket">;
}

export const buckets = ({ method }: Core): BucketsResource => ({
  /** Every bucket of the account (not paged). */
  list: method("listBuckets"),
  create: method("createBucket", ({ body }) =>
    checkName("body.name", body.name, rules.patterns.BucketName),
  ),
  get: method("getBucket"),
  /** Changes the description or tags; the name cannot change. */
  update: method("updateBucket"),
  /** Deletes the bucket with all its consumers and keys. */
  delete: method("deleteBucket"),
});
