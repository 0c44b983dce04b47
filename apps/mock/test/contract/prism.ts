// One Prism per test file: started before the file's tests, stopped after
// them whatever happened (a failed start leaves no process behind either).

import { afterAll, beforeAll } from "vitest";
import { type PrismServer, startPrism } from "../../src/index.js";

/** Registers the hooks; call `url()` inside tests. */
export function usePrism(): { url: () => string } {
  let prism: PrismServer | undefined;
  beforeAll(async () => {
    prism = await startPrism({ port: 0, readyTimeoutMs: 25_000 });
  }, 30_000);
  afterAll(async () => {
    await prism?.stop();
  }, 10_000);
  return {
    url: () => {
      if (!prism) throw new Error("Prism did not start");
      return prism.url;
    },
  };
}
