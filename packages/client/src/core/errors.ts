import type { Problem } from "./models.js";

/** Base of every error the client throws. Never carries the API key or the Request. */
export class ZuploError extends Error {
  override name = "ZuploError";

  toJSON(): object {
    return { ...this, message: this.message };
  }
}

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

  constructor(status: number, body: Problem | string | undefined, headers: Record<string, string>) {
    const problem: Partial<Problem> = body && typeof body === "object" ? body : {};
    const { type, title, detail, instance } = problem;
    const text = detail ?? (typeof body === "string" ? body.slice(0, 200) : undefined);
    super(`${status} ${title ?? `HTTP ${status}`}${text ? `: ${text}` : ""}`);
    const requestId = problem.trace?.requestId ?? headers["x-request-id"] ?? headers["zp-rid"];
    Object.assign(this, { status, body, headers, type, title, detail, instance, requestId });
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
  /** The server's `retry-after`, in milliseconds, when it sent one. */
  readonly retryAfterMs = parseRetryAfter(this.headers);
}
export class InternalServerError extends APIError {
  override name = "InternalServerError";
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

/** A 2xx body was not the JSON the spec promises (garbled, empty, or a list without `data`). */
export class InvalidResponseError extends ZuploError {
  override name = "InvalidResponseError";
  constructor(readonly status: number) {
    super(`Invalid response: the ${status} body is not the JSON the spec promises.`);
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
): APIError {
  const Class = byStatus[status] ?? (status >= 500 ? InternalServerError : APIError);
  return new Class(status, body, headers);
}

/** `retry-after` (seconds or an HTTP-date) in milliseconds; header names lower-cased. */
export function parseRetryAfter(headers: Record<string, string>): number | undefined {
  const value = headers["retry-after"];
  if (!value) return undefined;
  const seconds = Number(value);
  if (seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
