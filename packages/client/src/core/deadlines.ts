// Every attempt's timeout, on one timer. Arming and clearing a timer per request
// is not free: at concurrency 1 each request makes Node build a new timer list
// and call into libuv to schedule, ref and unref it (about 2% of a loopback
// request's instructions in Node 22). Here an attempt costs a Set entry; the one
// timer is armed for the earliest deadline and re-armed only when it fires or an
// earlier deadline comes. It holds the process open only while an attempt is
// pending, as a per-attempt timer would.
//
// Only on the host's own clock: under faked timers (a test's `useFakeTimers`) the
// faked clock and performance.now need not agree, and a test may clear or swap
// the timers at any time, so there each attempt gets a timer of its own, as before.

import { MAX_TIMER_MS } from "./validation.js";

/** The abort reason of a timed-out attempt's controller. */
export const TIMED_OUT = Symbol("timeout");

interface Deadline {
  /** `performance.now()` when the attempt times out. */
  at: number;
  controller: AbortController;
  /** Under faked timers: the attempt's own timer, and the clearTimeout of its clock. */
  own?: { timer: unknown; clear: (timer: never) => void };
}

/** setTimeout as the module found it; faked when a fake-timer library (sinon, vitest, jest) installed it first. */
const hostSetTimeout = setTimeout;
const hostIsFaked = "clock" in hostSetTimeout || "_isMockFunction" in hostSetTimeout;

const pending = new Set<Deadline>();
let timer: ReturnType<typeof setTimeout> | undefined;
/** When the armed timer fires (Infinity: none armed). */
let armedAt = Infinity;

const abortOnTimeout = (controller: AbortController) => controller.abort(TIMED_OUT);

/** Aborts `controller` with TIMED_OUT after `ms`, unless `clearDeadline` comes first. */
export function setDeadline(controller: AbortController, ms: number): Deadline {
  if (setTimeout !== hostSetTimeout || hostIsFaked)
    return {
      at: Number.NaN,
      controller,
      own: { timer: setTimeout(abortOnTimeout, ms, controller), clear: clearTimeout },
    };
  const now = performance.now();
  const deadline: Deadline = { at: now + ms, controller };
  pending.add(deadline);
  // Also when the armed time has passed but its timer has not fired: performance.now
  // was mocked when it was armed.
  if (deadline.at < armedAt || armedAt <= now) arm(deadline.at, ms);
  else if (pending.size === 1) timer?.ref?.();
  return deadline;
}

export function clearDeadline(deadline: Deadline): void {
  if (deadline.own) {
    deadline.own.clear(deadline.own.timer as never);
    return;
  }
  pending.delete(deadline);
  // Nothing pending: the armed timer must not keep the process alive.
  if (pending.size === 0) timer?.unref?.();
}

function arm(at: number, delay: number) {
  if (timer !== undefined) clearTimeout(timer);
  armedAt = at;
  timer = setTimeout(expire, delay);
}

function expire() {
  // The timer fired, so armedAt has passed even if performance.now says otherwise
  // (mocked in a test): what was due then expires.
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
