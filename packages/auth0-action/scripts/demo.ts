// A walk through the bundled action against the stateful fake key service, told in words:
// no Zuplo or Auth0 account needed. `pnpm demo` at the root runs this.

import {
  Auth0Tenant,
  type Execution,
  type HarnessUser,
  loadActionFile,
} from "@keysmith/auth0-stand-in";
import { startFakeZuplo } from "@keysmith/mock";
// The package script builds first (turbo: the client, then this package).
import { actionFile } from "./build-lib.js";
import { runLifeDemo } from "./demo-events.js";
import { runOrgDemo } from "./demo-org.js";

const ACCOUNT = "demo-account";
const BUCKET = "demo-portal";
const ZUPLO_KEY = "zpka_demo_key_not_a_real_secret";
/** The demo's budget (ZUPLO_TIME_BUDGET_MS), short so the outage scenario ends quickly. */
const BUDGET_MS = 2000;

/** Why the action makes each kind of request, in words. */
const WHY: Record<string, string> = {
  createConsumer: "create the consumer with its first API key",
  getConsumer: "the name was taken (409): read the consumer to check it is this user's",
  createManager: "make the verified email a manager, so the key shows in the portal",
  listManagers: "check the person has exactly one manager entry",
  deleteManager: "remove an old or duplicate manager entry",
};

console.log(
  "Keysmith demo: the real Auth0 action (dist/action.js) runs as Auth0 runs it, against a\n" +
    `local stand-in of Zuplo's key service. Time budget per login: ${BUDGET_MS} ms.\n`,
);

const fake = await startFakeZuplo({
  apiKey: ZUPLO_KEY,
  accountName: ACCOUNT,
  buckets: [{ name: BUCKET }],
});
const tenant = new Auth0Tenant({
  action: await loadActionFile(actionFile),
  secrets: {
    ZUPLO_API_KEY: ZUPLO_KEY,
    ZUPLO_ACCOUNT_NAME: ACCOUNT,
    ZUPLO_BUCKET_NAME: BUCKET,
    ZUPLO_API_URL: fake.url,
    ZUPLO_TIME_BUDGET_MS: String(BUDGET_MS),
  },
});

const consumerNames = () => new Set(fake.state.bucket(BUCKET).consumers.keys());

/** Whether the user's key is visible in Zuplo's developer portal: their email is a manager. */
function visibleInPortal(user: HarnessUser): boolean {
  const email = tenant.users.get(user.user_id)?.email;
  for (const consumer of fake.state.bucket(BUCKET).consumers.values()) {
    if (consumer.tags.auth0UserId !== user.user_id) continue;
    for (const m of consumer.managers.values()) if (m.email === email) return true;
  }
  return false;
}

/** The action's own log lines, turned into a sentence. */
function outcome(runs: Execution[], user: HarnessUser): string {
  const lines = runs.flatMap((r) => r.logs);
  const count = (text: string) => lines.filter((l) => l.includes(text)).length;
  const who = user.name ?? user.user_id;
  const failed = runs.filter((r) => r.status !== "success").length;
  const parts: string[] = [];
  if (failed) parts.push(`${failed} login(s) FAILED`);
  else parts.push(runs.length === 1 ? `${who} signed in` : `all ${runs.length} logins succeeded`);
  if (count(" created for ")) {
    parts.push(
      count("manager pending")
        ? "got a consumer with an API key, but no manager yet: the email is not verified, so nobody sees the key in the portal"
        : "got a consumer with an API key; the verified email is its manager",
    );
  }
  if (count(" existing for ")) {
    parts.push(
      `${count(" existing for ")} login(s) found the consumer already made (409) and adopted it instead of making a duplicate`,
    );
  }
  if (count("manager added")) parts.push("the now verified email became the consumer's manager");
  if (count("replaced")) parts.push("the new verified email replaced the old manager");
  const skipped = lines.find((l) => l.includes("skipped"));
  if (skipped) {
    parts.push(
      `no key this time (${skipped.replace(/^.*: /, "")}); the login went on and the next one tries again`,
    );
  }
  if (lines.length === 0) parts.push("nothing to do: the action made no request");
  parts.push(visibleInPortal(user) ? "key visible in the portal" : "key NOT visible in the portal");
  return parts.join("; ");
}

