// The fetch the sync gives @keysmith/client: Zuplo's 100 requests/second, shared 429 pauses,
// and a breaker that stops the run when Zuplo keeps failing.
import { parseRetryAfter } from "@keysmith/client";
import type { Pacer } from "./pacer.js";

/** Consecutive 5xx or connection failures, across all workers, that stop the run. */
export const BREAKER_THRESHOLD = 10;

/** Counts consecutive service failures; trips once, with one message. */
export class Breaker {
  private consecutive = 0;
  private tripped = false;

  constructor(
    private readonly service: string,
    private readonly onTrip: (message: string) => void,
    private readonly threshold = BREAKER_THRESHOLD,
  ) {}

  success(): void {
    this.consecutive = 0;
  }

  failure(what: string): void {
    this.consecutive += 1;
    if (this.tripped || this.consecutive < this.threshold) return;
    this.tripped = true;
    this.onTrip(
      `${this.service} looks unavailable: stopped after ${this.consecutive} consecutive ${this.service} failures (last: ${what}); check the service and re-run (safe to repeat)`,
    );
  }
}

type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/** Wraps `base`: wait for the pacer, pause it on a 429, feed the breaker. */
export function pacedFetch(base: FetchLike, pacer: Pacer, breaker: Breaker): FetchLike {
  return async (input, init) => {
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    await pacer.acquire(signal ?? undefined);
    let response: Response;
    try {
      response = await base(input, init);
    } catch (error) {
      if (!signal?.aborted) breaker.failure("no answer");
      throw error;
    }
    if (response.status === 429) {
      pacer.pause(parseRetryAfter(Object.fromEntries(response.headers)) ?? 1000);
    }
    if (response.status >= 500) breaker.failure(`HTTP ${response.status}`);
    else breaker.success();
    return response;
  };
}
