import { createZuploClient } from "@keysmith/client";
import { APP_METADATA_KEY, type PostLoginApi, type PostLoginEvent } from "./auth0-types.js";
import { readConfig } from "./config.js";
import { describeFailure, logLine, userLabel } from "./log-line.js";
import { provisionConsumer, storedConsumer } from "./provision.js";

/** Inlined by scripts/build-lib.ts from package.json. */
declare const __ACTION_VERSION__: string;
const USER_AGENT = `keysmith-auth0-action/${typeof __ACTION_VERSION__ === "string" ? __ACTION_VERSION__ : "dev"}`;
/** Retries never wait longer than this, so `retry-after: 120` fails fast instead. */
const MAX_RETRY_DELAY_MS = 500;
/** Grace after the budget before the action stops waiting, whatever the client does. */
const HARD_STOP_GRACE_MS = 250;

/**
 * Auth0 post-login handler: gives a first-time user a Zuplo consumer with an API key and
 * stores its name in `app_metadata.api_consumer`. Never throws, never denies: a failing key
 * service costs one log line and at most the time budget, and the next login tries again.
 */
export async function onExecutePostLogin(event: PostLoginEvent, api: PostLoginApi): Promise<void> {
  try {
    if (storedConsumer(event?.user) !== undefined) return;

    const read = readConfig(event?.secrets);
    if (!read.ok) {
      logLine(`provisioning skipped: ${read.problem}`);
      return;
    }
    const config = read.config;
    const secrets = [config.apiKey];

    if (config.skipRefresh && event.transaction?.protocol === "oauth2-refresh-token") return;
    const clientId = event.client?.client_id;
    if (config.clientIds.length > 0 && !(clientId && config.clientIds.includes(clientId))) return;

    const userId = event.user.user_id;
    const budgetMs = config.timeBudgetMs;
    const budgetSignal = AbortSignal.timeout(budgetMs);
    // One attempt may use most of the budget; GET retries after a 409 share what is left.
    const attemptTimeoutMs = Math.max(50, Math.floor(budgetMs * 0.8));
    const zuplo = createZuploClient({
      apiKey: config.apiKey,
      accountName: config.accountName,
      baseUrl: config.apiUrl,
      timeoutMs: attemptTimeoutMs,
      maxRetries: 2,
      maxRetryDelayMs: Math.min(MAX_RETRY_DELAY_MS, Math.floor(budgetMs / 4)),
      userAgent: USER_AGENT,
    });

    let timer: ReturnType<typeof setTimeout> | undefined;
    const hardStop = new Promise<"hard-stop">((resolve) => {
      timer = setTimeout(() => resolve("hard-stop"), budgetMs + HARD_STOP_GRACE_MS);
    });
    const ctx = { attemptTimeoutMs, budgetMs, budgetSignal };
    try {
      const outcome = await Promise.race([
        provisionConsumer(zuplo, config.bucketName, event.user, {
          prefix: config.consumerPrefix,
          signal: budgetSignal,
        }).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        ),
        hardStop,
      ]);
      if (outcome === "hard-stop") {
        logLine(
          `provisioning skipped for ${userLabel(userId)}: timeout after ${budgetMs} ms`,
          secrets,
        );
        return;
      }
      if ("error" in outcome) {
        logLine(
          `provisioning skipped for ${userLabel(userId)}: ${describeFailure(outcome.error, ctx)}`,
          secrets,
        );
        return;
      }
      const { result } = outcome;
      if (result.outcome === "conflict") {
        logLine(
          `provisioning skipped for ${userLabel(userId)}: consumer ${result.consumerName} belongs to another user`,
          secrets,
        );
        return;
      }
      api.user.setAppMetadata(APP_METADATA_KEY, result.consumerName);
      logLine(
        `consumer ${result.consumerName} ${result.outcome} for ${userLabel(userId)}`,
        secrets,
      );
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    // Last line of defence: a login must never fail because of this action.
    const name = error instanceof Error ? error.name : typeof error;
    console.log(`keysmith: provisioning skipped: unexpected ${name}`);
  }
}
