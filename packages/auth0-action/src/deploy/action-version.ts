// Owns getting an action's code live on Auth0 with Auth0's real timing: find (50 per page),
// create or update, wait for the build that update started, deploy (202, retried while Auth0
// says "must be in the 'built' state") and wait until that version is the deployed one.
import type { Management, ManagementClient } from "auth0";

export const RUNTIME = "node22";
/** Auth0's paging maximum for most list endpoints on public cloud. */
export const PER_PAGE = 50;

export type ActionsApi = Pick<ManagementClient, "actions">;

export interface Timing {
  pollIntervalMs?: number;
  /** Give up waiting for a build or a deploy after this long; default 120 s. */
  buildTimeoutMs?: number;
}

export interface ActionSpec {
  name: string;
  trigger: { id: Management.ActionTriggerTypeEnum; version: string };
  code: string;
  secrets: Record<string, string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function findAction(
  mgmt: ActionsApi,
  name: string,
  triggerId: Management.ActionTriggerTypeEnum,
) {
  const page = await mgmt.actions.list({ triggerId, actionName: name, per_page: PER_PAGE });
  for await (const action of page) {
    if (action.name === name) return action;
  }
  return undefined;
}

/** Creates or updates the action; `since` is when this change was made (Auth0's clock). */
export async function upsertAction(
  mgmt: ActionsApi,
  spec: ActionSpec,
  existing: { id?: string | undefined; built_at?: string | undefined } | undefined,
): Promise<{ actionId: string; since: string | undefined; previousBuild: string | undefined }> {
  const secretNames = Object.keys(spec.secrets).sort();
  const content: Omit<Management.CreateActionRequestContent, "name"> = {
    supported_triggers: [spec.trigger],
    code: spec.code,
    runtime: RUNTIME,
    dependencies: [],
    secrets: secretNames.map((name) => ({ name, value: spec.secrets[name] as string })),
  };
  if (existing?.id) {
    const updated = await mgmt.actions.update(existing.id, content);
    return { actionId: existing.id, since: updated.updated_at, previousBuild: existing.built_at };
  }
  const created = await mgmt.actions.create({ name: spec.name, ...content });
  if (!created.id) throw new Error("Auth0 created the action but returned no id");
  return { actionId: created.id, since: created.updated_at, previousBuild: undefined };
}

/**
 * Waits for the build of the latest change. Right after an update Auth0 may still report the
 * previous build's `built`: only a `built_at` at or after the change (or, without Auth0's
 * time, one different from the previous build's) counts.
 */
export async function waitForBuild(
  mgmt: ActionsApi,
  change: { actionId: string; since: string | undefined; previousBuild: string | undefined },
  timing: Timing = {},
): Promise<void> {
  const interval = timing.pollIntervalMs ?? 1000;
  const deadline = Date.now() + (timing.buildTimeoutMs ?? 120_000);
  for (;;) {
    const current = await mgmt.actions.get(change.actionId);
    if (current.status === "failed")
      throw new Error(`Auth0 failed to build action ${change.actionId}`);
    const builtAt = current.built_at;
    const fresh = change.since
      ? builtAt !== undefined && Date.parse(builtAt) >= Date.parse(change.since)
      : builtAt !== undefined && builtAt !== change.previousBuild;
    if (current.status === "built" && fresh) return;
    if (Date.now() > deadline) {
      throw new Error(
        `action ${change.actionId} not built in time (status ${current.status ?? "unknown"})`,
      );
    }
    await sleep(interval);
  }
}

function notBuiltYet(error: unknown): boolean {
  const body = (error as { body?: unknown })?.body;
  const text = `${(error as Error)?.message ?? ""} ${JSON.stringify(body ?? "")}`;
  return /must be in the 'built' state/.test(text);
}

/**
 * Deploys the built action and waits until Auth0 reports the new version as the deployed one
 * (the deploy answers 202 and completes later). A refusal "must be in the 'built' state" is
 * retried, as Auth0's own deploy tool does. Returns the deployed version.
 */
export async function deployAndWait(
  mgmt: ActionsApi,
  actionId: string,
  timing: Timing = {},
): Promise<{ id: string | undefined; number: number | undefined }> {
  const interval = timing.pollIntervalMs ?? 1000;
  const deadline = Date.now() + (timing.buildTimeoutMs ?? 120_000);
  let version: Management.DeployActionResponseContent;
  for (;;) {
    try {
      version = await mgmt.actions.deploy(actionId);
      break;
    } catch (error) {
      if (!notBuiltYet(error) || Date.now() > deadline) throw error;
      await sleep(interval);
    }
  }
  for (;;) {
    const current = await mgmt.actions.get(actionId);
    const live = current.deployed_version;
    if (live && (version.id ? live.id === version.id : live.number === version.number)) {
      return { id: version.id, number: version.number };
    }
    if (Date.now() > deadline) {
      throw new Error(`action ${actionId}: version ${version.number ?? "?"} not deployed in time`);
    }
    await sleep(interval);
  }
}

/**
 * The whole road for one action: create or update, the build of this change, deploy, and
 * the new version live. Logs each step; returns the action id and the deployed version.
 */
export async function shipAction(
  mgmt: ActionsApi,
  spec: ActionSpec,
  existing: { id?: string | undefined; built_at?: string | undefined } | undefined,
  timing: Timing,
  log: (line: string) => void,
): Promise<{ actionId: string; version: { id: string | undefined; number: number | undefined } }> {
  const change = await upsertAction(mgmt, spec, existing);
  const actionId = change.actionId;
  log(`${existing ? "updated" : "created"} action ${actionId}`);
  await waitForBuild(mgmt, change, timing);
  log(`action ${actionId} built`);
  const version = await deployAndWait(mgmt, actionId, timing);
  log(`deployed version ${version.number ?? "?"} (${version.id ?? "no id"})`);
  return { actionId, version };
}
