// The service's own rules, checked on every request (the fake must not rely on Prism).
// Patterns and limits are the spec's, through the client's generated `rules`: never retyped.
import { rules } from "@keysmith/client";
import { badRequest } from "./problem.js";
import type {
  ApiKeyCreate,
  ApiKeyUpdate,
  BucketCreate,
  BucketUpdate,
  ConsumerCreate,
  ConsumerUpdate,
  KeyFormat,
  ManagerCreate,
} from "./spec-types.js";

const BUCKET_NAME = new RegExp(rules.patterns.BucketName);
const CONSUMER_NAME = new RegExp(rules.patterns.ConsumerName);
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function object(v: unknown, field: string, allowed: readonly string[]): Obj {
  if (!isObject(v)) throw badRequest(`${field} must be a JSON object`);
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k)) {
      throw badRequest(`${field === "body" ? "" : `${field}.`}${k} is not an allowed property`);
    }
  }
  return v;
}

function optString(o: Obj, key: string, field = key): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw badRequest(`${field} must be a string`);
  return v;
}

function dateTime(v: unknown, field: string): string {
  if (typeof v !== "string" || !DATE_TIME.test(v) || Number.isNaN(Date.parse(v))) {
    throw badRequest(`${field} must be an ISO 8601 date-time string`);
  }
  return v;
}

function expiresOn(o: Obj, field: string): string | null | undefined {
  const v = o.expiresOn;
  if (v === undefined || v === null) return v;
  return dateTime(v, field);
}

function email(v: unknown, field: string): string {
  if (typeof v !== "string" || !EMAIL.test(v))
    throw badRequest(`${field} must be an email address`);
  return v;
}

export function tags(v: unknown, field = "tags"): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw badRequest(`${field} must be an object of strings`);
  const entries = Object.entries(v);
  const max = rules.tagsMaxProperties;
  if (entries.length > max) throw badRequest(`${field} must have at most ${max} entries`);
  for (const [k, val] of entries) {
    if (typeof val !== "string" || val === "") {
      throw badRequest(`${field}.${k} must be a non-empty string`);
    }
  }
  return v as Record<string, string>;
}

function metadata(v: unknown): Record<string, unknown> | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw badRequest("metadata must be a JSON object");
  const size = Buffer.byteLength(JSON.stringify(v));
  const max = rules.metadataMaxJsonBytes;
  if (size > max) throw badRequest(`metadata must be at most ${max} bytes as JSON (got ${size})`);
  return v;
}

export function bucketCreate(v: unknown): BucketCreate {
  const o = object(v, "body", ["name", "description", "tags"]);
  if (typeof o.name !== "string" || !BUCKET_NAME.test(o.name)) {
    throw badRequest(`name must match ${BUCKET_NAME.source}`);
  }
  return { name: o.name, description: optString(o, "description"), tags: tags(o.tags) };
}

export function bucketUpdate(v: unknown): BucketUpdate {
  const o = object(v, "body", ["description", "tags"]);
  return { description: optString(o, "description"), tags: tags(o.tags) };
}

export function apiKeyCreate(v: unknown, field = "body"): ApiKeyCreate {
  const o = object(v, field, ["description", "expiresOn", "key"]);
  const prefix = field === "body" ? "" : `${field}.`;
  const key = optString(o, "key", `${prefix}key`);
  if (key !== undefined && key.length === 0) throw badRequest(`${prefix}key must not be empty`);
  return {
    description: optString(o, "description", `${prefix}description`),
    expiresOn: expiresOn(o, `${prefix}expiresOn`),
    key,
  };
}

export function apiKeyUpdate(v: unknown): ApiKeyUpdate {
  const o = object(v, "body", ["description", "expiresOn", "key"]);
  const key = optString(o, "key");
  if (key !== undefined && key.length === 0) throw badRequest("key must not be empty");
  return {
    description: optString(o, "description"),
    expiresOn: expiresOn(o, "expiresOn"),
    key,
  };
}

export function bulkKeys(v: unknown): ApiKeyCreate[] {
  if (!Array.isArray(v) || v.length === 0) throw badRequest("body must be a non-empty array");
  return v.map((item, i) => apiKeyCreate(item, `[${i}]`));
}

