import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Ctx, Reply } from "./context.js";
import { breakBody, checkFault, type Fault, faultApplies } from "./faults.js";
import { HttpError, problemBody } from "./problem.js";
import { checkQueryNames } from "./query-params.js";
import { route } from "./routes.js";
import type { OperationId } from "./spec-types.js";
import { type BucketSeed, FakeState, type SeedConsumersOptions } from "./state.js";

export interface StartFakeZuploOptions {
  /** 0 (default) lets the OS choose. */
  port?: number;
  host?: string;
  /** When set, other account names in paths answer 401. Default: any account, one shared state. */
  accountName?: string;
  /**
   * When set, requests must carry `Authorization: Bearer <apiKey>`, else 401. Unset, any
   * non-empty bearer is accepted; a request without one is still a 401.
   */
  apiKey?: string;
  /** Initial buckets, consumers, keys, managers, invites. */
  buckets?: BucketSeed[];
  /** Delay added to every request, in ms. */
  latencyMs?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  operation?: OperationId;
}

export interface FakeZuplo {
  /** Base URL, e.g. http://127.0.0.1:40123 (use as the client's baseUrl or Prism's upstream). */
  url: string;
  /** Live state: inspect or seed buckets → consumers → keys / managers / invites. */
  state: FakeState;
  /** Every request received (method, path, query, operation); headers are never kept. */
  requests: LoggedRequest[];
  /** Plant a fault (replaces the current one) or clear it with null. */
  setFault(fault: Fault | null): void;
  /** The current fault, with `times` counting down; null once used up or cleared. */
  readonly fault: Fault | null;
  setLatency(ms: number): void;
  /** Adds `count` consumers to a bucket quickly (benchmarks). */
  seedConsumers(bucket: string, count: number, options?: SeedConsumersOptions): void;
  /** Closes the server and every open connection (hanging requests included). */
  stop(): Promise<void>;
}

const MAX_BODY = 1_048_576;
const PROBLEM = "application/problem+json";

function problem(status: number, detail: string, instance: string, headers = {}): Reply {
  return {
    status,
    body: problemBody(status, detail, instance),
    headers: { "content-type": PROBLEM, ...headers },
  };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => {
      if (size > MAX_BODY) reject(new HttpError(400, `body must be at most ${MAX_BODY} bytes`));
      else resolve(size === 0 ? undefined : Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.writableEnded) return;
  if (reply.body === undefined) {
    res.writeHead(reply.status, reply.headers);
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...reply.headers,
  });
  res.end(text);
}

