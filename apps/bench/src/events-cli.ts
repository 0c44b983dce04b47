// `pnpm --filter @keysmith/bench run events`: the events benchmark alone, printed as Markdown.
import { renderEvents, runEvents } from "./events.js";

const smoke = process.argv.includes("--smoke");
const rows = await runEvents(
  smoke ? { users: 20, concurrency: 4 } : { users: 1000, concurrency: 8 },
);
console.log(renderEvents(rows));
