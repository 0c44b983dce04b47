import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The smoke run spawns ~10 short Node processes; generous on a busy 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
