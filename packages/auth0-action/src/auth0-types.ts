// The fields of Auth0's post-login `event` and `api` objects this action reads, and no more
// (Auth0 docs: https://auth0.com/docs/customize/actions/explore-triggers/signup-and-login-triggers/login-trigger/post-login-event-object
// and .../post-login-api-object). The full shapes live in @keysmith/auth0-stand-in.

export type Secrets = Readonly<Record<string, string | undefined>>;

export interface PostLoginUser {
  /** The only field Auth0 guarantees, e.g. `auth0|65f...` or `google-oauth2|123`. */
  user_id: string;
  email?: string;
  email_verified?: boolean;
  /** The consumer's description. */
  name?: string;
  app_metadata?: Record<string, unknown>;
}

/** The organization a member signs in through (absent for a login without one). */
export interface PostLoginOrganization {
  id: string;
  name?: string;
  display_name?: string;
  metadata?: Record<string, string>;
}

export interface PostLoginEvent {
  user: PostLoginUser;
  organization?: PostLoginOrganization | undefined;
  secrets: Secrets;
  /** `oauth2-refresh-token` on refresh-token exchanges. */
  transaction?: { protocol?: string } | undefined;
  client?: { client_id: string } | undefined;
}

export interface PostLoginApi {
  user: {
    /** Batched: persisted only when the whole trigger finishes successfully. */
    setAppMetadata(key: string, value: unknown): unknown;
  };
}

/** The app_metadata key that holds the user's consumer (name, or a tutorial-era consumer id). */
export const APP_METADATA_KEY = "api_consumer";
