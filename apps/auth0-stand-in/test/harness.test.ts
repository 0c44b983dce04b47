import { describe, expect, it } from "vitest";
import { Auth0Tenant, loadActionCode } from "../src/index.js";

const secrets = { ZUPLO_API_KEY: "k" };

describe("Auth0 harness", () => {
  it("rejects a handler that is not a native async function", () => {
    expect(() => loadActionCode("exports.onExecutePostLogin = function (e, a) {};")).toThrow(
      /native async function/,
    );
    expect(() =>
      loadActionCode("exports.onExecutePostLogin = (e, a) => Promise.resolve();"),
    ).toThrow(/native async function/);
    expect(() => loadActionCode("exports.somethingElse = async () => {};")).toThrow(
      /native async function/,
    );
  });

  it("resolves only Node built-ins", () => {
    expect(() =>
      loadActionCode("require('undici'); exports.onExecutePostLogin = async () => {};"),
    ).toThrow(/Cannot find module 'undici'/);
    const ok = loadActionCode(
      "const { createHash } = require('node:crypto'); exports.onExecutePostLogin = async () => {};",
    );
    expect(typeof ok.handler).toBe("function");
  });

  it("keeps module scope, captures logs per execution, applies writes after success", async () => {
    const action = loadActionCode(`
      let runs = 0;
      exports.onExecutePostLogin = async (event, api) => {
        runs += 1;
        console.log("run", runs, event.user.app_metadata.api_consumer ?? "none");
        api.user.setAppMetadata("api_consumer", "c-" + runs);
      };`);
    const tenant = new Auth0Tenant({ action, secrets });
    const first = await tenant.login({ user_id: "auth0|1" });
    expect(first.logs).toEqual(["run 1 none"]);
    expect(first.event.stats?.logins_count).toBe(1);
    expect(tenant.appMetadata("auth0|1")).toEqual({ api_consumer: "c-1" });
    const second = await tenant.login({ user_id: "auth0|1" });
    expect(second.logs).toEqual(["run 2 c-1"]);
    expect(second.event.stats?.logins_count).toBe(2);
  });

  it("treats setAppMetadata(key, undefined) as no update and null as removal, as Auth0 does", async () => {
    const action = loadActionCode(`
      exports.onExecutePostLogin = async (event, api) => {
        api.user.setAppMetadata("kept", undefined);
        api.user.setAppMetadata("removed", null);
        api.user.setAppMetadata("added", "new");
      };`);
    const tenant = new Auth0Tenant({ action, secrets });
    tenant.putUser({ user_id: "m", app_metadata: { kept: "old", removed: "old" } });
    await tenant.login({ user_id: "m" });
    expect(tenant.appMetadata("m")).toEqual({ kept: "old", added: "new" });
  });

  it("loses the writes when the trigger fails or throws", async () => {
    const action = loadActionCode(`
      exports.onExecutePostLogin = async (event, api) => {
        api.user.setAppMetadata("api_consumer", "x");
        if (event.secrets.THROW) throw new Error("boom");
      };`);
    const tenant = new Auth0Tenant({ action, secrets });
    const lost = await tenant.login({ user_id: "u" }, { failTriggerAfterAction: true });
    expect(lost.status).toBe("failed");
    expect(tenant.appMetadata("u")).toEqual({});
    const thrown = await tenant.login({ user_id: "u" }, { secrets: { THROW: "1" } });
    expect(thrown.status).toBe("failed");
    expect(tenant.appMetadata("u")).toEqual({});
  });

  it("fails an execution that exceeds the trigger limit", async () => {
    const action = loadActionCode(`
      exports.onExecutePostLogin = async (event, api) => {
        api.user.setAppMetadata("api_consumer", "late");
        await new Promise((r) => setTimeout(r, 5000).unref());
      };`);
    const tenant = new Auth0Tenant({ action, secrets, triggerLimitMs: 50 });
    const run = await tenant.login({ user_id: "slow" });
    expect(run.status).toBe("failed");
    expect(String(run.failure)).toMatch(/exceeded \(50 ms\)/);
    expect(run.durationMs).toBeLessThan(2000);
    expect(tenant.appMetadata("slow")).toEqual({});
  });

  it("records deny calls", async () => {
    const action = loadActionCode(
      "exports.onExecutePostLogin = async (event, api) => { api.access.deny('no'); };",
    );
    const run = await new Auth0Tenant({ action, secrets }).login({ user_id: "d" });
    expect(run.status).toBe("denied");
    expect(run.denyCalls).toEqual(["no"]);
  });
});
