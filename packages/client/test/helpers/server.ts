// A real node:http server on 127.0.0.1:0 that answers from a script and
// records every request it gets.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ClientOptions, createZuploClient } from "../../src/index.js";

export const SECRET = "zpka_test_5ecret_d0_not_leak_4f8e2a";

export interface Recorded {
  method: string;
  /** Raw request target, as sent (path + query, still encoded). */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON unless `raw` is given. */
  json?: unknown;
  raw?: string;
  /** Never answer (the client's timeout must fire). */
  hang?: boolean;
  /** Destroy the socket without answering. */
  destroy?: boolean;
  /** Write the response yourself (streamed or endless bodies). */
  write?: (res: ServerResponse) => void;
}

export type Script = Reply[] | ((request: Recorded, index: number) => Reply);

export interface TestServer {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

function send(res: ServerResponse, reply: Reply) {
  const status = reply.status ?? 200;
  const body =
    reply.raw ?? (reply.json === undefined || status === 204 ? "" : JSON.stringify(reply.json));
  const type = status >= 400 ? "application/problem+json" : "application/json";
  res.writeHead(status, { "content-type": type, ...reply.headers });
  res.end(body);
}

/** Starts a server; each request gets the next scripted reply (the last one repeats). */
export async function startServer(script: Script): Promise<TestServer> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = req.url ?? "/";
      const parsed = new URL(url, "http://127.0.0.1");
      const recorded: Recorded = {
        method: req.method ?? "GET",
        url,
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      const index = requests.push(recorded) - 1;
      const reply =
        typeof script === "function"
          ? script(recorded, index)
          : (script[Math.min(index, script.length - 1)] ?? { status: 500 });
      if (reply.destroy) req.socket.destroy();
      else if (reply.write) reply.write(res);
      else if (!reply.hang) send(res, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A client for `server` with the test secret and fast defaults. */
export function clientFor(server: TestServer, options: Partial<ClientOptions> = {}) {
  return createZuploClient({
    apiKey: SECRET,
    accountName: "acme-corp",
    baseUrl: server.url,
    timeoutMs: 2_000,
    ...options,
  });
}

export const problem = (status: number, title: string, extra: Record<string, unknown> = {}) => ({
  type: `https://httpproblems.com/http-status/${status}`,
  title,
  status,
  ...extra,
});

export const consumer = (name: string) => ({
  id: `csmr_${name}`,
  name,
  createdOn: "2026-11-20T09:30:00.000Z",
  updatedOn: "2026-11-20T09:30:00.000Z",
});

/** Time `fn`, returning its settled outcome and the elapsed milliseconds. */
export async function timed<T>(fn: () => Promise<T>) {
  const start = performance.now();
  const outcome = await fn().then(
    (value) => ({ value, error: undefined as unknown }),
    (error: unknown) => ({ value: undefined, error }),
  );
  return { ...outcome, ms: performance.now() - start };
}
