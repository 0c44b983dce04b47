// Owns the wire: auth, User-Agent, query and path serialisation (on
// openapi-fetch), the per-attempt timeout, the retry loop and mapping every
// failure to a ZuploError. Nothing here keeps the Request or the API key.
import openapiFetch, { type Client } from "openapi-fetch";
import { routes } from "../generated/rules.js";
import type { paths } from "../generated/schema.js";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  InvalidResponseError,
  makeAPIError,
  ZuploError,
} from "./errors.js";
import type {
  OperationId,
  OperationParams,
  OperationResult,
  Problem,
  RequestOptions,
} from "./models.js";
import { type Page, PagePromise } from "./pagination.js";
import { isRetryable, retryDelay, sleep } from "./retry.js";
import { checkInteger, checkParams, checkString, fail } from "./validation.js";
import { VERSION } from "./version.js";

export interface ClientOptions {
  /** A Zuplo account API key (`zpka_...`), sent as `Authorization: Bearer`. Server-side only. */
  apiKey: string;
  /** The Zuplo account name. */
  accountName: string;
  /** Default `https://dev.zuplo.com`. */
  baseUrl?: string;
  /** Per attempt, default 10 000. */
  timeoutMs?: number;
  /** Default 2; 0 disables retries. */
  maxRetries?: number;
  /** Longest wait between attempts, default 30 000; a longer retry-after is not waited for. */
  maxRetryDelayMs?: number;
  /** Default `globalThis.fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Appended to `keysmith-client/<version>`. */
  userAgent?: string;
}

/** Serialises camelCased query options to kebab-case names and `tags` to `tag.<name>`. */
function querySerializer(query: Record<string, unknown>): string {
  const parts: string[] = [];
  const add = (name: string, value: unknown) => {
    if (value != null)
      parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  };
  for (const [name, value] of Object.entries(query)) {
    if (name === "tags" && value && typeof value === "object") {
      for (const [tag, tagValue] of Object.entries(value)) add(`tag.${tag}`, tagValue);
    } else
      add(
        name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
        value,
      );
  }
  return parts.join("&");
}

// In the CJS build the default import is openapi-fetch's whole `exports` object
// (esbuild's Node interop); its `.default` is the function.
const createClient: typeof openapiFetch =
  (openapiFetch as unknown as { default?: typeof openapiFetch }).default ?? openapiFetch;

export type Core = ReturnType<typeof createCore>;

