import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface StartPrismOptions {
  /** Port to listen on; 0 (default) lets the OS choose. */
  port?: number;
  host?: string;
  /** OpenAPI document; defaults to the repository's spec/openapi.yaml. */
  spec?: string;
  /** "mock" answers from the spec; "proxy" forwards to `upstream` and validates its answers. */
  mode?: "mock" | "proxy";
  /** Required for mode "proxy". */
  upstream?: string;
  /** --errors: a response that violates the spec becomes a 500 (default true). */
  errors?: boolean;
  /** --dynamic: generate responses from schemas instead of examples (mock mode only). */
  dynamic?: boolean;
  /** How long to wait for "Prism is listening" (default 60 s: a busy 2-core machine can take 20 s). */
  readyTimeoutMs?: number;
  /** Receives every output line of Prism (for debugging); nothing is printed otherwise. */
  onLog?: (line: string) => void;
}

export interface PrismServer {
  /** Base URL, e.g. http://127.0.0.1:40519 (no trailing slash). */
  url: string;
  pid: number;
  /** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. Idempotent. */
  stop(): Promise<void>;
  /** Resolves when the Prism process exits, for whatever reason (stop() included). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export const DEFAULT_SPEC = fileURLToPath(new URL("../../../spec/openapi.yaml", import.meta.url));
const WATCHDOG = fileURLToPath(new URL("./prism-watchdog.cjs", import.meta.url));
const LISTENING = /Prism is listening on (https?:\/\/[^\s]+)/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
const ANSI = /\u001b\[[0-9;]*m/g;
const KEEP_LINES = 60;

let cliPath: string | undefined;
function prismCli(): string {
  if (cliPath) return cliPath;
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve("@stoplight/prism-cli/package.json");
  const pkg = JSON.parse(readFileSync(pkgFile, "utf8")) as { bin: { prism: string } };
  cliPath = join(dirname(pkgFile), pkg.bin.prism);
  return cliPath;
}

// Children still running when this process exits are killed (exit handlers must be synchronous).
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const c of live) c.kill("SIGKILL");
    });
  }
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off("exit", onExit);
      resolve(false);
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once("exit", onExit);
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  if (await waitForExit(child, 3000)) return;
  child.kill("SIGKILL");
  await waitForExit(child, 5000);
}

/** Starts Prism (mock or proxy) as a child process and resolves once it listens. */
export function startPrism(options: StartPrismOptions = {}): Promise<PrismServer> {
  const {
    port = 0,
    host = "127.0.0.1",
    spec = DEFAULT_SPEC,
    mode = "mock",
    upstream,
    errors = true,
    dynamic = false,
    readyTimeoutMs = 60_000,
    onLog,
  } = options;
  if (mode === "proxy" && !upstream) {
    return Promise.reject(new Error('startPrism: "upstream" is required when mode is "proxy"'));
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return Promise.reject(new Error(`startPrism: "port" must be an integer 0..65535, got ${port}`));
  }

  const args = ["--require", WATCHDOG, prismCli(), mode, spec];
  if (mode === "proxy" && upstream) args.push(upstream);
  args.push("--port", String(port), "--host", host);
  if (errors) args.push("--errors");
  if (dynamic && mode === "mock") args.push("--dynamic");

  const child = spawn(process.execPath, args, {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
  });
  track(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );

  return new Promise<PrismServer>((resolve, reject) => {
    const recent: string[] = [];
    let ready = false;
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= kill(child);
      return stopping;
    };
    const fail = (why: string) => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      const error = new Error(
        `Prism ${mode} did not start: ${why}\n--- Prism output ---\n${recent.join("\n")}`,
      );
      // Reject only once the process is gone: a failed start leaves nothing behind.
      stop().then(
        () => reject(error),
        () => reject(error),
      );
    };
    const timer = setTimeout(() => fail(`not ready after ${readyTimeoutMs} ms`), readyTimeoutMs);

    const onLine = (raw: string) => {
      const line = raw.replace(ANSI, "");
      onLog?.(line);
      if (ready) return;
      recent.push(line);
      if (recent.length > KEEP_LINES) recent.shift();
      const m = LISTENING.exec(line);
      if (m?.[1]) {
        ready = true;
        clearTimeout(timer);
        resolve({ url: m[1].replace(/\/$/, ""), pid: child.pid ?? -1, stop, exited });
      }
    };
    // Always drain both pipes, or Prism blocks once a pipe buffer fills.
    for (const stream of [child.stdout, child.stderr]) {
      let partial = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        const lines = (partial + chunk).split("\n");
        partial = lines.pop() ?? "";
        for (const l of lines) onLine(l);
      });
    }
    child.once("error", (err) => fail(`spawn failed: ${err.message}`));
    child.once("exit", (code, signal) => fail(`exited early (code ${code}, signal ${signal})`));
  });
}
