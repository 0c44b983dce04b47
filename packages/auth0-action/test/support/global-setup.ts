import { buildAction } from "../../scripts/build-lib.js";

export default async function setup() {
  await buildAction();
}
