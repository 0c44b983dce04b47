// Runs a bundled event-stream action as Auth0 does: `event.message` (the CloudEvent),
// `event.secrets`, `api.cache`, a time limit, logs per execution; a throw fails the delivery.

import type { Secrets } from "./auth0-types.js";
import { type LoadedAction, loadActionFile } from "./load-action.js";

export interface EventStreamActionEvent {
  message: unknown;
  secrets: Secrets;
}

export interface EventStreamApi {
  cache: {
    get(key: string): { value: string; expires_at: number } | undefined;
    set(key: string, value: string, options?: { ttl?: number }): { type: "success" };
    delete(key: string): { type: "success" };
  };
}

export type EventStreamHandler = (
  event: EventStreamActionEvent,
  api: EventStreamApi,
) => Promise<unknown>;

export interface EventStreamExecution {
  status: "success" | "failed";
  failure?: unknown;
  durationMs: number;
  logs: string[];
}

/** Auth0 gives an action execution at most 20 s. */
export const EVENT_STREAM_LIMIT_MS = 20_000;
const DEFAULT_CACHE_TTL_MS = 15 * 60_000;

export async function loadEventStreamAction(file: string) {
  return loadActionFile<EventStreamHandler>(file, "event-stream");
}

/** One event-stream action bound to its secrets; `execute` runs one delivery. */
export class EventStreamActionRunner {
  readonly executions: EventStreamExecution[] = [];
  private readonly cache = new Map<string, { value: string; expires_at: number }>();

  constructor(
    private readonly action: LoadedAction<EventStreamHandler>,
    private readonly secrets: Secrets,
    private readonly limitMs = EVENT_STREAM_LIMIT_MS,
  ) {}

  private api(): EventStreamApi {
    const cache = this.cache;
    return {
      cache: {
        get(key) {
          const record = cache.get(key);
          if (record && record.expires_at <= Date.now()) cache.delete(key);
          return cache.get(key);
        },
        set(key, value, options) {
          cache.set(key, {
            value: String(value),
            expires_at: Date.now() + (options?.ttl ?? DEFAULT_CACHE_TTL_MS),
          });
          return { type: "success" };
        },
        delete(key) {
          cache.delete(key);
          return { type: "success" };
        },
      },
    };
  }

  /** Runs the action on one CloudEvent (a structured clone, as Auth0 serialises it). */
  async execute(message: unknown, secrets: Secrets = this.secrets): Promise<EventStreamExecution> {
    const logs: string[] = [];
    const event: EventStreamActionEvent = {
      message: structuredClone(message),
      secrets: { ...secrets },
    };
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<{ limit: true }>((resolve) => {
      timer = setTimeout(() => resolve({ limit: true }), this.limitMs);
    });
    const outcome = await Promise.race([
      this.action
        .withConsole(logs, () => this.action.handler(event, this.api()))
        .then(
          () => ({ ok: true as const }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
      limit,
    ]);
    clearTimeout(timer);
    const execution: EventStreamExecution =
      "limit" in outcome
        ? {
            status: "failed",
            failure: new Error(`Script execution time exceeded (${this.limitMs} ms)`),
            durationMs: performance.now() - started,
            logs,
          }
        : outcome.ok
          ? { status: "success", durationMs: performance.now() - started, logs }
          : {
              status: "failed",
              failure: outcome.error,
              durationMs: performance.now() - started,
              logs,
            };
    this.executions.push(execution);
    return execution;
  }
}
