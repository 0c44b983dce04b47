import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import {
  ACTION_BUDGET_BYTES,
  buildAction,
  buildBackfill,
  buildLibrary,
  buildSync,
  packageDir,
  requiredModules,
} from "./build-lib.js";

const action = await buildAction();
// Measured only, for the report: the shipped file is minified.
const unminified = await buildAction({
  minify: false,
  outfile: join(tmpdir(), `keysmith-action-unminified-${process.pid}.js`),
});
const required = requiredModules(action.code);
const foreign = required.filter(
  (name) => !name.startsWith("node:") && !builtinModules.includes(name),
);
if (foreign.length > 0) {
  console.error(`dist/action.js requires non-built-in modules: ${foreign.join(", ")}`);
  process.exit(1);
}
if (action.bytes > ACTION_BUDGET_BYTES) {
  console.error(
    `dist/action.js is ${action.bytes} bytes, over the ${ACTION_BUDGET_BYTES} byte budget`,
  );
  process.exit(1);
}
await buildLibrary();
const backfill = await buildBackfill();
const sync = await buildSync();
console.log(
  `${relative(packageDir, action.outfile)}: ${action.bytes} bytes minified ` +
    `(${unminified.bytes} unminified), requires: ${required.join(", ") || "nothing"}`,
);
console.log(
  `${relative(packageDir, backfill.outfile)}: ${backfill.bytes} bytes (keysmith-backfill bin)`,
);
console.log(`${relative(packageDir, sync.outfile)}: ${sync.bytes} bytes (keysmith-sync bin)`);
