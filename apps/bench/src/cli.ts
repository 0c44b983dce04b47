// `pnpm bench`: the full run on every Node version. Prints the report and writes RESULTS.md
// next to package.json, comparing its conclusions with the RESULTS.md it replaces.
// `--smoke` runs tiny sizes and writes nothing.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runBench } from "./bench-run.js";
import { benchDir } from "./child.js";
import { renderMarkdown } from "./report.js";
import { readSummary } from "./summary.js";

const smoke = process.argv.includes("--smoke");
const file = join(benchDir, "RESULTS.md");
const previous = !smoke && existsSync(file) ? readSummary(readFileSync(file, "utf8")) : undefined;
const run = await runBench(smoke ? "smoke" : "full", (chunk) => process.stderr.write(chunk));
const markdown = renderMarkdown({ ...run, ...(previous && { previous }) });
console.log(markdown);
if (!smoke) {
  writeFileSync(file, markdown);
  console.error(`wrote ${file}`);
}
