// Entry of the `keysmith-backfill` bin (built to dist/backfill.js with a node shebang).
import { main } from "./cli.js";

const stop = new AbortController();
let signals = 0;
const onSignal = () => {
  // First Ctrl-C: finish the users in flight and print the summary. Second: leave now.
  signals += 1;
  if (signals > 1) process.exit(130);
  process.stderr.write("\nstopping after the users in flight (Ctrl-C again to quit now)\n");
  stop.abort();
};
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

process.exitCode = await main(process.argv.slice(2), process.env, {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: stop.signal,
});
