const { createZuploClient } = await import(process.env.CLIENT_MODULE || "@keysmith/client");

import createClient from "openapi-fetch";

const [which, nStr, port, concStr] = process.argv.slice(2);
const n = Number(nStr),
  conc = Number(concStr || 1);
const baseUrl = `http://127.0.0.1:${port}`;
const path = { accountName: "bench-account", bucketName: "bench-bucket" };
let call;
if (which === "openapi-fetch") {
  const c = createClient({ baseUrl, headers: { Authorization: "Bearer zpka_x" } });
  call = async () => {
    const r = await c.GET("/v1/accounts/{accountName}/key-buckets/{bucketName}/consumers", {
      params: { path, query: { limit: 20, offset: 40 } },
    });
    if (!r.response.ok) throw new Error("x");
    return r;
  };
} else {
  const z = createZuploClient({ apiKey: "zpka_x", accountName: "bench-account", baseUrl });
  call = () => z.consumers.list({ bucketName: "bench-bucket", limit: 20, offset: 40 });
}
const run = async (count) => {
  await Promise.all(
    Array.from({ length: conc }, async () => {
      for (let i = 0; i < count / conc; i++) await call();
    }),
  );
};
await run(400);
await run(n);
