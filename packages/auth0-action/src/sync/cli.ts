// Owns the keysmith-sync command: arguments, environment, the run, output and exit status.
import { createClients } from "../backfill/clients.js";
import { readBackfillEnv, UsageError } from "../backfill/options.js";
import { type OutputStream, redactingStreams } from "../backfill/progress.js";
import { VERSION } from "../backfill/version.js";
import { errorLine, toLine } from "../error-line.js";
import { createMemberLookup } from "../events/member-lookup.js";
import { pacedReader } from "./apply-action.js";
import { EXIT_CHANGES, parseSyncArgs, USAGE } from "./options.js";
import { createSyncOutput } from "./output.js";
import { changesIn, runSync, type SyncOptions } from "./run.js";
import { runOrgSync } from "./run-org.js";

export interface SyncIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Aborting stops the run (the bin wires SIGINT/SIGTERM and a closed stdout to it). */
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** The whole command; resolves to the exit status. Never prints a secret. */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: SyncIo,
): Promise<number> {
  // The client secret, the Zuplo key, and each Auth0 access token once obtained.
  const known: string[] = [];
  const { out, err } = redactingStreams(io, () => known);
  try {
    const cli = parseSyncArgs(argv);
    if (cli.help) {
      out.write(USAGE);
      return 0;
    }
    if (cli.version) {
      out.write(`keysmith-sync ${VERSION}\n`);
      return 0;
    }
    const config = readBackfillEnv(env);
    known.push(config.auth0.clientSecret, config.zuplo.apiKey);
    const { api, zuplo, signal } = createClients(config, {
      maxAttempts: cli.maxAttempts,
      zuploRate: cli.zuploRate,
      userAgent: "keysmith-sync",
      onToken: (token) => known.push(token),
      signal: io.signal,
      fetch: io.fetch,
    });
    const output = createSyncOutput(out, err, cli);
    const apply = cli.command === "apply";
    const options: SyncOptions = {
      api,
      zuplo,
      bucketName: config.zuplo.bucketName,
      prefix: config.zuplo.consumerPrefix,
      apply,
      prune: cli.prune,
      concurrency: cli.concurrency,
      maxAttempts: cli.maxAttempts,
      source: cli.source,
      exportOptions: { pollIntervalMs: cli.pollIntervalMs },
      signal,
      onNote: (line) => output.note(toLine(line, known)),
      onStart: (t) => output.start(t),
      onEvent: (event) => output.event(event),
      onProgress: (t) => output.progress(t),
    };
    const totals =
      config.zuplo.keyScope === "organization"
        ? await runOrgSync(options, createMemberLookup(config.auth0, pacedReader(api, signal)))
        : await runSync(options);
    output.finish(totals);
    if (totals.incomplete !== undefined || totals.failed > 0) return 1;
    if (!apply && changesIn(totals) > 0) return EXIT_CHANGES;
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err.write(`keysmith-sync: ${errorLine(error, known)}\n(see --help)\n`);
      return 2;
    }
    err.write(`keysmith-sync: could not run: ${errorLine(error, known)}\n`);
    return 1;
  }
}
