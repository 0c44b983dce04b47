import { describe, expect, it } from "vitest";
import { CONSUMER_NAME_PATTERN, consumerNameFor } from "../src/consumer-name.js";

describe("consumerNameFor", () => {
  it("is deterministic and readable", () => {
    const name = consumerNameFor("auth0|65f1c2d3e4f5a6b7c8d9e0f1");
    expect(name).toBe(consumerNameFor("auth0|65f1c2d3e4f5a6b7c8d9e0f1"));
    expect(name).toMatch(/^auth0-db-65f1c2d3e4f5a6b7c8d9e0f1-[0-9a-f]{12}$/);
  });

  it("names the provider readably: no doubled auth0-auth0-", () => {
    expect(consumerNameFor("google-oauth2|1029384756")).toMatch(
      /^auth0-google-1029384756-[0-9a-f]{12}$/,
    );
    expect(consumerNameFor("github|4242")).toMatch(/^auth0-github-4242-[0-9a-f]{12}$/);
    expect(consumerNameFor("samlp|Corp-AD|Ada.Lovelace")).toMatch(
      /^auth0-samlp-corp-ad-ada-lovelace-[0-9a-f]{12}$/,
    );
    expect(consumerNameFor("no-provider")).toMatch(/^auth0-no-provider-[0-9a-f]{12}$/);
    for (const id of ["auth0|x", "auth0|auth0"]) {
      expect(consumerNameFor(id)).not.toMatch(/^auth0-auth0-/);
    }
  });

  it("fits Zuplo's rule for odd and very long ids", () => {
    const ids = [
      "google-oauth2|123",
      "samlp|Corp-AD|Ada.Lovelace@example.com",
      "||||",
      "ÜñíçødÉ|ユーザー",
      `oauth2|${"x".repeat(2000)}`,
      "a",
    ];
    for (const id of ids) {
      const name = consumerNameFor(id);
      expect(name, id).toMatch(CONSUMER_NAME_PATTERN);
      expect(name.length).toBeLessThanOrEqual(128);
    }
    expect(consumerNameFor("||||", "p")).toMatch(/^p-[0-9a-f]{12}$/);
    const longest = consumerNameFor(`${"p".repeat(40)}|${"y".repeat(200)}`, "a".repeat(32));
    expect(longest.length).toBeLessThanOrEqual(111);
  });

  it("keeps ids that slug alike apart", () => {
    expect(consumerNameFor("auth0|Ada")).not.toBe(consumerNameFor("auth0|ada"));
    expect(consumerNameFor("auth0|a.b")).not.toBe(consumerNameFor("auth0|a-b"));
    const long = "x".repeat(100);
    expect(consumerNameFor(`${long}1`)).not.toBe(consumerNameFor(`${long}2`));
  });

  it("uses the prefix and rejects bad input with the field and rule", () => {
    expect(consumerNameFor("github|7", "portal")).toMatch(/^portal-github-7-/);
    expect(() => consumerNameFor("github|7", "Bad_Prefix")).toThrow(/prefix: must match/);
    expect(() => consumerNameFor("")).toThrow(/user_id: must be a non-empty string/);
  });
});
