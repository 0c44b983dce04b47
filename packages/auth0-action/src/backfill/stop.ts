// Why a run stopped early: the reason an abort signal carries, printed as "incomplete: ...".

/** Aborts a run on purpose (Ctrl-C, a closed stdout, a service that is down). */
export class StopReason extends Error {
  override name = "StopReason";
}

/** The message a stopped signal carries, or undefined when it was not stopped. */
export function stopMessage(signal: AbortSignal | undefined): string | undefined {
  if (!signal?.aborted) return undefined;
  return signal.reason instanceof StopReason ? signal.reason.message : "interrupted";
}

/**
 * A signal that aborts `graceMs` after `signal` does: users in flight get a moment to finish
 * their writes, then are abandoned (every step is safe to repeat on the next run).
 */
export function afterGrace(
  signal: AbortSignal | undefined,
  graceMs: number,
): AbortSignal | undefined {
  if (!signal) return undefined;
  const later = new AbortController();
  const fire = () => {
    setTimeout(() => later.abort(signal.reason), graceMs).unref();
  };
  if (signal.aborted) fire();
  else signal.addEventListener("abort", fire, { once: true });
  return later.signal;
}
