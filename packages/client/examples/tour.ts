// Every resource of @keysmith/client, start to finish. Runs against a local mock:
//   pnpm mock --stateful            (or `pnpm mock` for Prism)
//   pnpm --filter @keysmith/client example
// or a real account: ZUPLO_API_URL=https://dev.zuplo.com ZUPLO_API_KEY=zpka_... ZUPLO_ACCOUNT_NAME=...
// (it creates, then deletes, a bucket named keysmith-tour).
import { ConflictError, createZuploClient } from "@keysmith/client";

const zuplo = createZuploClient({
  apiKey: process.env.ZUPLO_API_KEY ?? "zpka_local",
  accountName: process.env.ZUPLO_ACCOUNT_NAME ?? "acme-corp",
  baseUrl: process.env.ZUPLO_API_URL ?? "http://127.0.0.1:4010",
});

// Identity
const me = await zuplo.whoAmI();
console.log("who am I:", me.sub);

// Buckets
const bucketName = "keysmith-tour";
await zuplo.buckets.create({ body: { name: bucketName, description: "Keysmith tour" } });
await zuplo.buckets.update({ bucketName, body: { description: "Keysmith tour (updated)" } });
const bucket = await zuplo.buckets.get({ bucketName });
const { data: buckets } = await zuplo.buckets.list();
console.log("bucket:", bucket.name, `(${buckets.length} in the account)`);

// Consumers: create with a first key; the key is shown once, hand it to its owner.
const c = { bucketName, consumerName: "ada-lovelace" };
const created = await zuplo.consumers.create({
  bucketName,
  withApiKey: true,
  body: { name: c.consumerName, tags: { orgId: "org_123" }, metadata: { plan: "pro" } },
});
console.log("consumer:", created.name, `(${created.apiKeys?.length ?? 0} key)`);
try {
  await zuplo.consumers.create({ bucketName, body: { name: c.consumerName } });
} catch (error) {
  if (!(error instanceof ConflictError)) throw error;
  console.log("creating it again:", error.status, error.title); // 409: names are unique
}
await zuplo.consumers.update({
  ...c,
  body: { metadata: { plan: "enterprise" } },
  tags: { orgId: "org_123" }, // guard: 404 unless the consumer carries this tag
});
const ada = await zuplo.consumers.get({ ...c, includeApiKeys: true, keyFormat: "masked" });
for await (const consumer of zuplo.consumers.list({ bucketName, tags: { orgId: "org_123" } })) {
  console.log("in org_123:", consumer.name);
}

// API keys
const key = await zuplo.keys.create({ ...c, body: { description: "CI" } });
await zuplo.keys.bulkCreate({ ...c, body: [{ description: "web" }, { description: "mobile" }] });
await zuplo.keys.update({ ...c, keyId: key.id, body: { expiresOn: null } });
const { description } = await zuplo.keys.get({ ...c, keyId: key.id, keyFormat: "none" });
let keys = 0;
for await (const _ of zuplo.keys.list({ ...c, keyFormat: "none" })) keys++;
console.log("keys:", keys, `(${ada.apiKeys?.length ?? 0} before; "${description}" never expires)`);
await zuplo.keys.delete({ ...c, keyId: key.id });
await zuplo.consumers.rollKey({ ...c, body: { expiresOn: "2030-01-01T00:00:00.000Z" } });

// Managers
const manager = await zuplo.managers.create({
  ...c,
  body: { email: "ada@example.com", sub: "auth0|65f1c2d3e4f5a6b7c8d9e0f1" },
});
const { data: managers } = await zuplo.managers.list(c);
console.log("managers:", managers.map((m) => m.email).join(", "));
await zuplo.managers.delete({ ...c, managerId: manager.id });

// Escape hatch: the typed openapi-fetch client (auth and baseUrl set, redirects
// not followed; no retries, timeouts or input checks).
const { data: raw } = await zuplo.raw.GET("/v1/who-am-i");
console.log("raw who-am-i:", raw?.sub);

// Clean up.
await zuplo.consumers.delete(c);
await zuplo.buckets.delete({ bucketName });
console.log("done");
