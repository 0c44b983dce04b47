// The deploy against Auth0's real timing: 202 deploys, stale `built` after an update,
// "must be in the 'built' state" refusals, and the 50-per-page maximum.
import { afterEach, describe, expect, it } from "vitest";
import { deployPostLoginAction } from "../src/deploy/deploy-action.js";
import { SECRETS, type StandInTiming, startManagementWorld } from "./support/management-world.js";

const CODE = "exports.onExecutePostLogin = async () => {};";

let close: (() => Promise<void>) | undefined;
afterEach(() => close?.());

async function world(timing: StandInTiming) {
  const w = await startManagementWorld(timing);
  close = w.standIn.close;
  const deploy = (code = CODE) =>
    deployPostLoginAction(w.mgmt, { code, secrets: SECRETS, log: w.log, pollIntervalMs: 2 });
  return { ...w, deploy };
}

const refusals = (s: Awaited<ReturnType<typeof world>>["standIn"]) =>
  s.requests.filter((r) => r.method === "POST" && r.path.endsWith("/deploy")).length;

describe("deploy timing", () => {
  it("lists with per_page 50, Auth0's maximum", async () => {
    const w = await world({ staleBuiltGets: 0, deployLagGets: 0 });
    await w.deploy();
    const lists = w.standIn.requests.filter((r) => r.method === "GET" && r.query.has("per_page"));
    expect(lists.length).toBeGreaterThan(0);
    for (const r of lists) expect(Number(r.query.get("per_page"))).toBeLessThanOrEqual(50);
  });

  it("binds only once the new version is the deployed one (deploy answers 202)", async () => {
    const w = await world({ staleBuiltGets: 0, deployLagGets: 3 });
    await w.deploy();
    expect(w.standIn.bindingRaces).toEqual([]);
    const [action] = [...w.standIn.actions.values()];
    expect(action?.deployed_version?.number).toBe(1);
  });

  it("after an update waits for the new build instead of trusting a stale `built`", async () => {
    // Auth0 keeps answering the previous build's "built" for a moment after the PATCH.
    const w = await world({ staleBuiltGets: 2, deployLagGets: 0 });
    await w.deploy();
    await w.deploy(`${CODE}\n// v2`);
    // One deploy per run: none was sent while the old build was still reported.
    expect(refusals(w.standIn)).toBe(2);
    const [action] = [...w.standIn.actions.values()];
    expect(action?.code).toContain("// v2");
    expect(action?.deployed_version?.number).toBe(2);
  });

  it("retries a deploy refused with \"must be in the 'built' state\"", async () => {
    const w = await world({
      staleBuiltGets: 0,
      deployLagGets: 0,
      refuseFirstDeploys: 2,
    });
    await w.deploy();
    expect(refusals(w.standIn)).toBe(3);
    expect([...w.standIn.actions.values()][0]?.deployed_version?.number).toBe(1);
    expect(w.standIn.bindings).toHaveLength(1);
  });
});
