// Where the files under test live. The benchmarks measure built files (what users run), so
// they refuse to run on a missing build.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

const actionDir = dirname(require.resolve("@keysmith/auth0-action/package.json"));
/** The bundled Auth0 action (CommonJS, `.js` in a `type: module` package). */
export const actionFile = join(actionDir, "dist", "action.js");
/** Zuplo's tutorial action, rebuilt on undici@5.22.1 for the cold-start comparison. */
export const tutorialFile = fileURLToPath(
  new URL("../fixtures/tutorial-action.cjs", import.meta.url),
);
export const undiciVersion = (require("undici/package.json") as { version: string }).version;
/** Runs require() + a first login in a fresh process (plain CommonJS, no loader). */
export const firstLoginRunner = fileURLToPath(new URL("./first-login.cjs", import.meta.url));

export function checkBuilt(): void {
  const clientDist = join(dirname(require.resolve("@keysmith/client/package.json")), "dist");
  for (const file of [join(clientDist, "index.js"), actionFile]) {
    if (!existsSync(file)) {
      throw new Error(`${file} is missing: run \`pnpm build\` (or turbo run build) first`);
    }
  }
}
