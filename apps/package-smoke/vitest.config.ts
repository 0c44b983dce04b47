import { defineConfig } from "vitest/config";

// Packing and `npm install` from the registry take a while on a cold cache.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 120_000 } });
