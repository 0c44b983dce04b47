// Per-test fixtures, so tests can run concurrently against one Prism: each
// test gets its own recording fetch and a client that uses it. When the test
// ends, any `sl-violations` Prism sent back (a request that broke the spec)
// fails it, whatever the test itself asserted.

import { createZuploClient, type ZuploClient } from "@keysmith/client";
import { expect, it } from "vitest";
import { type Recorder, recordingFetch } from "./recorder.js";

export const API_KEY = "zpka_contract_test_key";

export function contractTest(baseUrl: () => string) {
  return it.extend<{ recorder: Recorder; client: ZuploClient }>({
    // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures must destructure their context
    recorder: async ({}, use) => {
      const recorder = recordingFetch();
      await use(recorder);
      expect(recorder.violations, "requests that broke the spec (sl-violations)").toEqual([]);
    },
    client: async ({ recorder }, use) => {
      await use(
        createZuploClient({
          apiKey: API_KEY,
          accountName: "acme-corp",
          baseUrl: baseUrl(),
          fetch: recorder.fetch,
          maxRetries: 0,
          timeoutMs: 5_000,
        }),
      );
    },
  });
}
