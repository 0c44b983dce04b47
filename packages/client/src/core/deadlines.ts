// Every attempt's timeout, on one timer. Arming and clearing a timer per request
// is not free: at concurrency 1 each request makes Node build a new timer list
// and call into libuv to schedule, ref and unref it (about 2% of a loopback
// request's instructions in Node 22). Here an attempt costs a Set entry; the one
// timer is armed for the earliest deadline and re-armed only when it fires or an
// earlier deadline comes. It holds the process open only while an attempt is
// pending, as a per-attempt timer would.

import { MAX_TIMER_MS } from "./validation.js";

/** The abort reason of a timed-out attempt's controller. */
export const TIMED_OUT = Symbol("timeout");

interface Deadline {
  /** `performance.now()` when the attempt times out. */
  at: number;
  controller: AbortController;
}

const pending = new Set<Deadline>();
let timer: ReturnType<typeof setTimeout> | undefined;
/** When the armed timer fires (Infinity: none armed). */
let armedAt = Infinity;
/**
 * The setTimeout that armed it, and its clearTimeout: a test that fakes timers swaps
 * them, and a timer from the other clock may never fire (or fire late, hence `armings`).
 */
let armedWith: typeof setTimeout | undefined;
let disarm: typeof clearTimeout = clearTimeout;
/** Counts arms: only the latest timer expires anything. */
let armings = 0;

/** Aborts `controller` with TIMED_OUT after `ms`, unless `clearDeadline` comes first. */
export function setDeadline(controller: AbortController, ms: number): Deadline {
  const now = performance.now();
  const deadline: Deadline = { at: now + ms, controller };
  pending.add(deadline);
  if (deadline.at < armedAt || setTimeout !== armedWith) arm(deadline.at, ms);
  else if (pending.size === 1) timer?.ref?.();
  return deadline;
}

export function clearDeadline(deadline: Deadline): void {
  pending.delete(deadline);
  // Nothing pending: the armed timer must not keep the process alive.
  if (pending.size === 0) timer?.unref?.();
}

function arm(at: number, delay: number) {
  if (timer !== undefined) disarm(timer);
  armedAt = at;
  armedWith = setTimeout;
  disarm = clearTimeout;
  timer = setTimeout(expire, delay, ++armings);
}

function expire(arming: number) {
  if (arming !== armings) return;
  // The timer says armedAt has passed even where the clock disagrees (tests that
  // fake setTimeout but not performance.now must still see timeouts fire).
  const now = Math.max(performance.now(), armedAt);
  timer = undefined;
  armedAt = Infinity;
  let next = Infinity;
  for (const deadline of pending) {
    if (deadline.at <= now) {
      pending.delete(deadline);
      deadline.controller.abort(TIMED_OUT);
    } else if (deadline.at < next) next = deadline.at;
  }
  // Timers count whole milliseconds: round up so the deadline has passed when it fires,
  // but never past Node's limit (an overflowing delay would fire after 1 ms).
  if (next !== Infinity) arm(next, Math.min(Math.ceil(next - now), MAX_TIMER_MS));
}
