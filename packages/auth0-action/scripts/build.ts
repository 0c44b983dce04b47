import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import {
  ACTION_BUDGET_BYTES,
  buildAction,
  buildBackfill,
  buildDeployBin,
  buildEventStreamAction,
  buildEventsBin,
  buildLibrary,
  buildSync,
  EVENT_STREAM_BUDGET_BYTES,
  packageDir,
  requiredModules,
} from "./build-lib.js";

// Both actions: one CommonJS file each, Node built-ins only, within the size budget.
for (const [build, name, budget] of [
  [buildAction, "action", ACTION_BUDGET_BYTES],
  [buildEventStreamAction, "event-stream-action", EVENT_STREAM_BUDGET_BYTES],
] as const) {
  const action = await build();
  // Measured only, for the report: the shipped file is minified.
  const unminified = await build({
    minify: false,
    outfile: join(tmpdir(), `keysmith-${name}-unminified-${process.pid}.js`),
  });
  const file = relative(packageDir, action.outfile);
  const required = requiredModules(action.code);
  const foreign = required.filter(
    (module) => !module.startsWith("node:") && !builtinModules.includes(module),
  );
  if (foreign.length > 0) {
    console.error(`${file} requires non-built-in modules: ${foreign.join(", ")}`);
    process.exit(1);
  }
  if (action.bytes > budget) {
    console.error(`${file} is ${action.bytes} bytes, over the ${budget} byte budget`);
    process.exit(1);
  }
  console.log(
    `${file}: ${action.bytes} bytes minified ` +
      `(${unminified.bytes} unminified), requires: ${required.join(", ") || "nothing"}`,
  );
}
await buildLibrary();
for (const [bin, name] of [
  [await buildBackfill(), "keysmith-backfill"],
  [await buildSync(), "keysmith-sync"],
  [await buildEventsBin(), "keysmith-events"],
  [await buildDeployBin(), "keysmith-deploy"],
] as const) {
  console.log(`${relative(packageDir, bin.outfile)}: ${bin.bytes} bytes (${name} bin)`);
}
