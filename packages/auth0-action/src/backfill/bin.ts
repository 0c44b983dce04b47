// Entry of the `keysmith-backfill` bin (built to dist/backfill.js with a node shebang).
import { main } from "./cli.js";
import { runEntry } from "./entry.js";

await runEntry(main);
