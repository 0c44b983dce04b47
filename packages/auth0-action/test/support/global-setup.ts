import {
  buildAction,
  buildBackfill,
  buildDeployBin,
  buildEventStreamAction,
  buildEventsBin,
} from "../../scripts/build-lib.js";

export default async function setup() {
  await buildAction();
  await buildEventStreamAction();
  // The backfill and events tests spawn the real bins.
  await buildBackfill();
  await buildEventsBin();
  await buildDeployBin();
}
