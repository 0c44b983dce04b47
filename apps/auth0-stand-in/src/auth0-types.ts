// Auth0's post-login `event` and `api` objects as Auth0 hands them to an action
// (Auth0 docs: post-login event object, api object): the fields the stand-in
// builds. The action declares only the subset it reads.

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

/** `event.organization`: present when the user signs in through an Auth0 Organization. */
export interface PostLoginOrganization {
  id: string;
  name: string;
  display_name?: string;
  metadata?: Record<string, string>;
}

export interface PostLoginEvent {
  user: PostLoginUser;
  organization?: PostLoginOrganization | undefined;
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
