import { redactSecrets } from "@keysmith/client";
import type { Summary } from "./summary.js";

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
}

const BAR_WIDTH = 24;

/**
 * stdout and stderr with every byte passed through `redactSecrets`: a secret must not reach a
 * terminal or a CI log. `secrets` is read at each write (known only once the env is read).
 */
export function redactingStreams(
  io: { stdout: OutputStream; stderr: OutputStream },
  secrets: () => readonly string[],
): { out: OutputStream; err: OutputStream } {
  const wrap = (stream: OutputStream): OutputStream => ({
    write: (text) => stream.write(redactSecrets(text, secrets())),
    isTTY: stream.isTTY,
  });
  return { out: wrap(io.stdout), err: wrap(io.stderr) };
}

function counts(s: Summary): string {
  return s.dryRun
    ? `would create ${s.wouldCreate}, would fix ${s.wouldFix}, present ${s.present}, failed ${s.failed}`
    : `created ${s.created}, present ${s.present}, fixed ${s.fixed}, failed ${s.failed}`;
}

/**
 * Progress on stderr: on a terminal one bar redrawn in place (`\r`, at most every
 * `intervalMs`); otherwise (CI, a log file) a plain line at every 10 % step.
 * `line()` prints a message (to stdout by default) without tearing the bar.
 */
export function createProgress(
  stderr: OutputStream,
  stdout: OutputStream,
  options: { intervalMs?: number } = {},
) {
  const tty = stderr.isTTY === true;
  const intervalMs = options.intervalMs ?? 100;
  let drawn = false;
  let lastDraw = 0;
  let lastStep = 0;

  const clear = () => {
    if (tty && drawn) stderr.write("\r\x1b[K");
    drawn = false;
  };
  const draw = (s: Summary) => {
    const of = Math.max(s.total, s.processed);
    const filled = of === 0 ? BAR_WIDTH : Math.round((s.processed / of) * BAR_WIDTH);
    const bar = `${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}`;
    stderr.write(`\r\x1b[K[${bar}] ${s.processed}/${of} ${counts(s)}`);
    drawn = true;
    lastDraw = Date.now();
  };

  return {
    /** After each user. */
    update(s: Summary) {
      if (tty) {
        if (Date.now() - lastDraw >= intervalMs) draw(s);
        return;
      }
      const step = Math.max(1, Math.ceil(Math.max(s.total, 1) / 10));
      if (s.processed - lastStep >= step) {
        lastStep = s.processed;
        stderr.write(`progress: ${s.processed}/${Math.max(s.total, s.processed)} ${counts(s)}\n`);
      }
    },
    /** A whole line, e.g. a failure or a dry-run plan entry. */
    line(text: string, to: "stdout" | "stderr" = "stdout") {
      clear();
      (to === "stdout" ? stdout : stderr).write(`${text}\n`);
    },
    /** Final redraw, then the cursor moves to a fresh line. */
    finish(s: Summary) {
      if (tty) {
        draw(s);
        stderr.write("\n");
        drawn = false;
      }
    },
  };
}
