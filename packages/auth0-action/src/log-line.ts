import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  InvalidInputError,
  InvalidResponseError,
  PermissionDeniedError,
  RateLimitError,
} from "@keysmith/client";
import { MAX_RESPONSE_BYTES } from "./budgeted-client.js";
import { toLine } from "./error-line.js";

/**
 * An error whose message this package built from fixed words and numbers only (never a
 * server's text, a token or a secret), so a log line may show it as it is.
 */
export class LoggableError extends Error {}

/** Auth0 keeps about 256 characters of log output per execution. */
export const MAX_LOG_LINE = 256;
const PREFIX = "keysmith:";

/** The shared one-line rule (error-line.ts) at Auth0's log length. */
export function safeLine(line: string, secrets: readonly string[] = []): string {
  return toLine(line, secrets, MAX_LOG_LINE);
}

/** A short user label for logs: user ids are not secret, but keep lines short. */
export function userLabel(userId: string): string {
  return userId.length > 64 ? `${userId.slice(0, 63)}…` : userId;
}

export function logLine(message: string, secrets: readonly string[] = []): void {
  console.log(safeLine(`${PREFIX} ${message}`, secrets));
}

export interface FailureContext {
  attemptTimeoutMs: number;
  budgetMs: number;
  budgetSignal: AbortSignal;
}

/** Why provisioning failed, in a few words; never the error's own message (it may quote a body). */
export function describeFailure(error: unknown, ctx: FailureContext): string {
  if (error instanceof APIUserAbortError || ctx.budgetSignal.aborted) {
    return `timeout after ${ctx.budgetMs} ms (time budget used up)`;
  }
  if (error instanceof APIConnectionTimeoutError) {
    return `timeout after ${ctx.attemptTimeoutMs} ms (key service did not answer)`;
  }
  if (error instanceof APIConnectionError) {
    return "could not reach the key service (connection failed)";
  }
  if (error instanceof InvalidResponseError && error.message.includes("maxResponseBytes")) {
    // The client's cap on response size (budgeted-client.ts) says so in its message.
    return `key service sent an oversized response (over ${MAX_RESPONSE_BYTES} bytes)`;
  }
  if (error instanceof InvalidResponseError) {
    return `key service sent an unreadable response (status ${error.status})`;
  }
  if (error instanceof AuthenticationError) {
    return "Zuplo rejected the API key (401): check secret ZUPLO_API_KEY";
  }
  if (error instanceof PermissionDeniedError) {
    return "Zuplo API key lacks access (403): check ZUPLO_API_KEY and ZUPLO_ACCOUNT_NAME";
  }
  if (error instanceof RateLimitError) {
    const after = error.retryAfterMs;
    return typeof after === "number" && Number.isFinite(after)
      ? `rate limited (429, retry-after ${Math.ceil(after / 1000)} s)`
      : "rate limited (429)";
  }
  if (error instanceof APIError) {
    if (error.status === 404) {
      return "not found (404): check ZUPLO_ACCOUNT_NAME and ZUPLO_BUCKET_NAME";
    }
    return `key service answered ${error.status}`;
  }
  if (error instanceof InvalidInputError) return `invalid input (${error.field})`;
  if (error instanceof LoggableError) return error.message;
  if (error instanceof Error) return `unexpected ${error.name}`;
  return "unexpected error";
}
