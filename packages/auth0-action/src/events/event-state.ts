// Owns the access state recorded on a consumer (tag `auth0Access`) and the ordering rule:
// an event older than (or as old as) the recorded state never changes the consumer.

/** The tag holding `<active|suspended>@<event time>` of the newest event applied. */
export const ACCESS_TAG = "auth0Access";

export type Access = "active" | "suspended";

export interface AccessState {
  access: Access;
  /** ms since the epoch of the event that set it. */
  time: number;
}

/** Reads the tag; `undefined` when absent or unreadable (a consumer no event touched yet). */
export function readAccessState(
  tags: Record<string, string> | null | undefined,
): AccessState | undefined {
  const value = tags?.[ACCESS_TAG];
  if (typeof value !== "string") return undefined;
  const at = value.indexOf("@");
  const access = value.slice(0, at);
  const time = Date.parse(value.slice(at + 1));
  if ((access !== "active" && access !== "suspended") || !Number.isFinite(time)) return undefined;
  return { access, time };
}

/** The tag value for a state (the event's own time, so replays compare equal). */
export function accessTagValue(access: Access, time: number): string {
  return `${access}@${new Date(time).toISOString()}`;
}

/**
 * Whether an event at `time` is stale for a consumer: something at least as new was already
 * applied. Equal times count as stale: a redelivery of the applied event carries its time.
 */
export function isStale(time: number, recorded: AccessState | undefined): boolean {
  return recorded !== undefined && time <= recorded.time;
}

/**
 * The access rule, the one place it is written: a blocked owner's consumer is suspended,
 * an unblocked owner's suspended consumer restored; otherwise nothing changes.
 */
export function accessChange(
  blocked: boolean,
  recorded: AccessState | undefined,
): "suspend" | "restore" | undefined {
  const suspended = recorded?.access === "suspended";
  if (blocked && !suspended) return "suspend";
  if (!blocked && suspended) return "restore";
  return undefined;
}
