// One contract per operation of the spec: call it through the client with
// valid inputs and check the typed result. The mapped type makes a missing
// entry a type error; coverage.contract.test.ts makes it a test failure too.

import type {
  ApiKey,
  Bucket,
  Consumer,
  Manager,
  OperationId,
  OperationResult,
  RequestOptions,
  ZuploClient,
} from "@keysmith/client";
import { expect } from "vitest";
import { schemaPattern } from "./spec.js";

export interface Contract<O extends OperationId = OperationId> {
  call(client: ZuploClient, options?: RequestOptions): PromiseLike<OperationResult<O>>;
  check(result: OperationResult<O>): void;
}

export type Contracts = { [O in OperationId]: Contract<O> };

const BUCKET_NAME = schemaPattern("BucketName");

// Valid inputs (Prism checks them: a violation fails the test).
const bucketName = "acme-prod";
const consumerName = "ada-lovelace";
const consumer = { bucketName, consumerName };
const keyId = "key_AM7eAiR0BiaXTam951XmC9kK";
const tags = { orgId: "org_123" };

function timestamps(item: { createdOn: string; updatedOn?: string }) {
  expect(Date.parse(item.createdOn), "createdOn").not.toBeNaN();
  if (item.updatedOn !== undefined) expect(Date.parse(item.updatedOn), "updatedOn").not.toBeNaN();
}

function isBucket(b: Bucket) {
  expect(b.id).toEqual(expect.any(String));
  expect(b.name).toMatch(BUCKET_NAME);
  timestamps(b);
}

function isConsumer(c: Consumer) {
  expect(c.id).toEqual(expect.any(String));
  // Only creation holds names to the ConsumerName pattern; existing ones may differ (org_123).
  expect(c.name).toMatch(/\S/);
  if (c.tags) expect(Object.keys(c.tags).length).toBeLessThanOrEqual(5);
  for (const key of c.apiKeys ?? []) isKey(key);
  for (const manager of c.managers ?? []) isManager(manager);
  timestamps(c);
}

function isKey(k: ApiKey) {
  expect(k.id).toEqual(expect.any(String));
  if (k.key !== undefined) expect(k.key).toEqual(expect.any(String));
  if (k.expiresOn != null) expect(Date.parse(k.expiresOn)).not.toBeNaN();
  timestamps(k);
}

function isManager(m: Manager) {
  expect(m.id).toEqual(expect.any(String));
  expect(m.email).toMatch(/^[^@\s]+@[^@\s]+$/);
  expect(m.sub).toEqual(expect.any(String));
  timestamps(m);
}

/** A list page: `data` is an array and every item passes `item`. */
function isPage<T>(page: { data: T[]; limit?: number; offset?: number }, item: (t: T) => void) {
  expect(Array.isArray(page.data)).toBe(true);
  expect(page.data.length).toBeGreaterThan(0);
  page.data.forEach(item);
  if (page.limit !== undefined) expect(Number.isInteger(page.limit)).toBe(true);
  if (page.offset !== undefined) expect(Number.isInteger(page.offset)).toBe(true);
}

const isUndefined = (result: undefined) => expect(result).toBeUndefined();

export const contracts: Contracts = {
  whoAmI: {
    call: (z, o) => z.whoAmI({}, o),
    check: (r) => expect(r.sub).toMatch(/\S/),
  },
  listBuckets: {
    call: (z, o) => z.buckets.list({}, o),
    check: (r) => isPage(r, isBucket),
  },
  createBucket: {
    call: (z, o) =>
      z.buckets.create({ body: { name: bucketName, description: "Production", tags } }, o),
    check: isBucket,
  },
  getBucket: { call: (z, o) => z.buckets.get({ bucketName }, o), check: isBucket },
  updateBucket: {
    call: (z, o) => z.buckets.update({ bucketName, body: { description: "EU" } }, o),
    check: isBucket,
  },
  deleteBucket: { call: (z, o) => z.buckets.delete({ bucketName }, o), check: isUndefined },
  listConsumers: {
    call: (z, o) =>
      z.consumers.list(
        { bucketName, limit: 10, offset: 0, includeApiKeys: true, keyFormat: "masked", tags },
        o,
      ),
    check: (r) => isPage(r, isConsumer),
  },
  createConsumer: {
    call: (z, o) =>
      z.consumers.create(
        {
          bucketName,
          withApiKey: true,
          body: { name: consumerName, tags, metadata: { plan: "pro" } },
        },
        o,
      ),
    check: isConsumer,
  },
  getConsumer: {
    call: (z, o) => z.consumers.get({ ...consumer, includeManagers: true, tags }, o),
    check: isConsumer,
  },
  updateConsumer: {
    call: (z, o) => z.consumers.update({ ...consumer, tags, body: { metadata: { plan: "x" } } }, o),
    check: isConsumer,
  },
  deleteConsumer: {
    call: (z, o) => z.consumers.delete({ ...consumer, tags }, o),
    check: isUndefined,
  },
  rollConsumerKey: {
    call: (z, o) =>
      z.consumers.rollKey({ ...consumer, body: { expiresOn: "2027-01-01T00:00:00Z" } }, o),
    check: isUndefined,
  },
  listKeys: {
    call: (z, o) => z.keys.list({ ...consumer, limit: 5, keyFormat: "none" }, o),
    check: (r) => isPage(r, isKey),
  },
  createKey: {
    call: (z, o) => z.keys.create({ ...consumer, body: { description: "CI", expiresOn: null } }, o),
    check: (r) => {
      isKey(r);
      expect(r.key).toEqual(expect.any(String));
    },
  },
  bulkCreateKeys: {
    call: (z, o) => z.keys.bulkCreate({ ...consumer, body: [{ description: "a" }, {}] }, o),
    check: (r) => isPage(r, isKey),
  },
  getKey: { call: (z, o) => z.keys.get({ ...consumer, keyId, tags }, o), check: isKey },
  updateKey: {
    call: (z, o) => z.keys.update({ ...consumer, keyId, body: { expiresOn: null } }, o),
    check: isKey,
  },
  deleteKey: { call: (z, o) => z.keys.delete({ ...consumer, keyId }, o), check: isUndefined },
  listManagers: {
    call: (z, o) => z.managers.list({ ...consumer, limit: 1000, offset: 0 }, o),
    check: (r) => isPage(r, isManager),
  },
  createManager: {
    call: (z, o) =>
      z.managers.create({ ...consumer, body: { email: "ada@example.com", sub: "auth0|1" } }, o),
    check: isManager,
  },
  deleteManager: {
    call: (z, o) => z.managers.delete({ ...consumer, managerId: "eusr_1" }, o),
    check: isUndefined,
  },
};
