// The error hierarchy: every failure the client reports is a ZuploError.
import type { Problem } from "./models.js";
import { printable } from "./printable.js";

/** Base of every error the client throws. Never carries the API key or the Request. */
export class ZuploError extends Error {
  override name = "ZuploError";

  toJSON(): object {
    return { ...this, message: this.message };
  }
}

const text = (value: unknown) => (typeof value === "string" && value ? value : undefined);

/** The service answered with a non-2xx status. */
export class APIError extends ZuploError {
  override name = "APIError";
  declare readonly status: number;
  /** The parsed Problem Details body, or the raw text when the body was not JSON. */
  declare readonly body: Problem | string | undefined;
  /** Response headers, lower-cased names. */
  declare readonly headers: Record<string, string>;
  declare readonly type?: string;
  declare readonly title?: string;
  declare readonly detail?: string;
  declare readonly instance?: string;
  /** Quote this to Zuplo support: `trace.requestId` of the body, else `x-request-id` / `zp-rid`. */
  declare readonly requestId?: string;
  /** The server's `retry-after`, in milliseconds, when it sent a valid one. */
  declare readonly retryAfterMs?: number;

  constructor(
    status: number,
    body: Problem | string | undefined,
    headers: Record<string, string>,
    retryAfterMs = parseRetryAfter(headers),
  ) {
    const problem: Partial<Problem> = body && typeof body === "object" ? body : {};
    // A hostile body can put anything in these fields: only strings are taken.
    const type = text(problem.type);
    const title = text(problem.title);
    const detail = text(problem.detail);
    const instance = text(problem.instance);
    // The message is one short printable line; the whole (bounded) body stays in `body`.
    const said = printable(detail ?? (typeof body === "string" ? body : ""), 200);
    super(`${status} ${printable(title ?? `HTTP ${status}`, 80)}${said ? `: ${said}` : ""}`);
    const requestId =
      text(problem.trace?.requestId) ?? headers["x-request-id"] ?? headers["zp-rid"];
    Object.assign(this, {
      status,
      body,
      headers,
      type,
      title,
      detail,
      instance,
      requestId,
      retryAfterMs,
    });
  }
}

export class BadRequestError extends APIError {
  override name = "BadRequestError";
}
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
}
export class NotFoundError extends APIError {
  override name = "NotFoundError";
}
export class ConflictError extends APIError {
  override name = "ConflictError";
}
export class RateLimitError extends APIError {
  override name = "RateLimitError";
}
export class InternalServerError extends APIError {
  override name = "InternalServerError";
}
/** A 3xx: the key service never redirects, so the client never follows one (the body is not kept). */
export class RedirectError extends APIError {
  override name = "RedirectError";
}

/** The request never got an answer (DNS, refused, reset connection...). */
export class APIConnectionError extends ZuploError {
  override name = "APIConnectionError";
  constructor(message = "Connection error.") {
    super(message);
  }
}

/** One attempt took longer than `timeoutMs`. */
export class APIConnectionTimeoutError extends APIConnectionError {
  override name = "APIConnectionTimeoutError";
  constructor(timeoutMs?: number) {
    super(`Request timed out${timeoutMs ? ` after ${timeoutMs} ms` : ""}.`);
  }
}

/** The caller's AbortSignal fired. Never retried. */
export class APIUserAbortError extends ZuploError {
  override name = "APIUserAbortError";
  constructor() {
    super("Request was aborted.");
  }
}

/** An input check failed; no request was sent. */
export class InvalidInputError extends ZuploError {
  override name = "InvalidInputError";
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`Invalid input: ${field} ${rule}`);
  }
}

/**
 * A 2xx answer the client cannot use: not the JSON the spec promises (garbled,
 * empty, a list without `data`), over `maxResponseBytes`, or pages that repeat.
 */
export class InvalidResponseError extends ZuploError {
  override name = "InvalidResponseError";
  constructor(
    readonly status: number,
    reason = "is not the JSON the spec promises",
  ) {
    super(`Invalid response: the ${status} body ${reason}.`);
  }
}

const byStatus: Record<number, typeof APIError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  429: RateLimitError,
};

/** Builds the APIError subclass that matches the status. */
export function makeAPIError(
  status: number,
  body: Problem | string | undefined,
  headers: Record<string, string>,
  retryAfterMs?: number,
): APIError {
  const Class =
    byStatus[status] ??
    (status >= 500
      ? InternalServerError
      : status >= 300 && status < 400
        ? RedirectError
        : APIError);
  return new Class(status, body, headers, retryAfterMs ?? parseRetryAfter(headers));
}

// RFC 9110 section 10.2.3: delta-seconds, or an HTTP-date (each of its three
// formats starts with a day name and holds hh:mm:ss). Anything else is ignored:
// Date.parse alone reads "-1" or "1 2" as dates in 2001.
const HTTP_DATE = /^[A-Z][a-z]{2}[a-z]*,? .*\d\d:\d\d:\d\d/;

/** `retry-after` (delta-seconds or an HTTP-date) in milliseconds, else undefined; header names lower-cased. */
export function parseRetryAfter(headers: Record<string, string>): number | undefined {
  const value = headers["retry-after"]?.trim() ?? "";
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // asctime carries no zone: it is GMT.
  const date = HTTP_DATE.test(value)
    ? Date.parse(value.endsWith("GMT") ? value : `${value} GMT`)
    : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
