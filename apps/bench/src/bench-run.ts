// A whole `pnpm bench`: the suite once per Node version, each in its own child process, so
// every figure exists on the machine's Node and on Node 22 (Auth0's runtime).
import { runTsChild } from "./child.js";
import type { BenchConfig } from "./config.js";
import { describeMachine, type Machine } from "./machine.js";
import { nodeBinaries } from "./node-binaries.js";
import type { Results } from "./suite.js";
import type { Summary } from "./summary.js";

export interface BenchRun {
  mode: BenchConfig["mode"];
  machine: Machine;
  durationMs: number;
  /** One result per Node version, in the order they ran. */
  nodes: Results[];
  /** The headlines of the run that wrote the previous RESULTS.md, for the repeat check. */
  previous?: Summary;
}

export async function runBench(
  mode: BenchConfig["mode"],
  log: (chunk: string) => void,
): Promise<Omit<BenchRun, "previous">> {
  const binaries = nodeBinaries(); // fails before any work when Node 22 is missing
  const machine = describeMachine();
  const started = performance.now();
  const nodes: Results[] = [];
  for (const binary of binaries) {
    log(`${binary.name} (${binary.version}): ${binary.path}\n`);
    nodes.push(
      await runTsChild<Results>("./suite-child.ts", [mode], {
        node: binary.path,
        nodeArgs: ["--expose-gc"],
        onStderr: log,
      }),
    );
  }
  return { mode, machine, durationMs: performance.now() - started, nodes };
}

/** "Node 20" for "v20.20.2". */
export const nodeName = (version: string) => `Node ${version.replace(/^v/, "").split(".")[0]}`;
