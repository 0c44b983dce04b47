// The subset of Auth0's post-login `event` and `api` objects this action uses
// (Auth0 docs: post-login event object, api object). `@auth0/actions` is not
// available from the registry, so the project describes it here.

export type Secrets = Readonly<Record<string, string | undefined>>;

export interface PostLoginUser {
  /** The only field Auth0 guarantees, e.g. `auth0|65f...` or `google-oauth2|123`. */
  user_id: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
  identities?: ReadonlyArray<Record<string, unknown>>;
}

export interface PostLoginEvent {
  user: PostLoginUser;
  secrets: Secrets;
  /** `oauth2-refresh-token` on refresh-token exchanges. */
  transaction?: { protocol?: string } | undefined;
  client?: { client_id: string; name?: string } | undefined;
  /** Already 1 on the first login. */
  stats?: { logins_count: number } | undefined;
}

export interface PostLoginApi {
  user: {
    /** Batched: persisted only when the whole trigger finishes successfully. */
    setAppMetadata(key: string, value: unknown): unknown;
  };
  access: {
    deny(reason: string): unknown;
  };
}

/** The app_metadata key that holds the user's consumer (name, or a tutorial-era consumer id). */
export const APP_METADATA_KEY = "api_consumer";
