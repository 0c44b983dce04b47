// Child process of `pnpm bench`: runs the whole suite on the Node that runs this file and
// prints the results as JSON on its last stdout line; progress goes to stderr.
// Usage: node --expose-gc --import tsx suite-child.ts <full|smoke>
import { FULL, SMOKE } from "./config.js";
import { runAll } from "./suite.js";

const mode = process.argv[2];
if (mode !== "full" && mode !== "smoke") throw new Error(`unknown mode ${mode}`);
const results = await runAll(mode === "full" ? FULL : SMOKE, (line) => console.error(line));
process.stdout.write(`${JSON.stringify(results)}\n`);
