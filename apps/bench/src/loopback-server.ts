// Child process: a keep-alive node:http server on 127.0.0.1 that answers every request with
// the same listConsumers page. Prints {"port": n}; when its stdin closes it prints
// {"requests": n} (every request it answered) and exits.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { LIST_RESPONSE } from "./fixtures.js";

const body = Buffer.from(LIST_RESPONSE);
let requests = 0;
const server = createServer((req, res) => {
  requests++;
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.stdin.resume();
process.stdin.on("end", () => {
  process.stdout.write(`${JSON.stringify({ requests })}\n`);
  server.closeAllConnections();
  server.close();
});