export function managerCreate(v: unknown, field = "body"): ManagerCreate {
  const o = object(v, field, ["email", "sub"]);
  const prefix = field === "body" ? "" : `${field}.`;
  if (typeof o.sub !== "string" || o.sub.length === 0) {
    throw badRequest(`${prefix}sub must be a non-empty string`);
  }
  return { email: email(o.email, `${prefix}email`), sub: o.sub };
}

export function consumerCreate(v: unknown): ConsumerCreate {
  const o = object(v, "body", ["name", "description", "tags", "metadata", "apiKeys", "managers"]);
  if (typeof o.name !== "string" || !CONSUMER_NAME.test(o.name)) {
    throw badRequest(`name must match ${CONSUMER_NAME.source}`);
  }
  let apiKeys: ApiKeyCreate[] | undefined;
  if (o.apiKeys !== undefined) {
    if (!Array.isArray(o.apiKeys)) throw badRequest("apiKeys must be an array");
    apiKeys = o.apiKeys.map((k, i) => apiKeyCreate(k, `apiKeys[${i}]`));
  }
  let managers: ConsumerCreate["managers"];
  if (o.managers !== undefined) {
    const list = o.managers;
    if (!Array.isArray(list)) throw badRequest("managers must be an array");
    if (list.every((m) => typeof m === "string")) {
      managers = list.map((m, i) => email(m, `managers[${i}]`));
    } else if (list.every(isObject)) {
      managers = list.map((m, i) => managerCreate(m, `managers[${i}]`));
    } else {
      throw badRequest("managers must be all email strings or all {email, sub} objects");
    }
  }
  return {
    name: o.name,
    description: optString(o, "description"),
    tags: tags(o.tags),
    metadata: metadata(o.metadata),
    apiKeys,
    managers,
  };
}

export function consumerUpdate(v: unknown): ConsumerUpdate {
  const o = object(v, "body", ["description", "tags", "metadata"]);
  return {
    description: optString(o, "description"),
    tags: tags(o.tags),
    metadata: metadata(o.metadata),
  };
}

export function rollKey(v: unknown): { expiresOn: string } {
  const o = object(v, "body", ["expiresOn"]);
  if (o.expiresOn === undefined) throw badRequest("expiresOn is required");
  return { expiresOn: dateTime(o.expiresOn, "expiresOn") };
}

// Query parameters.

function queryInt(
  q: URLSearchParams,
  name: string,
  range: { minimum: number; maximum?: number },
  fallback: number,
): number {
  const raw = q.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  const { minimum, maximum = Number.MAX_SAFE_INTEGER } = range;
  if (raw.trim() === "" || !Number.isInteger(n) || n < minimum || n > maximum) {
    const bounds = range.maximum === undefined ? `>= ${minimum}` : `${minimum}..${maximum}`;
    throw badRequest(`${name} must be an integer ${bounds}`);
  }
  return n;
}

/** `limit` and `offset`, with the spec's bounds and defaults. */
export function queryPaging(q: URLSearchParams): { limit: number; offset: number } {
  return {
    limit: queryInt(q, "limit", rules.limit, rules.limit.default),
    offset: queryInt(q, "offset", rules.offset, rules.offset.minimum),
  };
}

export function queryBool(q: URLSearchParams, name: string): boolean {
  const raw = q.get(name);
  if (raw === null) return false;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw badRequest(`${name} must be true or false`);
}

export function queryKeyFormat(q: URLSearchParams): KeyFormat {
  const raw = q.get("key-format");
  if (raw === null) return "masked";
  if (raw === "none" || raw === "visible" || raw === "masked") return raw;
  throw badRequest("key-format must be one of none, visible, masked");
}

export function queryEmail(q: URLSearchParams, name: string): string | undefined {
  const raw = q.get(name);
  return raw === null ? undefined : email(raw, name);
}

/** `tag.<name>=<value>` parameters as a map. */
export function tagFilter(q: URLSearchParams): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const [k, v] of q) {
    if (!k.startsWith("tag.")) continue;
    const name = k.slice(4);
    if (name === "" || v === "") {
      throw badRequest(`tag filter ${k}=${v} needs a name and a value: tag.<name>=<value>`);
    }
    out ??= {};
    out[name] = v;
  }
  return out;
}
