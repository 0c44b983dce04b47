// The client's options: their defaults and the checks that reject a bad one
// at creation, before any request, without ever quoting the API key.
import { DEFAULT_MAX_RESPONSE_BYTES } from "./body.js";
import { checkInteger, checkPathParam, checkString, fail, MAX_TIMER_MS } from "./validation.js";

/** A fetch as the WHATWG standard defines it (`globalThis.fetch` fits). */
export type FetchLike = (input: string | Request, init?: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /** A Zuplo account API key (`zpka_...`), sent as `Authorization: Bearer`. Server-side only. */
  apiKey: string;
  /** The Zuplo account name. */
  accountName: string;
  /** Default `https://dev.zuplo.com`; `https:` or `http:`, no user-info, query or fragment. */
  baseUrl?: string;
  /** Per attempt, default 10 000, at most 2^31-1. */
  timeoutMs?: number;
  /** Default 2; 0 disables retries. */
  maxRetries?: number;
  /** Longest wait between attempts, default 30 000, at most 2^31-1; a longer retry-after is not waited for. */
  maxRetryDelayMs?: number;
  /** Largest response body read, default 8 MiB; a larger 2xx body is an InvalidResponseError. */
  maxResponseBytes?: number;
  /** Default `globalThis.fetch`; called as `fetch(url, init)` (and by `raw` as `fetch(request)`). */
  fetch?: FetchLike;
  /** Appended to `keysmith-client/<version>`; printable ASCII. */
  userAgent?: string;
}

export type Resolved = Required<Omit<ClientOptions, "fetch" | "userAgent">> &
  Pick<ClientOptions, "fetch" | "userAgent">;

/** Validates the options and fills in the defaults; throws InvalidInputError naming the option. */
export function resolveOptions(options: ClientOptions): Resolved {
  const {
    apiKey: rawKey,
    accountName,
    baseUrl = "https://dev.zuplo.com",
    timeoutMs = 10_000,
    maxRetries = 2,
    maxRetryDelayMs = 30_000,
    maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES,
    userAgent,
  } = options ?? fail("options", "must be an object");
  // A secret file gives the key with a trailing newline: send (and redact) it trimmed.
  const apiKey = typeof rawKey === "string" ? rawKey.trim() : rawKey;
  checkString("apiKey", apiKey);
  if (/[^\x21-\x7e]/.test(apiKey))
    fail("apiKey", "must be printable ASCII without spaces or control characters");
  // It is a path segment of every call: `..` would address another path.
  checkPathParam("accountName", accountName);
  checkInteger("timeoutMs", timeoutMs, 1, MAX_TIMER_MS);
  checkInteger("maxRetries", maxRetries, 0);
  checkInteger("maxRetryDelayMs", maxRetryDelayMs, 0, MAX_TIMER_MS);
  checkInteger("maxResponseBytes", maxResponseBytes, 1);
  if (userAgent !== undefined && (typeof userAgent !== "string" || /[^\x20-\x7e]/.test(userAgent)))
    fail("userAgent", "must be printable ASCII (no line breaks or control characters)");
  return {
    apiKey,
    accountName,
    baseUrl: checkBaseUrl(baseUrl),
    timeoutMs,
    maxRetries,
    maxRetryDelayMs,
    maxResponseBytes,
    fetch: options.fetch,
    userAgent,
  };
}

/** An http(s) URL without user-info (it would leak into errors), query or fragment (they misroute). */
function checkBaseUrl(baseUrl: unknown): string {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl as string);
  } catch {}
  if (!url || !/^https?:$/.test(url.protocol))
    fail("baseUrl", "must be an absolute http: or https: URL");
  if (url.username || url.password) fail("baseUrl", "must not contain a user name or password");
  if (/[?#]/.test(baseUrl as string)) fail("baseUrl", "must not contain a query or fragment");
  return `${url.origin}${url.pathname}`.replace(/\/$/, "");
}
