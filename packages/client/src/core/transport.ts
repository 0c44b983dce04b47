// Owns the wire: auth, User-Agent, query and path serialisation (the wire form
// openapi-fetch gives, from routes split once), the per-attempt timeout, the
// retry loop, the byte cap and mapping every failure to a ZuploError. The
// client's calls go to `fetch(url, init)` directly: no Request is built around
// the per-attempt signal (that costs a second signal link in undici). No
// openapi-fetch here (only `raw` uses it), so a bundle without `raw` leaves it
// out. Nothing here keeps the request or the API key.
import { routes } from "../generated/rules.js";
import { MAX_ERROR_BODY_BYTES, readCapped } from "./body.js";
import { clearDeadline, setDeadline, TIMED_OUT } from "./deadlines.js";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  InvalidResponseError,
  makeAPIError,
  parseRetryAfter,
  ZuploError,
} from "./errors.js";
import type {
  OperationId,
  OperationParams,
  OperationResult,
  Problem,
  RequestOptions,
} from "./models.js";
import { type ClientOptions, resolveOptions } from "./options.js";
import { type Page, PagePromise } from "./pagination.js";
import { printable } from "./printable.js";
import { deleteDone, isRetryable, mayHaveBeenCarriedOut, retryDelay, sleep } from "./retry.js";
import { redactor } from "./secrets.js";
import { checkInteger, checkParams, fail, MAX_TIMER_MS } from "./validation.js";
import { VERSION } from "./version.js";

export type { ClientOptions, FetchLike } from "./options.js";

/** Causes followed to find the innermost reason of a connection failure (cycles end sooner). */
const MAX_CAUSES = 8;

/**
 * Serialises camelCased query options to kebab-case names and `tags` to `tag.<name>`
 * (`raw` uses it too). With `skip` (a split route), path params and `body` are left out.
 */
export function querySerializer(query: Record<string, unknown>, skip?: string[]): string {
  let search = "";
  for (const name of Object.keys(query)) {
    if (skip && (name === "body" || skip.includes(name))) continue;
    const value = query[name];
    if (name === "tags" && value && typeof value === "object") {
      for (const [tag, tagValue] of Object.entries(value))
        if (tagValue != null)
          search += `&${encodeURIComponent(`tag.${tag}`)}=${encodeURIComponent(String(tagValue))}`;
    } else if (value != null) {
      search += `&${wireName(name)}=${encodeURIComponent(String(value))}`;
    }
  }
  return search.slice(1);
}

