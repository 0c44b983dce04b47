// Owns what a CLI process does around `main`: Ctrl-C, a closed stdout, the exit status.
import { StopReason } from "./stop.js";

type Main = (
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  io: {
    stdout: { write(text: string): unknown; isTTY?: boolean | undefined };
    stderr: { write(text: string): unknown; isTTY?: boolean | undefined };
    signal?: AbortSignal;
  },
) => Promise<number>;

/**
 * Runs a CLI's `main` as a process. First Ctrl-C (or SIGTERM): stop listing, give work in
 * flight a moment, print the summary; a second one leaves at once (130). A closed stdout
 * (`| head -2`) ends the run quietly instead of crashing on EPIPE.
 */
export async function runEntry(main: Main): Promise<void> {
  const stop = new AbortController();
  let signals = 0;
  const onSignal = () => {
    signals += 1;
    if (signals > 1) process.exit(130);
    process.stderr.write(
      "\nstopping: no new work; work in flight gets 1 s (Ctrl-C again to quit now)\n",
    );
    stop.abort(new StopReason("interrupted"));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  let stdoutClosed = false;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (stdoutClosed) return;
    stdoutClosed = true;
    if (error.code !== "EPIPE") process.stderr.write(`stdout failed (${error.code ?? "error"})\n`);
    process.stderr.write("stdout closed: stopped taking new work\n");
    stop.abort(new StopReason("stdout closed"));
  });
  const stdout = {
    write: (text: string) => (stdoutClosed ? true : process.stdout.write(text)),
    get isTTY() {
      return process.stdout.isTTY;
    },
  };

  const code = await main(process.argv.slice(2), process.env, {
    stdout,
    stderr: process.stderr,
    signal: stop.signal,
  });
  process.exitCode = code;
  // Stopped: sockets of abandoned requests may linger; the summary is written, so leave.
  if (stop.signal.aborted) process.exit(code);
}
