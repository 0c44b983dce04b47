// toLine / errorLine: the one rule that turns outside text into one printable line.
import { describe, expect, it } from "vitest";
import { errorLine, MAX_LINE, toLine } from "../src/error-line.js";
import { expectNoForgery, FORGED_DETAIL } from "./support/fixtures.js";

describe("toLine", () => {
  it("turns a forged multi-line, coloured text into one line without the key", () => {
    const line = toLine(FORGED_DETAIL);
    expectNoForgery(line);
    expect(line).toBe("bad input created auth0|admin auth0-admin [redacted] done");
  });

  it("removes escape sequences whole and every control character", () => {
    expect(toLine("a\u001b]0;title\u0007b\u001b[2Kc\u009b1md\u0000e\u007ff\u202eg\tz")).toBe(
      "abcd e f g z",
    );
  });

  it("redacts given secrets, even one split by a newline or an escape", () => {
    const token = "mgmt-token-0123456789";
    expect(toLine(`token ${token}`, [token])).toBe("token [redacted]");
    expect(toLine("key zpka_0123\u001b[0m4567_89ab")).toBe("key [redacted]");
  });

  it("caps the length", () => {
    const line = toLine("x".repeat(1000));
    expect(line).toHaveLength(MAX_LINE);
    expect(line.endsWith("…")).toBe(true);
    expect(toLine("y".repeat(50), [], 10)).toHaveLength(10);
  });
});

describe("errorLine", () => {
  it("uses the message, else the name, and never throws", () => {
    expect(errorLine(new Error(`boom\n${FORGED_DETAIL}`))).toMatch(/^boom bad input created/);
    expect(errorLine(new TypeError(""))).toBe("TypeError");
    expect(errorLine(42)).toBe("unexpected number");
    const hostile = {};
    Object.setPrototypeOf(hostile, Error.prototype);
    Object.defineProperty(hostile, "message", {
      get() {
        throw new Error("no");
      },
    });
    expect(errorLine(hostile)).toBe("unexpected error");
  });
});