/** Query names on the wire (`includeApiKeys` -> `include-api-keys`), encoded, computed once per name. */
const wireNames = new Map<string, string>();
function wireName(name: string): string {
  let wire = wireNames.get(name);
  if (wire === undefined) {
    wire = encodeURIComponent(name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
    // Bounded: the resources pass only the spec's names (checkParams), but `raw` passes
    // whatever names it is given.
    if (wireNames.size < 256) wireNames.set(name, wire);
  }
  return wire;
}

/** Each route's template split once at its params: even entries are literal, odd ones param names. */
const splitRoutes = new Map<OperationId, string[]>();

export type Core = ReturnType<typeof createCore>;

export function createCore(options: ClientOptions) {
  const {
    apiKey,
    accountName,
    baseUrl,
    timeoutMs,
    maxRetries,
    maxRetryDelayMs,
    maxResponseBytes,
    userAgent,
    fetch: customFetch,
  } = resolveOptions(options);
  const baseHeaders = {
    authorization: `Bearer ${apiKey}`,
    "user-agent": `keysmith-client/${VERSION}${userAgent ? ` ${userAgent}` : ""}`,
  };

  // A server that echoes the key back must not put it into an error.
  const redact = redactor(apiKey);

  /** One request, no retry: resolves to the parsed 2xx body, or throws a ZuploError. */
  async function attempt(
    method: string,
    pieces: string[],
    params: Record<string, unknown>,
    { signal, timeoutMs: ms = timeoutMs, headers }: RequestOptions,
  ): Promise<unknown> {
    // Path params are checked non-empty strings (checkParams), percent-encoded as
    // openapi-fetch's simple style does. Every other param but body is query.
    let url = baseUrl;
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] as string;
      url +=
        i % 2
          ? encodeURIComponent((piece === "accountName" ? accountName : params[piece]) as string)
          : piece;
    }
    const search = querySerializer(params, pieces);
    if (search) url += `?${search}`;
    const init: RequestInit = { method, redirect: "manual" };
    let requestHeaders: Record<string, string> = baseHeaders;
    if (params.body !== undefined) {
      try {
        init.body = JSON.stringify(params.body);
      } catch {
        fail("body", "must be JSON data (no BigInt, no cycles)");
      }
      requestHeaders = { ...baseHeaders, "content-type": "application/json" };
    }
    if (headers) {
      requestHeaders = { ...requestHeaders };
      for (const name in headers) requestHeaders[name.toLowerCase()] = headers[name] as string;
    }
    init.headers = requestHeaders;

    const controller = new AbortController();
    const deadline = setDeadline(controller, ms);
    const onAbort = signal && (() => controller.abort());
    if (onAbort) signal.addEventListener("abort", onAbort);
    init.signal = controller.signal;
    try {
      if (signal?.aborted) throw new APIUserAbortError();
      const response = await (customFetch ?? fetch)(url, init);
      const { status } = response;
      if (status === 204) return undefined;
      if (status < 200 || status >= 300) {
        // 3xx: never followed, never read (the key service does not redirect).
        if (status < 400) await response.body?.cancel().catch(() => {});
        const { text } =
          status < 400
            ? { text: "" }
            : await readCapped(response, Math.min(maxResponseBytes, MAX_ERROR_BODY_BYTES));
        let problem: Problem | string | undefined = text || undefined;
        try {
          problem = JSON.parse(text);
        } catch {}
        const responseHeaders = Object.fromEntries(response.headers);
        throw makeAPIError(
          status,
          redact(problem),
          redact(responseHeaders),
          parseRetryAfter(responseHeaders),
        );
      }
      const { text, complete } = await readCapped(response, maxResponseBytes);
      if (!complete)
        throw new InvalidResponseError(
          status,
          `is over maxResponseBytes (${maxResponseBytes} bytes)`,
        );
      try {
        return JSON.parse(text);
      } catch {
        throw new InvalidResponseError(status);
      }
    } catch (error) {
      if (signal?.aborted) throw new APIUserAbortError();
      if (error instanceof ZuploError) throw error;
      if (controller.signal.reason === TIMED_OUT) throw new APIConnectionTimeoutError(ms);
      throw connectionError(error);
    } finally {
      clearDeadline(deadline);
      if (onAbort) signal.removeEventListener("abort", onAbort);
    }
  }

  // Keep only the innermost code or message of the failure, not the object:
  // a custom fetch could throw something that references the request's headers.
  // The walk is bounded: a cause chain can be cyclic or endless.
  function connectionError(error: unknown): APIConnectionError {
    let reason = error as { message?: unknown; code?: unknown; cause?: unknown } | undefined;
    const seen = new Set<unknown>();
    try {
      for (let depth = 0; depth < MAX_CAUSES && reason && !seen.has(reason); depth++) {
        seen.add(reason);
        const cause = reason.cause;
        if (!cause || typeof cause !== "object") break;
        reason = cause as typeof reason;
      }
    } catch {} // a throwing getter: keep what we have
    let text: string;
    try {
      text = String(reason?.code ?? reason?.message ?? reason);
    } catch {
      text = "unknown";
    }
    return new APIConnectionError(`Connection error: ${redact(printable(text, 200))}.`);
  }

  /** Validates (common checks, then `check`), sends with retries, resolves to the parsed result. */
  function call(
    op: OperationId,
    params: Record<string, unknown> = {},
    requestOptions: RequestOptions = {},
    check?: (params: never) => void,
  ): Promise<unknown> {
    const [method, path] = routes[op];
    let pieces = splitRoutes.get(op);
    if (!pieces) {
      pieces = path.split(/\{(\w+)\}/);
      splitRoutes.set(op, pieces);
    }
    try {
      checkParams(op, params);
      check?.(params as never);
      checkInteger("timeoutMs", requestOptions.timeoutMs, 1, MAX_TIMER_MS);
      checkInteger("maxRetries", requestOptions.maxRetries, 0);
    } catch (error) {
      return Promise.reject(error);
    }
    // A first attempt that succeeds (the common case) costs no retry frame.
    return attempt(method, pieces, params, requestOptions).catch((error: unknown) =>
      retry(method, pieces, params, requestOptions, error),
    );
  }

  /** After the first attempt failed with `error`: waits and tries again while the policy allows. */
  async function retry(
    method: string,
    pieces: string[],
    params: Record<string, unknown>,
    requestOptions: RequestOptions,
    error: unknown,
  ): Promise<unknown> {
    const retries = requestOptions.maxRetries ?? maxRetries;
    let mayHaveRun = false;
    for (let n = 0; ; n++) {
      if (deleteDone(method, error, mayHaveRun)) return undefined;
      const delay =
        n < retries && isRetryable(method, error) && retryDelay(n, error, maxRetryDelayMs);
      if (delay === false || delay === undefined) throw error;
      mayHaveRun ||= mayHaveBeenCarriedOut(error);
      await sleep(delay, requestOptions.signal);
      try {
        return await attempt(method, pieces, params, requestOptions);
      } catch (next) {
        error = next;
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
        (offset) =>
          // The first page is asked for with the caller's own params (no copy).
          call(
            op,
            offset === (params as Page | undefined)?.offset ? params : { ...params, offset },
            requestOptions,
          ).then(checkPage) as Promise<ListResult<O>>,
        (params as Page | undefined)?.offset,
        (params as Page | undefined)?.limit,
      );

  // What `raw` (openapi-fetch, see raw.ts) is built from: the same base URL, headers and fetch.
  const wire = { baseUrl, headers: baseHeaders, fetch: customFetch };
  return { wire, method: method as MethodFactory, pages: pages as PagesFactory };
}

type ListResult<O extends OperationId> = Extract<OperationResult<O>, Page>;

function checkPage(page: unknown): Page {
  if (!Array.isArray((page as Page | undefined)?.data)) throw new InvalidResponseError(200);
  return page as Page;
}

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
