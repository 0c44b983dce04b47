// `pnpm bench`: the full run. Prints the results and writes RESULTS.md next to package.json.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchDir } from "./child.js";
import { FULL, SMOKE } from "./config.js";
import { renderMarkdown } from "./report.js";
import { runAll } from "./suite.js";
import { keepSyncSection } from "./sync-section.js";

const smoke = process.argv.includes("--smoke");
const results = await runAll(smoke ? SMOKE : FULL, (line) => console.error(line));
const markdown = renderMarkdown(results);
console.log(markdown);
if (!smoke) {
  const file = join(benchDir, "RESULTS.md");
  // The keysmith-sync section comes from `bench:sync`: keep it.
  const previous = existsSync(file) ? readFileSync(file, "utf8") : "";
  writeFileSync(file, keepSyncSection(markdown, previous));
  console.error(`wrote ${file}`);
}
