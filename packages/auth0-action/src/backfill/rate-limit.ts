import { APIConnectionError, InternalServerError, RateLimitError } from "@keysmith/client";
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

/** Full-jitter backoff before retry `n` (1-based) after a transient failure. */
export function transientBackoffMs(n: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(8000, 500 * 2 ** (n - 1)));
}
