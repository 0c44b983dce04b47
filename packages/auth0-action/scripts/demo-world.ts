// The demo parts' shared setup: the stateful fake key service, both real actions bound to
// it (the login action in a tenant, the event-stream action behind Auth0's delivery).
import {
  Auth0Tenant,
  EventStreamActionRunner,
  EventStreamDelivery,
  loadActionFile,
  loadEventStreamAction,
} from "@keysmith/auth0-stand-in";
import { startFakeZuplo } from "@keysmith/mock";
import { actionFile, eventStreamActionFile } from "./build-lib.js";

export const ACCOUNT = "demo-account";
export const BUCKET = "demo-portal";
export const ZUPLO_KEY = "zpka_demo_key_not_a_real_secret";

/** A fresh fake with the demo bucket, and the secrets that point the actions at it. */
async function startDemoFake(extraSecrets: Record<string, string> = {}) {
  const fake = await startFakeZuplo({
    apiKey: ZUPLO_KEY,
    accountName: ACCOUNT,
    buckets: [{ name: BUCKET }],
  });
  const secrets = {
    ZUPLO_API_KEY: ZUPLO_KEY,
    ZUPLO_ACCOUNT_NAME: ACCOUNT,
    ZUPLO_BUCKET_NAME: BUCKET,
    ZUPLO_API_URL: fake.url,
    ...extraSecrets,
  };
  return { fake, secrets };
}

/** The fake plus both bundled actions on it; Auth0's retries run 100 times faster. */
export async function startDemoWorld(extraSecrets: Record<string, string> = {}) {
  const { fake, secrets } = await startDemoFake(extraSecrets);
  const tenant = new Auth0Tenant({ action: await loadActionFile(actionFile), secrets });
  const runner = new EventStreamActionRunner(
    await loadEventStreamAction(eventStreamActionFile),
    secrets,
  );
  const delivery = new EventStreamDelivery({ action: runner }, { scale: 0.01 });
  return { fake, tenant, runner, delivery };
}
