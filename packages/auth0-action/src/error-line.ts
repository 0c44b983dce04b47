// The one rule for turning text from outside (an error message, a server's Problem detail)
// into one printable line: used by the action's log lines and by the CLIs.
import { redactSecrets } from "@keysmith/client";

/** Default cap, in characters, of a line made by `toLine`. */
export const MAX_LINE = 400;

// ANSI/VT escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and
// two-character escapes. Removed whole so no colour, cursor move or title change survives.
const ANSI =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching escapes is the point
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?|\u009b[0-?]*[ -/]*[@-~]/g;
// C0 and C1 controls (newlines included), DEL, and Unicode line/paragraph separators and
// bidi overrides: anything that could start a new line or reorder what a reader sees.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/**
 * One line: secrets and anything shaped like a Zuplo key redacted, escape sequences removed,
 * newlines and other control characters turned into a space, capped at `max` characters.
 */
export function toLine(
  text: string,
  secrets: readonly (string | undefined)[] = [],
  max = MAX_LINE,
): string {
  // Escapes go before redaction: a key split by an escape sequence is still caught.
  const out = redactSecrets(String(text).replace(ANSI, ""), secrets)
    .replace(CONTROL, " ")
    .replace(/ {2,}/g, " ")
    .trim();
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}

/** An error as one line (its message; the name when it has none). Never throws. */
export function errorLine(
  error: unknown,
  secrets: readonly (string | undefined)[] = [],
  max = MAX_LINE,
): string {
  let text: string;
  try {
    text =
      error instanceof Error
        ? error.message || error.name
        : typeof error === "string"
          ? error
          : `unexpected ${typeof error}`;
  } catch {
    text = "unexpected error";
  }
  return toLine(text, secrets, max);
}
