import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { alive, commandLine, descendants, gone } from "./processes.js";

// `pnpm mock` as a user starts it from a script: a real child process, killed by pid.
// Whichever process of its tree dies, by whatever signal, nothing may keep running or
// keep the port.
const repo = fileURLToPath(new URL("../../..", import.meta.url));
const started: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer().listen(port, "127.0.0.1", () =>
      server.close(() => resolve(true)),
    );
    server.on("error", () => resolve(false));
  });
}

async function startMock(extra: string[] = []) {
  const port = await freePort();
  const child = spawn("pnpm", ["mock", "--port", String(port), ...extra], {
    cwd: repo,
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes(`listening on http://127.0.0.1:${port}`)) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`pnpm mock exited (${code}):\n${output}`)));
  });
  const pid = child.pid as number;
  const tree = [pid, ...descendants(pid)];
  const find = (what: RegExp) => {
    const found = tree.find((p) => what.test(commandLine(p)));
    if (!found) throw new Error(`no ${what} in the tree:\n${tree.map(commandLine).join("\n")}`);
    return found;
  };
  return { port, tree, top: pid, cli: () => find(/src\/cli\.ts/), prism: () => find(/prism-cli/) };
}

async function expectAllGone(tree: number[], port: number): Promise<void> {
  for (const pid of tree) {
    if (!(await gone(pid, 10_000))) throw new Error(`still running: ${pid} ${commandLine(pid)}`);
  }
  expect(await portIsFree(port), `port ${port} is still bound`).toBe(true);
}

afterAll(() => {
  for (const child of started) if (child.pid && alive(child.pid)) child.kill("SIGKILL");
});

// Each case starts pnpm, tsx and Prism: slow on a busy machine, so two run side by side
// (maxConcurrency in vitest.config.ts).
describe.concurrent("pnpm mock stops with its process tree", { timeout: 90_000 }, () => {
  for (const signal of ["SIGTERM", "SIGKILL"] as const) {
    it(`Prism: ${signal} to the pnpm process`, async () => {
      const mock = await startMock();
      mock.prism(); // Prism really is part of the tree
      process.kill(mock.top, signal);
      await expectAllGone(mock.tree, mock.port);
    });
  }

  it("Prism: SIGKILL to Prism itself stops the CLI and pnpm", async () => {
    const mock = await startMock();
    process.kill(mock.prism(), "SIGKILL");
    await expectAllGone(mock.tree, mock.port);
  });

  for (const signal of ["SIGINT", "SIGKILL"] as const) {
    it(`--stateful: ${signal} to the pnpm process`, async () => {
      const mock = await startMock(["--stateful"]);
      mock.cli();
      process.kill(mock.top, signal);
      await expectAllGone(mock.tree, mock.port);
    });
  }
});
