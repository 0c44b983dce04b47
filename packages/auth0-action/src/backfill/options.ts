import { type ParseArgsConfig, parseArgs } from "node:util";
import { ConfigError } from "../config-error.js";
import { type CliEnv, readCliEnv } from "../env.js";
import type { SourceChoice } from "./users-source.js";

export const USAGE = `Usage: keysmith-backfill [options]

Gives every existing Auth0 user without app_metadata.api_consumer a Zuplo consumer (with a
first API key) and stores its name in app_metadata.api_consumer. Safe to re-run.

Options:
  --dry-run              list what would be created; write nothing
  --concurrency <n>      users in flight at once, 1-64 (default 4)
  --source <s>           auto | search | export (default auto: search below 1,000
                         users, a users-export job from 1,000 up; search reaches
                         only the first 1,000)
  --max-attempts <n>     tries per call when rate limited, 1-100 (default 8)
  --poll-interval-ms <n> between export-job polls (default 2000)
  --zuplo-rate <n>       Zuplo requests per second, 1-10000 (default 100, Zuplo's
                         documented limit; raise it only if Zuplo raised yours)
  --verbose              one line per user, not only failures and plans
  -h, --help             this text
  --version              the version

Environment:
  AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET   machine-to-machine app with
      read:users and update:users_app_metadata (or update:users)
  ZUPLO_API_KEY, ZUPLO_ACCOUNT_NAME, ZUPLO_BUCKET_NAME  as for the action
  ZUPLO_API_URL (default https://dev.zuplo.com), ZUPLO_CONSUMER_PREFIX (default auth0)

Exit status: 0 all users done, 1 a user failed or the run stopped early, 2 bad usage or
configuration.
`;

export interface CliOptions {
  help: boolean;
  version: boolean;
  dryRun: boolean;
  concurrency: number;
  maxAttempts: number;
  source: SourceChoice;
  pollIntervalMs: number;
  zuploRate: number;
  verbose: boolean;
}

/** Bad usage or configuration: exit 2 with this message. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A whole-number flag within bounds, or a UsageError naming it. */
export function integer(name: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name}: must be a whole number from ${min} to ${max}`);
  }
  return Number(value);
}

/** The flags keysmith-backfill and keysmith-sync share: one definition, one check. */
export const SHARED_FLAGS = {
  "max-attempts": { type: "string", default: "8" },
  source: { type: "string", default: "auto" },
  "poll-interval-ms": { type: "string", default: "2000" },
  "zuplo-rate": { type: "string", default: "100" },
  verbose: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
  version: { type: "boolean", default: false },
} as const;

export type SharedOptions = Pick<
  CliOptions,
  "help" | "version" | "maxAttempts" | "source" | "pollIntervalMs" | "zuploRate" | "verbose"
>;

/** The shared flags' values, checked (a UsageError names the flag). */
export function sharedOptions(values: Record<string, string | boolean | undefined>): SharedOptions {
  const source = values.source as string;
  if (source !== "auto" && source !== "search" && source !== "export") {
    throw new UsageError("--source: must be auto, search or export");
  }
  return {
    help: values.help === true,
    version: values.version === true,
    maxAttempts: integer("max-attempts", values["max-attempts"] as string, 1, 100),
    source,
    pollIntervalMs: integer("poll-interval-ms", values["poll-interval-ms"] as string, 1, 600_000),
    zuploRate: integer("zuplo-rate", values["zuplo-rate"] as string, 1, 10_000),
    verbose: values.verbose === true,
  };
}

/**
 * Parses a command's arguments: its own flags plus the shared ones, strictly. pnpm forwards a
 * literal "--" before the script's own arguments. A bad flag is a UsageError.
 */
export function parseFlags(
  argv: readonly string[],
  own: NonNullable<ParseArgsConfig["options"]>,
  allowPositionals: boolean,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({
      args: argv.filter((arg) => arg !== "--"),
      options: { ...own, ...SHARED_FLAGS },
      strict: true,
      allowPositionals,
    });
    return {
      values: parsed.values as Record<string, string | boolean | undefined>,
      positionals: parsed.positionals,
    };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : "bad arguments");
  }
}

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const { values } = parseFlags(
    argv,
    {
      "dry-run": { type: "boolean", default: false },
      concurrency: { type: "string", default: "4" },
    },
    false,
  );
  return {
    ...sharedOptions(values),
    dryRun: values["dry-run"] === true,
    concurrency: integer("concurrency", values.concurrency as string, 1, 64),
  };
}

/** The shared environment reader (env.ts); a ConfigError becomes bad usage (exit 2). */
export function readBackfillEnv(env: NodeJS.ProcessEnv): CliEnv {
  try {
    return readCliEnv(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}
