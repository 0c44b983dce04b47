// Reads the CLIs' settings (deploy, backfill) from the environment: the Auth0
// machine-to-machine credentials and the action's Zuplo settings, checked as the action does.
import { type ActionConfig, readConfig } from "./config.js";
import { ConfigError } from "./config-error.js";

/** Secrets the action reads, in the order the deploy reports them. */
export const ZUPLO_SECRET_NAMES = [
  "ZUPLO_API_KEY",
  "ZUPLO_ACCOUNT_NAME",
  "ZUPLO_BUCKET_NAME",
  "ZUPLO_API_URL",
  "ZUPLO_TIME_BUDGET_MS",
  "ZUPLO_CLIENT_IDS",
  "ZUPLO_CONSUMER_PREFIX",
  "ZUPLO_SKIP_REFRESH",
  "ZUPLO_KEY_SCOPE",
  "ZUPLO_WITHOUT_ORGANIZATION",
] as const;
const REQUIRED = ["ZUPLO_API_KEY", "ZUPLO_ACCOUNT_NAME", "ZUPLO_BUCKET_NAME"] as const;
const AUTH0 = ["AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"] as const;
const SOURCE = "environment variable";

export interface Auth0Credentials {
  /** Bare host, e.g. `tenant.eu.auth0.com`. */
  domain: string;
  clientId: string;
  clientSecret: string;
  /** For tests only: send `https://<domain>` requests to this origin (KEYSMITH_AUTH0_ORIGIN). */
  origin?: string;
}

export interface CliEnv {
  auth0: Auth0Credentials;
  /** The action's secrets as set in the environment (name → value), for the deploy. */
  secrets: Record<string, string>;
  /** The same settings parsed and checked as the action parses them. */
  zuplo: ActionConfig;
}

/** Reads the environment only; throws ConfigError naming every missing or bad variable. */
export function readCliEnv(env: NodeJS.ProcessEnv): CliEnv {
  const missing = [...AUTH0, ...REQUIRED].filter((name) => !env[name]?.trim());
  if (missing.length > 0) throw ConfigError.missing(SOURCE, missing);
  const domain = (env.AUTH0_DOMAIN as string)
    .trim()
    .replace(/^https?:\/\//, "")
    .replace(/\/+$/, "");
  if (/[/?#\s]/.test(domain)) {
    throw new ConfigError(
      SOURCE,
      ["AUTH0_DOMAIN"],
      "must be a bare host name like tenant.eu.auth0.com",
    );
  }
  const secrets: Record<string, string> = {};
  for (const name of ZUPLO_SECRET_NAMES) {
    const value = env[name]?.trim();
    if (value) secrets[name] = value;
  }
  const zuplo = readConfig(secrets, SOURCE);
  if (!zuplo.ok) throw zuplo.error;
  const origin = env.KEYSMITH_AUTH0_ORIGIN?.trim();
  return {
    auth0: {
      domain,
      clientId: (env.AUTH0_CLIENT_ID as string).trim(),
      clientSecret: (env.AUTH0_CLIENT_SECRET as string).trim(),
      ...(origin ? { origin } : {}),
    },
    secrets,
    zuplo: zuplo.config,
  };
}
