import { setTimeout as sleep } from "node:timers/promises";

/**
 * A shared pause for one API. Auth0's and Zuplo's rate limits are per tenant / per account,
 * not per connection: when one worker gets a 429, every worker waits until the reset time
 * instead of each one hammering the API on its own.
 */
export class RateGate {
  private until = 0;
  /** How many times a 429 paused this gate (for the summary). */
  pauses = 0;

  constructor(
    readonly name: string,
    /** Longest single wait; a server asking for more is waited on in several steps. */
    readonly maxWaitMs = 60_000,
  ) {}

  /** Pauses every caller of `wait()` for `ms` (a longer pause already set is kept). */
  pause(ms: number): void {
    const bounded = Math.min(Math.max(0, ms), this.maxWaitMs);
    this.pauses += 1;
    this.until = Math.max(this.until, Date.now() + bounded);
  }

  /** Resolves once no pause is in force. */
  async wait(signal?: AbortSignal): Promise<void> {
    for (let left = this.until - Date.now(); left > 0; left = this.until - Date.now()) {
      await sleep(left, undefined, signal ? { signal } : undefined);
    }
  }
}
