import type { ProvisionUser } from "../provision.js";

/** The fields of a Management API user record the backfill reads. */
export interface Auth0User extends ProvisionUser {
  app_metadata?: Record<string, unknown> | null;
}

/** Fields requested from search, the users endpoint and the export job. */
export const USER_FIELDS = ["user_id", "email", "email_verified", "name", "app_metadata"] as const;
