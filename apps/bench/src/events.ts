// Events per second through the Auth0 Event Streams web handler (`createAuth0EventHandler`,
// the built library) against the stateful fake: each event kind, sequential and concurrent.
import { createAuth0EventHandler } from "@keysmith/auth0-action";
import { auth0CloudEvent } from "@keysmith/auth0-stand-in";
import { startFakeZuplo } from "@keysmith/mock";
import { ACCOUNT, API_KEY, BUCKET } from "./fixtures.js";
import { percentile, round } from "./stats.js";

export interface EventsConfig {
  /** Users (one consumer with one key each); every scenario sends one event per user. */
  users: number;
  /** In-flight events for the concurrent row. */
  concurrency: number;
}

export interface EventsRow {
  scenario: string;
  events: number;
  /** Key-service requests per event. */
  requests: number;
  perSecond: number;
  p50: number;
  p99: number;
}

const TOKEN = "bench-webhook-token-0123456789";

export async function runEvents(config: EventsConfig): Promise<EventsRow[]> {
  const fake = await startFakeZuplo({
    apiKey: API_KEY,
    accountName: ACCOUNT,
    buckets: [{ name: BUCKET }],
  });
  try {
    const handle = createAuth0EventHandler({
      settings: {
        ZUPLO_API_KEY: API_KEY,
        ZUPLO_ACCOUNT_NAME: ACCOUNT,
        ZUPLO_BUCKET_NAME: BUCKET,
        ZUPLO_API_URL: fake.url,
      },
      auth: { bearer: TOKEN },
      log: () => undefined,
    });
    const users = Array.from({ length: config.users }, (_, i) => ({
      user_id: `auth0|bench-${i}`,
      email: `user${i}@example.com`,
      email_verified: true,
    }));
    for (const u of users) {
      fake.state.addConsumer(BUCKET, {
        name: `auth0-bench-${u.user_id.slice(12)}`,
        tags: { auth0UserId: u.user_id },
        apiKeys: [{}],
        managers: [{ email: u.email, sub: u.user_id }],
      });
    }
    let clock = Date.now();
    const send = async (event: Record<string, unknown>) => {
      const started = performance.now();
      const response = await handle(
        new Request("http://bench/events", {
          method: "POST",
          headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
          body: JSON.stringify(event),
        }),
      );
      if (response.status >= 300) throw new Error(`bench: event answered ${response.status}`);
      return performance.now() - started;
    };
    const scenario = async (
      name: string,
      make: (u: (typeof users)[number]) => Record<string, unknown>,
      concurrency = 1,
    ) => {
      const before = fake.requests.length;
      const events = users.map((u) => {
        clock += 1;
        return make(u);
      });
      const latencies: number[] = [];
      const started = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < events.length)
            latencies.push(await send(events[next++] as Record<string, unknown>));
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      return {
        scenario: name,
        events: events.length,
        requests: round((fake.requests.length - before) / events.length, 1),
        perSecond: round(events.length / seconds),
        p50: round(percentile(latencies, 50), 2),
        p99: round(percentile(latencies, 99), 2),
      } satisfies EventsRow;
    };
    const at = () => new Date(clock);
    // Warm-up (not reported): the JIT and the keep-alive connections to the fake.
    for (const u of users.slice(0, 50)) {
      clock += 1;
      await send(auth0CloudEvent({ type: "user.updated", user: u, time: at() }));
    }
    const rows: EventsRow[] = [];
    rows.push(
      await scenario("user.updated, nothing to change", (u) =>
        auth0CloudEvent({ type: "user.updated", user: u, time: at() }),
      ),
    );
    rows.push(
      await scenario("user.updated blocked: suspend", (u) =>
        auth0CloudEvent({ type: "user.updated", user: { ...u, blocked: true }, time: at() }),
      ),
    );
    rows.push(
      await scenario("user.updated unblocked: restore", (u) =>
        auth0CloudEvent({ type: "user.updated", user: { ...u, blocked: false }, time: at() }),
      ),
    );
    rows.push(
      await scenario(
        `blocked, ${config.concurrency} in flight`,
        (u) => auth0CloudEvent({ type: "user.updated", user: { ...u, blocked: true }, time: at() }),
        config.concurrency,
      ),
    );
    rows.push(
      await scenario("user.deleted: delete", (u) =>
        auth0CloudEvent({ type: "user.deleted", user: u, time: at() }),
      ),
    );
    return rows;
  } finally {
    await fake.stop();
  }
}

export function renderEvents(rows: EventsRow[]): string {
  const lines = [
    "| scenario | events | key-service requests / event | events/s | p50 ms | p99 ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.events} | ${r.requests} | ${r.perSecond} | ${r.p50} | ${r.p99} |`,
    ),
  ];
  return lines.join("\n");
}
