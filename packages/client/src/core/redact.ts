// The one place that scrubs foreign text: the API key out of anything a
// server or a fetch sends back, and control characters out of messages.

/** A key at least this long is redacted wherever it appears; a shorter one only as a whole word. */
const SUBSTRING_MIN = 8;
/** Nesting kept when copying a foreign value; deeper parts become "[truncated]". */
const MAX_DEPTH = 16;

export const REDACTED = "[redacted]";

/**
 * Returns a function that copies a parsed JSON value (or a string), replacing
 * the key inside string values only: names of fields and headers are never
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
    if (typeof value === "string") return value.replace(pattern, REDACTED);
    if (!value || typeof value !== "object") return value;
    if (depth >= MAX_DEPTH) return "[truncated]";
    if (Array.isArray(value)) return value.map((item) => copy(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) out[name] = copy(item, depth + 1);
    return out;
  };
  return (value) => copy(value, 0) as typeof value;
}

/** One short printable line: ANSI sequences and control characters become spaces, at most `max` characters. */
export function printable(text: string, max: number): string {
  const line = text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x1f\x7f-\x9f]+/g, " ")
    .replace(/ {2,}/g, " ")
    .trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
