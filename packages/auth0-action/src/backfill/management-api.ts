import { setTimeout as sleep } from "node:timers/promises";
import { parseRetryAfter, redactSecrets, retryDelay } from "@keysmith/client";
import { Pacer } from "./pacer.js";

// A tiny Management API client on Node's fetch: client-credentials token, JSON requests,
// 429 → Auth0RateLimitError with the wait Auth0 asks for. Plain fetch rather than the auth0
// SDK keeps the shipped bin free of runtime dependencies.

export interface ManagementApiOptions {
  /** Bare host, e.g. `tenant.eu.auth0.com`. */
  domain: string;
  clientId: string;
  clientSecret: string;
  /** For tests only: send `https://<domain>` requests to this origin (KEYSMITH_AUTH0_ORIGIN). */
  origin?: string | undefined;
  /** Paces every request to this tenant from its rate-limit headers; paused on each 429. */
  pacer?: Pacer;
  /** Tries per call while answered 429 (only that call is retried), default 8. */
  maxRateLimitAttempts?: number;

  /** Per request, default 30 000. */
  timeoutMs?: number;
  /** Whole export download, body included, default 30 minutes. */
  downloadTimeoutMs?: number;
  /** Retries after a 5xx or a connection failure (not after 429: callers decide), default 2. */
  maxRetries?: number;
  fetch?: typeof fetch;
  /** Called with each access token as soon as it is obtained (add it to what you redact). */
  onToken?: (token: string) => void;
}

/** A Management API answer other than 2xx, or no answer. Never carries a token or secret. */
export class Auth0ApiError extends Error {
  override name = "Auth0ApiError";
  constructor(
    /** 0 when the request got no answer. */
    readonly status: number,
    /** `METHOD /path` (no query, no host). */
    readonly endpoint: string,
    detail: string,
  ) {
    super(`Auth0 ${endpoint} ${status === 0 ? "failed" : `answered ${status}`}: ${detail}`);
  }
}

/** 429: wait `waitMs` (from `x-ratelimit-reset` or `retry-after`) and try again. */
export class Auth0RateLimitError extends Auth0ApiError {
  override name = "Auth0RateLimitError";
  constructor(
    endpoint: string,
    readonly waitMs: number,
  ) {
    super(429, endpoint, `rate limited, retry in ${Math.ceil(waitMs / 1000)} s`);
  }
}

/** The reason a request's own timeout aborts it with. */
class TimeoutMarker extends Error {}

const MIN_WAIT_MS = 200;
/** Longest backoff between retries of a 5xx or a connection failure. */
const MAX_RETRY_WAIT_MS = 4000;
/** The client's full-jitter backoff, for retry `attempt` (0-based). */
const backoff = (attempt: number) => retryDelay(attempt, undefined, MAX_RETRY_WAIT_MS) ?? 0;
const DEFAULT_WAIT_MS = 1000;

/**
 * How long a 429 asks us to wait: `retry-after` (seconds or HTTP date) and
 * `x-ratelimit-reset` (epoch seconds when the bucket refills), the later of the two, plus a
 * little jitter so that paused workers do not all fire in the same millisecond.
 */
export function rateLimitWaitMs(
  headers: Headers,
  now = Date.now(),
  random: () => number = Math.random,
): number {
  const waits: number[] = [];
  const retryAfter = parseRetryAfter(Object.fromEntries(headers));
  if (retryAfter !== undefined) waits.push(retryAfter);
  const reset = Number(headers.get("x-ratelimit-reset"));
  if (headers.get("x-ratelimit-reset") && Number.isFinite(reset)) waits.push(reset * 1000 - now);
  const asked = waits.length > 0 ? Math.max(...waits) : DEFAULT_WAIT_MS;
  return Math.max(MIN_WAIT_MS, asked) + Math.floor(random() * 100);
}

export interface RequestInput {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Aborts the call, its 429 waits and retries included (Ctrl-C). */
  signal?: AbortSignal | undefined;
}

export type ManagementApi = ReturnType<typeof createManagementApi>;

