// The Prism mock a contract test runs against: the run's one (global-prism.ts), or the running
// mock KEYSMITH_MOCK_URL names.
import { beforeAll, inject } from "vitest";

export { checkRunningMock, MOCK_URL_ENV, mockUrlFromEnv } from "./mock-url.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the run's Prism mock, without a trailing slash. */
    prismUrl: string;
    /** Why the run's Prism did not start (then there is no prismUrl). */
    prismError: string;
  }
}

/** Registers a hook that fails the file when the run's Prism did not start; call `url()` in tests. */
export function usePrism(): { url: () => string } {
  beforeAll(() => {
    const error = inject("prismError");
    if (error) throw new Error(error);
  });
  return {
    url: () => {
      const url = inject("prismUrl");
      if (!url) throw new Error('no Prism: run this file in the vitest project "contract"');
      return url;
    },
  };
}
