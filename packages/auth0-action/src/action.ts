// The Auth0 post-login handler: plans with the lifecycle routine, executes within the time
// budget, records the result in app_metadata. Never throws, never denies.
import type { PostLoginApi, PostLoginEvent } from "./auth0-types.js";
import { budgetedClient } from "./budgeted-client.js";
import { type ConfigResult, readConfig } from "./config.js";
import { type ExecuteResult, executePlan } from "./lifecycle/execute.js";
import { orgRecordUpdate, readOrgRecord } from "./lifecycle/org-record.js";
import { desiredOrgConsumer } from "./lifecycle/organization.js";
import { type PlannedAction, planConsumer } from "./lifecycle/plan.js";
import { type RecordUpdate, readRecord } from "./lifecycle/record.js";
import { describeFailure, logLine, userLabel } from "./log-line.js";

/** Inlined by scripts/build-lib.ts from package.json. */
declare const __ACTION_VERSION__: string;
const USER_AGENT = `keysmith-auth0-action/${typeof __ACTION_VERSION__ === "string" ? __ACTION_VERSION__ : "dev"}`;
/** Grace after the budget before the action stops waiting, whatever the client does. */
const HARD_STOP_GRACE_MS = 250;

/** The log line for a finished action (never a key, never an email). */
function doneLine(result: ExecuteResult, user: string): string {
  const name = result.consumerName ?? "";
  switch (result.outcome) {
    case "created":
      return `consumer ${name} created for ${user}${result.managers.added ? "" : " (manager pending: no verified email)"}`;
    case "adopted":
      return `consumer ${name} existing for ${user}`;
    case "linked":
      return `consumer ${name} linked for ${user}`;
    case "manager-added":
      return `manager added to consumer ${name} for ${user}`;
    case "manager-replaced":
      return `manager of consumer ${name} replaced for ${user} (email changed)`;
    default:
      return `consumer ${name} unchanged for ${user}`;
  }
}

function skippedPrefix(action: PlannedAction, user: string): string {
  return action.kind === "create" || action.kind === "link"
    ? `provisioning skipped for ${user}`
    : `manager update skipped for ${user}`;
}

interface Target {
  plan: PlannedAction;
  /** Who, for log lines: the user, and the organization in organization scope. */
  label: string;
  /** The app_metadata writes for the executor's record update. */
  writes(update: RecordUpdate): Record<string, unknown>;
}

/**
 * Whose consumer this login is about: the organization's (organization scope, signed in
 * through one), the user's own, or nobody (organization scope without an organization and
 * `ZUPLO_WITHOUT_ORGANIZATION=skip`). With a broken configuration the user scope decides
 * whether there is work to report the problem for.
 */
function targetOf(event: PostLoginEvent, read: ConfigResult): Target | undefined {
  const user = event.user;
  const md = user?.app_metadata;
  const config = read.ok ? read.config : undefined;
  const prefix = config ? { prefix: config.consumerPrefix } : {};
  if (config?.keyScope === "organization") {
    const org = event.organization;
    if (org?.id) {
      return {
        plan: planConsumer({
          user,
          record: readOrgRecord(md, org.id),
          desired: desiredOrgConsumer(org, user, prefix),
        }),
        label: `${userLabel(user.user_id)} in ${userLabel(org.id)}`,
        writes: (update) => orgRecordUpdate(md, org.id, update),
      };
    }
    if (config.withoutOrganization === "skip") return undefined;
  }
  return {
    plan: planConsumer({ user, record: readRecord(md), ...prefix }),
    label: userLabel(user?.user_id),
    writes: (update) => update,
  };
}

/**
 * Auth0 post-login handler. Gives a first-time user a Zuplo consumer with an API key, makes
 * their email a manager once it is verified, and follows a verified email change; records
 * `api_consumer` and `api_consumer_manager` in app_metadata. A user in step costs no request.
 * Never throws, never denies: a failing key service costs one log line and at most the time
 * budget, and the next login tries again.
 */
export async function onExecutePostLogin(event: PostLoginEvent, api: PostLoginApi): Promise<void> {
  try {
    const read = readConfig(event?.secrets);
    const target = targetOf(event, read);
    // In step: no request, no line (configuration problems are reported when there is work).
    if (!target || target.plan.kind === "nothing") return;
    const { plan, label } = target;
    if (!read.ok) {
      logLine(`provisioning skipped: ${read.problem}`);
      return;
    }
    const config = read.config;
    const secrets = [config.apiKey];

    if (config.skipRefresh && event.transaction?.protocol === "oauth2-refresh-token") return;
    const clientId = event.client?.client_id;
    if (config.clientIds.length > 0 && !(clientId && config.clientIds.includes(clientId))) return;

    if (plan.kind === "conflict") {
      logLine(
        `${skippedPrefix(plan, label)}: consumer ${plan.consumerName} belongs to another user`,
        secrets,
      );
      return;
    }
    const budgetMs = config.timeBudgetMs;
    const budgetSignal = AbortSignal.timeout(budgetMs);
    const { client: zuplo, attemptTimeoutMs } = budgetedClient(config, USER_AGENT);

    let timer: ReturnType<typeof setTimeout> | undefined;
    const hardStop = new Promise<"hard-stop">((resolve) => {
      timer = setTimeout(() => resolve("hard-stop"), budgetMs + HARD_STOP_GRACE_MS);
    });
    const ctx = { attemptTimeoutMs, budgetMs, budgetSignal };
    try {
      const outcome = await Promise.race([
        executePlan(zuplo, config.bucketName, plan, { signal: budgetSignal }).then(
          (result) => ({ result }),
          (error: unknown) => ({ error }),
        ),
        hardStop,
      ]);
      if (outcome === "hard-stop") {
        logLine(`${skippedPrefix(plan, label)}: timeout after ${budgetMs} ms`, secrets);
        return;
      }
      if ("error" in outcome) {
        logLine(`${skippedPrefix(plan, label)}: ${describeFailure(outcome.error, ctx)}`, secrets);
        return;
      }
      const { result } = outcome;
      if (result.outcome === "conflict") {
        logLine(
          `${skippedPrefix(plan, label)}: consumer ${result.consumerName} ${result.reason}`,
          secrets,
        );
        return;
      }
      for (const [key, value] of Object.entries(target.writes(result.update))) {
        if (value !== undefined) api.user.setAppMetadata(key, value);
      }
      logLine(doneLine(result, label), secrets);
    } finally {
      clearTimeout(timer);
    }
  } catch (error) {
    // Last line of defence: a login must never fail because of this action.
    const name = error instanceof Error ? error.name : typeof error;
    console.log(`keysmith: provisioning skipped: unexpected ${name}`);
  }
}
