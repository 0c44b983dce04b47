// `pnpm run deploy`: the keysmith-deploy command, run from the repository (the package
// script builds dist/ first). Credentials and secrets come from the environment only.
import { join } from "node:path";
import { main } from "../src/deploy/cli.js";
import { packageDir } from "./build-lib.js";

process.exitCode = await main(
  process.argv.slice(2),
  process.env,
  { stdout: process.stdout, stderr: process.stderr },
  join(packageDir, "dist"),
);
