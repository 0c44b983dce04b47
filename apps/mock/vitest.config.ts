import { configDefaults, defineConfig } from "vitest/config";

// Files that run against Prism's (stateless) mock share one Prism per run: test/contract/global-prism.ts.
const SHARED_PRISM = ["test/contract/**/*.test.ts", "test/client-tour.test.ts"];

export default defineConfig({
  test: {
    // Prism takes ~1.6 s to start, more when the 2 cores are busy.
    hookTimeout: 90_000,
    testTimeout: 75_000,
    // test/mock-cli.test.ts starts pnpm mock (pnpm, tsx, Prism) per case, two at a time.
    maxConcurrency: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "contract",
          include: SHARED_PRISM,
          globalSetup: ["test/contract/global-prism.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "mock",
          include: ["test/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...SHARED_PRISM],
        },
      },
    ],
  },
});
