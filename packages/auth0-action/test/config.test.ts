import { describe, expect, it } from "vitest";
import { readConfig } from "../src/config.js";

const base = {
  ZUPLO_API_KEY: "zpka_config_test_secret_value",
  ZUPLO_ACCOUNT_NAME: "acme-corp",
  ZUPLO_BUCKET_NAME: "acme-prod",
};

describe("readConfig", () => {
  it("applies the documented defaults", () => {
    const read = readConfig(base);
    expect(read).toEqual({
      ok: true,
      config: {
        apiKey: base.ZUPLO_API_KEY,
        accountName: "acme-corp",
        bucketName: "acme-prod",
        apiUrl: "https://dev.zuplo.com",
        timeBudgetMs: 5000,
        clientIds: [],
        consumerPrefix: "auth0",
        skipRefresh: true,
        keyScope: "user",
        withoutOrganization: "skip",
      },
    });
  });

  it("accepts the tutorial's API_KEY and the optional knobs", () => {
    const { ZUPLO_API_KEY: _, ...rest } = base;
    const read = readConfig({
      ...rest,
      API_KEY: "zpka_tutorial",
      ZUPLO_API_URL: "http://127.0.0.1:9999/",
      ZUPLO_TIME_BUDGET_MS: "60000",
      ZUPLO_CLIENT_IDS: " a1, ,b2 ",
      ZUPLO_CONSUMER_PREFIX: "portal",
      ZUPLO_SKIP_REFRESH: "false",
      ZUPLO_KEY_SCOPE: " Organization ",
      ZUPLO_WITHOUT_ORGANIZATION: "user",
    });
    expect(read.ok && read.config).toMatchObject({
      keyScope: "organization",
      withoutOrganization: "user",
      apiKey: "zpka_tutorial",
      apiUrl: "http://127.0.0.1:9999",
      timeBudgetMs: 10_000,
      clientIds: ["a1", "b2"],
      consumerPrefix: "portal",
      skipRefresh: false,
    });
  });

  it.each([
    [{ ZUPLO_API_KEY: "" }, "ZUPLO_API_KEY"],
    [{ ZUPLO_ACCOUNT_NAME: undefined }, "ZUPLO_ACCOUNT_NAME"],
    [{ ZUPLO_BUCKET_NAME: "ab" }, "ZUPLO_BUCKET_NAME"],
    [{ ZUPLO_API_URL: "not a url" }, "ZUPLO_API_URL"],
    [{ ZUPLO_TIME_BUDGET_MS: "5s" }, "ZUPLO_TIME_BUDGET_MS"],
    [{ ZUPLO_TIME_BUDGET_MS: "10" }, "ZUPLO_TIME_BUDGET_MS"],
    [{ ZUPLO_CONSUMER_PREFIX: "Auth0!" }, "ZUPLO_CONSUMER_PREFIX"],
    [{ ZUPLO_SKIP_REFRESH: "maybe" }, "ZUPLO_SKIP_REFRESH"],
    [{ ZUPLO_KEY_SCOPE: "team" }, "ZUPLO_KEY_SCOPE"],
    [{ ZUPLO_WITHOUT_ORGANIZATION: "fallback" }, "ZUPLO_WITHOUT_ORGANIZATION"],
  ])("names the bad secret %o without its value", (patch, secret) => {
    const read = readConfig({ ...base, ...patch });
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problem).toContain(`secret ${secret}`);
    expect(read.problem).not.toContain(base.ZUPLO_API_KEY);
  });

  it("sends the account key in clear only to loopback: ZUPLO_API_URL is https, or http for loopback", () => {
    for (const url of [
      "http://example.com",
      "http://10.0.0.1:8080",
      "http://127.0.0.1.example.com",
    ]) {
      const read = readConfig({ ...base, ZUPLO_API_URL: url });
      expect(read, url).toMatchObject({
        ok: false,
        problem:
          "secret ZUPLO_API_URL must be an https URL (http only for localhost, 127.x.x.x or [::1])",
      });
    }
    for (const url of [
      "https://dev.zuplo.com",
      "http://localhost:4010",
      "http://127.0.0.9",
      "http://[::1]:1",
    ]) {
      expect(readConfig({ ...base, ZUPLO_API_URL: url }).ok, url).toBe(true);
    }
  });

  it("survives missing secrets entirely", () => {
    expect(readConfig(undefined)).toMatchObject({ ok: false, problem: /ZUPLO_API_KEY/ });
  });
});
