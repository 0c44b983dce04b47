// Deploys dist/action.js to an Auth0 tenant (create or update, build, deploy, bind to
// post-login). Credentials and secrets come from the environment only; see README.
import { readFile, stat } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ManagementClient } from "auth0";
import { DEFAULT_ACTION_NAME, deployPostLoginAction } from "../src/deploy/deploy-action.js";
import { readCliEnv } from "../src/env.js";
import { errorLine, toLine } from "../src/error-line.js";
import { actionFile } from "./build-lib.js";

/** Redacted from every line: the client secret, the action's secrets, each access token. */
const known: string[] = [];

/** Notes each Management API access token as soon as the SDK obtains it. */
function watchTokens(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith("/oauth/token") && response.ok) {
      const body = (await response
        .clone()
        .json()
        .catch(() => undefined)) as { access_token?: unknown } | undefined;
      if (typeof body?.access_token === "string") known.push(body.access_token);
    }
    return response;
  };
}
try {
  const { values } = parseArgs({
    // pnpm forwards a literal "--" before the script's own arguments.
    args: process.argv.slice(2).filter((arg) => arg !== "--"),
    options: {
      "dry-run": { type: "boolean", default: false },
      name: { type: "string", default: DEFAULT_ACTION_NAME },
    },
  });
  const env = readCliEnv(process.env);
  known.push(env.auth0.clientSecret, ...Object.values(env.secrets));
  // The package script has just built it (turbo: the client, then this package).
  console.log(`deploying dist/action.js (${(await stat(actionFile)).size} bytes)`);
  // For local testing only: send the SDK's https://<domain> calls to a stand-in server.
  const { domain, clientId, clientSecret, origin } = env.auth0;
  const prefix = `https://${domain}`;
  const mgmt = new ManagementClient({
    domain,
    clientId,
    clientSecret,
    fetch: watchTokens(
      origin
        ? (input, init) =>
            fetch(
              String(input instanceof Request ? input.url : input).replace(prefix, origin),
              init,
            )
        : fetch,
    ),
  });
  await deployPostLoginAction(mgmt, {
    code: await readFile(actionFile, "utf8"),
    secrets: env.secrets,
    name: values.name,
    dryRun: values["dry-run"],
    // Names and ids come from the server: one clean line each, by the shared rule.
    log: (line) => console.log(toLine(line, known)),
  });
} catch (error) {
  console.error(`deploy failed: ${errorLine(error, known)}`);
  process.exitCode = 1;
}
