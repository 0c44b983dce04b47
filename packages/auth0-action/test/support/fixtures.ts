import { inspect } from "node:util";
import {
  Auth0Tenant,
  type Execution,
  type HarnessUser,
  type LoginOptions,
  loadActionFile,
} from "@keysmith/auth0-stand-in";
import { createZuploClient } from "@keysmith/client";
import { type FakeZuplo, startFakeZuplo } from "@keysmith/mock";
import { expect } from "vitest";
import { actionFile } from "../../scripts/build-lib.js";

export const ACCOUNT = "acme-corp";
export const BUCKET = "acme-prod";
export const ZUPLO_KEY = "zpka_test_account_key_must_never_leak_0123456789";

export async function startWorld() {
  const fake = await startFakeZuplo({
    apiKey: ZUPLO_KEY,
    accountName: ACCOUNT,
    buckets: [{ name: BUCKET }],
  });
  // The real bundle, loaded once: its module scope is shared by every execution, as in Auth0.
  const action = await loadActionFile(actionFile);
  const secrets = {
    ZUPLO_API_KEY: ZUPLO_KEY,
    ZUPLO_ACCOUNT_NAME: ACCOUNT,
    ZUPLO_BUCKET_NAME: BUCKET,
    ZUPLO_API_URL: fake.url,
  };
  return { fake, action, secrets };
}

/** A client on the fake without retries (the executor's tests count requests). */
export function fakeClient(fake: FakeZuplo) {
  return createZuploClient({
    apiKey: ZUPLO_KEY,
    accountName: ACCOUNT,
    baseUrl: fake.url,
    maxRetries: 0,
  });
}

export function tenantFor(
  world: Awaited<ReturnType<typeof startWorld>>,
  extraSecrets: Record<string, string> = {},
) {
  return new Auth0Tenant({ action: world.action, secrets: { ...world.secrets, ...extraSecrets } });
}

export function consumers(fake: FakeZuplo) {
  return [...fake.state.bucket(BUCKET).consumers.values()];
}

export function consumersOf(fake: FakeZuplo, userId: string) {
  return consumers(fake).filter((c) => c.tags.auth0UserId === userId);
}

/** Every API key value the fake ever handed out. */
export function keyValues(fake: FakeZuplo): string[] {
  return consumers(fake).flatMap((c) => [...c.keys.values()].map((k) => k.key));
}

/** Everything an execution exposed: log lines, metadata values, the failure. */
export function exposedText(execution: Execution): string {
  return [
    ...execution.logs,
    ...execution.setAppMetadataCalls.map((c) => JSON.stringify(c)),
    ...execution.denyCalls,
    execution.failure === undefined ? "" : inspect(execution.failure, { depth: 5 }),
    execution.failure instanceof Error
      ? `${execution.failure.message} ${execution.failure.stack}`
      : "",
  ].join("\n");
}

/** A hostile server's error text: a forged output line, an ANSI escape and a key value. */
export const FORGED_DETAIL =
  "bad input\n created auth0|admin auth0-admin\r\n\x1b[31m zpka_0123456789abcdef0123456789abcdef_89abcdef\x1b[0m\u2028done";

/** Every way FORGED_DETAIL could survive into output. */
export function expectNoForgery(output: string) {
  expect(output).not.toMatch(/^\s*created auth0\|admin/m);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escapes is the point
  expect(output).not.toMatch(/\u001b|\u2028/);
  expect(output).not.toContain("zpka_0123456789abcdef");
}

/** Numbered harness users (`auth0|<stem><nnn>`, `<word><n>@example.com`, verified). */
export function userFactory(stem: string, word: string) {
  let n = 0;
  return (extra: Partial<HarnessUser> = {}): HarnessUser => {
    n += 1;
    return {
      user_id: `auth0|${stem}${String(n).padStart(3, "0")}`,
      email: `${word}${n}@example.com`,
      email_verified: true,
      name: `${word} ${n}`,
      ...extra,
    };
  };
}

/** One login, with the fake's operations it caused; the execution is added to `seen`. */
export async function loginCounting(
  fake: FakeZuplo,
  tenant: Auth0Tenant,
  user: HarnessUser,
  options: LoginOptions = {},
  seen: Execution[] = [],
) {
  const before = fake.requests.length;
  const execution = await tenant.login(user, options);
  seen.push(execution);
  return { execution, operations: fake.requests.slice(before).map((r) => r.operation) };
}
