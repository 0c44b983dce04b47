// The wire form of every operation (method, path, query, body, content type)
// is pinned in wire.snapshot.json, recorded from the client as it was when it
// sent everything through openapi-fetch. The client now calls fetch(url, init)
// itself (issue 14): this proves it still serialises exactly as before,
// including encoded path segments, kebab-case options and `tag.<name>` filters.
import { createZuploClient, type ZuploClient } from "@keysmith/client";
import { describe, expect, it } from "vitest";
import { type Contract, contracts } from "./contracts.js";
import { API_KEY } from "./fixtures.js";
import { usePrism } from "./prism.js";
import { recordingFetch, type Sent } from "./recorder.js";

const prism = usePrism();

/** Calls that stress encoding: odd characters in path segments, option values and tag names. */
const encodings: Record<string, (z: ZuploClient) => PromiseLike<unknown>> = {
  "path segment with space, slash, unicode": (z) =>
    z.keys.get({ bucketName: "acme-prod", consumerName: "ada-lovelace", keyId: "a b/ü?#%" }),
  "tag filters with reserved characters": (z) =>
    z.consumers.list({
      bucketName: "acme-prod",
      managerEmail: "a+b@example.com",
      tags: { "org id": "a&b=c", ü: "€/?" },
      includeManagerInvites: false,
    }),
  "body with unicode and nesting": (z) =>
    z.consumers.update({
      bucketName: "acme-prod",
      consumerName: "ada-lovelace",
      body: { description: 'Ünïcödé "quoted"\n', metadata: { a: [1, { b: null }] } },
    }),
};

async function wireForms(): Promise<Record<string, Sent[]>> {
  const forms: Record<string, Sent[]> = {};
  const calls: [string, (z: ZuploClient) => PromiseLike<unknown>][] = [
    ...Object.entries(contracts as Record<string, Contract>).map(
      ([op, contract]) =>
        [op, (z: ZuploClient) => contract.call(z)] as [string, typeof contract.call],
    ),
    ...Object.entries(encodings),
  ];
  for (const [name, call] of calls) {
    const recorder = recordingFetch();
    const client = createZuploClient({
      apiKey: API_KEY,
      accountName: "acme-corp",
      baseUrl: prism.url(),
      fetch: recorder.fetch as never,
      maxRetries: 0,
    });
    await Promise.resolve(call(client)).catch(() => {}); // only what was sent matters here
    forms[name] = recorder.sent;
  }
  return forms;
}

describe("wire form", () => {
  it("every operation is serialised exactly as recorded before the transport change", async () => {
    const forms = await wireForms();
    expect(Object.keys(forms).length).toBeGreaterThan(20);
    await expect(`${JSON.stringify(forms, null, 2)}\n`).toMatchFileSnapshot("./wire.snapshot.json");
  });
});
