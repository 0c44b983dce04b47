// Where the built artefacts under test live. The benchmarks measure built files (what users
// run), so they refuse to run on a missing build.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

const actionDir = dirname(require.resolve("@keysmith/auth0-action/package.json"));
/** The bundled Auth0 action (CommonJS, `.js` in a `type: module` package). */
export const actionFile = join(actionDir, "dist", "action.js");
/** The tutorial's dependency, loaded for the cold-start comparison. */
export const undiciFile = require.resolve("undici");
export const undiciVersion = (require("undici/package.json") as { version: string }).version;

export function checkBuilt(): void {
  const clientDist = join(dirname(require.resolve("@keysmith/client/package.json")), "dist");
  for (const file of [join(clientDist, "index.js"), actionFile]) {
    if (!existsSync(file)) {
      throw new Error(`${file} is missing: run \`pnpm build\` (or turbo run build) first`);
    }
  }
}
