// The three ways of making the same two calls that every client benchmark compares:
// a hand-written fetch, bare openapi-fetch with the generated `paths`, and @keysmith/client.
import { createZuploClient, type paths } from "@keysmith/client";
import createClient from "openapi-fetch";
import {
  ACCOUNT,
  API_KEY,
  BUCKET,
  CONSUMERS_PATH,
  CREATE_BODY,
  consumersUrl,
  LIST_QUERY,
} from "./fixtures.js";

export type FetchLike = (input: Request | string, init?: RequestInit) => Promise<Response>;

/** One client: a GET with a query (listConsumers) and a POST with a body (createConsumer). */
export interface Contender {
  name: ContenderName;
  list(): Promise<unknown>;
  create(): Promise<unknown>;
}
export type ContenderName =
  | "fetch"
  | "openapi-fetch"
  | "@keysmith/client"
  | "openapi-fetch + signal"
  | "openapi-fetch + signal + timer";
export const CONTENDERS: readonly ContenderName[] = ["fetch", "openapi-fetch", "@keysmith/client"];
/** Every ratio is against this one. */
export const BASELINE: ContenderName = "openapi-fetch";

function rawFetch(baseUrl: string, fetch: FetchLike): Contender {
  const url = consumersUrl(baseUrl);
  const auth = `Bearer ${API_KEY}`;
  const read = async (response: Response) => {
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  };
  return {
    name: "fetch",
    list: async () =>
      read(
        await fetch(`${url}?limit=${LIST_QUERY.limit}&offset=${LIST_QUERY.offset}`, {
          headers: { Authorization: auth },
        }),
      ),
    create: async () =>
      read(
        await fetch(url, {
          method: "POST",
          headers: { Authorization: auth, "Content-Type": "application/json" },
          body: JSON.stringify(CREATE_BODY),
        }),
      ),
  };
}

/**
 * `timeout` adds what @keysmith/client does per attempt for its timeout: "signal" passes a
 * new AbortController's signal into the Request, "timer" also arms and clears a setTimeout.
 */
function openapiFetch(baseUrl: string, fetch: FetchLike, timeout?: "signal" | "timer"): Contender {
  const client = createClient<paths>({
    baseUrl,
    fetch,
    headers: { Authorization: `Bearer ${API_KEY}` },
  });
  const path = { accountName: ACCOUNT, bucketName: BUCKET };
  const check = <T extends { error?: unknown; response: Response }>(result: T) => {
    if (!result.response.ok) throw new Error(`HTTP ${result.response.status}`);
    return result;
  };
  const guarded = async <T>(send: (signal?: AbortSignal) => Promise<T>): Promise<T> => {
    if (!timeout) return send();
    const controller = new AbortController();
    if (timeout === "signal") return send(controller.signal);
    const timer = setTimeout(() => controller.abort(), 10_000);
    try {
      return await send(controller.signal);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    name: timeout
      ? `openapi-fetch + ${timeout === "signal" ? "signal" : "signal + timer"}`
      : "openapi-fetch",
    list: () =>
      guarded(async (signal) =>
        check(
          await client.GET(CONSUMERS_PATH, {
            params: { path, query: { ...LIST_QUERY } },
            ...(signal && { signal }),
          }),
        ),
      ),
    create: () =>
      guarded(async (signal) =>
        check(
          await client.POST(CONSUMERS_PATH, {
            params: { path },
            body: CREATE_BODY,
            ...(signal && { signal }),
          }),
        ),
      ),
  };
}

function keysmith(baseUrl: string, fetch: FetchLike): Contender {
  const zuplo = createZuploClient({ apiKey: API_KEY, accountName: ACCOUNT, baseUrl, fetch });
  return {
    name: "@keysmith/client",
    list: async () => zuplo.consumers.list({ bucketName: BUCKET, ...LIST_QUERY }),
    create: () => zuplo.consumers.create({ bucketName: BUCKET, body: CREATE_BODY }),
  };
}

/** The three contenders, all sending through `fetch` (global fetch by default). */
export function contenders(baseUrl: string, fetch: FetchLike = globalThis.fetch): Contender[] {
  return [rawFetch(baseUrl, fetch), openapiFetch(baseUrl, fetch), keysmith(baseUrl, fetch)];
}

/** openapi-fetch plus, step by step, the per-attempt timeout machinery of @keysmith/client. */
export function timeoutSteps(baseUrl: string, fetch: FetchLike): Contender[] {
  return [openapiFetch(baseUrl, fetch, "signal"), openapiFetch(baseUrl, fetch, "timer")];
}
