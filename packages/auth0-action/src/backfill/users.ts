import type { ProvisionUser } from "../provision.js";

/** The fields of a Management API user record the backfill reads. */
export interface Auth0User extends ProvisionUser {
  app_metadata?: Record<string, unknown> | null;
  /** `true` while an administrator blocks the user (absent when never blocked). */
  blocked?: boolean | null;
}

/** Fields requested from search, the users endpoint and the export job. */
export const USER_FIELDS = [
  "user_id",
  "email",
  "email_verified",
  "name",
  "app_metadata",
  // keysmith-sync suspends blocked users' consumers from this same read (no read per user).
  "blocked",
] as const;
