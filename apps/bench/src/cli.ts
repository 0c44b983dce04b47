// `pnpm bench`: the full run on every Node version. Prints the report and writes RESULTS.md
// next to package.json, comparing its conclusions with the RESULTS.md it replaces.
// `--smoke` runs tiny sizes and writes nothing.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBench } from "./bench-run.js";
import { benchDir } from "./child.js";
import { renderMarkdown } from "./report.js";
import { readSummary } from "./summary.js";
import { keepSyncSection } from "./sync-section.js";

const smoke = process.argv.includes("--smoke");
const file = join(benchDir, "RESULTS.md");
const before = !smoke && existsSync(file) ? readFileSync(file, "utf8") : "";
const previous = before ? readSummary(before) : undefined;
const run = await runBench(smoke ? "smoke" : "full", (chunk) => process.stderr.write(chunk));
const markdown = renderMarkdown({ ...run, ...(previous && { previous }) });
console.log(markdown);
if (!smoke) {
  // The keysmith-sync section comes from `bench:sync`: keep it.
  writeFileSync(file, keepSyncSection(markdown, before));
  console.error(`wrote ${file}`);
}
