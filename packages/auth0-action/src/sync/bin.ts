// Entry of the `keysmith-sync` bin (built to dist/sync.js with a node shebang).
import { runEntry } from "../backfill/entry.js";
import { main } from "./cli.js";

await runEntry(main);
