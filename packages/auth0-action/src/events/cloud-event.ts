// Owns reading an Auth0 Event Streams CloudEvent: envelope checks, the user and organization
// events Keysmith acts on, and the one error type for a message that can never be processed.

/** The fields of an Auth0 user (`data.object`) the event handling reads. */
export interface EventUser {
  user_id: string;
  email?: string | undefined;
  email_verified?: boolean | undefined;
  name?: string | undefined;
  blocked?: boolean | undefined;
  /** `provider|user_id` of every identity (the user's own and linked accounts). */
  identityIds: string[];
  /** As sent; Keysmith's record (`api_consumer`...) is read from it. */
  app_metadata?: Record<string, unknown> | undefined;
}

interface Envelope {
  /** Auth0's event id: the dedupe key. */
  id: string;
  /** When the change happened, ms since the epoch: the ordering key. */
  time: number;
  /** `time` as sent, for logs and the state tag. */
  timeText: string;
}

export type UserEvent =
  | (Envelope & { type: "user.deleted"; user: EventUser })
  | (Envelope & { type: "user.updated"; user: EventUser });

/** The organization fields an organization event carries (`id` is the only one relied on). */
export interface EventOrganization {
  id: string;
  name?: string | undefined;
  display_name?: string | undefined;
}

/**
 * `organization.member.added` / `.deleted` carry `{ organization: { id, name? }, user:
 * { user_id } }` (Auth0 documents no email there); `organization.deleted` the organization.
 */
export type OrgEvent =
  | (Envelope & {
      type: "organization.member.added" | "organization.member.deleted";
      organization: EventOrganization;
      user: EventUser;
    })
  | (Envelope & { type: "organization.deleted"; organization: EventOrganization });

/** A valid CloudEvent Keysmith does not act on (another type, or a test delivery). */
export type IgnoredEvent = Envelope & { type: "ignored"; eventType: string; reason: string };

export type ParsedEvent = UserEvent | OrgEvent | IgnoredEvent;

/** A message that is not a valid Auth0 CloudEvent: retrying it can never help. */
export class EventFormatError extends Error {
  override readonly name = "EventFormatError";
  constructor(
    readonly field: string,
    rule: string,
  ) {
    super(`${field}: ${rule}`);
  }
}

const MAX_ID = 256;
const MAX_USER_ID = 1024;
const USER_TYPES = new Set(["user.deleted", "user.updated"]);
/** Handled in organization scope only (see `parseCloudEvent`). */
export const ORG_EVENT_TYPES = [
  "organization.member.added",
  "organization.member.deleted",
  "organization.deleted",
] as const;
const ORG_TYPES = new Set<string>(ORG_EVENT_TYPES);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requireText(obj: Record<string, unknown>, field: string, path: string, max = MAX_ID) {
  const value = obj[field];
  if (typeof value !== "string" || value === "" || value.length > max) {
    throw new EventFormatError(path, `must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function optionalBoolean(value: unknown): boolean | undefined {
  return typeof value === "boolean" ? value : undefined;
}

/** `provider|user_id` of each identity; Auth0 builds user ids the same way. */
function identityIds(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const ids: string[] = [];
  for (const identity of value) {
    if (!isObject(identity)) continue;
    const provider = optionalText(identity.provider);
    const raw = identity.user_id;
    const userId = typeof raw === "number" ? String(raw) : optionalText(raw);
    if (provider && userId) ids.push(`${provider}|${userId}`);
  }
  return ids;
}

function readUser(value: unknown, path: string): EventUser {
  if (!isObject(value)) throw new EventFormatError(path, "must be an object");
  const user: EventUser = {
    user_id: requireText(value, "user_id", `${path}.user_id`, MAX_USER_ID),
    identityIds: identityIds(value.identities),
  };
  const email = optionalText(value.email);
  if (email !== undefined) user.email = email;
  const verified = optionalBoolean(value.email_verified);
  if (verified !== undefined) user.email_verified = verified;
  const name = optionalText(value.name);
  if (name !== undefined) user.name = name;
  const blocked = optionalBoolean(value.blocked);
  if (blocked !== undefined) user.blocked = blocked;
  if (isObject(value.app_metadata)) user.app_metadata = value.app_metadata;
  return user;
}

function readOrganization(value: unknown, path: string): EventOrganization {
  if (!isObject(value)) throw new EventFormatError(path, "must be an object");
  const org: EventOrganization = { id: requireText(value, "id", `${path}.id`, MAX_USER_ID) };
  const name = optionalText(value.name);
  if (name !== undefined) org.name = name;
  const shown = optionalText(value.display_name);
  if (shown !== undefined) org.display_name = shown;
  return org;
}

/**
 * Reads a parsed JSON body as an Auth0 CloudEvent (structured mode). Throws
 * `EventFormatError` naming the first bad field. Accepts `com.auth0.`-prefixed types (early
 * access) and answers other types and test deliveries (`a0purpose: "test"`) as ignored; the
 * organization events too unless `organizations` (organization scope) is set.
 */
export function parseCloudEvent(body: unknown, organizations = false): ParsedEvent {
  if (!isObject(body)) throw new EventFormatError("event", "must be a JSON object");
  const spec = body.specversion ?? body.spec_version;
  if (spec !== "1.0") throw new EventFormatError("specversion", 'must be "1.0"');
  const id = requireText(body, "id", "id");
  requireText(body, "source", "source", 2048);
  const rawType = requireText(body, "type", "type");
  const timeText = requireText(body, "time", "time", 64);
  const time = Date.parse(timeText);
  if (!Number.isFinite(time)) throw new EventFormatError("time", "must be an RFC 3339 timestamp");
  const envelope: Envelope = { id, time, timeText };

  const type = rawType.replace(/^com\.auth0\./, "");
  if (!USER_TYPES.has(type) && !(organizations && ORG_TYPES.has(type))) {
    const reason = ORG_TYPES.has(type) ? "organization scope is off" : "type not handled";
    return { ...envelope, type: "ignored", eventType: type, reason };
  }
  if (body.a0purpose === "test") {
    return { ...envelope, type: "ignored", eventType: type, reason: "test event" };
  }
  const data = body.data;
  if (!isObject(data)) throw new EventFormatError("data", "must be an object");
  if (type === "organization.deleted") {
    return { ...envelope, type, organization: readOrganization(data.object, "data.object") };
  }
  if (type === "organization.member.added" || type === "organization.member.deleted") {
    const object = isObject(data.object) ? data.object : {};
    return {
      ...envelope,
      type,
      organization: readOrganization(object.organization, "data.object.organization"),
      user: readUser(object.user, "data.object.user"),
    };
  }
  const user = readUser(data.object, "data.object");
  // The user as it is now is all the rules need (`previous_object` is not read): state, not diffs.
  return { ...envelope, type: type as UserEvent["type"], user };
}
