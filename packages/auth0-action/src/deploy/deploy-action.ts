import type { Management, ManagementClient } from "auth0";
import { findAction, PER_PAGE, RUNTIME, shipAction } from "./action-version.js";

export { RUNTIME };
export const DEFAULT_ACTION_NAME = "keysmith-provision-zuplo-consumer";
export const TRIGGER_ID = "post-login";
export const TRIGGER_VERSION = "v3";

/** The parts of the auth0 v7 ManagementClient the deploy uses. */
export type ManagementLike = Pick<ManagementClient, "actions">;

export interface DeployOptions {
  /** The bundled action (dist/action.js). */
  code: string;
  /** Secret name → value. Values are sent to Auth0 only, never printed. */
  secrets: Record<string, string>;
  name?: string;
  dryRun?: boolean;
  /** Where progress lines go; default console.log. */
  log?: (line: string) => void;
  pollIntervalMs?: number;
  /** Give up waiting for the build after this long; default 120 s. */
  buildTimeoutMs?: number;
}

export interface DeployPlan {
  name: string;
  mode: "create" | "update";
  actionId: string | null;
  runtime: string;
  trigger: string;
  secretNames: string[];
  codeBytes: number;
  bindingsBefore: string[];
  bindingsAfter: string[];
  bindingChange: "add" | "unchanged";
}

export interface DeployResult {
  plan: DeployPlan;
  dryRun: boolean;
  actionId: string | null;
  versionId: string | null;
}

interface BindingView {
  actionId: string | undefined;
  actionName: string | undefined;
  displayName: string | undefined;
}

function bindingLabel(b: BindingView): string {
  return b.displayName ?? b.actionName ?? b.actionId ?? "(unnamed)";
}

async function readBindings(mgmt: ManagementLike): Promise<BindingView[]> {
  const page = await mgmt.actions.triggers.bindings.list(TRIGGER_ID, { per_page: PER_PAGE });
  const out: BindingView[] = [];
  for await (const b of page) {
    out.push({ actionId: b.action?.id, actionName: b.action?.name, displayName: b.display_name });
  }
  return out;
}

function isOurs(b: BindingView, name: string, actionId: string | null): boolean {
  return (actionId !== null && b.actionId === actionId) || b.actionName === name;
}

/**
 * Creates or updates the post-login action, waits for the build of this change, deploys it,
 * waits until the new version is the deployed one, and only then binds it to the post-login
 * trigger, keeping every existing binding (the PATCH replaces the whole list). Idempotent:
 * running it twice leaves one action and one binding. `dryRun` reads only and returns the plan.
 */
export async function deployPostLoginAction(
  mgmt: ManagementLike,
  options: DeployOptions,
): Promise<DeployResult> {
  const name = options.name ?? DEFAULT_ACTION_NAME;
  const log = options.log ?? ((line: string) => console.log(line));
  const secretNames = Object.keys(options.secrets).sort();

  const existing = await findAction(mgmt, name, TRIGGER_ID);
  const bindings = await readBindings(mgmt);
  const existingId = existing?.id ?? null;
  const alreadyBound = bindings.some((b) => isOurs(b, name, existingId));
  const plan: DeployPlan = {
    name,
    mode: existing ? "update" : "create",
    actionId: existingId,
    runtime: RUNTIME,
    trigger: `${TRIGGER_ID} ${TRIGGER_VERSION}`,
    secretNames,
    codeBytes: Buffer.byteLength(options.code),
    bindingsBefore: bindings.map(bindingLabel),
    bindingsAfter: alreadyBound
      ? bindings.map(bindingLabel)
      : [...bindings.map(bindingLabel), name],
    bindingChange: alreadyBound ? "unchanged" : "add",
  };

  log(
    `${options.dryRun ? "plan" : "deploy"}: ${plan.mode} action "${name}"${existingId ? ` (${existingId})` : ""}`,
  );
  log(`  runtime ${plan.runtime}, trigger ${plan.trigger}, code ${plan.codeBytes} bytes`);
  log(`  secrets: ${secretNames.join(", ") || "(none)"}`);
  log(`  post-login bindings before: ${plan.bindingsBefore.join(" -> ") || "(none)"}`);
  log(`  post-login bindings after:  ${plan.bindingsAfter.join(" -> ")}`);
  if (options.dryRun) {
    log("dry run: nothing written");
    return { plan, dryRun: true, actionId: existingId, versionId: null };
  }

  const { actionId, version } = await shipAction(
    mgmt,
    {
      name,
      trigger: { id: TRIGGER_ID, version: TRIGGER_VERSION },
      code: options.code,
      secrets: options.secrets,
    },
    existing,
    options,
    log,
  );

  if (alreadyBound) {
    log("binding unchanged: already bound to post-login");
  } else {
    // Re-read right before writing: the PATCH replaces the whole list.
    const fresh = await readBindings(mgmt);
    const keep = fresh.filter((b) => !isOurs(b, name, actionId));
    const refs: Management.ActionBindingWithRef[] = keep.map((b) => ({
      ref: b.actionId
        ? { type: "action_id", value: b.actionId }
        : { type: "action_name", value: b.actionName },
      display_name: b.displayName,
    }));
    refs.push({ ref: { type: "action_id", value: actionId }, display_name: name });
    await mgmt.actions.triggers.bindings.updateMany(TRIGGER_ID, { bindings: refs });
    log(`bound to post-login after ${keep.length} existing binding(s)`);
  }
  return { plan, dryRun: false, actionId, versionId: version.id ?? null };
}
