// Paces one API from its own rate-limit headers so that workers run at the limit, not above it.
import { setTimeout as sleep } from "node:timers/promises";

export interface PacerOptions {
  /** Requests per second to assume before any header is seen (Zuplo: 100; Auth0: unknown). */
  perSecond?: number;
  /** Longest single wait, default 60 s: a server asking for more is waited on in steps. */
  maxWaitMs?: number;
  random?: () => number;
}

/**
 * A client-side mirror of the server's token bucket. Auth0 sends `x-ratelimit-limit`,
 * `x-ratelimit-remaining` and `x-ratelimit-reset` (UNIX seconds when the bucket is full
 * again) on every answer: the pacer spends `remaining`, then spreads the next calls over
 * the refill rate it infers (`(limit - remaining) / (reset - now)`), each with its own
 * jitter, so that paused workers never all wake in the same millisecond. A 429 pauses
 * everyone until the reset time it names; only the refused call is retried (by the caller).
 */
export class Pacer {
  /** Calls that may start now without waiting. */
  private tokens: number;
  private capacity: number;
  /** Inferred refill rate, per ms; undefined until learned (no pacing before the first 429). */
  private ratePerMs: number | undefined;
  private refilledAt = Date.now();
  private pausedUntil = 0;
  private readonly maxWaitMs: number;
  private readonly random: () => number;
  /** 429s seen (for the summary). */
  pauses = 0;
  /** Calls let through (for the benchmark). */
  calls = 0;

  constructor(
    readonly name: string,
    options: PacerOptions = {},
  ) {
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
    this.random = options.random ?? Math.random;
    this.ratePerMs = options.perSecond ? options.perSecond / 1000 : undefined;
    this.capacity = options.perSecond ?? Number.POSITIVE_INFINITY;
    this.tokens = this.capacity;
  }

  private refill(now: number): void {
    if (this.ratePerMs === undefined) return;
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.ratePerMs);
    this.refilledAt = now;
  }

  /** Waits until a call may start (a token is free and no 429 pause is in force). */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = Date.now();
      if (now < this.pausedUntil) {
        await sleep(this.pausedUntil - now + this.jitter(), undefined, signal ? { signal } : {});
        continue;
      }
      this.refill(now);
      if (this.tokens >= 1) {
        this.tokens -= 1;
        this.calls += 1;
        return;
      }
      // Reserve the next token: later callers queue behind it instead of racing for it.
      const rate = this.ratePerMs ?? 0.001;
      this.tokens -= 1;
      const waitMs = Math.min(this.maxWaitMs, (0 - this.tokens) / rate);
      await sleep(waitMs, undefined, signal ? { signal } : {});
      this.calls += 1;
      return;
    }
  }

  private jitter(): number {
    return Math.floor(this.random() * 50);
  }

  /** Learns from an answer's rate-limit headers (any status). */
  observe(headers: Headers, now = Date.now()): void {
    const limit = Number(headers.get("x-ratelimit-limit"));
    const remaining = Number(headers.get("x-ratelimit-remaining"));
    const reset = Number(headers.get("x-ratelimit-reset"));
    if (!headers.has("x-ratelimit-limit") || !Number.isFinite(limit) || limit <= 0) return;
    if (!Number.isFinite(remaining) || !Number.isFinite(reset)) return;
    this.capacity = limit;
    const untilFull = reset * 1000 - now;
    // The refill rate: the missing tokens come back by the reset time. Reset has one-second
    // resolution, so keep the highest estimate seen (a low one would slow us below the limit).
    if (remaining < limit && untilFull > 0) {
      const rate = (limit - remaining) / untilFull;
      this.ratePerMs = Math.max(this.ratePerMs ?? 0, Math.min(rate, limit / 1000));
    }
    this.refill(now);
    // The server's count wins when it is lower (other clients share the tenant's bucket).
    if (remaining < this.tokens) this.tokens = remaining;
  }

  /** A 429: nobody calls until `waitMs` has passed (plus a per-caller jitter on wake). */
  pause(waitMs: number): void {
    this.pauses += 1;
    const bounded = Math.min(Math.max(0, waitMs), this.maxWaitMs);
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + bounded);
    this.tokens = Math.min(this.tokens, 0);
  }
}
