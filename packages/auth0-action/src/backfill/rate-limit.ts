import { setTimeout as sleep } from "node:timers/promises";
import {
  APIConnectionError,
  InternalServerError,
  RateLimitError,
  retryDelay,
} from "@keysmith/client";
import { Auth0RateLimitError } from "./management-api.js";

export function isRateLimit(error: unknown): boolean {
  return error instanceof Auth0RateLimitError || error instanceof RateLimitError;
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

/**
 * Runs `fn` and, after a transient Zuplo failure, again after a backoff (at most
 * `maxAttempts` in all), unless `signal` stops the run. `fn` must be idempotent.
 */
export async function retryTransient<T>(
  fn: () => Promise<T>,
  maxAttempts: number,
  signal?: AbortSignal,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await fn();
    } catch (error) {
      if (n >= maxAttempts || !isTransientZuplo(error) || signal?.aborted) throw error;
      try {
        await sleep(transientBackoffMs(n, error), undefined, signal ? { signal } : {});
      } catch {
        throw error;
      }
    }
  }
}
