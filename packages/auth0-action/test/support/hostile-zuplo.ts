// A hostile key service for the action's edge tests: answers each request with whatever the
// test scripts (wrong consumer, endless body...), on 127.0.0.1 port 0.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Script = (req: IncomingMessage, res: ServerResponse) => void;

export async function startHostile(script: Script) {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on("end", () => script(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes `totalBytes` of a JSON string body as fast as the client reads, then ends. */
export function streamHugeJson(res: ServerResponse, totalBytes: number): void {
  res.writeHead(200, { "content-type": "application/json" });
  const chunk = Buffer.alloc(1024 * 1024, "a");
  let sent = 0;
  res.write('{"name":"');
  const pump = () => {
    while (sent < totalBytes) {
      sent += chunk.length;
      if (!res.write(chunk)) {
        res.once("drain", pump);
        return;
      }
    }
    res.end('"}');
  };
  res.on("error", () => {});
  pump();
}
