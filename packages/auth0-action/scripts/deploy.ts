// Deploys dist/action.js to an Auth0 tenant (create or update, build, deploy, bind to
// post-login). Credentials and secrets come from the environment only; see README.
import { readFile, stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ManagementClient } from "auth0";
import { DEFAULT_ACTION_NAME, deployPostLoginAction } from "../src/deploy/deploy-action.js";
import { readDeployEnv } from "../src/deploy/env.js";
import { redact } from "../src/redact.js";
import { actionFile } from "./build-lib.js";

let known: string[] = [];
try {
  const { values } = parseArgs({
    // pnpm forwards a literal "--" before the script's own arguments.
    args: process.argv.slice(2).filter((arg) => arg !== "--"),
    options: {
      "dry-run": { type: "boolean", default: false },
      name: { type: "string", default: DEFAULT_ACTION_NAME },
    },
  });
  const env = readDeployEnv(process.env);
  known = [env.clientSecret, ...Object.values(env.secrets)];
  // The package script has just built it (turbo: the client, then this package).
  console.log(`deploying dist/action.js (${(await stat(actionFile)).size} bytes)`);
  // For local testing only: send the SDK's https://<domain> calls to a stand-in server.
  const origin = process.env.KEYSMITH_AUTH0_ORIGIN;
  const prefix = `https://${env.domain}`;
  const mgmt = new ManagementClient({
    domain: env.domain,
    clientId: env.clientId,
    clientSecret: env.clientSecret,
    ...(origin
      ? {
          fetch: (input: string | URL | Request, init?: RequestInit) =>
            fetch(
              String(input instanceof Request ? input.url : input).replace(prefix, origin),
              init,
            ),
        }
      : {}),
  });
  await deployPostLoginAction(mgmt, {
    code: await readFile(actionFile, "utf8"),
    secrets: env.secrets,
    name: values.name,
    dryRun: values["dry-run"],
  });
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`deploy failed: ${redact(message, known)}`);
  process.exitCode = 1;
}
