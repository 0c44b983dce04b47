// The one way configuration fails: names the setting(s) and what to fix, never a value.

/** Where a setting comes from: Auth0 action secrets, or the CLIs' environment. */
export type SettingSource = "secret" | "environment variable";

export class ConfigError extends Error {
  override name = "ConfigError";
  /** e.g. `secret ZUPLO_BUCKET_NAME must match ^[a-z0-9-]{5,128}$`. */
  constructor(
    readonly source: SettingSource,
    readonly settings: readonly string[],
    /** What to fix, e.g. "is missing" or "must be true or false". */
    readonly rule: string,
  ) {
    super(`${source}${settings.length > 1 ? "s" : ""} ${settings.join(", ")} ${rule}`);
  }

  static missing(source: SettingSource, settings: readonly string[], hint = ""): ConfigError {
    const verb = settings.length > 1 ? "are missing" : "is missing";
    return new ConfigError(source, settings, hint ? `${verb} ${hint}` : verb);
  }
}
