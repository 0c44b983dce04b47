import { defineConfig } from "vitest/config";

// The release builds both packages in a scratch copy, publishes them and installs them again:
// a minute or two on a busy machine.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 300_000 } });
