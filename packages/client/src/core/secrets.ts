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

/** A key at least this long is redacted wherever it appears; a shorter one only as a whole word. */
const SUBSTRING_MIN = 8;
/** Nesting kept when copying a foreign value; deeper parts become "[truncated]". */
const MAX_DEPTH = 16;

/**
 * Returns a function that copies a parsed JSON value (or a string) from a
 * server, replacing the client's own key (and anything shaped like a Zuplo
 * key) inside string values only: names of fields and headers are never
 * touched, so redaction cannot change what an error means. A short key (a
 * test or mock key, never a real `zpka_` one) would match ordinary words, so
 * it is redacted only where it stands alone.
 */
export function redactor(secret: string): <T>(value: T) => T {
  const escaped = secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(
    secret.length < SUBSTRING_MIN ? `(?<![\\w-])${escaped}(?![\\w-])` : escaped,
    "g",
  );
  const copy = (value: unknown, depth: number): unknown => {
    if (typeof value === "string")
      return value.replace(pattern, REDACTED).replace(ZUPLO_KEY_PATTERN, REDACTED);
    if (!value || typeof value !== "object") return value;
    if (depth >= MAX_DEPTH) return "[truncated]";
    if (Array.isArray(value)) return value.map((item) => copy(item, depth + 1));
    // fromEntries defines fields: a JSON "__proto__" field stays a field, not the copy's prototype.
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, copy(item, depth + 1)]),
    );
  };
  return (value) => copy(value, 0) as typeof value;
}
