// Owns "each event id is processed once per process": a bounded memory of event ids and
// their outcomes. Durable protection against replays is the state tag (event-state.ts).

/**
 * Runs `work` once per event id. A duplicate delivered while the first is still running
 * waits for it and gets the same outcome (so a failure is retried by Auth0 on both); a
 * duplicate after a final outcome gets it back with `duplicate: true` without running
 * anything. Other outcomes (and throws) are forgotten, so Auth0's retry runs again. Keeps at most `capacity` ids (oldest first
 * out): this is a fast path; the consumer's state tag makes a forgotten replay harmless.
 */
export class EventDeduper<T> {
  private readonly done = new Map<string, T>();
  private readonly running = new Map<string, Promise<T>>();

  /** `keep` says which outcomes are final (remembered); others are run again when redelivered. */
  constructor(
    private readonly keep: (outcome: T) => boolean,
    private readonly capacity = 10_000,
  ) {}

  async run(id: string, work: () => Promise<T>): Promise<{ outcome: T; duplicate: boolean }> {
    if (this.done.has(id)) return { outcome: this.done.get(id) as T, duplicate: true };
    const inFlight = this.running.get(id);
    if (inFlight) return { outcome: await inFlight, duplicate: true };

    const promise = work();
    this.running.set(id, promise);
    try {
      const outcome = await promise;
      if (this.keep(outcome)) this.remember(id, outcome);
      return { outcome, duplicate: false };
    } finally {
      this.running.delete(id);
    }
  }

  private remember(id: string, outcome: T): void {
    this.done.set(id, outcome);
    if (this.done.size > this.capacity) {
      const oldest = this.done.keys().next().value;
      if (oldest !== undefined) this.done.delete(oldest);
    }
  }

  get size(): number {
    return this.done.size;
  }
}
