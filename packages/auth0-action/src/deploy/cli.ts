// Owns the `keysmith-deploy` command line: deploys the post-login action and the event
// handling (event-stream action + Event Stream) to an Auth0 tenant, from the environment only.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ManagementClient } from "auth0";
import { readCliEnv } from "../env.js";
import { errorLine, toLine } from "../error-line.js";
import { DEFAULT_ACTION_NAME, deployPostLoginAction } from "./deploy-action.js";
import { DEFAULT_STREAM_NAME, deployEventStream } from "./deploy-event-stream.js";

export const USAGE = `usage: keysmith-deploy [--dry-run] [--only login|events] [--name <login action>]
                       [--stream-name <event stream>]

Deploys to the Auth0 tenant in AUTH0_DOMAIN (with AUTH0_CLIENT_ID / AUTH0_CLIENT_SECRET):
  login   the post-login action (dist/action.js), bound after the existing post-login actions
  events  the event-stream action (dist/event-stream-action.js) and an Event Stream
          subscribed to user.updated and user.deleted
Both by default. Secrets for the actions: ZUPLO_API_KEY, ZUPLO_ACCOUNT_NAME, ZUPLO_BUCKET_NAME
(and the optional ZUPLO_*). For account linking, KEYSMITH_LINK_CLIENT_ID and
KEYSMITH_LINK_CLIENT_SECRET (an application with read:users only) become the event action's
AUTH0_CLIENT_ID / AUTH0_CLIENT_SECRET.`;

export interface DeployIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** Notes each Management API access token as soon as the SDK obtains it (to redact it). */
function watchTokens(inner: typeof fetch, known: string[]): typeof fetch {
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

/** Runs the command; resolves with the exit code. Never prints a secret value or token. */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: DeployIo,
  distDir: string,
): Promise<number> {
  /** Redacted from every line: the client secrets, the Zuplo API key, each access token. */
  const known: string[] = [];
  try {
    const { values } = parseArgs({
      // pnpm forwards a literal "--" before the script's own arguments.
      args: argv.filter((arg) => arg !== "--"),
      options: {
        "dry-run": { type: "boolean", default: false },
        only: { type: "string" },
        name: { type: "string", default: DEFAULT_ACTION_NAME },
        "stream-name": { type: "string", default: DEFAULT_STREAM_NAME },
        "poll-interval": { type: "string", default: "1000" },
        help: { type: "boolean", default: false },
      },
    });
    if (values.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (values.only !== undefined && values.only !== "login" && values.only !== "events") {
      throw new Error("--only: login or events");
    }
    const pollIntervalMs = Number(values["poll-interval"]);
    if (!Number.isInteger(pollIntervalMs) || pollIntervalMs < 1) {
      throw new Error("--poll-interval: a whole number of milliseconds");
    }
    const cliEnv = readCliEnv(env);
    const { domain, clientId, clientSecret, origin } = cliEnv.auth0;
    const linkId = env.KEYSMITH_LINK_CLIENT_ID?.trim();
    const linkSecret = env.KEYSMITH_LINK_CLIENT_SECRET?.trim();
    // Only secret values: the other settings (`organization`, `true`, account names) are
    // ordinary words that redacting would garble in every plan line.
    known.push(
      clientSecret,
      cliEnv.secrets.ZUPLO_API_KEY ?? "",
      env.API_KEY?.trim() ?? "",
      linkSecret ?? "",
    );
    // Names and ids come from the server: one clean line each, by the shared rule.
    const log = (line: string) => io.stdout.write(`${toLine(line, known)}\n`);

    // For local testing only: send the SDK's https://<domain> calls to a stand-in server.
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
        known,
      ),
    });
    const common = { dryRun: values["dry-run"], log, pollIntervalMs };

    if (values.only !== "events") {
      const code = await readFile(join(distDir, "action.js"), "utf8");
      log(`post-login action: dist/action.js (${Buffer.byteLength(code)} bytes)`);
      await deployPostLoginAction(mgmt, {
        ...common,
        code,
        secrets: cliEnv.secrets,
        name: values.name,
      });
    }
    if (values.only !== "login") {
      const code = await readFile(join(distDir, "event-stream-action.js"), "utf8");
      log(`event-stream action: dist/event-stream-action.js (${Buffer.byteLength(code)} bytes)`);
      const secrets = { ...cliEnv.secrets };
      if (linkId && linkSecret) {
        Object.assign(secrets, {
          AUTH0_DOMAIN: domain,
          AUTH0_CLIENT_ID: linkId,
          AUTH0_CLIENT_SECRET: linkSecret,
        });
      }
      await deployEventStream(mgmt, {
        ...common,
        code,
        secrets,
        streamName: values["stream-name"],
      });
    }
    return 0;
  } catch (error) {
    io.stderr.write(`deploy failed: ${errorLine(error, known)}\n`);
    return 1;
  }
}
