// Paces one API from its own rate-limit headers so that workers run at the limit, not above it.
import { setTimeout as sleep } from "node:timers/promises";

/** Waits for `promise`, or rejects as soon as `signal` aborts (leaving no listener behind). */
function untilSettled(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, reject);
  });
}

export interface PacerOptions {
  /** Requests per second to assume before any header is seen (Zuplo: 100; Auth0: unknown). */
  perSecond?: number;
  /** Longest single wait, default 60 s: a server asking for more is waited on in steps. */
  maxWaitMs?: number;
  random?: () => number;
}

/**
 * A client-side mirror of the server's token bucket. Auth0 sends `x-ratelimit-limit` (bucket
 * size), `x-ratelimit-remaining` and `x-ratelimit-reset` (UNIX seconds, when the bucket is
 * full again) on every answer. The pacer spends what remains, then spreads calls at the
 * refill rate, which it measures: over a second or more, the change in `remaining` plus the
 * calls answered meanwhile is what the server refilled. Each waiting call reserves its own
 * slot, so workers leave one by one instead of all waking at the same instant. A 429 pauses
 * everyone briefly (longer at each repeat, never past the reset time, with jitter); only the
 * refused call is retried (by the caller).
 */
export class Pacer {
  /** Calls that may start now without waiting (negative: slots reserved by waiting calls). */
  private tokens: number;
  private capacity: number;
  /** Refill rate per ms; assumed "limit per second" until measured. */
  private ratePerMs: number | undefined;
  private refilledAt = Date.now();
  private pausedUntil = 0;
  private answered = 0;
  /** Calls let through whose answer has not been observed yet. */
  private inflight = 0;
  /** Until the first answer, one call at a time: the bucket's size is not known yet. */
  private firstAnswer: Promise<void> | undefined;
  private resolveFirst: (() => void) | undefined;
  private sample: { at: number; remaining: number; answered: number } | undefined;
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
    if (!options.perSecond) {
      this.firstAnswer = new Promise((resolve) => {
        this.resolveFirst = resolve;
      });
    }
  }

  private refill(now: number): void {
    if (this.ratePerMs === undefined) return;
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.refilledAt) * this.ratePerMs);
    this.refilledAt = now;
  }

  /** Waits until a call may start (a slot is free and no 429 pause is in force). */
  async acquire(signal?: AbortSignal): Promise<void> {
    const options = signal ? { signal } : {};
    for (;;) {
      signal?.throwIfAborted();
      const now = Date.now();
      if (now < this.pausedUntil) {
        await sleep(this.pausedUntil - now + this.jitter(), undefined, options);
        continue;
      }
      if (this.firstAnswer && this.inflight > 0) {
        await untilSettled(this.firstAnswer, signal);
        continue;
      }
      this.refill(now);
      this.tokens -= 1;
      this.calls += 1;
      this.inflight += 1;
      if (this.tokens >= 0 || this.ratePerMs === undefined) return;
      // Reserve the next free slot: later callers queue behind it instead of racing for it.
      await sleep(Math.min(this.maxWaitMs, -this.tokens / this.ratePerMs), undefined, options);
      return;
    }
  }

  private jitter(): number {
    return Math.floor(this.random() * 25);
  }

  /** Learns from an answer's rate-limit headers (any status; 0 and no headers: no answer). */
  observe(headers: Headers, status: number, now = Date.now()): void {
    if (status !== 429 && status !== 0) this.answered += 1;
    this.inflight = Math.max(0, this.inflight - 1);
    if (this.firstAnswer) {
      this.resolveFirst?.();
      this.firstAnswer = undefined;
    }
    const limit = Number(headers.get("x-ratelimit-limit"));
    const remaining = Number(headers.get("x-ratelimit-remaining"));
    if (!headers.has("x-ratelimit-limit") || !(limit > 0) || !Number.isFinite(remaining)) return;
    this.refill(now);
    if (this.capacity !== limit) {
      this.capacity = limit;
      this.tokens = Math.min(this.tokens, limit);
    }
    this.ratePerMs ??= limit / 1000;
    const last = this.sample;
    if (!last) this.sample = { at: now, remaining, answered: this.answered };
    else if (now - last.at >= 1000) {
      // Refilled = remaining gained + calls the server took meanwhile. Full at both ends,
      // the bucket may have overflowed: then the figure is a floor, and we were too slow.
      // Full at one end only is the start (the bucket begins full): the figure holds, and
      // a boost there would overshoot into 429s.
      const measured =
        (remaining - last.remaining + (this.answered - last.answered)) / (now - last.at);
      const capped = remaining >= limit - 1 && last.remaining >= limit - 1;
      if (capped) this.ratePerMs = Math.max(this.ratePerMs, measured) * 1.25;
      else if (measured > 0) this.ratePerMs = (this.ratePerMs + measured) / 2;
      this.ratePerMs = Math.min(this.ratePerMs, limit / 100);
      this.sample = { at: now, remaining, answered: this.answered };
    }
    // The server's count, less our calls it has not seen yet, is what we may spend.
    this.tokens = remaining - this.inflight;
  }

  /** A 429: nobody calls until `waitMs` has passed; the bucket is empty. */
  pause(waitMs: number): void {
    this.pauses += 1;
    const bounded = Math.min(Math.max(0, waitMs), this.maxWaitMs);
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + bounded);
    this.tokens = Math.min(this.tokens, 0);
    this.refilledAt = Math.max(this.refilledAt, this.pausedUntil);
  }

  /**
   * How long to pause after the `attempt`-th 429 of one call: a few refill slots, doubling
   * at each repeat, never longer than the server's own wait (`serverWaitMs`).
   */
  backoffMs(attempt: number, serverWaitMs: number): number {
    const slot = this.ratePerMs ? 1 / this.ratePerMs : 1000;
    return Math.min(serverWaitMs, slot * 2 ** attempt) + this.jitter();
  }
}
