// Vitest global setup of the "contract" project (vitest.config.ts): one Prism mock for the whole
// run, started before the first file and stopped after the last (a failed start leaves no
// process behind either), or the running one KEYSMITH_MOCK_URL names, checked once and left
// running. Prism's mock is stateless, so the files can share it. Files read it with usePrism().
import type { TestProject } from "vitest/node";
import { startPrism } from "../../src/index.js";
import { checkRunningMock, mockUrlFromEnv } from "./mock-url.js";

export default async function setup(project: TestProject) {
  try {
    const given = mockUrlFromEnv();
    if (given) {
      await checkRunningMock(given);
      project.provide("prismUrl", given);
      return;
    }
    const prism = await startPrism({ port: 0, readyTimeoutMs: 25_000 });
    project.provide("prismUrl", prism.url);
    return () => prism.stop();
  } catch (error) {
    // Fails each file that uses it (usePrism) with this message; a throw here would end the
    // whole run with a misleading "No test files found".
    project.provide("prismError", (error as Error).message);
  }
}
