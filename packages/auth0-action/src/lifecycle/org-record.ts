// Owns what Keysmith keeps in a member's Auth0 app_metadata about organization consumers:
// one entry per organization, read back as the planner's StoredRecord.
import { APP_METADATA_KEY } from "../auth0-types.js";
import { CONSUMER_NAME_PATTERN } from "../consumer-name.js";
import { orgTagValue } from "./organization.js";
import { MANAGER_METADATA_KEY, type RecordUpdate, type StoredRecord } from "./record.js";

/**
 * The app_metadata key: `{ "<organization id>": { consumer, manager } }`, where `consumer`
 * is the organization's consumer name and `manager` is `"pending"` or the email Keysmith made
 * a manager for this member. Separate from `api_consumer` (the user's own consumer), so a
 * person can have both and belong to several organizations.
 */
export const ORG_METADATA_KEY = "api_org_consumers";

/** One organization's entry in {@link ORG_METADATA_KEY}. */
export interface OrgMemberRecord {
  consumer: string;
  /** `"pending"` or the manager email; absent when not recorded. */
  manager?: string;
}

export type OrgRecords = Record<string, OrgMemberRecord>;

/** What to write back: the whole map (Auth0 replaces a key's value), `null` removes it. */
export type OrgRecordUpdate = Partial<Record<typeof ORG_METADATA_KEY, OrgRecords | null>>;

/** Most organizations remembered per person; beyond, the oldest entries go (costs requests only). */
export const MAX_ORG_RECORDS = 20;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The entries as stored (any shape; malformed entries are dropped; never throws). */
export function readOrgRecords(appMetadata: unknown): OrgRecords {
  const stored = isObject(appMetadata) ? appMetadata[ORG_METADATA_KEY] : undefined;
  const out: OrgRecords = {};
  if (!isObject(stored)) return out;
  for (const [key, entry] of Object.entries(stored)) {
    if (!isObject(entry)) continue;
    const consumer = entry.consumer;
    if (typeof consumer !== "string" || !CONSUMER_NAME_PATTERN.test(consumer)) continue;
    const manager = entry.manager;
    out[key] = typeof manager === "string" && manager !== "" ? { consumer, manager } : { consumer };
  }
  return out;
}

/**
 * The member's record for one organization, in the planner's shape: `none`, or `keysmith`
 * with the consumer name and the recorded manager (`"pending"` or an email). A member
 * recorded as manager of this organization's consumer plans `nothing`: zero requests.
 */
export function readOrgRecord(appMetadata: unknown, orgId: string): StoredRecord {
  const entry = readOrgRecords(appMetadata)[orgTagValue(orgId)];
  if (!entry) return { kind: "none" };
  return entry.manager === undefined
    ? { kind: "keysmith", consumer: entry.consumer }
    : { kind: "keysmith", consumer: entry.consumer, manager: entry.manager };
}

/**
 * Turns the executor's `update` (keys `api_consumer` / `api_consumer_manager`) into the
 * write for one organization's entry, keeping the other organizations' entries. Empty when
 * there is nothing to write. `null` for the consumer removes the entry.
 */
export function orgRecordUpdate(
  appMetadata: unknown,
  orgId: string,
  update: RecordUpdate,
): OrgRecordUpdate {
  const consumerUpdate = update[APP_METADATA_KEY];
  const managerUpdate = update[MANAGER_METADATA_KEY];
  if (consumerUpdate === undefined && managerUpdate === undefined) return {};
  const records = readOrgRecords(appMetadata);
  const key = orgTagValue(orgId);
  const current = records[key];
  delete records[key];
  if (consumerUpdate !== null) {
    const consumer = consumerUpdate ?? current?.consumer;
    if (consumer === undefined) return {};
    const manager = managerUpdate === undefined ? current?.manager : managerUpdate;
    const keys = Object.keys(records);
    for (const old of keys.slice(0, Math.max(0, keys.length - (MAX_ORG_RECORDS - 1)))) {
      delete records[old];
    }
    records[key] = manager ? { consumer, manager } : { consumer };
  }
  return { [ORG_METADATA_KEY]: Object.keys(records).length > 0 ? records : null };
}

/** The removal of one organization's entry (e.g. the member left it); empty when absent. */
export function removeOrgRecord(appMetadata: unknown, orgId: string): OrgRecordUpdate {
  const records = readOrgRecords(appMetadata);
  if (!(orgTagValue(orgId) in records)) return {};
  return orgRecordUpdate(appMetadata, orgId, { [APP_METADATA_KEY]: null });
}