/** Starts the stateful fake of Zuplo's key service on 127.0.0.1. */
export async function startFakeZuplo(options: StartFakeZuploOptions = {}): Promise<FakeZuplo> {
  const { port = 0, host = "127.0.0.1", accountName, apiKey, buckets = [] } = options;
  let latencyMs = options.latencyMs ?? 0;
  const state = new FakeState();
  for (const b of buckets) state.addBucket(b);
  const requests: LoggedRequest[] = [];
  let fault: Fault | null = null;
  const stopping = new AbortController();
  const sockets = new Set<Socket>();

  function takeFault(method: string, operation?: OperationId): Fault | undefined {
    if (!fault || !faultApplies(fault, method, operation)) return undefined;
    const taken = fault;
    if (taken.times !== undefined) {
      fault = taken.times > 1 ? { ...taken, times: taken.times - 1 } : null;
    }
    return taken;
  }

  function execute(req: IncomingMessage, url: URL, raw: string | undefined): Reply {
    const instance = url.pathname;
    try {
      // Like Zuplo and Prism: no request without a bearer; its value matters only if set.
      const auth = req.headers.authorization ?? "";
      if (!/^Bearer \S/.test(auth)) throw new HttpError(401, "Missing bearer token.");
      if (apiKey !== undefined && auth !== `Bearer ${apiKey}`) {
        throw new HttpError(401, "The API key is not valid.");
      }
      const routed = route(req.method ?? "GET", url.pathname);
      if (routed.kind === "wrong-method") {
        throw new HttpError(405, `Use ${routed.allowed.join(", ")} on this path.`, {
          allow: routed.allowed.join(", "),
        });
      }
      if (routed.kind === "none") throw new HttpError(404, `No route for ${url.pathname}.`);
      const { params, handler, operation } = routed.match;
      if (accountName !== undefined && params.accountName !== undefined) {
        if (params.accountName !== accountName) {
          throw new HttpError(401, "The API key is not valid for this account.");
        }
      }
      checkQueryNames(operation, url.searchParams);
      let body: unknown;
      if (raw !== undefined) {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new HttpError(400, "body must be valid JSON");
        }
      }
      const ctx: Ctx = {
        state,
        params,
        query: url.searchParams,
        body,
        accountName: accountName ?? params.accountName ?? "acme-corp",
      };
      return handler(ctx);
    } catch (err) {
      if (err instanceof HttpError) return problem(err.status, err.detail, instance, err.headers);
      return problem(500, "The fake failed; see the test output.", instance);
    }
  }

  function fail(f: Fault, res: ServerResponse, url: URL, reply?: Reply): void {
    switch (f.kind) {
      case "hang":
        return; // the socket is destroyed by stop() or by the client
      case "reset":
        res.socket?.destroy();
        return;
      case "status":
        send(res, problem(f.status, f.detail ?? "Injected failure.", url.pathname));
        return;
      case "rate-limit": {
        const after = f.retryAfter ?? 1;
        send(
          res,
          problem(429, `Rate limit exceeded; retry after ${after} seconds.`, url.pathname, {
            "retry-after": String(after),
          }),
        );
        return;
      }
      case "malformed": {
        const full = JSON.stringify(reply?.body ?? { data: [{ id: "csmr_malformed" }] });
        // Any proper prefix of a JSON object is invalid JSON.
        const text = full.slice(0, Math.max(1, Math.floor(full.length / 2)));
        res.writeHead(200, { "content-type": "application/json" });
        res.end(text);
        return;
      }
      default:
        return;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake.invalid");
    const method = req.method ?? "GET";
    const routed = route(method, url.pathname);
    const operation = routed.kind === "match" ? routed.match.operation : undefined;
    requests.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      ...(operation ? { operation } : {}),
    });
    let raw: string | undefined;
    try {
      raw = await readBody(req);
    } catch (err) {
      const detail = err instanceof HttpError ? err.detail : "request body could not be read";
      return send(res, problem(400, detail, url.pathname));
    }
    const signal = stopping.signal;
    if (latencyMs > 0) await sleep(latencyMs, undefined, { signal });
    const f = takeFault(method, operation);
    if (f?.kind === "slow") await sleep(f.delayMs, undefined, { signal });
    const refuses = f !== undefined && f.kind !== "slow" && f.kind !== "nonconforming";
    if (f && refuses && !f.commit) return fail(f, res, url);
    const reply = execute(req, url, raw);
    if (f && refuses) return fail(f, res, url, reply);
    if (f?.kind === "nonconforming" && reply.status < 300 && reply.body !== undefined) {
      reply.body = breakBody(reply.body, f.variant);
    }
    send(res, reply);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // Only an aborted sleep (fake stopping) gets here.
      if (!res.headersSent) res.socket?.destroy();
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;

  let stopped: Promise<void> | undefined;
  return {
    url,
    state,
    requests,
    setFault(next) {
      if (next) checkFault(next);
      fault = next ? { ...next } : null;
    },
    get fault() {
      return fault;
    },
    setLatency(ms) {
      if (!(ms >= 0)) throw new Error("setLatency: ms must be >= 0");
      latencyMs = ms;
    },
    seedConsumers(bucket, count, opts) {
      state.seedConsumers(bucket, count, opts);
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        stopping.abort();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return stopped;
    },
  };
}
