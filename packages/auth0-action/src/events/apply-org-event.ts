// Owns carrying out one Auth0 organization event on @keysmith/client: read the
// organization's consumers by tag (and the member from Auth0), plan, run. Never logs a key.
import { type LeanZuploClient, NotFoundError, type RequestOptions } from "@keysmith/client";
import type { AccessRun } from "../lifecycle/access.js";
import { executePlan, ORG_TAG, orgTagValue } from "../lifecycle/index.js";
import { type ApplyResult, listTagged, runSteps, startRun } from "./apply-event.js";
import type { OrgEvent } from "./cloud-event.js";
import type { MemberLookup } from "./member-lookup.js";
import { type OrgFindings, type OrgStep, planOrgEvent } from "./plan-org-event.js";

export interface ApplyOrgOptions {
  prefix?: string;
  signal?: AbortSignal;
  requestOptions?: Omit<RequestOptions, "signal">;
  memberLookup?: MemberLookup | undefined;
}

/** Runs `call`; a 404 (already gone) is success. Returns whether it found something. */
async function gone(run: AccessRun, call: () => Promise<unknown>): Promise<boolean> {
  try {
    run.requests += 1;
    await call();
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

async function runStep(run: AccessRun, step: OrgStep): Promise<string | undefined> {
  const { client, bucketName, options } = run;
  switch (step.kind) {
    case "skip":
      return undefined;
    case "delete": {
      // Guarded by the organization's tag: a consumer that changed hands is left alone.
      const tags = { [ORG_TAG]: orgTagValue(step.orgId) };
      const consumerName = step.consumer.name;
      const deleted = await gone(run, () =>
        client.consumers.delete({ bucketName, consumerName, tags }, options),
      );
      return deleted ? `deleted ${consumerName}` : undefined;
    }
    case "remove-managers": {
      const consumerName = step.consumer.name;
      for (const managerId of step.managerIds) {
        await gone(run, () =>
          client.managers.delete({ bucketName, consumerName, managerId }, options),
        );
      }
      return `manager removed from ${consumerName}`;
    }
    case "manager": {
      const result = await executePlan(client, bucketName, step.action, {
        requestOptions: options,
      });
      run.requests += result.requests;
      return `${result.outcome} on ${step.consumer.name}`;
    }
    default: {
      const never: never = step;
      throw new TypeError(`unknown step ${(never as { kind: string }).kind}`);
    }
  }
}

/**
 * Brings an organization's consumer in line with one Auth0 organization event. Idempotent:
 * a redelivery, a duplicate or an older event changes nothing more. Throws the client's
 * `ZuploError`s, and the member lookup's errors, for the caller to turn into "retry later".
 */
export async function applyOrgEvent(
  client: LeanZuploClient,
  bucketName: string,
  event: OrgEvent,
  options: ApplyOrgOptions = {},
): Promise<ApplyResult> {
  const run = startRun(client, bucketName, options);
  const orgId = event.organization.id;
  const found: OrgFindings = {
    consumers: await listTagged(run, ORG_TAG, orgTagValue(orgId)),
  };
  if (event.type !== "organization.deleted" && found.consumers.length > 0 && options.memberLookup) {
    found.member = await options.memberLookup(event.user.user_id, orgId);
  }
  const steps = planOrgEvent(event, found, options.prefix ? { prefix: options.prefix } : {});
  return runSteps(run, steps, runStep);
}
