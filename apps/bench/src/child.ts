// Runs TypeScript files of this package in fresh Node processes (tsx loader): one-shot
// children that print a JSON result, and servers that print {"port"} and live until stopped.
import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";

export const benchDir = fileURLToPath(new URL("..", import.meta.url));

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

function spawnTs(file: string, args: string[], nodeArgs: string[]): Child {
  const path = fileURLToPath(new URL(file, import.meta.url));
  return spawn(process.execPath, [...nodeArgs, "--import", "tsx", path, ...args], {
    cwd: benchDir,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Runs `file` to completion; resolves with the JSON value of its last stdout line. */
export function runTsChild<T>(file: string, args: string[], nodeArgs: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawnTs(file, args, nodeArgs);
    child.stdin.end();
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
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

export interface ChildServer {
  port: number;
  stop(): Promise<void>;
}

/** Starts a server child; it must print {"port": n} and exit when its stdin closes. */
export function startTsServer(file: string): Promise<ChildServer> {
  return new Promise((resolve, reject) => {
    const child = spawnTs(file, [], []);
    let err = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      err += chunk;
    });
    const closed = new Promise<void>((done) => child.once("close", () => done()));
    child.once("error", reject);
    child.once("close", (code) => reject(new Error(`${file} exited with ${code}: ${err.trim()}`)));
    child.stdout.setEncoding("utf8").once("data", (line: string) => {
      const { port } = JSON.parse(line) as { port: number };
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
