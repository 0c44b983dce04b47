// Entry of the `keysmith-events` bin (built to dist/events.js with a node shebang).
import { startFromCli } from "./cli.js";
import type { RunningServer } from "./serve.js";

const io = { stdout: process.stdout, stderr: process.stderr };
try {
  const running = await startFromCli(process.argv.slice(2), process.env, io);
  if (running) listenForSignals(running);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`keysmith-events: ${message}\n`);
  process.exitCode = 2;
}

function listenForSignals(running: RunningServer): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    io.stdout.write(`keysmith-events: ${signal}: finishing requests in flight\n`);
    running.stop().then(
      () => {
        io.stdout.write("keysmith-events: stopped\n");
        process.exitCode = 0;
      },
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
