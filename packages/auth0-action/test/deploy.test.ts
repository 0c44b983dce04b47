import { createRequire } from "node:module";
import { startManagementStandIn } from "@keysmith/auth0-stand-in";
import { ManagementClient } from "auth0";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { packageDir } from "../scripts/build-lib.js";
import { DEFAULT_ACTION_NAME, deployPostLoginAction } from "../src/deploy/deploy-action.js";
import { errorLine } from "../src/error-line.js";
import { expectNoForgery, FORGED_DETAIL } from "./support/fixtures.js";
import { runNode } from "./support/run-node.js";

const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");

const DOMAIN = "keysmith-test.eu.auth0.com";
const CLIENT_ID = "deploy-client-id";
const CLIENT_SECRET = "auth0-client-secret-DO-NOT-PRINT";
const SECRETS = {
  ZUPLO_API_KEY: "zpka_deploy_secret_DO_NOT_PRINT",
  ZUPLO_ACCOUNT_NAME: "acme-corp",
  ZUPLO_BUCKET_NAME: "acme-prod",
};
const CODE = "exports.onExecutePostLogin = async (event, api) => {};";

let standIn: Awaited<ReturnType<typeof startManagementStandIn>>;
let mgmt: ManagementClient;
let lines: string[];
const log = (line: string) => lines.push(line);
const writes = () =>
  standIn.requests.filter((r) => r.method !== "GET" && r.path !== "/oauth/token");

