import { errorLine, toLine } from "../error-line.js";
import { createClients } from "./clients.js";
import { parseCliArgs, readBackfillEnv, USAGE, UsageError } from "./options.js";
import type { Outcome } from "./process-user.js";
import { createProgress, type OutputStream, redactingStreams } from "./progress.js";
import { runBackfill } from "./runner.js";
import { exitCodeFor, formatSummary } from "./summary.js";
import { describeCount } from "./users-search.js";
import { VERSION } from "./version.js";

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Aborting stops taking new users (the bin wires SIGINT/SIGTERM to it). */
  signal?: AbortSignal;
  /** For tests: the fetch both API clients use. */
  fetch?: typeof fetch;
}

function outcomeLine(outcome: Outcome, verbose: boolean): string | undefined {
  switch (outcome.kind) {
    case "failed":
      return `failed ${outcome.userId}: ${outcome.reason}`;
    case "would-create":
      return `would create ${outcome.userId} ${outcome.consumerName}`;
    case "would-fix":
      return `would fix ${outcome.userId} ${outcome.consumerName} (consumer exists, metadata missing)`;
    case "created":
    case "fixed":
      return verbose ? `${outcome.kind} ${outcome.userId} ${outcome.consumerName}` : undefined;
    case "present":
      return verbose ? `present ${outcome.userId}` : undefined;
    case "gone":
      return verbose ? `deleted meanwhile ${outcome.userId}` : undefined;
  }
}

/** The whole command; resolves to the exit status. Never prints a secret. */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: CliIo,
): Promise<number> {
  // The client secret, the Zuplo key, and each Auth0 access token once obtained.
  const known: string[] = [];
  const { out, err } = redactingStreams(io, () => known);
  try {
    const cli = parseCliArgs(argv);
    if (cli.help) {
      out.write(USAGE);
      return 0;
    }
    if (cli.version) {
      out.write(`keysmith-backfill ${VERSION}\n`);
      return 0;
    }
    const config = readBackfillEnv(env);
    known.push(config.auth0.clientSecret, config.zuplo.apiKey);
    const { api, zuplo, pacers, signal } = createClients(config, {
      maxAttempts: cli.maxAttempts,
      zuploRate: cli.zuploRate,
      onToken: (token) => known.push(token),
      userAgent: "keysmith-backfill",
      signal: io.signal,
      fetch: io.fetch,
    });
    const progress = createProgress(err, out);
    const summary = await runBackfill({
      api,
      zuplo,
      bucketName: config.zuplo.bucketName,
      prefix: config.zuplo.consumerPrefix,
      pacers,
      dryRun: cli.dryRun,
      concurrency: cli.concurrency,
      maxAttempts: cli.maxAttempts,
      source: cli.source,
      exportOptions: { pollIntervalMs: cli.pollIntervalMs },
      signal,
      onNote: (line) => progress.line(toLine(line, known), "stderr"),
      onStart: (s) =>
        progress.line(
          `${s.dryRun ? "dry run: " : ""}${describeCount(s.total)} in Auth0; reading them via ${s.mode}`,
          "stderr",
        ),
      onOutcome: (outcome, s) => {
        const line = outcomeLine(outcome, cli.verbose);
        // Ids, names and reasons come from servers: one clean line each, by the shared rule.
        if (line) progress.line(toLine(line, known));
        progress.update(s);
      },
    });
    progress.finish(summary);
    out.write(formatSummary(summary));
    return exitCodeFor(summary);
  } catch (error) {
    if (error instanceof UsageError) {
      err.write(`keysmith-backfill: ${errorLine(error, known)}\n(see --help)\n`);
      return 2;
    }
    err.write(`keysmith-backfill: could not run: ${errorLine(error, known)}\n`);
    return 1;
  }
}
