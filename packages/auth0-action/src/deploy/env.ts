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
] as const;
const REQUIRED = ["ZUPLO_API_KEY", "ZUPLO_ACCOUNT_NAME", "ZUPLO_BUCKET_NAME"] as const;
const AUTH0 = ["AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET"] as const;

export interface DeployEnv {
  domain: string;
  clientId: string;
  clientSecret: string;
  secrets: Record<string, string>;
}

/** Reads deploy settings from the environment only; names every missing variable. */
export function readDeployEnv(env: NodeJS.ProcessEnv): DeployEnv {
  const missing = [...AUTH0, ...REQUIRED].filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    throw new Error(`missing environment variable(s): ${missing.join(", ")}`);
  }
  const domain = (env.AUTH0_DOMAIN as string)
    .trim()
    .replace(/^https?:\/\//, "")
    .replace(/\/+$/, "");
  if (/[/?#\s]/.test(domain)) {
    throw new Error("AUTH0_DOMAIN: must be a bare host name like tenant.eu.auth0.com");
  }
  const secrets: Record<string, string> = {};
  for (const name of ZUPLO_SECRET_NAMES) {
    const value = env[name]?.trim();
    if (value) secrets[name] = value;
  }
  return {
    domain,
    clientId: (env.AUTH0_CLIENT_ID as string).trim(),
    clientSecret: (env.AUTH0_CLIENT_SECRET as string).trim(),
    secrets,
  };
}
