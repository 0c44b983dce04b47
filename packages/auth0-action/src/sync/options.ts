// Owns keysmith-sync's command line: the usage text, the flags and their checks.
import { integer, parseFlags, sharedOptions, UsageError } from "../backfill/options.js";
import type { SourceChoice } from "../backfill/users-source.js";

/** The documented exit status for "plan found changes". */
export const EXIT_CHANGES = 3;

export const USAGE = `Usage: keysmith-sync <plan|apply> [options]

Keeps Auth0 users and their Zuplo consumers in step. Reads the users (search below
1,000 users, a users-export job from 1,000 up) and the bucket's consumers, then decides
per user: create, link (consumer exists, record missing), add manager (email verified,
manager pending or missing), replace manager (verified email changed), or nothing;
suspend (user blocked: every key expires) or restore (no longer blocked: a fresh key),
the safety net for missed Event Stream events. Consumers tagged auth0UserId with a
user id that no longer exists are orphans.

In organization scope (ZUPLO_KEY_SCOPE=organization, as for the action) it reads the
organizations and their members instead and decides per organization: create its consumer,
per member the same actions (verified members manage it, unverified ones are recorded as
pending), and remove manager (no longer a member). Consumers tagged auth0OrgId with an
organization that no longer exists are orphans.

  plan    print what apply would do; writes nothing
  apply   carry the plan out (orphans are deleted only with --prune)

Options:
  --prune                (apply) delete orphans, each checked with Auth0 first
  --json                 one JSON object per action (NDJSON) on stdout, then a summary
  --rows <n>             rows shown per action in the plan, 0-1000 (default 10)
  --concurrency <n>      actions in flight during apply, 1-64 (default 32)
  --source <s>           auto | search | export (default auto)
  --max-attempts <n>     tries per call when rate limited, 1-100 (default 8)
  --poll-interval-ms <n> between export-job polls (default 2000)
  --zuplo-rate <n>       Zuplo requests per second, 1-10000 (default 100, Zuplo's
                         documented limit)
  --verbose              (apply) a line per action done, not only failures
  -h, --help             this text
  --version              the version

Environment:
  AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET   machine-to-machine app with
      read:users and update:users_app_metadata (plan needs read:users only);
      organization scope also read:organizations and read:organization_members
  ZUPLO_API_KEY, ZUPLO_ACCOUNT_NAME, ZUPLO_BUCKET_NAME  as for the action
  ZUPLO_API_URL (default https://dev.zuplo.com), ZUPLO_CONSUMER_PREFIX (default auth0),
  ZUPLO_KEY_SCOPE (user or organization, default user)

Exit status: 0 in step (plan) or every action done (apply); 1 an action failed or the
run stopped early; 2 bad usage or configuration; ${EXIT_CHANGES} plan found changes.
`;

export interface SyncCli {
  command: "plan" | "apply" | undefined;
  help: boolean;
  version: boolean;
  prune: boolean;
  json: boolean;
  rows: number;
  concurrency: number;
  maxAttempts: number;
  source: SourceChoice;
  pollIntervalMs: number;
  zuploRate: number;
  verbose: boolean;
}

export function parseSyncArgs(argv: readonly string[]): SyncCli {
  const { values, positionals } = parseFlags(
    argv,
    {
      prune: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      rows: { type: "string", default: "10" },
      concurrency: { type: "string", default: "32" },
    },
    true,
  );
  const shared = sharedOptions(values);
  const { help, version } = shared;
  const [command, ...extra] = positionals;
  if (!help && !version) {
    if (command !== "plan" && command !== "apply") {
      throw new UsageError(
        command === undefined
          ? "say what to do: keysmith-sync plan, or keysmith-sync apply"
          : `unknown command '${command}': use plan or apply`,
      );
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  }
  if (values.prune === true && command === "plan") {
    throw new UsageError("--prune: only with apply (plan never deletes; it lists the orphans)");
  }
  return {
    ...shared,
    command: command === "plan" || command === "apply" ? command : undefined,
    prune: values.prune === true,
    json: values.json === true,
    rows: integer("rows", values.rows as string, 0, 1000),
    concurrency: integer("concurrency", values.concurrency as string, 1, 64),
  };
}