beforeEach(async () => {
  standIn = await startManagementStandIn({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
  // The real SDK, its token exchange included, pointed at the local stand-in.
  mgmt = new ManagementClient({
    domain: DOMAIN,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    fetch: standIn.fetchFor(DOMAIN),
    maxRetries: 0,
  });
  lines = [];
});
afterEach(() => standIn.close());

describe("deployPostLoginAction", () => {
  it("creates, builds, deploys and binds after the existing bindings", async () => {
    const otherId = standIn.seedBinding("enrich-profile");
    const result = await deployPostLoginAction(mgmt, {
      code: CODE,
      secrets: SECRETS,
      log,
      pollIntervalMs: 5,
    });
    expect(result.plan.mode).toBe("create");
    const [action] = [...standIn.actions.values()];
    expect(action).toMatchObject({
      name: DEFAULT_ACTION_NAME,
      code: CODE,
      runtime: "node22",
      supported_triggers: [{ id: "post-login", version: "v3" }],
      status: "built",
      versions: 1,
      secretValues: SECRETS,
    });
    expect(standIn.bindings.map((b) => b.action.id)).toEqual([otherId, action?.id]);
    expect(standIn.requests[0]?.path).toBe("/oauth/token");
    const paths = writes().map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual([
      "POST /api/v2/actions/actions",
      `POST /api/v2/actions/actions/${action?.id}/deploy`,
      "PATCH /api/v2/actions/triggers/post-login/bindings",
    ]);
  });

  it("updates in place on the second run and does not bind twice", async () => {
    standIn.seedBinding("enrich-profile");
    await deployPostLoginAction(mgmt, { code: CODE, secrets: SECRETS, log, pollIntervalMs: 5 });
    const before = standIn.bindings.map((b) => b.action.id);
    const again = await deployPostLoginAction(mgmt, {
      code: `${CODE}\n// v2`,
      secrets: { ...SECRETS, ZUPLO_TIME_BUDGET_MS: "3000" },
      log,
      pollIntervalMs: 5,
    });
    expect(again.plan.mode).toBe("update");
    expect(again.plan.bindingChange).toBe("unchanged");
    expect(standIn.actions.size).toBe(1);
    const [action] = [...standIn.actions.values()];
    expect(action?.code).toContain("// v2");
    expect(action?.versions).toBe(2);
    expect(action?.secretValues.ZUPLO_TIME_BUDGET_MS).toBe("3000");
    expect(standIn.bindings.map((b) => b.action.id)).toEqual(before);
    expect(
      writes().filter((r) => r.method === "PATCH" && r.path.endsWith("/bindings")),
    ).toHaveLength(1);
  });

  it("dry run prints the plan, names secrets only, and writes nothing", async () => {
    standIn.seedBinding("enrich-profile");
    const result = await deployPostLoginAction(mgmt, {
      code: CODE,
      secrets: SECRETS,
      log,
      dryRun: true,
    });
    expect(result.dryRun).toBe(true);
    expect(writes()).toEqual([]);
    expect(standIn.actions.size).toBe(0);
    const text = lines.join("\n");
    expect(text).toContain(`plan: create action "${DEFAULT_ACTION_NAME}"`);
    expect(text).toContain("secrets: ZUPLO_ACCOUNT_NAME, ZUPLO_API_KEY, ZUPLO_BUCKET_NAME");
    expect(text).toContain("bindings before: enrich-profile");
    expect(text).toContain(`bindings after:  enrich-profile -> ${DEFAULT_ACTION_NAME}`);
    expect(text).toContain("dry run: nothing written");
  });

  it("never prints secret values, on success or failure", async () => {
    await deployPostLoginAction(mgmt, { code: CODE, secrets: SECRETS, log, pollIntervalMs: 5 });
    const bad = new ManagementClient({
      domain: DOMAIN,
      clientId: CLIENT_ID,
      clientSecret: "wrong-secret-value-XYZ",
      fetch: standIn.fetchFor(DOMAIN),
      maxRetries: 0,
    });
    const error = await deployPostLoginAction(bad, { code: CODE, secrets: SECRETS, log }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const printed = [...lines, errorLine(error, [...Object.values(SECRETS)])];
    for (const value of [SECRETS.ZUPLO_API_KEY, CLIENT_SECRET]) {
      expect(printed.join("\n")).not.toContain(value);
    }
  });
});

describe("scripts/deploy.ts", () => {
  const run = (args: string[], env: Record<string, string>) =>
    runNode([tsxCli, "scripts/deploy.ts", ...args], env, packageDir).done;
  const env = () => ({
    AUTH0_DOMAIN: DOMAIN,
    AUTH0_CLIENT_ID: CLIENT_ID,
    AUTH0_CLIENT_SECRET: CLIENT_SECRET,
    KEYSMITH_AUTH0_ORIGIN: standIn.origin,
    ...SECRETS,
  });

  // The script is a thin wrapper over the keysmith-deploy command, whose real deploy is tested
  // with the bin (deploy-event-stream.test.ts); here: pnpm's "--" and a dry run.
  it("dry run through the repository script, without printing a secret value", async () => {
    const dry = await run(["--", "--dry-run", "--only", "login"], env());
    expect(dry.code).toBe(0);
    expect(dry.out).toContain("dry run: nothing written");
    expect(writes()).toEqual([]);
    for (const value of [SECRETS.ZUPLO_API_KEY, CLIENT_SECRET])
      expect(dry.out).not.toContain(value);
  }, 30_000);

  it("never prints the access token a server echoes; a forged line stays one line", async () => {
    standIn.echoToken(1, FORGED_DETAIL);
    const result = await run(["--only", "login"], env());
    expect(result.code).toBe(1);
    expectNoForgery(result.out);
    expect(result.out.split("\n").filter((l) => l.startsWith("deploy failed"))).toHaveLength(1);
    expect(standIn.requests.some((r) => r.authorization === `Bearer ${standIn.token}`)).toBe(true);
    expect(result.out).not.toContain(standIn.token);
    expect(result.out).toMatch(/^deploy failed: .*\[redacted\]/m);
    for (const value of [SECRETS.ZUPLO_API_KEY, CLIENT_SECRET]) {
      expect(result.out).not.toContain(value);
    }
  }, 30_000);

  it("names missing environment variables and exits 1", async () => {
    const result = await run([], { AUTH0_DOMAIN: DOMAIN });
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      "deploy failed: environment variables AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, ZUPLO_API_KEY, ZUPLO_ACCOUNT_NAME, ZUPLO_BUCKET_NAME are missing",
    );
  }, 30_000);
});
