// A world for event tests: the stateful fake, users signed up through the real login action,
// the web handler on real HTTP, and Auth0's delivery (retries, duplicates) in front of it.
import {
  auth0CloudEvent,
  type DeliveryOptions,
  EventStreamDelivery,
} from "@keysmith/auth0-stand-in";
import type { FakeZuplo } from "@keysmith/mock";
import type { HandledEvent } from "../../src/events/handle-event.js";
import { type RunningServer, serve } from "../../src/events/serve.js";
import {
  type Auth0EventHandlerOptions,
  createAuth0EventHandler,
} from "../../src/events/web-handler.js";
import { consumersOf, startWorld, tenantFor } from "./fixtures.js";

export const WEBHOOK_TOKEN = "webhook-token-DO-NOT-PRINT-0123456789";

export async function startEventsWorld(
  options: Partial<Omit<Auth0EventHandlerOptions, "settings" | "auth">> & {
    budgetMs?: number;
    delivery?: DeliveryOptions;
    extraSettings?: Record<string, string>;
  } = {},
) {
  const { budgetMs, delivery: deliveryOptions, extraSettings, ...handlerOptions } = options;
  const world = await startWorld();
  const tenant = tenantFor(world);
  const logs: string[] = [];
  const outcomes: HandledEvent[] = [];
  const handler = createAuth0EventHandler({
    settings: {
      ...world.secrets,
      ...(budgetMs ? { ZUPLO_TIME_BUDGET_MS: String(budgetMs) } : {}),
      ...extraSettings,
    },
    auth: { bearer: WEBHOOK_TOKEN },
    log: (line, handled) => {
      logs.push(line);
      outcomes.push(handled);
    },
    ...handlerOptions,
  });
  const server: RunningServer = await serve(handler, { port: 0 });
  const delivery = new EventStreamDelivery(
    { url: server.url, headers: { authorization: `Bearer ${WEBHOOK_TOKEN}` } },
    { scale: 0.01, ...deliveryOptions },
  );
  return {
    ...world,
    tenant,
    handler,
    server,
    delivery,
    logs,
    outcomes,
    async stop() {
      await server.stop(100);
      await world.fake.stop();
    },
  };
}

/** Keys that would authenticate at the gateway now: not expired. */
export function workingKeys(fake: FakeZuplo, userId: string): string[] {
  const now = Date.now();
  return consumersOf(fake, userId).flatMap((c) =>
    [...c.keys.values()]
      .filter((k) => k.expiresOn === null || Date.parse(k.expiresOn) > now)
      .map((k) => k.key),
  );
}

export function allKeys(fake: FakeZuplo, userId: string): string[] {
  return consumersOf(fake, userId).flatMap((c) => [...c.keys.values()].map((k) => k.key));
}

let clock = Date.now();
/** Event times that only move forward (each call one second later). */
export function nextTime(): Date {
  clock += 1000;
  return new Date(clock);
}

export function updated(
  user: Record<string, unknown> & { user_id: string },
  time = nextTime(),
  previous?: Record<string, unknown>,
) {
  return auth0CloudEvent({ type: "user.updated", user, time, ...(previous ? { previous } : {}) });
}

export function deleted(user: Record<string, unknown> & { user_id: string }, time = nextTime()) {
  return auth0CloudEvent({ type: "user.deleted", user, time });
}