export function createCore(options: ClientOptions) {
  const {
    apiKey,
    accountName,
    baseUrl = "https://dev.zuplo.com",
    timeoutMs = 10_000,
    maxRetries = 2,
    maxRetryDelayMs = 30_000,
    userAgent,
  } = options ?? fail("options", "must be an object");
  checkString("apiKey", apiKey);
  checkString("accountName", accountName);
  try {
    new URL(baseUrl);
  } catch {
    fail("baseUrl", "must be an absolute URL");
  }
  checkInteger("timeoutMs", timeoutMs, 1);
  checkInteger("maxRetries", maxRetries, 0);
  checkInteger("maxRetryDelayMs", maxRetryDelayMs, 0);

  const raw: Client<paths> = createClient<paths>({
    baseUrl,
    fetch: options.fetch,
    querySerializer,
    headers: {
      Authorization: `Bearer ${apiKey}`,
      "User-Agent": `keysmith-client/${VERSION}${userAgent ? ` ${userAgent}` : ""}`,
    },
  });

  // A server that echoes the key back must not put it into an error.
  const scrub = <T>(value: T): T =>
    value === undefined
      ? value
      : JSON.parse(JSON.stringify(value).split(apiKey).join("[redacted]"));

  async function attempt(
    method: string,
    path: string,
    params: Record<string, unknown>,
    { signal, timeoutMs: ms = timeoutMs, headers }: RequestOptions,
  ): Promise<unknown> {
    const { body, ...rest } = params;
    const query: Record<string, unknown> = {};
    const pathParams: Record<string, unknown> = { accountName };
    for (const [name, value] of Object.entries(rest))
      (path.includes(`{${name}}`) ? pathParams : query)[name] = value;

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms);
    const onAbort = () => controller.abort();
    signal?.addEventListener("abort", onAbort);
    try {
      if (signal?.aborted) throw new APIUserAbortError();
      const { data, error, response } = await (raw as unknown as LooseClient).request(
        method,
        path,
        {
          params: { path: pathParams, query },
          body,
          headers,
          signal: controller.signal,
          parseAs: "text",
        },
      );
      if (!response.ok)
        throw makeAPIError(
          response.status,
          scrub(error as Problem),
          scrub(Object.fromEntries(response.headers)),
        );
      if (response.status === 204) return undefined;
      try {
        return JSON.parse(data as string);
      } catch {
        throw new InvalidResponseError(response.status);
      }
    } catch (error) {
      if (signal?.aborted) throw new APIUserAbortError();
      if (error instanceof ZuploError) throw error;
      if (timedOut) throw new APIConnectionTimeoutError(ms);
      throw connectionError(error);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  // Keep only the innermost code or message of the failure, not the object:
  // a custom fetch could throw something that references the request's headers.
  function connectionError(error: unknown): APIConnectionError {
    let reason = error as { message?: string; code?: string; cause?: unknown };
    while (reason?.cause && typeof reason.cause === "object")
      reason = reason.cause as typeof reason;
    return new APIConnectionError(
      `Connection error: ${scrub(String(reason?.code ?? reason?.message ?? reason))}.`,
    );
  }

  /** Validates (common checks, then `check`), sends with retries, resolves to the parsed result. */
  async function call(
    op: OperationId,
    params: Record<string, unknown> = {},
    requestOptions: RequestOptions = {},
    check?: (params: never) => void,
  ): Promise<unknown> {
    const [method, path] = routes[op];
    checkParams(method, path, params);
    check?.(params as never);
    const retries = requestOptions.maxRetries ?? maxRetries;
    for (let n = 0; ; n++) {
      try {
        return await attempt(method, path, params, requestOptions);
      } catch (error) {
        const delay =
          n < retries && isRetryable(method, error) && retryDelay(n, error, maxRetryDelayMs);
        if (delay === false || delay === undefined) throw error;
        await sleep(delay, requestOptions.signal);
      }
    }
  }

  /** A resource method for one operation; `check` adds operation-specific input checks. */
  const method =
    <O extends OperationId>(op: O, check?: (params: OperationParams<O>) => void) =>
    (params?: OperationParams<O>, requestOptions?: RequestOptions) =>
      call(op, params, requestOptions, check) as Promise<OperationResult<O>>;

  /** A list method: returns a PagePromise walking `offset`. */
  const pages =
    <O extends OperationId>(op: O) =>
    (params?: OperationParams<O>, requestOptions?: RequestOptions) =>
      new PagePromise(
        async (offset) => {
          const page = (await call(op, { ...params, offset }, requestOptions)) as Page;
          if (!Array.isArray(page?.data)) throw new InvalidResponseError(200);
          return page as ListResult<O>;
        },
        (params as Page | undefined)?.offset,
        (params as Page | undefined)?.limit,
      );

  return { raw, method: method as MethodFactory, pages: pages as PagesFactory };
}

type ListResult<O extends OperationId> = Extract<OperationResult<O>, Page>;

/** Params are optional only where the operation has no required ones. */
export type Method<O extends OperationId> =
  Partial<OperationParams<O>> extends OperationParams<O>
    ? (params?: OperationParams<O>, options?: RequestOptions) => Promise<OperationResult<O>>
    : (params: OperationParams<O>, options?: RequestOptions) => Promise<OperationResult<O>>;
export type ListMethod<O extends OperationId> = (
  params: OperationParams<O>,
  options?: RequestOptions,
) => PagePromise<ListResult<O>>;
type MethodFactory = <O extends OperationId>(
  op: O,
  check?: (params: OperationParams<O>) => void,
) => Method<O>;
type PagesFactory = <O extends OperationId>(op: O) => ListMethod<O>;

type LooseClient = {
  request(
    method: string,
    path: string,
    init: Record<string, unknown>,
  ): Promise<{ data?: unknown; error?: unknown; response: Response }>;
};
