// When to try again, and how long to wait first.
import {
  APIConnectionError,
  APIError,
  APIUserAbortError,
  NotFoundError,
  RateLimitError,
} from "./errors.js";

/** First backoff step; doubles each attempt (full jitter: a random wait up to it). */
export const BASE_DELAY_MS = 500;
/** Ceiling of the computed backoff (a server's retry-after may ask for more, up to maxRetryDelayMs). */
export const MAX_BACKOFF_MS = 8_000;

/**
 * POST (creates, bulk creates, roll-key) is retried only on 429: the server
 * refused it unprocessed. After a timeout or a 5xx the create may have
 * happened, and trying again could make a duplicate consumer or key.
 */
export function isRetryable(method: string, error: unknown): boolean {
  if (error instanceof RateLimitError) return true;
  if (method === "POST") return false;
  if (error instanceof APIError) return [408, 500, 502, 503, 504].includes(error.status);
  return error instanceof APIConnectionError;
}

/** A failed attempt the server may still have carried out: no answer, a timeout, a 5xx (not a 429). */
export function mayHaveBeenCarriedOut(error: unknown): boolean {
  return error instanceof APIConnectionError || (error instanceof APIError && error.status >= 500);
}

/**
 * A DELETE any earlier attempt of which may have been carried out, and whose
 * retry gets 404, has done its job: the resource is gone. When every earlier
 * attempt was refused unprocessed (429), a 404 is the truth and is thrown.
 */
export function deleteDone(method: string, error: unknown, earlierMayHaveRun: boolean): boolean {
  return method === "DELETE" && error instanceof NotFoundError && earlierMayHaveRun;
}

/**
 * How long to wait before retry number `attempt` (0-based), or `undefined`
 * when the server asks for longer than `maxDelayMs`: then do not retry.
 */
export function retryDelay(
  attempt: number,
  error: unknown,
  maxDelayMs: number,
  random: () => number = Math.random,
): number | undefined {
  const asked = error instanceof APIError ? error.retryAfterMs : undefined;
  if (asked !== undefined) return asked <= maxDelayMs ? asked : undefined;
  return random() * Math.min(maxDelayMs, MAX_BACKOFF_MS, BASE_DELAY_MS * 2 ** attempt);
}

/** Waits `ms`, rejecting with APIUserAbortError as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abort = () => {
      clearTimeout(timer);
      reject(new APIUserAbortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", abort);
      resolve();
    }, ms);
    if (signal?.aborted) return abort();
    signal?.addEventListener("abort", abort, { once: true });
  });
}
