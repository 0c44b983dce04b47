// "Foreign text -> one short printable line": the one place that does it.

/** One short printable line: ANSI sequences and control characters become spaces, at most `max` characters. */
export function printable(text: string, max: number): string {
  const line = text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point.
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x1f\x7f-\x9f]+/g, " ")
    .replace(/ {2,}/g, " ")
    .trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
