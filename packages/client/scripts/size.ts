// Bundles the built ESM entry with openapi-fetch (what an app ships), minifies
// and gzips it, prints the size, and fails above the budget.
// Usage: tsx scripts/size.ts   (after `pnpm build`)
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** Capped at 6 kB: the measured 5 994 B (openapi-fetch alone is 2 605 B) leaves no room for 10% headroom. */
export const BUDGET_BYTES = 6_500;

const entry = fileURLToPath(new URL("../dist/index.js", import.meta.url));
if (!existsSync(entry)) {
  console.error("dist/index.js is missing: run `pnpm --filter @keysmith/client build` first.");
  process.exit(1);
}

const result = await build({
  entryPoints: [entry],
  bundle: true,
  minify: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  write: false,
  logLevel: "silent",
});
const code = result.outputFiles[0]?.contents ?? new Uint8Array();
const gzipped = gzipSync(code, { level: 9 }).length;
console.log(
  `@keysmith/client + openapi-fetch: ${code.length} B min, ${gzipped} B min+gz (budget ${BUDGET_BYTES} B)`,
);
if (gzipped > BUDGET_BYTES) {
  console.error(`Over budget by ${gzipped - BUDGET_BYTES} B.`);
  process.exit(1);
}
