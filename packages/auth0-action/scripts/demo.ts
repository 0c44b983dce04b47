// A walk through the bundled action against the stateful fake key service: no Zuplo or
// Auth0 account needed. `pnpm demo` at the root runs this.

import { Auth0Tenant, type Execution, loadActionFile } from "@keysmith/auth0-stand-in";
import { startFakeZuplo } from "@keysmith/mock";
// The package script builds first (turbo: the client, then this package).
import { actionFile } from "./build-lib.js";

const ACCOUNT = "demo-account";
const BUCKET = "demo-portal";
const ZUPLO_KEY = "zpka_demo_key_not_a_real_secret";

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
  },
});

interface Row {
  scenario: string;
  happened: string;
  requests: number;
  ms: number;
  consumers: number;
}
const rows: Row[] = [];

function describe(runs: Execution[]): string {
  const ok = runs.filter((r) => r.status === "success").length;
  const logins =
    runs.length === 1 ? (ok ? "login ok" : "login FAILED") : `${ok}/${runs.length} logins ok`;
  const created = runs.filter((r) => r.logs.some((l) => l.includes(" created for "))).length;
  const adopted = runs.filter((r) => r.logs.some((l) => l.includes(" existing for "))).length;
  const stored = new Set(runs.flatMap((r) => r.setAppMetadataCalls.map((c) => String(c.value))));
  const skipped = runs.flatMap((r) => r.logs).find((l) => l.includes("skipped"));
  const parts = [logins];
  if (created || adopted) {
    parts.push(
      [created && `${created} created`, adopted && `${adopted} adopted after 409`]
        .filter(Boolean)
        .join(", "),
    );
  }
  if (skipped) parts.push(skipped.replace(/^.*: (?=[^:]*$)/, "skipped: "));
  parts.push(
    stored.size === 0
      ? "nothing stored"
      : stored.size === 1
        ? "one name stored"
        : `${stored.size} names stored`,
  );
  if (!created && !adopted && !skipped && runs.every((r) => r.logs.length === 0))
    parts.push("no request");
  return parts.join("; ");
}

async function scenario(name: string, run: () => Promise<Execution[]>) {
  const before = fake.requests.length;
  const started = performance.now();
  const runs = await run();
  rows.push({
    scenario: name,
    happened: describe(runs),
    requests: fake.requests.length - before,
    ms: Math.round(performance.now() - started),
    consumers: fake.state.bucket(BUCKET).consumers.size,
  });
}

const ada = {
  user_id: "auth0|65f1c2d3e4f5a6b7c8d9e0f1",
  email: "ada@example.com",
  email_verified: true,
  name: "Ada Lovelace",
};
const grace = {
  user_id: "google-oauth2|1029384756",
  email: "grace@example.com",
  email_verified: true,
  name: "Grace Hopper",
};
const linus = {
  user_id: "github|4242",
  email: "linus@example.com",
  email_verified: false,
  name: "Linus",
};

try {
  await scenario("new user", async () => [await tenant.login(ada)]);
  await scenario("same user returns", async () => [await tenant.login(ada)]);
  await scenario("10 concurrent first logins", () =>
    Promise.all(Array.from({ length: 10 }, () => tenant.login(grace))),
  );
  fake.setFault({ kind: "hang" });
  await scenario("key service hangs (outage)", async () => [await tenant.login(linus)]);
  fake.setFault(null);
  await scenario("same user after the outage", async () => [await tenant.login(linus)]);

  const headers = ["scenario", "what happened", "requests", "time", "consumers"];
  const table = rows.map((r) => [
    r.scenario,
    r.happened,
    String(r.requests),
    `${r.ms} ms`,
    String(r.consumers),
  ]);
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...table.map((row) => (row[i] as string).length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
  console.log(line(headers));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of table) console.log(line(row));
  const inBucket = [...fake.state.bucket(BUCKET).consumers.values()];
  console.log(`\nconsumers in bucket ${BUCKET}:`);
  for (const c of inBucket) {
    console.log(
      `  ${c.name}  tags=${JSON.stringify(c.tags)}  keys=${c.keys.size}  managers=${c.managers.size}`,
    );
  }
} finally {
  await fake.stop();
}
