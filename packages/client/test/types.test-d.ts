// Compile-time contract: checked by `tsc` (the package's `typecheck`, run before `pnpm test`'s tests).
import { describe, expectTypeOf, it } from "vitest";
import {
  type ApiKey,
  type Bucket,
  type Consumer,
  createZuploClient,
  type OperationParams,
  type Page,
  type WhoAmI,
} from "../src/index.js";

const zuplo = createZuploClient({ apiKey: "zpka_x", accountName: "acme" });
const c = { bucketName: "acme-prod", consumerName: "ada" };

describe("params and results are derived from the spec", () => {
  it("rejects wrong bodies and missing path params", () => {
    // @ts-expect-error name must be a string
    zuplo.buckets.create({ body: { name: 1 } });
    // @ts-expect-error body is required
    zuplo.consumers.create({ bucketName: "acme-prod" });
    // @ts-expect-error id is readOnly: it cannot be sent
    zuplo.consumers.update({ ...c, body: { id: "csmr_1" } });
    // @ts-expect-error unknown body property (additionalProperties: false)
    zuplo.keys.create({ ...c, body: { label: "x" } });
    // @ts-expect-error consumerName is a required path param
    zuplo.consumers.get({ bucketName: "acme-prod" });
    // @ts-expect-error keyId is a required path param
    zuplo.keys.delete(c);
    // @ts-expect-error keyFormat is an enum
    zuplo.keys.list({ ...c, keyFormat: "plain" });
    // @ts-expect-error kebab-case names are not the public option names
    zuplo.consumers.list({ bucketName: "acme-prod", "include-api-keys": true });
    // @ts-expect-error listKeys has no x-tag-filter
    zuplo.keys.list({ ...c, tags: { orgId: "x" } });
    // @ts-expect-error tag values are strings
    zuplo.consumers.delete({ ...c, tags: { orgId: 1 } });
    // @ts-expect-error bulk create takes an array
    zuplo.keys.bulkCreate({ ...c, body: { description: "x" } });
  });

  it("camelCases query options", () => {
    expectTypeOf<OperationParams<"getConsumer">>().toHaveProperty("includeManagerInvites");
    expectTypeOf<OperationParams<"createConsumer">["withApiKey"]>().toEqualTypeOf<
      boolean | undefined
    >();
  });

  it("resolves to readable models", async () => {
    expectTypeOf(await zuplo.whoAmI()).toEqualTypeOf<WhoAmI>();
    expectTypeOf(await zuplo.buckets.get({ bucketName: "acme-prod" })).toEqualTypeOf<Bucket>();
    expectTypeOf((await zuplo.buckets.list()).data).toEqualTypeOf<Bucket[]>();
    expectTypeOf(await zuplo.consumers.delete(c)).toEqualTypeOf<undefined>();
    expectTypeOf<Bucket["id"]>().toEqualTypeOf<string>();
    const page = await zuplo.keys.list(c);
    expectTypeOf(page).toExtend<Page<ApiKey>>();
    for await (const consumer of zuplo.consumers.list({ bucketName: "acme-prod" })) {
      expectTypeOf(consumer).toEqualTypeOf<Consumer>();
    }
  });
});
