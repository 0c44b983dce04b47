// Delivers Auth0 Event Streams CloudEvents the way Auth0 does: to a webhook (POST, JSON, the
// stream's authorization) or an event-stream action; 4 attempts 1 s / 2 s / 4 s apart, no
// retry after a 4xx; and, on request, duplicates and reordering. Builds realistic events too.
import { randomBytes } from "node:crypto";
import type { EventStreamActionRunner } from "./event-stream.js";

/** Auth0's schedule: the first attempt, then retries after these delays. */
export const RETRY_DELAYS_MS = [1000, 2000, 4000] as const;

export type DeliveryTarget =
  | { url: string; headers?: Record<string, string> }
  | { action: EventStreamActionRunner };

export interface DeliveryOptions {
  /** Multiplies the retry delays (1 = Auth0's; tests use e.g. 0.01). */
  scale?: number;
  /** Per webhook attempt; default 10 000 ms. */
  attemptTimeoutMs?: number;
}

export interface Attempt {
  /** HTTP status, `thrown` (action threw) or `error` (no answer: timeout, connection). */
  result: number | "ok" | "thrown" | "error";
  at: number;
}

export interface DeliveryRecord {
  eventId: string;
  type: string;
  delivered: boolean;
  attempts: Attempt[];
}

export interface CloudEventInput {
  type: "user.created" | "user.updated" | "user.deleted" | (string & {});
  user: Record<string, unknown> & { user_id: string };
  previous?: Record<string, unknown>;
  /** Default now. */
  time?: Date | string;
  id?: string;
  tenant?: string;
  purpose?: "test";
}

/** A CloudEvent as Auth0 Event Streams sends it (`data.object` is the whole user). */
export function auth0CloudEvent(input: CloudEventInput): Record<string, unknown> {
  const tenant = input.tenant ?? "keysmith-test";
  const time =
    input.time instanceof Date
      ? input.time.toISOString()
      : (input.time ?? new Date().toISOString());
  const object: Record<string, unknown> = {
    created_at: time,
    updated_at: time,
    identities: defaultIdentities(input.user.user_id),
    ...input.user,
  };
  if (input.type === "user.deleted") object.deleted_at ??= time;
  return {
    specversion: "1.0",
    type: input.type,
    source: `urn:auth0:${tenant}.auth0.com`,
    id: input.id ?? `evt_${randomBytes(12).toString("base64url")}`,
    time,
    data: { object, ...(input.previous ? { previous_object: input.previous } : {}) },
    a0tenant: tenant,
    a0stream: "est_keysmith_stand_in",
    ...(input.purpose ? { a0purpose: input.purpose } : {}),
  };
}

export interface OrgCloudEventInput {
  type: "organization.member.added" | "organization.member.deleted" | "organization.deleted";
  organization: { id: string; name?: string; display_name?: string };
  /** The member (member events): Auth0 documents only `user_id` here. */
  user?: { user_id: string } & Record<string, unknown>;
  time?: Date | string;
  id?: string;
}

/**
 * An organization CloudEvent as Auth0 Event Streams sends it: `data.object` is
 * `{ organization: { id, name }, user: { user_id } }` for member events, the organization
 * for `organization.deleted`.
 */
export function auth0OrgCloudEvent(input: OrgCloudEventInput): Record<string, unknown> {
  const { id, name } = input.organization;
  const object =
    input.type === "organization.deleted"
      ? { ...input.organization }
      : { organization: { id, ...(name ? { name } : {}) }, user: { ...input.user } };
  const event = auth0CloudEvent({
    type: input.type,
    user: { user_id: input.user?.user_id ?? "" },
    ...(input.time ? { time: input.time } : {}),
    ...(input.id ? { id: input.id } : {}),
  });
  return { ...event, data: { object } };
}

function defaultIdentities(userId: string) {
  const at = userId.indexOf("|");
  const provider = at > 0 ? userId.slice(0, at) : "auth0";
  return [
    {
      provider,
      user_id: userId.slice(at + 1),
      connection: provider,
      isSocial: provider !== "auth0",
    },
  ];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seeded shuffle (mulberry32), so a reordering test is repeatable. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** One Event Stream's deliveries to one destination. */
export class EventStreamDelivery {
  readonly records: DeliveryRecord[] = [];
  private readonly scale: number;
  private readonly attemptTimeoutMs: number;

  constructor(
    private readonly target: DeliveryTarget,
    options: DeliveryOptions = {},
  ) {
    this.scale = options.scale ?? 1;
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
  }

  private async attempt(event: Record<string, unknown>): Promise<Attempt["result"]> {
    if ("action" in this.target) {
      const run = await this.target.action.execute(event);
      return run.status === "success" ? "ok" : "thrown";
    }
    try {
      const response = await fetch(this.target.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...this.target.headers },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(this.attemptTimeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } catch {
      return "error";
    }
  }

  /** Delivers one event: up to 4 attempts; a 2xx (or an action that returns) ends it, a 4xx too. */
  async deliver(event: Record<string, unknown>): Promise<DeliveryRecord> {
    const record: DeliveryRecord = {
      eventId: String(event.id),
      type: String(event.type),
      delivered: false,
      attempts: [],
    };
    this.records.push(record);
    for (let i = 0; i <= RETRY_DELAYS_MS.length; i++) {
      if (i > 0) await sleep((RETRY_DELAYS_MS[i - 1] as number) * this.scale);
      const result = await this.attempt(event);
      record.attempts.push({ result, at: Date.now() });
      if (result === "ok" || (typeof result === "number" && result >= 200 && result < 300)) {
        record.delivered = true;
        break;
      }
      // Auth0 does not retry a 4xx: the endpoint said the event can never succeed.
      if (typeof result === "number" && result >= 400 && result < 500) break;
    }
    return record;
  }

  /**
   * Delivers several events as Auth0 may: in `order` (default as given; `shuffle` with a
   * seed), each of `duplicate` delivered twice (the copy concurrently), all events in flight
   * together when `concurrent` is set.
   */
  async deliverAll(
    events: ReadonlyArray<Record<string, unknown>>,
    options: { shuffleSeed?: number; duplicate?: boolean; concurrent?: boolean } = {},
  ): Promise<DeliveryRecord[]> {
    const order =
      options.shuffleSeed === undefined ? [...events] : shuffled(events, options.shuffleSeed);
    const one = (e: Record<string, unknown>) =>
      options.duplicate
        ? Promise.all([this.deliver(e), this.deliver(e)])
        : this.deliver(e).then((r) => [r]);
    if (options.concurrent) return (await Promise.all(order.map(one))).flat();
    const out: DeliveryRecord[] = [];
    for (const e of order) out.push(...(await one(e)));
    return out;
  }
}
