// Owns deploying the event handling as code: the event-stream action (create or update,
// build, deploy) and one Event Stream subscribed to user.updated and user.deleted (and, in
// organization scope, the organization events) that delivers to it. Other streams are
// never touched.
import type { Management, ManagementClient } from "auth0";
import { ORG_EVENT_TYPES } from "../events/cloud-event.js";
import { findAction, RUNTIME, shipAction, type Timing } from "./action-version.js";

export const DEFAULT_EVENT_ACTION_NAME = "keysmith-user-lifecycle";
export const DEFAULT_STREAM_NAME = "keysmith-user-lifecycle";
export const EVENT_TRIGGER_ID = "event-stream";
/** The event-stream trigger's version: `v1`, as Auth0 builds it (README, "Install as code", has the sources). */
export const EVENT_TRIGGER_VERSION = "v1";
export const STREAM_EVENT_TYPES = ["user.deleted", "user.updated"] as const;

/**
 * The event types the stream subscribes to: the user events, plus `organization.deleted`,
 * `organization.member.added` and `organization.member.deleted` when the action's secrets
 * set `ZUPLO_KEY_SCOPE=organization` (in user scope the action would only ignore them).
 */
export function streamEventTypes(secrets: Readonly<Record<string, string>>): string[] {
  const organizations = secrets.ZUPLO_KEY_SCOPE?.trim().toLowerCase() === "organization";
  return [...STREAM_EVENT_TYPES, ...(organizations ? ORG_EVENT_TYPES : [])].sort();
}

export type EventStreamManagement = Pick<ManagementClient, "actions" | "eventStreams">;

export interface EventStreamDeployOptions extends Timing {
  /** The bundled action (dist/event-stream-action.js). */
  code: string;
  /** Secret name → value; sent to Auth0 only, never printed. */
  secrets: Record<string, string>;
  actionName?: string;
  streamName?: string;
  dryRun?: boolean;
  log?: (line: string) => void;
}

export interface EventStreamPlan {
  actionName: string;
  actionMode: "create" | "update";
  actionId: string | null;
  streamName: string;
  streamMode: "create" | "update" | "unchanged";
  streamId: string | null;
  subscriptions: string[];
  /** Streams of others, kept as they are. */
  otherStreams: string[];
}

type Stream = Management.EventStreamResponseContent;

async function listStreams(mgmt: EventStreamManagement): Promise<Stream[]> {
  const out: Stream[] = [];
  const page = await mgmt.eventStreams.list({ take: 50 });
  for await (const stream of page) {
    out.push(stream);
    // A server that keeps sending pages must not keep the deploy busy forever.
    if (out.length >= 1000) break;
  }
  return out;
}

function actionIdOf(stream: Stream): string | undefined {
  const destination = stream.destination as
    | { type?: string; configuration?: { action_id?: string } }
    | undefined;
  return destination?.type === "action" ? destination.configuration?.action_id : undefined;
}

function inStep(stream: Stream, actionId: string | null, types: readonly string[]): boolean {
  const subscribed = (stream.subscriptions ?? []).map((s) => s.event_type).sort();
  return (
    stream.status === "enabled" &&
    JSON.stringify(subscribed) === JSON.stringify(types) &&
    actionId !== null &&
    actionIdOf(stream) === actionId
  );
}

/**
 * Deploys the event-stream action and makes sure one enabled Event Stream named `streamName`
 * delivers `user.updated` and `user.deleted` (plus the organization events in organization
 * scope, see `streamEventTypes`) to it: created when missing, corrected when its
 * subscriptions, destination or status differ (a stream Auth0 disabled after failures is
 * enabled again). Idempotent; `dryRun` reads only and returns the plan.
 */
export async function deployEventStream(
  mgmt: EventStreamManagement,
  options: EventStreamDeployOptions,
): Promise<{ plan: EventStreamPlan; dryRun: boolean }> {
  const actionName = options.actionName ?? DEFAULT_EVENT_ACTION_NAME;
  const streamName = options.streamName ?? DEFAULT_STREAM_NAME;
  const log = options.log ?? ((line: string) => console.log(line));

  const existing = await findAction(mgmt, actionName, EVENT_TRIGGER_ID);
  const streams = await listStreams(mgmt);
  const existingId = existing?.id ?? null;
  const types = streamEventTypes(options.secrets);
  const named = streams.find((s) => s.name === streamName);
  if (named && actionIdOf(named) === undefined) {
    // Someone's own stream (a webhook to keysmith-events serve, say): never taken over.
    const type = (named.destination as { type?: string } | undefined)?.type ?? "unknown";
    throw new Error(
      `the Event Stream "${streamName}" delivers to a ${type} destination, not an action: ` +
        "leave it, and deploy this one under another name (--stream-name)",
    );
  }
  const ours = named ?? streams.find((s) => existingId && actionIdOf(s) === existingId);
  const plan: EventStreamPlan = {
    actionName,
    actionMode: existing ? "update" : "create",
    actionId: existingId,
    streamName,
    streamMode: !ours ? "create" : inStep(ours, existingId, types) ? "unchanged" : "update",
    streamId: ours?.id ?? null,
    subscriptions: types,
    otherStreams: streams.filter((s) => s !== ours).map((s) => s.name ?? s.id ?? "(unnamed)"),
  };

  const verb = options.dryRun ? "plan" : "deploy";
  log(`${verb}: ${plan.actionMode} action "${actionName}"${existingId ? ` (${existingId})` : ""}`);
  log(
    `  runtime ${RUNTIME}, trigger ${EVENT_TRIGGER_ID} ${EVENT_TRIGGER_VERSION}, code ${Buffer.byteLength(options.code)} bytes`,
  );
  log(`  secrets: ${Object.keys(options.secrets).sort().join(", ") || "(none)"}`);
  log(
    `  event stream "${streamName}": ${plan.streamMode} (${plan.subscriptions.join(", ")} -> action)`,
  );
  log(`  other event streams kept: ${plan.otherStreams.join(", ") || "(none)"}`);
  if (options.dryRun) {
    log("dry run: nothing written");
    return { plan, dryRun: true };
  }

  const { actionId } = await shipAction(
    mgmt,
    {
      name: actionName,
      trigger: { id: EVENT_TRIGGER_ID, version: EVENT_TRIGGER_VERSION },
      code: options.code,
      secrets: options.secrets,
    },
    existing,
    options,
    log,
  );

  const body = {
    name: streamName,
    subscriptions: types.map((event_type) => ({ event_type })),
    destination: { type: "action" as const, configuration: { action_id: actionId } },
    status: "enabled" as const,
  };
  if (!ours) {
    const created = await mgmt.eventStreams.create(body);
    log(`created event stream ${created.id ?? streamName}`);
  } else if (!inStep(ours, actionId, types)) {
    await mgmt.eventStreams.update(ours.id as string, body);
    log(`updated event stream ${ours.id}`);
  } else {
    log(`event stream ${ours.id} unchanged`);
  }
  return { plan, dryRun: false };
}
