import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { EventStreamHandler } from "../src/event-stream.js";
import {
  auth0CloudEvent,
  EventStreamActionRunner,
  EventStreamDelivery,
  loadActionCode,
  RETRY_DELAYS_MS,
  shuffled,
} from "../src/index.js";

let close: (() => void) | undefined;
afterEach(() => close?.());

/** A webhook answering the given statuses in turn (the last one from then on). */
async function webhook(statuses: number[]) {
  const seen: Array<{ at: number; body: string; authorization: string | undefined }> = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      seen.push({ at: performance.now(), body, authorization: req.headers.authorization });
      res.writeHead(statuses[Math.min(seen.length - 1, statuses.length - 1)] as number);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  close = () => server.close();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const event = () => auth0CloudEvent({ type: "user.deleted", user: { user_id: "auth0|x" } });

describe("EventStreamDelivery", () => {
  it("retries failures on Auth0's schedule (1 s, 2 s, 4 s, scaled) and stops at the first 2xx", async () => {
    const hook = await webhook([500, 503, 200]);
    const delivery = new EventStreamDelivery(
      { url: hook.url, headers: { authorization: "Bearer t" } },
      { scale: 0.05 },
    );
    const record = await delivery.deliver(event());
    expect(record.attempts.map((a) => a.result)).toEqual([500, 503, 200]);
    expect(record.delivered).toBe(true);
    const gaps = hook.seen.slice(1).map((s, i) => s.at - (hook.seen[i]?.at ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual((RETRY_DELAYS_MS[0] as number) * 0.05 - 5);
    expect(gaps[1]).toBeGreaterThanOrEqual((RETRY_DELAYS_MS[1] as number) * 0.05 - 5);
    expect(hook.seen[0]?.authorization).toBe("Bearer t");
    expect(JSON.parse(hook.seen[0]?.body ?? "{}")).toMatchObject({
      specversion: "1.0",
      type: "user.deleted",
    });
  });

  it("gives up after 4 attempts, and never retries a 4xx", async () => {
    const failing = await webhook([500]);
    const record = await new EventStreamDelivery({ url: failing.url }, { scale: 0.01 }).deliver(
      event(),
    );
    expect(record.attempts).toHaveLength(4);
    expect(record.delivered).toBe(false);
    close?.();
    const refusing = await webhook([400]);
    const once = await new EventStreamDelivery({ url: refusing.url }, { scale: 0.01 }).deliver(
      event(),
    );
    expect(once.attempts.map((a) => a.result)).toEqual([400]);
  });

  it("delivers duplicates concurrently and reorders with a seed", async () => {
    const hook = await webhook([200]);
    const events = [1, 2, 3, 4, 5].map(() => event());
    const delivery = new EventStreamDelivery({ url: hook.url }, { scale: 0.01 });
    await delivery.deliverAll(events, { duplicate: true, concurrent: true });
    expect(hook.seen).toHaveLength(10);
    expect(shuffled(events, 7)).toEqual(shuffled(events, 7));
    expect(shuffled(events, 7).map((e) => e.id)).not.toEqual(events.map((e) => e.id));
  });

  it("treats a thrown event-stream action as a failed delivery", async () => {
    const action = loadActionCode<EventStreamHandler>(
      `let n = 0;
       exports.onExecuteEventStream = async (event) => {
         n += 1;
         console.log(event.message.type, n);
         if (n < 3) throw new Error("not yet");
       };`,
      "event-stream",
    );
    const runner = new EventStreamActionRunner(action, {});
    const record = await new EventStreamDelivery({ action: runner }, { scale: 0.01 }).deliver(
      event(),
    );
    expect(record.attempts.map((a) => a.result)).toEqual(["thrown", "thrown", "ok"]);
    expect(runner.executions.map((e) => e.logs)).toEqual([
      ["user.deleted 1"],
      ["user.deleted 2"],
      ["user.deleted 3"],
    ]);
  });

  it("the harness requires a native async onExecuteEventStream", () => {
    expect(() =>
      loadActionCode("exports.onExecuteEventStream = function () {};", "event-stream"),
    ).toThrow(/onExecuteEventStream must be a native async function/);
    expect(() =>
      loadActionCode("exports.onExecutePostLogin = async () => {};", "event-stream"),
    ).toThrow(/onExecuteEventStream/);
  });
});
