import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Prism takes ~1.6 s to start, more when the 2 cores are busy.
    hookTimeout: 30_000,
    testTimeout: 15_000,
  },
});
