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

// Handlers first, so a Ctrl-C during start-up is not lost.
let server: { url: string; stop(): Promise<void> } | undefined;
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    (server?.stop() ?? Promise.resolve()).then(() => process.exit(0));
  });
}

server = values.stateful
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
  : await startPrism({ port });

const what = values.stateful
  ? "Stateful fake of Zuplo's key service (account acme-corp, bucket acme-prod)"
  : "Prism mock of spec/openapi.yaml (--errors)";
console.log(`${what} listening on ${server.url}`);
console.log(
  `Try: curl -H "Authorization: Bearer zpka_local" ${server.url}/v1/accounts/acme-corp/key-buckets/acme-prod/consumers`,
);
