import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Prism takes ~1.6 s to start, more when the 2 cores are busy.
    hookTimeout: 30_000,
    testTimeout: 15_000,
    // test/mock-cli.test.ts starts pnpm mock (pnpm, tsx, Prism) per case, two at a time.
    maxConcurrency: 2,
  },
});
