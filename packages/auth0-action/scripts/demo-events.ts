// The demo's second part: one user's whole life. Sign-up (the login action gives a key),
// block (keys stop working), unblock (a fresh key works), deletion (the consumer is gone),
// through the real event-stream action with Auth0's delivery. `pnpm demo` runs it after
// the logins (scripts/demo.ts); `tsx scripts/demo-events.ts` runs it alone.
import { fileURLToPath } from "node:url";
import { auth0CloudEvent } from "@keysmith/auth0-stand-in";
import type { FakeZuplo } from "@keysmith/mock";
import { BUCKET, startDemoWorld } from "./demo-world.js";

/** What the gateway would do with each key of the user now: works, or expired. */
function keysNow(fake: FakeZuplo, userId: string): string {
  const now = Date.now();
  const keys = [...fake.state.bucket(BUCKET).consumers.values()]
    .filter((c) => c.tags.auth0UserId === userId)
    .flatMap((c) => [...c.keys.values()]);
  if (keys.length === 0) return "no consumer, no key";
  return keys
    .map(
      (k, i) =>
        `key ${i + 1} ${k.expiresOn === null || Date.parse(k.expiresOn) > now ? "works" : "expired"}`,
    )
    .join(", ");
}

export async function runLifeDemo(print: (line: string) => void = console.log): Promise<void> {
  const { fake, tenant, runner, delivery } = await startDemoWorld();
  try {
    const grace = {
      user_id: "auth0|grace",
      email: "grace@example.com",
      email_verified: true,
      name: "Grace",
    };

    print(
      "\nOne user's whole life: the login action, then the event-stream action (dist/event-stream-action.js)",
    );
    print("fed by Auth0 Event Streams as Auth0 delivers (retries, duplicates).\n");
    const step = async (what: string, act: () => Promise<string>) => {
      const detail = await act();
      print(`  ${what.padEnd(44)} ${keysNow(fake, grace.user_id).padEnd(34)} ${detail}`);
    };
    const deliver = async (message: Record<string, unknown>) => {
      const record = await delivery.deliver(message);
      const run = runner.executions.at(-1);
      return `${record.attempts.length} attempt(s); ${run?.logs.at(-1) ?? ""}`;
    };
    let time = Date.now();
    const next = () => {
      time += 1000;
      return new Date(time);
    };

    await step("Grace signs up", async () => (await tenant.login(grace)).logs.at(-1) ?? "");
    await step("an administrator blocks Grace", () =>
      deliver(
        auth0CloudEvent({ type: "user.updated", user: { ...grace, blocked: true }, time: next() }),
      ),
    );
    const unblock = auth0CloudEvent({
      type: "user.updated",
      user: { ...grace, blocked: false },
      time: next(),
    });
    fake.setFault({ kind: "status", status: 503, times: 3 });
    await step("unblocked, during a key-service hiccup", () => deliver(unblock));
    await step("the same event delivered again", () => deliver(unblock));
    await step("Grace deletes her account", () =>
      deliver(auth0CloudEvent({ type: "user.deleted", user: grace, time: next() })),
    );
    print(`\n  Consumers left in ${BUCKET}: ${fake.state.bucket(BUCKET).consumers.size}`);
  } finally {
    await fake.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await runLifeDemo();
