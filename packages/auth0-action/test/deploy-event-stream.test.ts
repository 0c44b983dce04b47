// Deploying the event handling as code: the event-stream action and its Event Stream,
// through the real auth0 SDK against the Management API stand-in, and the real bin.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { packageDir } from "../scripts/build-lib.js";
import { main } from "../src/deploy/cli.js";
import {
  DEFAULT_EVENT_ACTION_NAME,
  DEFAULT_STREAM_NAME,
  deployEventStream,
} from "../src/deploy/deploy-event-stream.js";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  DOMAIN,
  SECRETS,
  startManagementWorld,
} from "./support/management-world.js";
import { runNode } from "./support/run-node.js";

const CODE = "exports.onExecuteEventStream = async (event, api) => {};";

let w: Awaited<ReturnType<typeof startManagementWorld>>;
beforeEach(async () => {
  w = await startManagementWorld({ staleBuiltGets: 1, deployLagGets: 2 });
});
afterEach(() => w.standIn.close());

const deploy = (extra: Partial<Parameters<typeof deployEventStream>[1]> = {}) =>
  deployEventStream(w.mgmt, {
    code: CODE,
    secrets: SECRETS,
    log: w.log,
    pollIntervalMs: 2,
    ...extra,
  });

describe("deployEventStream", () => {
  it("never takes over someone's webhook stream of the same name; --stream-name deploys beside it", async () => {
    const theirs = w.standIn.seedStream(DEFAULT_STREAM_NAME, "https://hooks.example.com/keysmith");
    const before = JSON.stringify(w.standIn.streams.get(theirs));
    await expect(deploy()).rejects.toThrow(/delivers to a webhook destination, not an action/);
    expect(JSON.stringify(w.standIn.streams.get(theirs))).toBe(before);
    const { plan } = await deploy({ streamName: "keysmith-action-stream" });
    expect(plan).toMatchObject({ streamMode: "create", otherStreams: [DEFAULT_STREAM_NAME] });
    expect(JSON.stringify(w.standIn.streams.get(theirs))).toBe(before);
  });

  it("creates the action (trigger event-stream, node22) and a stream of user.updated + user.deleted to it", async () => {
    const other = w.standIn.seedStream("analytics-webhook");
    const { plan } = await deploy();
    expect(plan).toMatchObject({
      actionMode: "create",
      streamMode: "create",
      otherStreams: ["analytics-webhook"],
    });
    const [action] = [...w.standIn.actions.values()];
    expect(action).toMatchObject({
      name: DEFAULT_EVENT_ACTION_NAME,
      runtime: "node22",
      supported_triggers: [{ id: "event-stream", version: "v1" }],
      secretValues: SECRETS,
    });
    expect(action?.deployed_version?.number).toBe(1);
    const ours = [...w.standIn.streams.values()].find((s) => s.name === DEFAULT_STREAM_NAME);
    expect(ours).toMatchObject({
      status: "enabled",
      subscriptions: [{ event_type: "user.deleted" }, { event_type: "user.updated" }],
      destination: { type: "action", configuration: { action_id: action?.id } },
    });
    expect(w.standIn.streams.get(other)?.name).toBe("analytics-webhook");
    expect(w.standIn.streams.size).toBe(2);
  });

  it("second run updates the action, leaves a stream in step alone, re-enables a disabled one", async () => {
    await deploy();
    const streamWrites = () => w.writes().filter((r) => r.path.startsWith("/api/v2/event-streams"));
    await deploy({ code: `${CODE}\n// v2` });
    expect(w.standIn.actions.size).toBe(1);
    expect([...w.standIn.actions.values()][0]?.code).toContain("// v2");
    expect(streamWrites()).toHaveLength(1);
    expect(w.lines.join("\n")).toMatch(/event stream est_\S+ unchanged/);

    const [stream] = [...w.standIn.streams.values()];
    if (stream) stream.status = "disabled"; // Auth0 disables a stream after repeated failures.
    const again = await deploy();
    expect(again.plan.streamMode).toBe("update");
    expect(stream?.status).toBe("enabled");
    expect(w.standIn.streams.size).toBe(1);
  });

  it("organization scope subscribes the organization events too; switching scope corrects the stream", async () => {
    await deploy();
    const orgScope = { ...SECRETS, ZUPLO_KEY_SCOPE: "organization" };
    const { plan } = await deploy({ secrets: orgScope });
    expect(plan.streamMode).toBe("update");
    const [stream] = [...w.standIn.streams.values()];
    expect(stream?.subscriptions).toEqual(
      [
        "organization.deleted",
        "organization.member.added",
        "organization.member.deleted",
        "user.deleted",
        "user.updated",
      ].map((event_type) => ({ event_type })),
    );
    expect((await deploy({ secrets: orgScope })).plan.streamMode).toBe("unchanged");
    expect((await deploy()).plan.streamMode).toBe("update");
    expect(stream?.subscriptions).toHaveLength(2);
  });

  it("dry run writes nothing and prints the plan without secret values", async () => {
    w.standIn.seedStream("analytics-webhook");
    const { dryRun } = await deploy({ dryRun: true });
    expect(dryRun).toBe(true);
    expect(w.writes()).toEqual([]);
    const text = w.lines.join("\n");
    expect(text).toContain(
      `event stream "${DEFAULT_STREAM_NAME}": create (user.deleted, user.updated -> action)`,
    );
    expect(text).toContain("other event streams kept: analytics-webhook");
    expect(text).toContain("dry run: nothing written");
    expect(text).not.toContain(SECRETS.ZUPLO_API_KEY);
  });
});

