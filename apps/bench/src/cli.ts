// `pnpm bench`: the full run. Prints the results and writes RESULTS.md next to package.json.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { benchDir } from "./child.js";
import { FULL, SMOKE } from "./config.js";
import { renderMarkdown } from "./report.js";
import { runAll } from "./suite.js";

const smoke = process.argv.includes("--smoke");
const results = await runAll(smoke ? SMOKE : FULL, (line) => console.error(line));
const markdown = renderMarkdown(results);
console.log(markdown);
if (!smoke) {
  const file = join(benchDir, "RESULTS.md");
  writeFileSync(file, markdown);
  console.error(`wrote ${file}`);
}
