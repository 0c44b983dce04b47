// Owns the wiring both CLIs share: one stop for the run, the two paced API clients, and
// the breaker that stops the run when Zuplo keeps failing.
import { createZuploClient } from "@keysmith/client";
import type { CliEnv } from "../env.js";
import { createManagementApi } from "./management-api.js";
import { Pacer } from "./pacer.js";
import { StopReason } from "./stop.js";
import { Breaker, pacedFetch } from "./zuplo-transport.js";

export interface ClientSettings {
  /** Tries per call while rate limited. */
  maxAttempts: number;
  /** Zuplo requests per second. */
  zuploRate: number;
  userAgent: string;
  /** Ctrl-C, a closed stdout. */
  signal?: AbortSignal | undefined;
  fetch?: typeof fetch | undefined;
  /** Each Management API access token once obtained (to redact it from the output). */
  onToken?: (token: string) => void;
}

export function createClients(config: CliEnv, settings: ClientSettings) {
  const stop = new AbortController();
  const { signal } = settings;
  if (signal?.aborted) stop.abort(signal.reason);
  signal?.addEventListener("abort", () => stop.abort(signal.reason), { once: true });
  const breaker = new Breaker("Zuplo", (message) => stop.abort(new StopReason(message)));
  const pacers = {
    auth0: new Pacer("auth0"),
    zuplo: new Pacer("zuplo", { perSecond: settings.zuploRate }),
  };
  const api = createManagementApi({
    ...config.auth0,
    pacer: pacers.auth0,
    maxRateLimitAttempts: settings.maxAttempts,
    ...(settings.onToken ? { onToken: settings.onToken } : {}),
    ...(settings.fetch ? { fetch: settings.fetch } : {}),
  });
  const zuplo = createZuploClient({
    apiKey: config.zuplo.apiKey,
    accountName: config.zuplo.accountName,
    baseUrl: config.zuplo.apiUrl,
    userAgent: settings.userAgent,
    fetch: pacedFetch(settings.fetch ?? fetch, pacers.zuplo, breaker),
  });
  return { api, zuplo, pacers, signal: stop.signal };
}
