import {
  APIConnectionError,
  InternalServerError,
  RateLimitError,
  retryDelay,
} from "@keysmith/client";
import { Auth0RateLimitError } from "./management-api.js";
import type { RateGate } from "./rate-gate.js";

export interface Gates {
  auth0: RateGate;
  zuplo: RateGate;
}

/** Zuplo's default when a 429 carries no retry-after. */
const ZUPLO_DEFAULT_WAIT_MS = 1000;

export function isRateLimit(error: unknown): boolean {
  return error instanceof Auth0RateLimitError || error instanceof RateLimitError;
}

/**
 * If `error` is a 429 from either side, pauses that side's gate for as long as the server
 * asked and returns true (the caller retries); otherwise false.
 */
export function pauseForRateLimit(error: unknown, gates: Gates): boolean {
  if (error instanceof Auth0RateLimitError) {
    // The Management API client already paused the gate when it saw the 429.
    return true;
  }
  if (error instanceof RateLimitError) {
    gates.zuplo.pause(error.retryAfterMs ?? ZUPLO_DEFAULT_WAIT_MS);
    return true;
  }
  return false;
}

/** Runs `fn`, and again after each 429 once the gates open, at most `attempts` times. */
export async function retryRateLimited<T>(
  fn: () => Promise<T>,
  gates: Gates,
  attempts: number,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= attempts || !pauseForRateLimit(error, gates)) throw error;
      await gates.auth0.wait();
      await gates.zuplo.wait();
    }
  }
}

/**
 * A Zuplo failure worth another try: 5xx, timeout, connection. Retrying a user is safe even
 * when a create may have happened: the next attempt gets 409 and adopts the consumer.
 */
export function isTransientZuplo(error: unknown): boolean {
  return error instanceof InternalServerError || error instanceof APIConnectionError;
}

/** Longest wait before retrying a user after a transient failure (a retry-after included). */
const MAX_TRANSIENT_WAIT_MS = 8000;

/**
 * The client's backoff before retry `n` (1-based) after a transient failure: full jitter, or
 * the server's retry-after when it sent one (capped at MAX_TRANSIENT_WAIT_MS).
 */
export function transientBackoffMs(n: number, error?: unknown): number {
  return retryDelay(n - 1, error, MAX_TRANSIENT_WAIT_MS) ?? MAX_TRANSIENT_WAIT_MS;
}
