// redactSecrets: the one redaction every Keysmith package uses.
import { describe, expect, it } from "vitest";
import { REDACTED, redactSecrets, ZUPLO_KEY_PATTERN } from "../src/index.js";

describe("redactSecrets", () => {
  it("removes the given secret values wherever they appear", () => {
    const token = "eyJhbGciOiJSUzI1NiJ9.payload.signature";
    expect(redactSecrets(`token ${token} and again ${token}.`, [token])).toBe(
      `token ${REDACTED} and again ${REDACTED}.`,
    );
  });

  it("removes anything shaped like a Zuplo key, given or not", () => {
    const created = "zpka_0123456789abcdef0123456789abcdef_89abcdef";
    expect(redactSecrets(`key=${created}; other zpka_test-key_1`)).toBe(
      `key=${REDACTED}; other ${REDACTED}`,
    );
    expect(`x ${created} y`.replace(ZUPLO_KEY_PATTERN, "K")).toBe("x K y");
  });

  it("removes a secret that contains a shorter one whole", () => {
    expect(redactSecrets("abcd-efgh-ijkl", ["abcd", "abcd-efgh-ijkl"])).toBe(REDACTED);
  });

  it("ignores empty, missing and very short values", () => {
    expect(redactSecrets("a b c", ["", undefined, "a"])).toBe("a b c");
  });
});
