/**
 * Generated from spec/openapi.yaml by scripts/generate-rules.ts.
 * Do not make direct changes to the file: run `pnpm generate`.
 */

const path0 = "/v1/accounts/{accountName}/key-buckets";
const path1 = `${path0}/{bucketName}`;
const path2 = `${path1}/consumers`;
const path3 = `${path2}/{consumerName}`;
const path4 = `${path3}/keys`;
const path5 = `${path4}/\$bulk`;
const path6 = `${path4}/{keyId}`;
const path7 = `${path3}/managers`;
const path8 = `${path7}/{managerId}`;
const path9 = `${path3}/roll-key`;
const path10 = "/v1/who-am-i";

/** Method and path template of every operation, by operationId. */
export const routes = {
  whoAmI: ["GET", path10],
  listBuckets: ["GET", path0],
  createBucket: ["POST", path0],
  getBucket: ["GET", path1],
  updateBucket: ["PATCH", path1],
  deleteBucket: ["DELETE", path1],
  listConsumers: ["GET", path2],
  createConsumer: ["POST", path2],
  getConsumer: ["GET", path3],
  updateConsumer: ["PATCH", path3],
  deleteConsumer: ["DELETE", path3],
  rollConsumerKey: ["POST", path9],
  listKeys: ["GET", path4],
  createKey: ["POST", path4],
  bulkCreateKeys: ["POST", path5],
  getKey: ["GET", path6],
  updateKey: ["PATCH", path6],
  deleteKey: ["DELETE", path6],
  listManagers: ["GET", path7],
  createManager: ["POST", path7],
  deleteManager: ["DELETE", path8],
} as const;

/** Operations marked `x-tag-filter: true`: they accept `tag.<name>=<value>` query filters. */
export const tagFilterOperations = [
  "listConsumers",
  "getConsumer",
  "updateConsumer",
  "deleteConsumer",
  "rollConsumerKey",
  "getKey",
  "updateKey",
  "deleteKey"
] as const;

/** The camelCased query options of each operation that takes any, space-separated. */
export const queryOptions: Partial<Record<keyof typeof routes, string>> = {
  "listConsumers": "limit offset includeApiKeys includeManagers includeManagerInvites keyFormat managerEmail",
  "createConsumer": "withApiKey",
  "getConsumer": "includeApiKeys includeManagers includeManagerInvites keyFormat",
  "listKeys": "limit offset keyFormat",
  "getKey": "keyFormat",
  "listManagers": "limit offset"
};

/** Input rules taken from the spec's schemas and parameters. */
export const rules = {
  "patterns": {
    "BucketName": "^[a-z0-9-]{5,128}$",
    "ConsumerName": "^[a-z0-9-]{1,128}$"
  },
  "pathParamPatterns": {
    "bucketName": "^[a-z0-9-]{5,128}$"
  },
  "tagsMaxProperties": 5,
  "metadataMaxJsonBytes": 1024,
  "limit": {
    "minimum": 1,
    "maximum": 1000,
    "default": 1000
  },
  "offset": {
    "minimum": 0
  }
} as const;