export function createManagementApi(options: ManagementApiOptions) {
  const {
    domain,
    clientId,
    clientSecret,
    origin,
    pacer = new Pacer("auth0"),
    maxRateLimitAttempts = 8,
    timeoutMs = 30_000,
    maxRetries = 2,
    downloadTimeoutMs = 30 * 60_000,
  } = options;
  const doFetch = options.fetch ?? fetch;
  const base = (origin ?? `https://${domain}`).replace(/\/+$/, "");
  let token: { value: string; expiresAt: number } | undefined;
  let pendingToken: Promise<string> | undefined;

  async function send(
    method: string,
    url: string,
    endpoint: string,
    init: RequestInit,
    signal: AbortSignal | undefined,
    ms = timeoutMs,
    keepTimer = false,
  ): Promise<Response> {
    // One controller per request, linked by hand: AbortSignal.any() on a run-long signal
    // keeps every dependent alive in Node 20 and slows each later request down.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutMarker()), ms);
    timer.unref();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    if (signal?.aborted) onAbort();
    try {
      return await doFetch(url, { ...init, method, signal: controller.signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      // Only the innermost code: a fetch error could reference the request and its headers.
      let cause = error as { code?: string; name?: string; cause?: unknown };
      while (cause?.cause && typeof cause.cause === "object") cause = cause.cause as typeof cause;
      const timedOut = controller.signal.reason instanceof TimeoutMarker;
      const why = timedOut ? `timeout after ${ms} ms` : cause?.code;
      throw new Auth0ApiError(0, endpoint, why ?? "connection failed");
    } finally {
      // The body of a download is read after this returns: keep its timer, drop the rest.
      if (!keepTimer) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  async function failure(response: Response, endpoint: string): Promise<Auth0ApiError> {
    if (response.status === 429) {
      await response.body?.cancel();
      return new Auth0RateLimitError(endpoint, rateLimitWaitMs(response.headers));
    }
    const text = await response.text().catch(() => "");
    let detail = text.slice(0, 200);
    try {
      const body = JSON.parse(text) as { message?: unknown; error_description?: unknown };
      const message = body.message ?? body.error_description;
      if (typeof message === "string") detail = message.slice(0, 200);
    } catch {
      // not JSON: keep the text
    }
    // A server may echo what it was sent: never let the token or the secret into the error.
    detail = redactSecrets(detail, [token?.value, clientSecret]);
    return new Auth0ApiError(response.status, endpoint, detail || response.statusText);
  }

  async function fetchToken(): Promise<string> {
    const endpoint = "POST /oauth/token";
    const response = await send(
      "POST",
      `${base}/oauth/token`,
      endpoint,
      {
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          grant_type: "client_credentials",
          client_id: clientId,
          client_secret: clientSecret,
          audience: `https://${domain}/api/v2/`,
        }),
      },
      undefined,
    );
    if (!response.ok) {
      const error = await failure(response, endpoint);
      if (response.status === 401 || response.status === 403) {
        throw new Auth0ApiError(
          response.status,
          endpoint,
          "check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (a machine-to-machine app authorised for the Management API)",
        );
      }
      throw error;
    }
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== "string") {
      throw new Auth0ApiError(response.status, endpoint, "no access_token in the answer");
    }
    options.onToken?.(body.access_token);
    const lifetime = typeof body.expires_in === "number" ? body.expires_in : 3600;
    // Renew a minute early: a long backfill outlives a token.
    token = { value: body.access_token, expiresAt: Date.now() + (lifetime - 60) * 1000 };
    return body.access_token;
  }

  function accessToken(): Promise<string> {
    if (token && token.expiresAt > Date.now()) return Promise.resolve(token.value);
    pendingToken ??= fetchToken().finally(() => {
      pendingToken = undefined;
    });
    return pendingToken;
  }

  /** A JSON request to the Management API (`path` starts with `/api/v2/`). */
  async function request<T>(method: string, path: string, input: RequestInput = {}): Promise<T> {
    const endpoint = `${method} ${path}`;
    const url = new URL(base + path);
    for (const [name, value] of Object.entries(input.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const { signal } = input;
    for (let attempt = 0, limited = 0, renewed = false; ; attempt++) {
      await pacer.acquire(signal);
      const headers: Record<string, string> = {
        authorization: `Bearer ${await accessToken()}`,
        accept: "application/json",
      };
      if (input.body !== undefined) headers["content-type"] = "application/json";
      let response: Response;
      try {
        response = await send(
          method,
          url.href,
          endpoint,
          { headers, ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}) },
          signal,
        );
      } catch (error) {
        pacer.observe(new Headers(), 0);
        if (attempt < maxRetries && !signal?.aborted) {
          await sleep(backoff(attempt), undefined, signal ? { signal } : {});
          continue;
        }
        throw error;
      }
      pacer.observe(response.headers, response.status);
      if (response.status === 429 && ++limited < maxRateLimitAttempts) {
        // Only this call goes again; everyone waits a few refill slots (more at each repeat).
        const asked = rateLimitWaitMs(response.headers);
        // retry-after is an instruction: honour it; a reset time only says when it is full.
        const retryAfter = parseRetryAfter(Object.fromEntries(response.headers));
        pacer.pause(retryAfter !== undefined ? asked : pacer.backoffMs(limited, asked));
        await response.body?.cancel();
        attempt--;
        continue;
      }
      if (response.ok) {
        if (response.status === 204) return undefined as T;
        return (await response.json()) as T;
      }
      if (response.status === 401 && !renewed) {
        // The token expired or was revoked mid-run: fetch a new one once.
        renewed = true;
        token = undefined;
        await response.body?.cancel();
        continue;
      }
      if (response.status >= 500 && attempt < maxRetries) {
        await response.body?.cancel();
        await sleep(backoff(attempt), undefined, signal ? { signal } : {});
        continue;
      }
      throw await failure(response, endpoint);
    }
  }

  /**
   * Downloads a pre-signed URL (an export file). No Authorization header: the URL carries
   * its own signature, and the token must never go to a storage host.
   */
  async function download(location: string, signal?: AbortSignal): Promise<Response> {
    const endpoint = "GET <export location>";
    // The signal also bounds reading the body: allow a large file its time.
    const response = await send("GET", location, endpoint, {}, signal, downloadTimeoutMs, true);
    if (!response.ok) throw await failure(response, endpoint);
    return response;
  }

  return { request, download, pacer };
}

/** The Management API path of one user. */
export function userPath(userId: string): string {
  return `/api/v2/users/${encodeURIComponent(userId)}`;
}

/**
 * Writes a user's app_metadata; "gone" when Auth0 no longer has the user. Auth0 merges
 * app_metadata at the first level: other keys stay; null removes a key.
 */
export async function writeAppMetadata(
  api: ManagementApi,
  userId: string,
  appMetadata: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<"written" | "gone"> {
  try {
    await api.request("PATCH", userPath(userId), { body: { app_metadata: appMetadata }, signal });
    return "written";
  } catch (error) {
    if (error instanceof Auth0ApiError && error.status === 404) return "gone";
    throw error;
  }
}
