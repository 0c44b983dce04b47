// Runs a script or bin in a fresh Node process with only the given environment (and PATH),
// collecting stdout and stderr together.
import { spawn } from "node:child_process";

export function runNode(argv: string[], env: Record<string, string>, cwd?: string) {
  const child = spawn(process.execPath, argv, {
    env: { PATH: process.env.PATH ?? "", ...env },
    ...(cwd ? { cwd } : {}),
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  child.stderr.on("data", (d) => {
    out += d;
  });
  const done = new Promise<{ code: number | null; out: string }>((resolve) => {
    child.on("close", (code) => resolve({ code, out }));
  });
  return { child, done, output: () => out };
}
