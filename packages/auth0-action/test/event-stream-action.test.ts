// The real dist/event-stream-action.js, loaded and run as Auth0 runs it, with Auth0's
// delivery (a throw is a failed delivery, retried 1 s / 2 s / 4 s, here scaled down).
import {
  EventStreamActionRunner,
  EventStreamDelivery,
  loadEventStreamAction,
} from "@keysmith/auth0-stand-in";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventStreamActionFile } from "../scripts/build-lib.js";
import { deleted, nextTime, updated, workingKeys } from "./support/events-world.js";
import { consumersOf, keyValues, startWorld, tenantFor, ZUPLO_KEY } from "./support/fixtures.js";

const ada = { user_id: "auth0|ada", email: "ada@example.com", email_verified: true };

let world: Awaited<ReturnType<typeof startWorld>>;
let runner: EventStreamActionRunner;
let delivery: EventStreamDelivery;

beforeEach(async () => {
  world = await startWorld();
  await tenantFor(world).login(ada);
  const action = await loadEventStreamAction(eventStreamActionFile);
  runner = new EventStreamActionRunner(action, { ...world.secrets, ZUPLO_TIME_BUDGET_MS: "500" });
  delivery = new EventStreamDelivery({ action: runner }, { scale: 0.01 });
});
afterEach(() => world.fake.stop());

const logs = () => runner.executions.flatMap((e) => e.logs).join("\n");

describe("event-stream action", () => {
  it("blocked, unblocked, deleted: suspends, restores, deletes", async () => {
    await delivery.deliver(updated({ ...ada, blocked: true }));
    expect(workingKeys(world.fake, ada.user_id)).toEqual([]);
    await delivery.deliver(updated({ ...ada, blocked: false }));
    expect(workingKeys(world.fake, ada.user_id)).toHaveLength(1);
    await delivery.deliver(deleted(ada));
    expect(consumersOf(world.fake, ada.user_id)).toEqual([]);
    expect(runner.executions.map((e) => e.status)).toEqual(["success", "success", "success"]);
    expect(logs()).toMatch(/keysmith: event evt_\S+ user.deleted auth0\|ada: deleted auth0-/);
  });

  it("throws while Zuplo fails, so Auth0 retries; the retry applies it; older events stay ignored", async () => {
    world.fake.setFault({ kind: "status", status: 503, times: 3 });
    const t2 = nextTime();
    const record = await delivery.deliver(updated({ ...ada, blocked: true }, t2));
    expect(record.attempts.map((a) => a.result)).toEqual(["thrown", "ok"]);
    expect(workingKeys(world.fake, ada.user_id)).toEqual([]);
    const stale = await delivery.deliver(
      updated({ ...ada, blocked: false }, new Date(t2.getTime() - 500)),
    );
    expect(stale.delivered).toBe(true);
    expect(workingKeys(world.fake, ada.user_id)).toEqual([]);
  });

  it("a hanging Zuplo fails the execution within the time budget", async () => {
    world.fake.setFault({ kind: "hang" });
    const run = await runner.execute(deleted(ada));
    expect(run.status).toBe("failed");
    expect(run.durationMs).toBeLessThan(500 + 250 + 500);
    expect(String((run.failure as Error).message)).toContain("retry later");
  });

  it("a missing secret fails the delivery naming the secret, never a value", async () => {
    const run = await runner.execute(deleted(ada), {
      ZUPLO_API_KEY: ZUPLO_KEY,
      ZUPLO_ACCOUNT_NAME: "acme-corp",
    });
    expect(run.status).toBe("failed");
    expect(String((run.failure as Error).message)).toContain("ZUPLO_BUCKET_NAME is missing");
    expect(String((run.failure as Error).message)).not.toContain(ZUPLO_KEY);
  });

  it("never logs or throws the Zuplo key or an API key", async () => {
    await delivery.deliver(updated({ ...ada, blocked: true }));
    await delivery.deliver(updated({ ...ada, blocked: false }));
    world.fake.setFault({ kind: "status", status: 500, detail: `echo ${ZUPLO_KEY}` });
    await delivery.deliver(deleted(ada));
    const failures = runner.executions.map((e) =>
      String((e.failure as Error | undefined)?.message ?? ""),
    );
    const text = `${logs()}\n${failures.join("\n")}`;
    for (const secret of [ZUPLO_KEY, ...keyValues(world.fake)]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/zpka_/);
  });
});
