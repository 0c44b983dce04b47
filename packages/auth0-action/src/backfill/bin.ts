// Entry of the `keysmith-backfill` bin (built to dist/backfill.js with a node shebang).
import { main } from "./cli.js";
import { StopReason } from "./stop.js";

const stop = new AbortController();
let signals = 0;
const onSignal = () => {
  // First Ctrl-C: stop listing, give users in flight a moment, print the summary. Second: leave now.
  signals += 1;
  if (signals > 1) process.exit(130);
  process.stderr.write(
    "\nstopping: no new users; those in flight get 1 s (Ctrl-C again to quit now)\n",
  );
  stop.abort(new StopReason("interrupted"));
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

// `keysmith-backfill | head -2`: a closed stdout ends the run, quietly, without a stack trace.
let stdoutClosed = false;
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (stdoutClosed) return;
  stdoutClosed = true;
  if (error.code !== "EPIPE") process.stderr.write(`stdout failed (${error.code ?? "error"})\n`);
  process.stderr.write("stdout closed: stopped taking new users\n");
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