/** What keysmith-deploy reads: Auth0 credentials (the stand-in's), the link app, the Zuplo secrets. */
const deployEnv = () => ({
  AUTH0_DOMAIN: DOMAIN,
  AUTH0_CLIENT_ID: CLIENT_ID,
  AUTH0_CLIENT_SECRET: CLIENT_SECRET,
  KEYSMITH_AUTH0_ORIGIN: w.standIn.origin,
  KEYSMITH_LINK_CLIENT_ID: "link-client",
  KEYSMITH_LINK_CLIENT_SECRET: "link-secret-DO-NOT-PRINT",
  ...SECRETS,
});

describe("keysmith-deploy (the bin shipped in the package)", () => {
  it("--dry-run, then a real deploy of both actions and the stream, no secret printed", async () => {
    const run = (args: string[]) =>
      runNode([join(packageDir, "bin", "keysmith-deploy.js"), ...args], deployEnv()).done;
    const dry = await run(["--dry-run", "--poll-interval", "10"]);
    expect(dry.code).toBe(0);
    expect(w.writes()).toEqual([]);
    const real = await run(["--poll-interval", "10"]);
    expect(real.code, real.out).toBe(0);
    expect(w.standIn.actions.size).toBe(2);
    expect(w.standIn.streams.size).toBe(1);
    const events = [...w.standIn.actions.values()].find(
      (a) => a.name === DEFAULT_EVENT_ACTION_NAME,
    );
    expect(events?.secretValues).toMatchObject({
      AUTH0_DOMAIN: DOMAIN,
      AUTH0_CLIENT_ID: "link-client",
    });
    for (const secret of [SECRETS.ZUPLO_API_KEY, CLIENT_SECRET, "link-secret-DO-NOT-PRINT"]) {
      expect(dry.out + real.out).not.toContain(secret);
    }
  }, 30_000);
});

describe("keysmith-deploy output", () => {
  it("redacts secrets only: ordinary setting values stay readable in the plan", async () => {
    const dist = await mkdtemp(join(tmpdir(), "keysmith-deploy-"));
    await writeFile(join(dist, "event-stream-action.js"), CODE);
    let out = "";
    const io = {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (out += t) },
    };
    const code = await main(
      ["--dry-run", "--only", "events"],
      {
        ...deployEnv(),
        ZUPLO_KEY_SCOPE: "organization",
        ZUPLO_TIME_BUDGET_MS: "5000",
      },
      io,
      dist,
    );
    expect(code, out).toBe(0);
    expect(out).toContain("organization.member.added");
    expect(out).not.toContain("[redacted]");
    for (const secret of [SECRETS.ZUPLO_API_KEY, CLIENT_SECRET, "link-secret-DO-NOT-PRINT"]) {
      expect(out).not.toContain(secret);
    }
  });
});
