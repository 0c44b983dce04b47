// 3b. Login latency: the built action run by the Auth0 stand-in's harness (Auth0's
// loader and trigger semantics) against the stateful fake key service, in process.
import {
  APP_METADATA_KEY,
  consumerNameFor,
  MANAGER_METADATA_KEY,
  USER_TAG,
} from "@keysmith/auth0-action";
import { Auth0Tenant, type Execution, loadActionFile } from "@keysmith/auth0-stand-in";
import { startFakeZuplo } from "@keysmith/mock";
import type { BenchConfig } from "./config.js";
import { ACCOUNT, API_KEY, BUCKET } from "./fixtures.js";
import { actionFile } from "./paths.js";
import { median, percentile } from "./stats.js";

export type LoginScenario = "returning user" | "new user" | "409: consumer exists";

export interface LoginRow {
  scenario: LoginScenario;
  runs: number;
  /** Requests each login made to the key service (the same for every run, else it throws). */
  requests: number;
  /** What the action logged it did. */
  outcome: string;
  /** The harness's trigger time (handler start to end), ms. */
  median: number;
  p90: number;
  min: number;
}

export async function runLogin(config: BenchConfig["login"]): Promise<LoginRow[]> {
  const fake = await startFakeZuplo({
    apiKey: API_KEY,
    accountName: ACCOUNT,
    buckets: [{ name: BUCKET }],
  });
  try {
    const tenant = new Auth0Tenant({
      action: await loadActionFile(actionFile),
      secrets: {
        ZUPLO_API_KEY: API_KEY,
        ZUPLO_ACCOUNT_NAME: ACCOUNT,
        ZUPLO_BUCKET_NAME: BUCKET,
        ZUPLO_API_URL: fake.url,
      },
    });
    let serial = 0;
    const freshUser = (kind: string) => {
      serial += 1;
      return {
        user_id: `auth0|bench-${kind}-${serial}`,
        email: `user${serial}@example.com`,
        email_verified: true,
        name: `Bench User ${serial}`,
      };
    };
    const returning = freshUser("returning");
    // Settled: consumer and manager recorded (what the action stores after a verified login).
    tenant.putUser({
      ...returning,
      app_metadata: {
        [APP_METADATA_KEY]: "auth0-already-set",
        [MANAGER_METADATA_KEY]: returning.email,
      },
    });

    const scenarios: Record<LoginScenario, () => Promise<Execution>> = {
      "returning user": () => tenant.login(returning),
      "new user": () => tenant.login(freshUser("new")),
      "409: consumer exists": () => {
        const user = freshUser("conflict");
        // As if an earlier login created it but its app_metadata write was lost.
        fake.state.addConsumer(BUCKET, {
          name: consumerNameFor(user.user_id),
          tags: { [USER_TAG]: user.user_id },
          managers: [{ email: user.email, sub: user.user_id }],
        });
        return tenant.login(user);
      },
    };

    const names = Object.keys(scenarios) as LoginScenario[];
    const samples = new Map(
      names.map((name) => [
        name,
        { times: [] as number[], requests: new Set<number>(), outcomes: new Set<string>() },
      ]),
    );
    for (let i = 0; i < config.warmup; i++) for (const name of names) await scenarios[name]();
    // Interleaved, so drifting background load hits every scenario alike.
    for (let i = 0; i < config.runs; i++) {
      for (const name of names) {
        const sample = samples.get(name);
        const before = fake.requests.length;
        const execution = await scenarios[name]();
        if (!sample || execution.status !== "success") {
          throw new Error(`${name}: login ${execution.status}: ${execution.logs.join(" | ")}`);
        }
        sample.requests.add(fake.requests.length - before);
        sample.outcomes.add(describe(execution));
        sample.times.push(execution.durationMs);
      }
    }
    const rows = names.map((scenario): LoginRow => {
      const { times, requests, outcomes } = samples.get(scenario) as NonNullable<
        ReturnType<typeof samples.get>
      >;
      if (requests.size !== 1 || outcomes.size !== 1) {
        throw new Error(`${scenario}: runs differ: ${[...requests]} ${[...outcomes]}`);
      }
      return {
        scenario,
        runs: times.length,
        requests: [...requests][0] as number,
        outcome: [...outcomes][0] as string,
        median: median(times),
        p90: percentile(times, 90),
        min: Math.min(...times),
      };
    });
    return rows;
  } finally {
    await fake.stop();
  }
}

/** "created", "existing" (adopted after a 409) or "nothing to do", from the action's log. */
function describe(execution: Execution): string {
  const line = execution.logs.join("\n");
  if (/ created for /.test(line)) return "created";
  if (/ existing for /.test(line)) return "existing (adopted after 409)";
  if (execution.logs.length === 0 && execution.setAppMetadataCalls.length === 0) {
    return "nothing to do";
  }
  return `unexpected: ${line}`;
}
