// Owns running a fetch-API handler on node:http: request/response conversion and a graceful
// stop (no new connections, in-flight requests finish, idle sockets closed).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { HandleAuth0Event } from "./web-handler.js";

export interface RunningServer {
  server: Server;
  url: string;
  /** Stops accepting, waits for requests in flight (at most `graceMs`), then closes all. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The request body as a web stream that reads only when pulled. Cancelling it (a handler
 * that stopped at its size limit) discards the rest instead of resetting the connection, so
 * the client still reads the answer (413).
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  // After a cancel the stream is closed: the request's own end (or error) must not touch it
  // again, or the throw inside that listener would end the process.
  let open = true;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.pause();
      req.on("data", (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      });
      req.once("end", () => {
        if (open) controller.close();
        open = false;
      });
      req.once("error", (error) => {
        if (open) controller.error(error);
        open = false;
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      open = false;
      discard(req);
    },
  });
}

function discard(req: IncomingMessage): void {
  req.removeAllListeners("data");
  req.resume();
}

function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method,
    headers,
    ...(hasBody ? { body: bodyStream(req), duplex: "half" } : {}),
  } as RequestInit);
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (body) headers["content-length"] = String(body.byteLength);
  res.writeHead(response.status, headers);
  res.end(body);
}

/** Serves `handler` on `host:port` (port 0: any free port). */
export async function serve(
  handler: HandleAuth0Event,
  options: { port: number; host?: string },
): Promise<RunningServer> {
  const host = options.host ?? "127.0.0.1";
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const server = createServer(async (req, res) => {
    inFlight += 1;
    try {
      const origin = `http://${req.headers.host ?? host}`;
      await send(res, await handler(toRequest(req, origin)));
      // Answered without reading the whole body (e.g. 413 by content-length): drop the rest.
      if (!req.complete) discard(req);
    } catch {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end('{"error":"internal error"}');
    } finally {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    }
  });
  // A slow client cannot hold a connection open for long.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    server,
    url: `http://${host}:${port}`,
    async stop(graceMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => {
            drained = resolve;
          }),
          new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
        ]);
      }
      server.closeAllConnections();
      await closed;
    },
  };
}
