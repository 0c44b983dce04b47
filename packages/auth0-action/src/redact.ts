/** Replaces every known secret value in a text before it is printed or thrown. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    // Very short values would redact ordinary words; real secrets are far longer.
    if (secret && secret.length >= 4) out = out.split(secret).join("[redacted]");
  }
  return out;
}
