import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  target: "es2022",
  platform: "neutral",
  sourcemap: false,
  clean: true,
  define: { __VERSION__: JSON.stringify(version) },
  // Errors only: its start-up banner and per-format lines say nothing a build failure would not.
  silent: true,
});
