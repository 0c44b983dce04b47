// readCliEnv: the one environment reader of the CLIs, and ConfigError, the one way
// configuration fails (names the setting and the fix, never the value).
import { describe, expect, it } from "vitest";
import { readConfig } from "../src/config.js";
import { ConfigError } from "../src/config-error.js";
import { readCliEnv } from "../src/env.js";

const ZUPLO = {
  ZUPLO_API_KEY: "zpka_env_secret_DO_NOT_PRINT",
  ZUPLO_ACCOUNT_NAME: "acme-corp",
  ZUPLO_BUCKET_NAME: "acme-prod",
};
const AUTH0 = {
  AUTH0_DOMAIN: "https://t.eu.auth0.com/",
  AUTH0_CLIENT_ID: "id",
  AUTH0_CLIENT_SECRET: "auth0-secret-DO-NOT-PRINT",
};

function failure(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("readCliEnv", () => {
  it("reads the Auth0 credentials and the action's settings, checked as the action checks them", () => {
    const env = readCliEnv({ ...AUTH0, ...ZUPLO, ZUPLO_SKIP_REFRESH: "false", UNRELATED: "x" });
    expect(env.auth0).toEqual({
      domain: "t.eu.auth0.com",
      clientId: "id",
      clientSecret: AUTH0.AUTH0_CLIENT_SECRET,
    });
    expect(Object.keys(env.secrets)).toEqual([
      "ZUPLO_API_KEY",
      "ZUPLO_ACCOUNT_NAME",
      "ZUPLO_BUCKET_NAME",
      "ZUPLO_SKIP_REFRESH",
    ]);
    expect(env.zuplo).toMatchObject({ bucketName: "acme-prod", skipRefresh: false });
  });

  it("names every missing variable in one ConfigError", () => {
    const error = failure(() => readCliEnv({ AUTH0_DOMAIN: "t.auth0.com" }));
    expect(error.settings).toEqual([
      "AUTH0_CLIENT_ID",
      "AUTH0_CLIENT_SECRET",
      "ZUPLO_API_KEY",
      "ZUPLO_ACCOUNT_NAME",
      "ZUPLO_BUCKET_NAME",
    ]);
    expect(error.message).toBe(
      "environment variables AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, ZUPLO_API_KEY, ZUPLO_ACCOUNT_NAME, ZUPLO_BUCKET_NAME are missing",
    );
  });

  it("names a bad value's variable and the fix, never the value", () => {
    const cases: Array<[Record<string, string>, string]> = [
      [
        { AUTH0_DOMAIN: "t.auth0.com/x?y" },
        "environment variable AUTH0_DOMAIN must be a bare host name",
      ],
      [{ ZUPLO_BUCKET_NAME: "Bad_Bucket" }, "environment variable ZUPLO_BUCKET_NAME must match"],
      [
        { ZUPLO_SKIP_REFRESH: "maybe" },
        "environment variable ZUPLO_SKIP_REFRESH must be true or false",
      ],
    ];
    for (const [bad, message] of cases) {
      const error = failure(() => readCliEnv({ ...AUTH0, ...ZUPLO, ...bad }));
      expect(error.message).toContain(message);
      for (const value of Object.values(bad)) expect(error.message).not.toContain(value);
    }
  });

  it("is the same rule as the action's secrets, with the action's wording", () => {
    const result = readConfig({ ...ZUPLO, ZUPLO_SKIP_REFRESH: "maybe" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(ConfigError);
    expect(result.problem).toBe("secret ZUPLO_SKIP_REFRESH must be true or false");
  });
});