function requestsInWords(ops: string[]): string[] {
  if (ops.length === 0) return ["none"];
  const counts = new Map<string, number>();
  for (const op of ops) counts.set(op, (counts.get(op) ?? 0) + 1);
  return [...counts].map(([op, n]) => `${n} x ${op}: ${WHY[op] ?? op}`);
}

let step = 0;
async function scenario(title: string, user: HarnessUser, run: () => Promise<Execution[]>) {
  step += 1;
  const before = fake.requests.length;
  const existing = consumerNames();
  const started = performance.now();
  const runs = await run();
  const ms = Math.round(performance.now() - started);
  const ops = fake.requests.slice(before).map((r) => r.operation ?? `${r.method} ${r.path}`);
  const created = [...consumerNames()].filter((name) => !existing.has(name));
  const slowest = Math.round(Math.max(...runs.map((r) => r.durationMs)));
  console.log(`${step}. ${title}`);
  console.log(`   what happened: ${outcome(runs, user)}`);
  console.log(`   requests:      ${requestsInWords(ops).join("\n                  ")}`);
  console.log(
    `   time:          ${runs.length === 1 ? `${slowest} ms` : `${ms} ms for all, slowest login ${slowest} ms`} (budget ${BUDGET_MS} ms per login)`,
  );
  console.log(
    `   consumers:     ${created.length === 0 ? "none created" : `${created.length} created: ${created.join(", ")}`}\n`,
  );
}

const ada: HarnessUser = {
  user_id: "google-oauth2|1029384756",
  email: "ada@example.com",
  email_verified: true,
  name: "Ada (Google sign-in)",
};
const grace: HarnessUser = {
  user_id: "auth0|65f1c2d3e4f5a6b7c8d9e0f1",
  email: "grace@example.com",
  email_verified: true,
  name: "Grace",
};
const linus: HarnessUser = {
  user_id: "auth0|65f1c2d3e4f5a6b7c8d9e0f2",
  email: "linus@example.com",
  email_verified: false,
  name: "Linus",
};
const alan: HarnessUser = {
  user_id: "github|4242",
  email: "alan@example.com",
  email_verified: true,
  name: "Alan (GitHub sign-in)",
};

try {
  await scenario("Ada signs in for the first time", ada, async () => [await tenant.login(ada)]);
  await scenario("Ada signs in again", ada, async () => [await tenant.login(ada)]);
  await scenario("Grace's first login runs 10 times at once (tabs, web and mobile)", grace, () =>
    Promise.all(Array.from({ length: 10 }, () => tenant.login(grace))),
  );
  await scenario("Linus signs up with a password, before verifying his email", linus, async () => [
    await tenant.login(linus),
  ]);
  Object.assign(tenant.users.get(linus.user_id) as object, { email_verified: true });
  await scenario("Linus clicks the verification link and signs in again", linus, async () => [
    await tenant.login(linus),
  ]);
  await scenario("Linus signs in once more", linus, async () => [await tenant.login(linus)]);
  fake.setFault({ kind: "hang" });
  await scenario("Alan signs up while the key service hangs (an outage)", alan, async () => [
    await tenant.login(alan),
  ]);
  fake.setFault(null);
  await scenario("Alan signs in after the outage", alan, async () => [await tenant.login(alan)]);

  console.log(`Consumers in bucket ${BUCKET} at the end:`);
  for (const c of fake.state.bucket(BUCKET).consumers.values()) {
    const managers = [...c.managers.values()].map((m) => m.email).join(", ") || "none (pending)";
    console.log(
      `  ${c.name}  user ${c.tags.auth0UserId}  keys ${c.keys.size}  managers ${managers}`,
    );
  }
  console.log(
    "\nA consumer's name is <prefix>-<identity provider>-<user id>-<hash> (db = Auth0 database users).",
  );
} finally {
  await fake.stop();
}

// Part two: one user from sign-up to deletion, through Auth0 Event Streams.
await runLifeDemo();
// Part three: organization scope, two members sharing one consumer, then one leaving.
await runOrgDemo();
