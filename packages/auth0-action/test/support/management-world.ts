// The deploy tests' world: the real auth0 SDK (token exchange included) against the
// Management API stand-in, with the settings and secrets a deploy reads.
import { startManagementStandIn } from "@keysmith/auth0-stand-in";
import { ManagementClient } from "auth0";

export const DOMAIN = "keysmith-test.eu.auth0.com";
export const CLIENT_ID = "deploy-client-id";
export const CLIENT_SECRET = "auth0-client-secret-DO-NOT-PRINT";
export const SECRETS = {
  ZUPLO_API_KEY: "zpka_deploy_secret_DO_NOT_PRINT",
  ZUPLO_ACCOUNT_NAME: "acme-corp",
  ZUPLO_BUCKET_NAME: "acme-prod",
};

export type StandInTiming = Omit<
  Parameters<typeof startManagementStandIn>[0],
  "clientId" | "clientSecret"
>;

export async function startManagementWorld(timing: StandInTiming = {}) {
  const standIn = await startManagementStandIn({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...timing,
  });
  const mgmt = new ManagementClient({
    domain: DOMAIN,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    fetch: standIn.fetchFor(DOMAIN),
    maxRetries: 0,
  });
  const lines: string[] = [];
  return {
    standIn,
    mgmt,
    lines,
    log: (line: string) => lines.push(line),
    /** Every request that changed something (the token exchange aside). */
    writes: () => standIn.requests.filter((r) => r.method !== "GET" && r.path !== "/oauth/token"),
  };
}
