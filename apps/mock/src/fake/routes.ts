import type { Handler } from "./context.js";
import * as buckets from "./handlers/buckets.js";
import * as consumers from "./handlers/consumers.js";
import * as keys from "./handlers/keys.js";
import * as managers from "./handlers/managers.js";
import type { OperationId } from "./spec-types.js";

// Record<OperationId, …>: the compiler fails if an operation of the spec is missing.
const HANDLERS: Record<OperationId, Handler> = {
  ...buckets,
  ...consumers,
  ...keys,
  ...managers,
};

const ACCOUNT = "/v1/accounts/:accountName/key-buckets";
const BUCKET = `${ACCOUNT}/:bucketName`;
const CONSUMER = `${BUCKET}/consumers/:consumerName`;

const TABLE: [method: string, path: string, operation: OperationId][] = [
  ["GET", "/v1/who-am-i", "whoAmI"],
  ["GET", ACCOUNT, "listBuckets"],
  ["POST", ACCOUNT, "createBucket"],
  ["GET", BUCKET, "getBucket"],
  ["PATCH", BUCKET, "updateBucket"],
  ["DELETE", BUCKET, "deleteBucket"],
  ["GET", `${BUCKET}/consumers`, "listConsumers"],
  ["POST", `${BUCKET}/consumers`, "createConsumer"],
  ["GET", CONSUMER, "getConsumer"],
  ["PATCH", CONSUMER, "updateConsumer"],
  ["DELETE", CONSUMER, "deleteConsumer"],
  ["POST", `${CONSUMER}/roll-key`, "rollConsumerKey"],
  ["GET", `${CONSUMER}/keys`, "listKeys"],
  ["POST", `${CONSUMER}/keys`, "createKey"],
  ["POST", `${CONSUMER}/keys/$bulk`, "bulkCreateKeys"],
  ["GET", `${CONSUMER}/keys/:keyId`, "getKey"],
  ["PATCH", `${CONSUMER}/keys/:keyId`, "updateKey"],
  ["DELETE", `${CONSUMER}/keys/:keyId`, "deleteKey"],
  ["GET", `${CONSUMER}/managers`, "listManagers"],
  ["POST", `${CONSUMER}/managers`, "createManager"],
  ["DELETE", `${CONSUMER}/managers/:managerId`, "deleteManager"],
];

interface Route {
  method: string;
  segments: string[];
  operation: OperationId;
  handler: Handler;
}

const ROUTES: Route[] = TABLE.map(([method, path, operation]) => ({
  method,
  segments: path.split("/").slice(1),
  operation,
  handler: HANDLERS[operation],
}));

export interface Match {
  operation: OperationId;
  handler: Handler;
  params: Record<string, string>;
}

export type RouteResult =
  | { kind: "match"; match: Match }
  | { kind: "wrong-method"; allowed: string[] }
  | { kind: "none" };

function matchPath(route: Route, parts: string[]): Record<string, string> | undefined {
  if (route.segments.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const seg = route.segments[i] as string;
    const part = parts[i] as string;
    if (seg.startsWith(":")) {
      if (part === "") return undefined;
      params[seg.slice(1)] = part;
    } else if (seg !== part) return undefined;
  }
  return params;
}

/** Finds the operation for a method and a decoded path (literal segments such as `$bulk` win). */
export function route(method: string, pathname: string): RouteResult {
  let parts: string[];
  try {
    parts = pathname.split("/").slice(1).map(decodeURIComponent);
  } catch {
    return { kind: "none" };
  }
  const allowed: string[] = [];
  let best: Match | undefined;
  let bestLiterals = -1;
  for (const r of ROUTES) {
    const params = matchPath(r, parts);
    if (!params) continue;
    if (r.method !== method) {
      allowed.push(r.method);
      continue;
    }
    const literals = r.segments.length - Object.keys(params).length;
    if (literals > bestLiterals) {
      best = { operation: r.operation, handler: r.handler, params };
      bestLiterals = literals;
    }
  }
  if (best) return { kind: "match", match: best };
  return allowed.length > 0 ? { kind: "wrong-method", allowed } : { kind: "none" };
}

/** Operation for a method and path, for scoping faults and logging. */
export function operationOf(method: string, pathname: string): OperationId | undefined {
  const r = route(method, pathname);
  return r.kind === "match" ? r.match.operation : undefined;
}
