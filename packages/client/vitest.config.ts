import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));

export default defineConfig({
  define: { __VERSION__: JSON.stringify(version) },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 10_000,
    // test/types.test-d.ts is checked by `tsc` in the package's typecheck task, which `pnpm test`
    // runs before these tests: vitest's typecheck would run tsc a second time (and print a banner).
  },
});
