import {
  buildAction,
  buildBackfill,
  buildDeployBin,
  buildEventStreamAction,
  buildEventsBin,
  buildSync,
} from "../../scripts/build-lib.js";

export default async function setup() {
  await buildAction();
  await buildEventStreamAction();
  // The backfill, sync, events and deploy tests spawn the real bins.
  await buildBackfill();
  await buildSync();
  await buildEventsBin();
  await buildDeployBin();
}
