import { buildAction, buildBackfill, buildSync } from "../../scripts/build-lib.js";

export default async function setup() {
  await buildAction();
  // The backfill tests spawn the real bin.
  await buildBackfill();
  await buildSync();
}
