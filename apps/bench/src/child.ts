// Runs TypeScript files of this package in fresh Node processes (tsx loader): one-shot
// children that print a JSON result, and servers that print {"port"} and live until stopped.
import { type ChildProcessByStdio, spawn, spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";

export const benchDir = fileURLToPath(new URL("..", import.meta.url));

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

export interface ChildOptions {
  /** Node binary; this process's by default. */
  node?: string;
  nodeArgs?: string[];
  /** Receives the child's stderr as it comes (else it is kept for the error message). */
  onStderr?: (chunk: string) => void;
  /** Runs the child on this CPU only (`taskset`), where `canPin` is true; else anywhere. */
  cpu?: number;
}

/**
 * Pinning a measured client to one core and its server to the other stops the scheduler
 * moving them between cores mid-batch (which costs cache refills and, at concurrency 10,
 * varies how many answers one wake-up collects): per-round CPU ratios then vary far less.
 * Linux with `taskset` (util-linux) and at least 2 cores.
 */
export const canPin =
  process.platform === "linux" &&
  availableParallelism() >= 2 &&
  spawnSync("taskset", ["-c", "0", "true"]).status === 0;

function spawnTs(file: string, args: string[], options: ChildOptions = {}): Child {
  const path = fileURLToPath(new URL(file, import.meta.url));
  const { node = process.execPath, nodeArgs = [], cpu } = options;
  const argv = [...nodeArgs, "--import", "tsx", path, ...args];
  const [command, commandArgs] =
    cpu !== undefined && canPin ? ["taskset", ["-c", String(cpu), node, ...argv]] : [node, argv];
  return spawn(command, commandArgs, { cwd: benchDir, stdio: ["pipe", "pipe", "pipe"] });
}

/** Runs `file` to completion; resolves with the JSON value of its last stdout line. */
export function runTsChild<T>(
  file: string,
  args: string[],
  options: ChildOptions = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawnTs(file, args, options);
    child.stdin.end();
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (options.onStderr) options.onStderr(chunk);
      else err += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${file} exited with ${code}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "") as T);
      } catch {
        reject(new Error(`${file} printed no JSON result: ${out.trim()} ${err.trim()}`));
      }
    });
  });
}

export interface ChildServer<T> {
  port: number;
  /** Closes the child's stdin; resolves with the JSON of the last line it printed. */
  stop(): Promise<T>;
}

/**
 * Starts a server child; it must print {"port": n} first, and on stdin close print a last
 * JSON line and exit.
 */
export function startTsServer<T>(
  file: string,
  options: ChildOptions = {},
): Promise<ChildServer<T>> {
  return new Promise((resolve, reject) => {
    const child = spawnTs(file, [], options);
    let err = "";
    let out = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
    });
    const closed = new Promise<T>((done, fail) =>
      child.once("close", (code) => {
        if (code !== 0) return fail(new Error(`${file} exited with ${code}: ${err.trim()}`));
        try {
          done(JSON.parse(out.trim().split("\n").at(-1) ?? "") as T);
        } catch {
          fail(new Error(`${file} printed no JSON result: ${out.trim()} ${err.trim()}`));
        }
      }),
    );
    closed.catch(reject); // before the port: a failed start
    child.once("error", reject);
    let started = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      if (started || !out.includes("\n")) return;
      started = true;
      const { port } = JSON.parse(out.split("\n")[0] ?? "") as { port: number };
      resolve({
        port,
        stop: () => {
          child.stdin.end();
          return closed;
        },
      });
    });
  });
}
