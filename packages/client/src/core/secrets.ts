// Owns the shape of a Zuplo API key and the redaction every Keysmith package applies
// before text reaches a log, an error message or a terminal.

/**
 * Anything shaped like a Zuplo API key. Zuplo documents its keys as
 * `zpka_<random>_<checksum>` with underscore separators
 * (https://zuplo.com/docs/articles/api-key-best-practices); the body is matched
 * loosely (letters, digits, `_`, `-`) so that masked, truncated or test keys are
 * caught too. Global: use with `String.prototype.replace`.
 */
export const ZUPLO_KEY_PATTERN = /zpka_[A-Za-z0-9_-]+/g;

/** What a redacted value is replaced with. */
export const REDACTED = "[redacted]";

/** Shorter values would redact ordinary words; real secrets are far longer. */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every given secret value (a Zuplo key, an Auth0 client secret or token, ...)
 * and anything shaped like a Zuplo key with `[redacted]`.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text;
  // Longest first: a secret that contains another is removed whole.
  const values = secrets
    .filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  for (const secret of values) out = out.split(secret).join(REDACTED);
  return out.replace(ZUPLO_KEY_PATTERN, REDACTED);
}
