// KEYSMITH_MOCK_URL: a bad value or a server that is not a Prism mock fails the run at once,
// saying what to do (the happy path is `KEYSMITH_MOCK_URL=... pnpm test:contract` itself).
import { describe, expect, it } from "vitest";
import { startFakeZuplo } from "../../src/index.js";
import { checkRunningMock, mockUrlFromEnv } from "./prism.js";

describe("KEYSMITH_MOCK_URL", () => {
  it("unset or empty: the tests start their own Prism", () => {
    expect(mockUrlFromEnv({})).toBeUndefined();
    expect(mockUrlFromEnv({ KEYSMITH_MOCK_URL: " " })).toBeUndefined();
  });

  it("a base URL, trailing slash or not", () => {
    expect(mockUrlFromEnv({ KEYSMITH_MOCK_URL: "http://127.0.0.1:4010/" })).toBe(
      "http://127.0.0.1:4010",
    );
  });

  it.each(["127.0.0.1:4010", "ftp://127.0.0.1:4010", "http://127.0.0.1:4010/v1", "http://h/?a=1"])(
    "refuses %s",
    (value) => {
      expect(() => mockUrlFromEnv({ KEYSMITH_MOCK_URL: value })).toThrow(
        /KEYSMITH_MOCK_URL=.*like http:\/\/127\.0\.0\.1:4010/,
      );
    },
  );

  it("refuses a server that is not a Prism mock (the stateful fake), and one that is down", async () => {
    const fake = await startFakeZuplo();
    const { url } = fake;
    try {
      await expect(checkRunningMock(url)).rejects.toThrow(/is not a Prism mock .*pnpm mock/);
    } finally {
      await fake.stop();
    }
    await expect(checkRunningMock(url)).rejects.toThrow(/does not answer .*start it with/);
  });
});
