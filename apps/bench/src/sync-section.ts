// Owns the sync benchmark's place in RESULTS.md: a section between two markers that the
// sync bench rewrites and the main bench keeps.
const START = "<!-- keysmith-sync:start -->";
const END = "<!-- keysmith-sync:end -->";

/** The sync section of a RESULTS.md text, markers included, or "" when it has none. */
export function syncSection(markdown: string): string {
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  return start >= 0 && end > start ? markdown.slice(start, end + END.length) : "";
}

/** `markdown` with its sync section replaced by `section` (appended when there is none). */
export function replaceSyncSection(markdown: string, section: string): string {
  const block = `${START}\n${section.trim()}\n${END}`;
  const old = syncSection(markdown);
  return old ? markdown.replace(old, block) : `${markdown.trimEnd()}\n\n${block}\n`;
}

/** A freshly rendered RESULTS.md with the sync section of the previous one kept. */
export function keepSyncSection(rendered: string, previous: string): string {
  const old = syncSection(previous);
  return old ? `${rendered.trimEnd()}\n\n${old}\n` : rendered;
}
