// The package version the CLIs print: inlined by the build, read from package.json in tests.
import { readFileSync } from "node:fs";

declare const __KEYSMITH_VERSION__: string | undefined;

export const VERSION: string =
  typeof __KEYSMITH_VERSION__ === "string"
    ? __KEYSMITH_VERSION__
    : (
        JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
          version: string;
        }
      ).version;
