// The fake's routing: the spec's operations (the client's generated `routes`) matched to the
// handlers of handlers/*.ts. The spec owns methods and paths; this file owns only the matching.
import { routes } from "@keysmith/client";
import type { Handler } from "./context.js";
import * as buckets from "./handlers/buckets.js";
import * as consumers from "./handlers/consumers.js";
import * as keys from "./handlers/keys.js";
import * as managers from "./handlers/managers.js";
import { HttpError } from "./problem.js";
import type { OperationId } from "./spec-types.js";

const handlerModules = { buckets, consumers, keys, managers };
const DEFINED = { ...buckets, ...consumers, ...keys, ...managers } satisfies Partial<
  Record<OperationId, Handler>
>;

/**
 * Compile-time check that every operation of the spec has a handler: a missing one fails
 * here with "Type '"getConsumerUsage: export a handler …"' does not satisfy the constraint
 * 'never'" (and at test time, see missingHandlers).
 */
export type EveryOperationHasAHandler =
  NoneMissing<`${Exclude<OperationId, keyof typeof DEFINED>}: export a handler \`function <operationId>(ctx: Ctx): Reply\` from apps/mock/src/fake/handlers/<resource>.ts`>;
type NoneMissing<T extends never> = T;

const HANDLERS: Record<string, Handler | undefined> = DEFINED;

/** The handlers file an operation belongs in: the last resource its path names. */
export function handlerFileOf(operation: OperationId): string {
  const segments = routes[operation][1].split("/");
  const resource = ["managers", "keys", "consumers"].find((r) => segments.includes(r));
  return `apps/mock/src/fake/handlers/${resource ?? "buckets"}.ts`;
}

/** Operations of the spec without a handler, each with what to add where. */
export function missingHandlers(): string[] {
  return (Object.keys(routes) as OperationId[])
    .filter((op) => typeof HANDLERS[op] !== "function")
    .map((op) => `${op}: export \`function ${op}(ctx: Ctx): Reply\` from ${handlerFileOf(op)}`);
}

/** Handlers exported from handlers/*.ts that name no operation of the spec. */
export function staleHandlers(): string[] {
  return Object.entries(handlerModules).flatMap(([file, mod]) =>
    Object.keys(mod)
      .filter((name) => !(name in routes))
      .map((name) => `${name} (apps/mock/src/fake/handlers/${file}.ts)`),
  );
}

interface Route {
  method: string;
  /** Path segments; `{name}` segments are parameters. */
  segments: string[];
  operation: OperationId;
  handler: Handler;
}

// A missing handler answers 501 naming the file to edit (a type error first, though).
function unimplemented(operation: OperationId): Handler {
  return () => {
    throw new HttpError(
      501,
      `The fake has no handler for ${operation}: add it to ${handlerFileOf(operation)}.`,
    );
  };
}

const ROUTES: Route[] = (Object.entries(routes) as [OperationId, readonly [string, string]][]).map(
  ([operation, [method, path]]) => ({
    method,
    segments: path.split("/").slice(1),
    operation,
    handler: HANDLERS[operation] ?? unimplemented(operation),
  }),
);

const isParam = (segment: string) => segment.startsWith("{") && segment.endsWith("}");

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
    if (isParam(seg)) {
      if (part === "") return undefined;
      params[seg.slice(1, -1)] = part;
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
