import type {
  PostLoginApi,
  PostLoginEvent,
  PostLoginOrganization,
  PostLoginUser,
  Secrets,
} from "./auth0-types.js";
import type { LoadedAction } from "./load-action.js";

/** Auth0 gives the whole post-login trigger 20 s. */
export const TRIGGER_LIMIT_MS = 20_000;

/** A tenant user: the post-login `event.user` fields the harness keeps between logins. */
export type HarnessUser = Omit<PostLoginUser, "identities">;

export interface LoginOptions {
  /** e.g. `oauth2-refresh-token`; default `oidc-basic-profile`. */
  protocol?: string;
  clientId?: string;
  /** The organization the user signs in through (`event.organization`). */
  organization?: PostLoginOrganization;
  /** Replaces the tenant's secrets for this execution. */
  secrets?: Secrets;
  /**
   * Simulates a later action in the same trigger failing after ours returned: the trigger
   * fails, so Auth0 drops the batched app_metadata writes.
   */
  failTriggerAfterAction?: boolean;
}

export interface Execution {
  status: "success" | "failed" | "denied";
  /** Why the trigger failed (thrown value or the 20 s limit). */
  failure?: unknown;
  durationMs: number;
  logs: string[];
  setAppMetadataCalls: Array<{ key: string; value: unknown }>;
  denyCalls: string[];
  /** Whether the batched metadata writes were persisted. */
  persisted: boolean;
  event: PostLoginEvent;
}

export interface TenantOptions {
  action: LoadedAction;
  secrets: Secrets;
  /** Default 20 000 ms, as Auth0. */
  triggerLimitMs?: number;
  clientId?: string;
}

function clone<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A small Auth0 tenant: a user store plus post-login executions with Auth0's semantics
 * (event snapshot, batched app_metadata writes applied only when the trigger succeeds,
 * the 20 s trigger limit, one shared module scope, per-execution console capture).
 */
export class Auth0Tenant {
  readonly users = new Map<string, PostLoginUser & { logins_count: number }>();
  readonly executions: Execution[] = [];
  private readonly action: LoadedAction;
  private readonly secrets: Secrets;
  private readonly triggerLimitMs: number;
  private readonly clientId: string;

  constructor(options: TenantOptions) {
    this.action = options.action;
    this.secrets = options.secrets;
    this.triggerLimitMs = options.triggerLimitMs ?? TRIGGER_LIMIT_MS;
    this.clientId = options.clientId ?? "portal-client-id";
  }

  /** Creates or replaces a stored user (e.g. one the tutorial action already provisioned). */
  putUser(user: HarnessUser): void {
    const previous = this.users.get(user.user_id);
    this.users.set(user.user_id, {
      app_metadata: {},
      user_metadata: {},
      ...clone(user),
      logins_count: previous?.logins_count ?? 0,
    });
  }

  appMetadata(userId: string): Record<string, unknown> | undefined {
    return clone(this.users.get(userId)?.app_metadata);
  }

  /** One login: the user is created on first sight (a signup), then the trigger runs. */
  async login(user: HarnessUser, options: LoginOptions = {}): Promise<Execution> {
    if (!this.users.has(user.user_id)) this.putUser(user);
    const stored = this.users.get(user.user_id) as PostLoginUser & { logins_count: number };
    stored.logins_count += 1;
    const { logins_count, ...userFields } = stored;
    const event: PostLoginEvent = {
      user: clone(userFields),
      ...(options.organization ? { organization: clone(options.organization) } : {}),
      secrets: { ...(options.secrets ?? this.secrets) },
      transaction: { protocol: options.protocol ?? "oidc-basic-profile" },
      client: { client_id: options.clientId ?? this.clientId, name: "Developer portal" },
      stats: { logins_count },
    };
    const execution = await this.run(event, options);
    this.executions.push(execution);
    if (execution.persisted) {
      const target = this.users.get(user.user_id);
      if (target) {
        const metadata = isPlainObject(target.app_metadata) ? target.app_metadata : {};
        for (const { key, value } of execution.setAppMetadataCalls) {
          // Auth0: undefined means "no update", null removes the key.
          if (value === undefined) continue;
          if (value === null) delete metadata[key];
          else metadata[key] = clone(value);
        }
        target.app_metadata = metadata;
      }
    }
    return execution;
  }

  /** Runs the trigger on a prepared event; does not touch the user store. */
  async run(event: PostLoginEvent, options: LoginOptions = {}): Promise<Execution> {
    const logs: string[] = [];
    const setAppMetadataCalls: Execution["setAppMetadataCalls"] = [];
    const denyCalls: string[] = [];
    const api: PostLoginApi = {
      user: {
        setAppMetadata(key: string, value: unknown) {
          if (typeof key !== "string" || key === "") throw new TypeError("key must be a string");
          if (event.user.app_metadata !== undefined && !isPlainObject(event.user.app_metadata)) {
            throw new TypeError("app_metadata is not an object");
          }
          setAppMetadataCalls.push({ key, value: clone(value) });
          return api;
        },
      },
      access: {
        deny(reason: string) {
          denyCalls.push(String(reason));
          return api;
        },
      },
    };

    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<{ limit: true }>((resolve) => {
      timer = setTimeout(() => resolve({ limit: true }), this.triggerLimitMs);
    });
    const outcome = await Promise.race([
      this.action
        .withConsole(logs, () => this.action.handler(event, api))
        .then(
          () => ({ ok: true as const }),
          (error: unknown) => ({ ok: false as const, error }),
        ),
      limit,
    ]);
    clearTimeout(timer);
    const durationMs = performance.now() - started;

    let status: Execution["status"] = "success";
    let failure: unknown;
    if ("limit" in outcome) {
      status = "failed";
      failure = new Error(`Script execution time exceeded (${this.triggerLimitMs} ms)`);
    } else if (!outcome.ok) {
      status = "failed";
      failure = outcome.error;
    } else if (options.failTriggerAfterAction) {
      status = "failed";
      failure = new Error("a later action in the trigger failed");
    } else if (denyCalls.length > 0) {
      status = "denied";
    }
    return {
      status,
      failure,
      durationMs,
      logs,
      setAppMetadataCalls,
      denyCalls,
      persisted: status === "success",
      event,
    };
  }
}
