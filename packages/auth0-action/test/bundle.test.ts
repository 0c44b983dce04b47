import { readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { loadActionFile, loadEventStreamAction } from "@keysmith/auth0-stand-in";
import { describe, expect, it } from "vitest";
import {
  ACTION_BUDGET_BYTES,
  actionFile,
  EVENT_STREAM_BUDGET_BYTES,
  eventStreamActionFile,
  requiredModules,
} from "../scripts/build-lib.js";

describe(`dist/action.js on Node ${process.versions.node}`, () => {
  it("runs on the Node asked for (Auth0's runtime in the second run of pnpm test)", () => {
    const major = Number(process.versions.node.split(".")[0]);
    const expected = process.env.KEYSMITH_EXPECT_NODE_MAJOR;
    if (expected) expect(major).toBe(Number(expected));
    else expect(major).toBeGreaterThanOrEqual(20);
  });

  it(`stays within the ${ACTION_BUDGET_BYTES} byte budget`, async () => {
    const code = await readFile(actionFile);
    expect(code.byteLength).toBeGreaterThan(1000);
    expect(code.byteLength).toBeLessThanOrEqual(ACTION_BUDGET_BYTES);
  });

  it("requires Node built-ins only", async () => {
    const code = await readFile(actionFile, "utf8");
    const required = requiredModules(code);
    // Bare names, as in Zuplo's tutorial: every Auth0 runtime resolves `require("crypto")`.
    expect(required).toContain("crypto");
    expect(required.filter((name) => name.startsWith("node:"))).toEqual([]);
    for (const name of required) {
      expect(name.startsWith("node:") || builtinModules.includes(name), name).toBe(true);
    }
    // Native async/await kept (no generator-based down-levelling helpers).
    expect(code).not.toMatch(/regeneratorRuntime|__async\b|__awaiter/);
    expect(code).toMatch(/async function \w+\(/);
  });

  it("exports a native async onExecutePostLogin when loaded like Auth0 loads it", async () => {
    const action = await loadActionFile(actionFile);
    expect(Object.prototype.toString.call(action.handler)).toBe("[object AsyncFunction]");
    expect(action.loadLogs).toEqual([]);
  });
});

describe("dist/event-stream-action.js", () => {
  it(`stays within the ${EVENT_STREAM_BUDGET_BYTES} byte budget and requires Node built-ins only`, async () => {
    const code = await readFile(eventStreamActionFile, "utf8");
    expect(Buffer.byteLength(code)).toBeGreaterThan(1000);
    expect(Buffer.byteLength(code)).toBeLessThanOrEqual(EVENT_STREAM_BUDGET_BYTES);
    for (const name of requiredModules(code)) {
      expect(name.startsWith("node:") || builtinModules.includes(name), name).toBe(true);
    }
    expect(code).not.toMatch(/regeneratorRuntime|__async\b|__awaiter/);
  });

  it("leaves openapi-fetch out of both actions (the lean client has no raw)", async () => {
    for (const file of [actionFile, eventStreamActionFile]) {
      expect(await readFile(file, "utf8"), file).not.toContain("bodySerializer");
    }
  });

  it("exports a native async onExecuteEventStream when loaded like Auth0 loads it", async () => {
    const action = await loadEventStreamAction(eventStreamActionFile);
    expect(Object.prototype.toString.call(action.handler)).toBe("[object AsyncFunction]");
    expect(action.loadLogs).toEqual([]);
  });
});
