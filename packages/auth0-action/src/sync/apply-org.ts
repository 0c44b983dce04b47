// Owns carrying out the organization scope's own steps: creating an organization's consumer,
// removing a leaver's manager entries and record, and the organization owner for --prune.
import { NotFoundError, type RequestOptions } from "@keysmith/client";
import { Auth0ApiError } from "../backfill/management-api.js";
import { organizationExists } from "../backfill/organizations.js";
import { ABANDONED, describeError } from "../backfill/process-user.js";
import { retryTransient } from "../backfill/rate-limit.js";
import { executePlan, ORG_TAG } from "../lifecycle/index.js";
import { type ApplyContext, type ApplyResult, type OrphanOwner, userPath } from "./apply-action.js";
import type { OrgStep } from "./plan-org.js";

/** `--prune` in organization scope: an orphan's owner is an organization, read by id. */
export const ORG_OWNER: OrphanOwner = {
  tag: ORG_TAG,
  exists: (orgId, ctx) => organizationExists(ctx.api, orgId, ctx.signal),
};

function requestOptions(ctx: ApplyContext): RequestOptions {
  return { maxRetries: ctx.maxAttempts - 1, ...(ctx.signal ? { signal: ctx.signal } : {}) };
}

/** Runs `fn`, repeating it after a transient Zuplo failure; never throws. */
async function attempt(ctx: ApplyContext, fn: () => Promise<ApplyResult>): Promise<ApplyResult> {
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
 * Removes someone who left: deletes their manager entries (already gone is fine), then
 * writes `appMetadata` (their record of this organization removed) when there is one. A
 * person deleted from Auth0 meanwhile has no record to fix.
 */
export function removeLeaver(
  step: Extract<OrgStep, { kind: "remove-manager" }>,
  appMetadata: (() => Record<string, unknown>) | undefined,
  ctx: ApplyContext,
): Promise<ApplyResult> {
  return attempt(ctx, async () => {
    for (const managerId of step.managerIds) {
      try {
        await ctx.zuplo.managers.delete(
          { bucketName: ctx.bucketName, consumerName: step.consumer, managerId },
          requestOptions(ctx),
        );
      } catch (error) {
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
    const body = appMetadata?.();
    if (!body || Object.keys(body).length === 0) {
      return { status: "done", consumerName: step.consumer };
    }
    try {
      await ctx.api.request("PATCH", userPath(step.userId), {
        body: { app_metadata: body },
        signal: ctx.signal,
      });
    } catch (error) {
      if (!(error instanceof Auth0ApiError && error.status === 404)) throw error;
      return { status: "gone" };
    }
    return { status: "done", consumerName: step.consumer };
  });
}
