import type { Secrets } from "./auth0-types.js";
import { ConfigError, type SettingSource } from "./config-error.js";
import { CONSUMER_PREFIX_PATTERN } from "./consumer-name.js";

export const DEFAULT_API_URL = "https://dev.zuplo.com";
export const DEFAULT_TIME_BUDGET_MS = 5000;
/** Auth0 asks for outbound calls well under 10 s; the whole trigger has 20 s. */
export const MAX_TIME_BUDGET_MS = 10_000;
export const MIN_TIME_BUDGET_MS = 100;
export const DEFAULT_CONSUMER_PREFIX = "auth0";

/** Who a consumer belongs to: each Auth0 user, or each Auth0 Organization. */
export type KeyScope = "user" | "organization";
/** Organization scope, a login without an organization: the user's own consumer, or nothing. */
export type WithoutOrganization = "user" | "skip";
export const KEY_SCOPES: readonly KeyScope[] = ["user", "organization"];
export const WITHOUT_ORGANIZATION: readonly WithoutOrganization[] = ["skip", "user"];

export interface ActionConfig {
  apiKey: string;
  accountName: string;
  bucketName: string;
  apiUrl: string;
  timeBudgetMs: number;
  /** Auth0 client ids the action provisions for; empty means every client. */
  clientIds: readonly string[];
  consumerPrefix: string;
  skipRefresh: boolean;
  /** `ZUPLO_KEY_SCOPE`: `user` (default, one consumer per user) or `organization`. */
  keyScope: KeyScope;
  /**
   * `ZUPLO_WITHOUT_ORGANIZATION`, organization scope only: a login without an organization
   * gets nothing (`skip`, default) or the user's own consumer (`user`).
   */
  withoutOrganization: WithoutOrganization;
}

export type ConfigResult =
  | { ok: true; config: ActionConfig }
  | { ok: false; error: ConfigError; problem: string };

const ACCOUNT_PATTERN = /^[a-z0-9-]{1,128}$/;
const BUCKET_PATTERN = /^[a-z0-9-]{5,128}$/;

function text(secrets: Secrets, name: string): string | undefined {
  const value = secrets[name];
  if (value === undefined || value === null) return undefined;
  const trimmed = String(value).trim();
  return trimmed === "" ? undefined : trimmed;
}

/** Hosts that never leave the machine. */
function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

function parseBoolean(value: string): boolean | undefined {
  const v = value.toLowerCase();
  if (v === "true" || v === "1" || v === "yes") return true;
  if (v === "false" || v === "0" || v === "no") return false;
  return undefined;
}

/** A setting with a fixed set of values (case-insensitive); the first is the default. */
function choice<T extends string>(
  s: Secrets,
  name: string,
  values: readonly T[],
  fail: (setting: string, rule: string) => never,
): T {
  const value = text(s, name)?.toLowerCase();
  if (value === undefined) return values[0] as T;
  return values.find((v) => v === value) ?? fail(name, `must be ${values.join(" or ")}`);
}

/**
 * Reads the action's settings from `event.secrets` (or, for the CLIs, the same names from
 * the environment: `from`). Never throws: a missing or invalid setting becomes a
 * ConfigError naming it (and never its value).
 */
export function readConfig(
  secrets: Secrets | undefined,
  from: SettingSource = "secret",
): ConfigResult {
  function fail(setting: string, rule: string): never {
    throw new ConfigError(from, [setting], rule);
  }
  try {
    const s: Secrets = secrets ?? {};
    const apiKey = text(s, "ZUPLO_API_KEY") ?? text(s, "API_KEY");
    if (!apiKey) fail("ZUPLO_API_KEY", "is missing (the tutorial's API_KEY is accepted too)");
    const accountName = text(s, "ZUPLO_ACCOUNT_NAME");
    if (!accountName) fail("ZUPLO_ACCOUNT_NAME", "is missing");
    if (!ACCOUNT_PATTERN.test(accountName)) {
      fail("ZUPLO_ACCOUNT_NAME", "must be lowercase letters, digits and hyphens");
    }
    const bucketName = text(s, "ZUPLO_BUCKET_NAME");
    if (!bucketName) fail("ZUPLO_BUCKET_NAME", "is missing");
    if (!BUCKET_PATTERN.test(bucketName)) {
      fail("ZUPLO_BUCKET_NAME", "must match ^[a-z0-9-]{5,128}$");
    }

    const apiUrl = text(s, "ZUPLO_API_URL") ?? DEFAULT_API_URL;
    let parsed: URL | undefined;
    try {
      parsed = new URL(apiUrl);
    } catch {
      parsed = undefined;
    }
    // The account key travels in the Authorization header: never in clear over a network.
    if (
      !parsed ||
      !(
        parsed.protocol === "https:" ||
        (parsed.protocol === "http:" && isLoopback(parsed.hostname))
      )
    ) {
      fail("ZUPLO_API_URL", "must be an https URL (http only for localhost, 127.x.x.x or [::1])");
    }

    let timeBudgetMs = DEFAULT_TIME_BUDGET_MS;
    const budget = text(s, "ZUPLO_TIME_BUDGET_MS");
    if (budget !== undefined) {
      if (!/^\d+$/.test(budget) || Number(budget) < MIN_TIME_BUDGET_MS) {
        fail(
          "ZUPLO_TIME_BUDGET_MS",
          `must be a whole number of milliseconds >= ${MIN_TIME_BUDGET_MS}`,
        );
      }
      timeBudgetMs = Math.min(Number(budget), MAX_TIME_BUDGET_MS);
    }

    const clientIds = (text(s, "ZUPLO_CLIENT_IDS") ?? "")
      .split(",")
      .map((id) => id.trim())
      .filter((id) => id !== "");

    const consumerPrefix = text(s, "ZUPLO_CONSUMER_PREFIX") ?? DEFAULT_CONSUMER_PREFIX;
    if (!CONSUMER_PREFIX_PATTERN.test(consumerPrefix)) {
      fail(
        "ZUPLO_CONSUMER_PREFIX",
        "must be 1-32 lowercase letters, digits or inner hyphens (e.g. auth0)",
      );
    }

    const refresh = text(s, "ZUPLO_SKIP_REFRESH");
    const skipRefresh =
      refresh === undefined
        ? true
        : (parseBoolean(refresh) ?? fail("ZUPLO_SKIP_REFRESH", "must be true or false"));

    const keyScope = choice(s, "ZUPLO_KEY_SCOPE", KEY_SCOPES, fail);
    const withoutOrganization = choice(s, "ZUPLO_WITHOUT_ORGANIZATION", WITHOUT_ORGANIZATION, fail);

    return {
      ok: true,
      config: {
        apiKey,
        accountName,
        bucketName,
        apiUrl: apiUrl.replace(/\/+$/, ""),
        timeBudgetMs,
        clientIds,
        consumerPrefix,
        skipRefresh,
        keyScope,
        withoutOrganization,
      },
    };
  } catch (error) {
    const problem =
      error instanceof ConfigError ? error : new ConfigError(from, ["(all)"], "could not be read");
    return { ok: false, error: problem, problem: problem.message };
  }
}
