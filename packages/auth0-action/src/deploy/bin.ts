// Entry of the `keysmith-deploy` bin (built to dist/deploy.js next to the bundled actions).
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "./cli.js";

process.exitCode = await main(
  process.argv.slice(2),
  process.env,
  { stdout: process.stdout, stderr: process.stderr },
  dirname(fileURLToPath(import.meta.url)),
);
