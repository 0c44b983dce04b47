// Owns what Keysmith keeps in a user's Auth0 app_metadata and how it is read back.
import { APP_METADATA_KEY } from "../auth0-types.js";
import { CONSUMER_NAME_PATTERN } from "../consumer-name.js";

/** The app_metadata key for the manager Keysmith added: `"pending"` or the manager's email. */
export const MANAGER_METADATA_KEY = "api_consumer_manager";
/** The value of {@link MANAGER_METADATA_KEY} while the user has no verified email. */
export const MANAGER_PENDING = "pending";

/**
 * Keysmith's record of a user, read from `app_metadata`:
 * - `consumer`: `api_consumer` (a consumer name, or the tutorial's `csmr_...` id), if any;
 * - `kind`: `none` (nothing stored), `keysmith` (a consumer name), `tutorial` (anything else,
 *   e.g. a `csmr_` id: left alone);
 * - `manager`: `api_consumer_manager`: `"pending"`, the email Keysmith made a manager, or
 *   `undefined` (not recorded: a consumer made before this field existed).
 */
export interface StoredRecord {
  kind: "none" | "keysmith" | "tutorial";
  consumer?: string;
  manager?: string;
}

/**
 * What to write back: each key's new value, `null` to remove it. A key that is absent is not
 * touched (Auth0 treats `setAppMetadata(key, undefined)` as no update).
 */
export type RecordUpdate = Partial<
  Record<typeof APP_METADATA_KEY | typeof MANAGER_METADATA_KEY, string | null>
>;

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Reads Keysmith's record from a user's `app_metadata` (any shape; never throws). */
export function readRecord(appMetadata: unknown): StoredRecord {
  const md =
    appMetadata && typeof appMetadata === "object" ? (appMetadata as Record<string, unknown>) : {};
  const stored = md[APP_METADATA_KEY];
  if (stored === undefined || stored === null || stored === "") return { kind: "none" };
  const consumer = text(stored);
  if (consumer === undefined || !CONSUMER_NAME_PATTERN.test(consumer)) {
    // The tutorial stored a consumer id (`csmr_...`); anything else unknown is left alone too.
    return consumer === undefined ? { kind: "tutorial" } : { kind: "tutorial", consumer };
  }
  const manager = text(md[MANAGER_METADATA_KEY]);
  return manager === undefined
    ? { kind: "keysmith", consumer }
    : { kind: "keysmith", consumer, manager };
}
