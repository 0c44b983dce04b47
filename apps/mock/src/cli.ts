// `pnpm mock` (Prism mock of the spec) or `pnpm mock --stateful` (the in-memory fake).
import { parseArgs } from "node:util";
import { startFakeZuplo } from "./fake/index.js";
import { startPrism } from "./prism.js";

const { values } = parseArgs({
  options: {
    stateful: { type: "boolean", default: false },
    port: { type: "string", default: "4010" },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer 0..65535, got ${values.port}`);
  process.exit(2);
}

// Stops the server, then exits. Handlers go in first, so a Ctrl-C during start-up is not lost.
let server: { url: string; stop(): Promise<void> } | undefined;
let stopping = false;
function shutdown(code: number): void {
  if (stopping) return;
  stopping = true;
  (server?.stop() ?? Promise.resolve()).then(() => process.exit(code));
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(signal, () => shutdown(0));

// A parent killed by SIGKILL (pnpm, a script) sends no signal: on Linux this process is then
// re-parented, so a changed ppid means nobody is waiting for us any more.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) shutdown(0);
}, 200).unref();

const started = values.stateful
  ? await startFakeZuplo({
      port,
      accountName: "acme-corp",
      buckets: [
        {
          name: "acme-prod",
          description: "Demo bucket",
          consumers: [
            {
              name: "ada-lovelace",
              tags: { orgId: "org_123" },
              metadata: { plan: "pro" },
              apiKeys: [{ description: "Demo key" }],
              managers: [{ email: "ada@example.com", sub: "auth0|ada" }],
            },
          ],
        },
      ],
    })
  : await startPrism({ port, readyTimeoutMs: 60_000 }).then((prism) => {
      prism.exited.then(({ code, signal }) => {
        if (stopping) return;
        console.error(`Prism exited (code ${code}, signal ${signal}); stopping.`);
        shutdown(1);
      });
      return prism;
    });

server = started;
const what = values.stateful
  ? "Stateful fake of Zuplo's key service (account acme-corp, bucket acme-prod)"
  : "Prism mock of spec/openapi.yaml (--errors)";
console.log(`${what} listening on ${started.url}`);
console.log(
  `Try: curl -H "Authorization: Bearer zpka_local" ${started.url}/v1/accounts/acme-corp/key-buckets/acme-prod/consumers`,
);
