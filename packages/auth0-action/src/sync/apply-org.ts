// Owns carrying out the organization scope's own steps: creating an organization's consumer,
// removing a leaver's manager entries and record, and the organization owner for --prune.
import { NotFoundError } from "@keysmith/client";
import { writeAppMetadata } from "../backfill/management-api.js";
import { organizationExists } from "../backfill/organizations.js";
import { ABANDONED, describeError, zuploOptions } from "../backfill/process-user.js";
import { retryTransient } from "../backfill/rate-limit.js";
import type { MemberLookup } from "../events/member-lookup.js";
import { executePlan, ORG_TAG } from "../lifecycle/index.js";
import type { ApplyContext, ApplyResult, OrphanOwner } from "./apply-action.js";
import type { OrgStep } from "./plan-org.js";

/** `--prune` in organization scope: an orphan's owner is an organization, read by id. */
export const ORG_OWNER: OrphanOwner = {
  noun: "organization",
  tag: ORG_TAG,
  exists: (orgId, ctx) => organizationExists(ctx.api, orgId, ctx.signal),
};

/** Runs `fn`, repeating it after a transient Zuplo failure; never throws. */
async function attempt<T = ApplyResult>(
  ctx: ApplyContext,
  fn: () => Promise<T | ApplyResult>,
): Promise<T | ApplyResult> {
  try {
    return await retryTransient(fn, ctx.maxAttempts, ctx.signal);
  } catch (error) {
    return { status: "failed", reason: ctx.signal?.aborted ? ABANDONED : describeError(error) };
  }
}

/**
 * Creates the organization's consumer with a first key and no manager (each member's own step
 * adds them). A 409 adopts the consumer when it carries this organization's tag.
 */
export function createOrgConsumer(
  step: Extract<OrgStep, { kind: "create" }>,
  ctx: ApplyContext,
): Promise<ApplyResult> {
  return attempt(ctx, async () => {
    const action = {
      kind: "create" as const,
      userId: step.orgId,
      desired: step.desired,
      reason: step.reason,
    };
    const result = await executePlan(ctx.zuplo, ctx.bucketName, action, {
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      requestOptions: { maxRetries: ctx.maxAttempts - 1 },
    });
    if (result.outcome === "conflict") {
      return {
        status: "failed",
        reason: `conflict: ${result.reason ?? "not this organization's"}`,
      };
    }
    return { status: "done", consumerName: step.consumer };
  });
}

/**
 * Removes someone who left: first asks Auth0 whether they are a member again (`lookup`: the
 * member listing lags, and a member re-added since must keep managing), then deletes their
 * manager entries (already gone is fine) and writes `appMetadata` (their record of this
 * organization removed) when there is one. A person deleted from Auth0 meanwhile has no
 * record to fix.
 */
export function removeLeaver(
  step: Extract<OrgStep, { kind: "remove-manager" }>,
  appMetadata: (() => Record<string, unknown>) | undefined,
  ctx: ApplyContext,
  lookup?: MemberLookup,
): Promise<ApplyResult | { status: "kept" }> {
  return attempt<ApplyResult | { status: "kept" }>(ctx, async () => {
    if (lookup && (await lookup(step.userId, step.orgId)).member) return { status: "kept" };
    for (const managerId of step.managerIds) {
      try {
        await ctx.zuplo.managers.delete(
          { bucketName: ctx.bucketName, consumerName: step.consumer, managerId },
          zuploOptions(ctx),
        );
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    const body = appMetadata?.();
    if (!body || Object.keys(body).length === 0) {
      return { status: "done", consumerName: step.consumer };
    }
    if ((await writeAppMetadata(ctx.api, step.userId, body, ctx.signal)) === "gone")
      return { status: "gone" };
    return { status: "done", consumerName: step.consumer };
  });
}
