// Builds the real dist/ files the tests load (both actions and the bins), unless dist/ is
// already newer than every input: `pnpm test` builds first (turbo), so only a focused
// `vitest run` after a source edit pays for a build here.
import { readdir, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  actionFile,
  backfillFile,
  buildAction,
  buildBackfill,
  buildDeployBin,
  buildEventStreamAction,
  buildEventsBin,
  buildSync,
  deployBinFile,
  eventStreamActionFile,
  eventsBinFile,
  packageDir,
  syncFile,
} from "../../scripts/build-lib.js";

const OUTPUTS = [
  actionFile,
  eventStreamActionFile,
  backfillFile,
  syncFile,
  eventsBinFile,
  deployBinFile,
];

/** The newest modification time of the files under `path` (a file or a folder). */
async function newest(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = 0;
  for (const entry of await readdir(path))
    latest = Math.max(latest, await newest(join(path, entry)));
  return latest;
}

async function distIsFresh(): Promise<boolean> {
  const client = dirname(createRequire(import.meta.url).resolve("@keysmith/client/package.json"));
  const inputs = [
    join(packageDir, "src"),
    join(packageDir, "package.json"),
    join(packageDir, "scripts", "build-lib.ts"),
    join(client, "dist"), // bundled into both actions
  ];
  try {
    const built = Math.min(...(await Promise.all(OUTPUTS.map((file) => newest(file)))));
    const changed = Math.max(...(await Promise.all(inputs.map((path) => newest(path)))));
    return built > changed;
  } catch {
    return false; // an output (or the client's dist) is missing
  }
}

export default async function setup() {
  if (await distIsFresh()) return;
  await buildAction();
  await buildEventStreamAction();
  // The backfill, sync, events and deploy tests spawn the real bins.
  await buildBackfill();
  await buildSync();
  await buildEventsBin();
  await buildDeployBin();
}
