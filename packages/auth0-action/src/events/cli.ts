// Owns the `keysmith-events` command line: `serve --port N` runs the webhook handler on
// node:http, configured from the environment only, until SIGTERM or SIGINT.
import { parseArgs } from "node:util";
import { VERSION } from "../backfill/version.js";
import { safeLine } from "../log-line.js";
import { type RunningServer, serve } from "./serve.js";
import { createAuth0EventHandler, type WebhookAuth } from "./web-handler.js";

export const USAGE = `usage: keysmith-events serve --port <n> [--host <address>]
       keysmith-events --help | --version

Runs the Auth0 Event Streams webhook (user.updated, user.deleted) on node:http.
Environment: ZUPLO_API_KEY, ZUPLO_ACCOUNT_NAME, ZUPLO_BUCKET_NAME (as the action's secrets),
and KEYSMITH_EVENTS_TOKEN (bearer) or KEYSMITH_EVENTS_HEADER + KEYSMITH_EVENTS_HEADER_VALUE.`;

export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

function authFrom(env: NodeJS.ProcessEnv): WebhookAuth {
  const token = env.KEYSMITH_EVENTS_TOKEN?.trim();
  const header = env.KEYSMITH_EVENTS_HEADER?.trim();
  const value = env.KEYSMITH_EVENTS_HEADER_VALUE?.trim();
  if (token) return { bearer: token };
  if (header && value) return { header, value };
  throw new TypeError(
    "set KEYSMITH_EVENTS_TOKEN (bearer) or KEYSMITH_EVENTS_HEADER and KEYSMITH_EVENTS_HEADER_VALUE",
  );
}

/**
 * Starts the server; resolves with it (the bin stops it on a signal), or with `undefined`
 * after printing `--help` or `--version`. Throws on bad input.
 */
export async function startFromCli(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
): Promise<RunningServer | undefined> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" },
    },
  });
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return undefined;
  }
  if (values.version) {
    io.stdout.write(`keysmith-events ${VERSION}\n`);
    return undefined;
  }
  if (positionals[0] !== "serve" || positionals.length !== 1) throw new TypeError(USAGE);
  const port = Number(values.port);
  if (!values.port || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError("--port: must be a whole number from 0 to 65535");
  }
  const auth = authFrom(env);
  const secrets = [
    env.ZUPLO_API_KEY ?? "",
    env.API_KEY ?? "",
    "bearer" in auth ? auth.bearer : auth.value,
  ];
  const handler = createAuth0EventHandler({
    settings: env,
    auth,
    log: (line) => io.stdout.write(`${safeLine(line, secrets)}\n`),
  });
  const running = await serve(handler, { port, host: values.host });
  io.stdout.write(`keysmith-events: listening on ${running.url}\n`);
  return running;
}
