// Run under valgrind by instructions.ts: warms one client up, then makes `count` more
// listConsumers calls, over loopback (`port`) or through a stub fetch that answers at once.
// Plain JavaScript, no loader: whatever runs here is counted.
// Usage: node instructions-child.mjs <openapi-fetch|@keysmith/client> <warm-up> <count> <concurrency> <port|stub>
import { createZuploClient } from "@keysmith/client";
import createClient from "openapi-fetch";

const [name, warmupArg, countArg, concurrencyArg, target] = process.argv.slice(2);
const count = Number(countArg);
const concurrency = Number(concurrencyArg);
const body = JSON.stringify({ data: [], limit: 20, offset: 40, total: 40 });
// The stub does what fetch does first, `new Request(input, init)` (URL parse, headers, the
// signal link), then answers at once: no socket, so the count repeats whatever the load.
const stub = async (input, init) => {
  new Request(input, init);
  return new Response(body, {
    headers: { "content-type": "application/json", "content-length": String(body.length) },
  });
};
const fetch = target === "stub" ? stub : globalThis.fetch;
const baseUrl = target === "stub" ? "https://stub.invalid" : `http://127.0.0.1:${target}`;
const path = { accountName: "bench-account", bucketName: "bench-bucket" };

let call;
if (name === "openapi-fetch") {
  const client = createClient({ baseUrl, fetch, headers: { Authorization: "Bearer zpka_bench" } });
  call = async () => {
    const result = await client.GET(
      "/v1/accounts/{accountName}/key-buckets/{bucketName}/consumers",
      {
        params: { path, query: { limit: 20, offset: 40 } },
      },
    );
    if (!result.response.ok) throw new Error(`HTTP ${result.response.status}`);
    return result.data;
  };
} else {
  const zuplo = createZuploClient({
    apiKey: "zpka_bench",
    accountName: path.accountName,
    baseUrl,
    fetch,
  });
  call = () => zuplo.consumers.list({ bucketName: path.bucketName, limit: 20, offset: 40 });
}
const run = (calls) =>
  Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < calls / concurrency; i++) await call();
    }),
  );
// Long enough for the optimising compiler to be done: its work would be counted as the calls'.
await run(Number(warmupArg));
await run(count);
