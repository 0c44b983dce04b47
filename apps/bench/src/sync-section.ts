// Owns the sections of RESULTS.md that other scripts write (keysmith-sync from `bench:sync`,
// instructions from `instructions`): each between two markers, rewritten by its script and
// kept by the main bench.
const SECTIONS = ["keysmith-sync", "instructions"] as const;
type Name = (typeof SECTIONS)[number];
const markers = (name: Name) => [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`] as const;

/** The `name` section of a RESULTS.md text, markers included, or "" when it has none. */
export function syncSection(markdown: string, name: Name = "keysmith-sync"): string {
  const [start, end] = markers(name);
  const from = markdown.indexOf(start);
  const to = markdown.indexOf(end);
  return from >= 0 && to > from ? markdown.slice(from, to + end.length) : "";
}

/** `markdown` with its `name` section replaced by `section` (appended when there is none). */
export function replaceSection(markdown: string, section: string, name: Name): string {
  const [start, end] = markers(name);
  const block = `${start}\n${section.trim()}\n${end}`;
  const old = syncSection(markdown, name);
  return old ? markdown.replace(old, block) : `${markdown.trimEnd()}\n\n${block}\n`;
}

/** `markdown` with its sync section replaced by `section` (appended when there is none). */
export function replaceSyncSection(markdown: string, section: string): string {
  return replaceSection(markdown, section, "keysmith-sync");
}

/** A freshly rendered RESULTS.md with the other scripts' sections of the previous one kept. */
export function keepSyncSection(rendered: string, previous: string): string {
  const kept = SECTIONS.map((name) => syncSection(previous, name)).filter(Boolean);
  return kept.length ? `${rendered.trimEnd()}\n\n${kept.join("\n\n")}\n` : rendered;
}
