import { AsyncLocalStorage } from "node:async_hooks";
import { readFile } from "node:fs/promises";
import { builtinModules, createRequire } from "node:module";
import { format } from "node:util";
import { compileFunction } from "node:vm";
import type { PostLoginApi, PostLoginEvent } from "./auth0-types.js";

export type PostLoginHandler = (event: PostLoginEvent, api: PostLoginApi) => Promise<unknown>;

/** The handler each trigger requires: `exports.<name>`. */
export const TRIGGER_HANDLERS = {
  "post-login": "onExecutePostLogin",
  "event-stream": "onExecuteEventStream",
} as const;
export type TriggerId = keyof typeof TRIGGER_HANDLERS;

export interface LoadedAction<H = PostLoginHandler> {
  handler: H;
  /** Console lines written while the module itself was evaluated. */
  loadLogs: string[];
  /** Runs `fn` with console output of the action routed to `lines`. */
  withConsole<T>(lines: string[], fn: () => Promise<T>): Promise<T>;
}

const AsyncFunction = (async () => {}).constructor;
const nodeRequire = createRequire(import.meta.url);
const ACTION_FILENAME = "/action/index.js";

function isAsyncFunction(value: unknown): value is (...args: never[]) => Promise<unknown> {
  return (
    typeof value === "function" &&
    value instanceof AsyncFunction &&
    Object.prototype.toString.call(value) === "[object AsyncFunction]"
  );
}

/** Only Node built-ins resolve, as in Auth0 when the action declares no npm dependencies. */
function builtinOnlyRequire(id: string): unknown {
  const bare = id.startsWith("node:") ? id.slice(5) : id;
  if (!builtinModules.includes(bare)) {
    const error = new Error(`Cannot find module '${id}' (no npm dependencies are declared)`);
    (error as NodeJS.ErrnoException).code = "MODULE_NOT_FOUND";
    throw error;
  }
  return nodeRequire(id);
}

/**
 * Loads action code the way Auth0 does: CommonJS in a fresh module scope (`exports`,
 * `require`, `module`), only Node built-ins resolvable, and the trigger's handler
 * (`exports.onExecutePostLogin` by default, `exports.onExecuteEventStream` for `event-stream`)
 * required to be a native async function. The module is evaluated once; its scope is then
 * reused by every execution, as Auth0 reuses warm instances.
 */
export function loadActionCode(code: string): LoadedAction;
export function loadActionCode<H>(code: string, trigger: TriggerId): LoadedAction<H>;
export function loadActionCode(
  code: string,
  trigger: TriggerId = "post-login",
): LoadedAction<unknown> {
  const storage = new AsyncLocalStorage<string[]>();
  const loadLogs: string[] = [];
  const write = (...args: unknown[]) => {
    (storage.getStore() ?? loadLogs).push(format(...args));
  };
  const actionConsole = { log: write, info: write, warn: write, error: write, debug: write };
  const module = { exports: {} as Record<string, unknown> };
  const wrapper = compileFunction(
    code,
    ["exports", "require", "module", "__filename", "__dirname", "console"],
    { filename: ACTION_FILENAME },
  );
  wrapper.call(
    module.exports,
    module.exports,
    builtinOnlyRequire,
    module,
    ACTION_FILENAME,
    "/action",
    actionConsole,
  );
  const name = TRIGGER_HANDLERS[trigger];
  const handler = module.exports[name];
  if (!isAsyncFunction(handler)) {
    throw new TypeError(
      `exports.${name} must be a native async function (Auth0 rejects anything else)`,
    );
  }
  return {
    handler,
    loadLogs,
    withConsole: (lines, fn) => storage.run(lines, fn),
  };
}

export async function loadActionFile(file: string): Promise<LoadedAction>;
export async function loadActionFile<H>(file: string, trigger: TriggerId): Promise<LoadedAction<H>>;
export async function loadActionFile(file: string, trigger: TriggerId = "post-login") {
  return loadActionCode<unknown>(await readFile(file, "utf8"), trigger);
}
