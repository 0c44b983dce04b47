import { createZuploClient } from "@keysmith/client";
import { redact } from "../redact.js";
import { createManagementApi } from "./management-api.js";
import { parseCliArgs, readBackfillEnv, USAGE, UsageError } from "./options.js";
import type { Outcome } from "./process-user.js";
import { createProgress, type OutputStream } from "./progress.js";
import { RateGate } from "./rate-gate.js";
import { runBackfill } from "./runner.js";
import { exitCodeFor, formatSummary } from "./summary.js";

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
  let known: string[] = [];
  // Every byte goes through redact: a secret must not reach a terminal or a CI log.
  const out: OutputStream = {
    write: (text) => io.stdout.write(redact(text, known)),
    isTTY: io.stdout.isTTY,
  };
  const err: OutputStream = {
    write: (text) => io.stderr.write(redact(text, known)),
    isTTY: io.stderr.isTTY,
  };
  try {
    const cli = parseCliArgs(argv);
    if (cli.help) {
      out.write(USAGE);
      return 0;
    }
    const config = readBackfillEnv(env);
    known = [config.auth0.clientSecret, config.zuplo.apiKey];
    const gates = { auth0: new RateGate("auth0"), zuplo: new RateGate("zuplo") };
    const api = createManagementApi({
      ...config.auth0,
      gate: gates.auth0,
      ...(io.fetch ? { fetch: io.fetch } : {}),
    });
    const zuplo = createZuploClient({
      apiKey: config.zuplo.apiKey,
      accountName: config.zuplo.accountName,
      baseUrl: config.zuplo.apiUrl,
      userAgent: "keysmith-backfill",
      ...(io.fetch ? { fetch: io.fetch } : {}),
    });
    const progress = createProgress(err, out);
    const summary = await runBackfill({
      api,
      zuplo,
      bucketName: config.zuplo.bucketName,
      prefix: config.zuplo.consumerPrefix,
      gates,
      dryRun: cli.dryRun,
      concurrency: cli.concurrency,
      maxAttempts: cli.maxAttempts,
      source: cli.source,
      exportOptions: { pollIntervalMs: cli.pollIntervalMs },
      ...(io.signal ? { signal: io.signal } : {}),
      onNote: (line) => progress.line(line, "stderr"),
      onStart: (s) =>
        progress.line(
          `${s.dryRun ? "dry run: " : ""}${s.total} users in Auth0; reading them via ${s.mode}`,
          "stderr",
        ),
      onOutcome: (outcome, s) => {
        const line = outcomeLine(outcome, cli.verbose);
        if (line) progress.line(line);
        progress.update(s);
      },
    });
    progress.finish(summary);
    out.write(formatSummary(summary));
    return exitCodeFor(summary);
  } catch (error) {
    if (error instanceof UsageError) {
      err.write(`keysmith-backfill: ${error.message}\n(see --help)\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : "unexpected failure";
    err.write(`keysmith-backfill: could not run: ${message}\n`);
    return 1;
  }
}
