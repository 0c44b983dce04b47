// Owns how a time budget becomes a Zuplo client: per-attempt timeout, retries, the longest
// retry wait, the response-size cap. The login action and the event routine share it.
import { createLeanZuploClient, type FetchLike, type LeanZuploClient } from "@keysmith/client";
import type { ActionConfig } from "./config.js";

/** The action's answers are a consumer or a page of managers: a few kB. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** Retries never wait longer than this, so `retry-after: 120` fails fast instead. */
const MAX_RETRY_DELAY_MS = 500;

export interface BudgetedClient {
  client: LeanZuploClient;
  /** One attempt may use most of the budget; later requests share what is left. */
  attemptTimeoutMs: number;
}

export function budgetedClient(
  config: ActionConfig,
  userAgent: string,
  options: { maxResponseBytes?: number; fetch?: FetchLike } = {},
): BudgetedClient {
  const budgetMs = config.timeBudgetMs;
  const attemptTimeoutMs = Math.max(50, Math.floor(budgetMs * 0.8));
  const client = createLeanZuploClient({
    apiKey: config.apiKey,
    accountName: config.accountName,
    baseUrl: config.apiUrl,
    timeoutMs: attemptTimeoutMs,
    maxRetries: 2,
    maxRetryDelayMs: Math.min(MAX_RETRY_DELAY_MS, Math.floor(budgetMs / 4)),
    userAgent,
    // A hostile or broken key service cannot make a login buffer and parse megabytes.
    maxResponseBytes: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
    ...(options.fetch && { fetch: options.fetch }),
  });
  return { client, attemptTimeoutMs };
}
