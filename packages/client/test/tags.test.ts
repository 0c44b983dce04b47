import { afterEach, describe, expect, it } from "vitest";
import { clientFor, consumer, startServer, type TestServer } from "./helpers/server.js";

const c = { bucketName: "acme-prod", consumerName: "ada" };
const key = { id: "key_1", createdOn: "x", updatedOn: "x" };

let server: TestServer;
afterEach(() => server?.close());

describe("tag filters and query names", () => {
  it("serialises tags as tag.<name>=<value>, URL-encoded, on reads", async () => {
    server = await startServer([{ json: { data: [] } }]);
    await clientFor(server).consumers.list({
      bucketName: "acme-prod",
      tags: { orgId: "org_123", "team name": "a&b=c/d" },
    });
    const [request] = server.requests;
    expect(request?.url).toContain("tag.orgId=org_123");
    expect(request?.url).toContain("tag.team%20name=a%26b%3Dc%2Fd");
    expect(request?.query.get("tag.team name")).toBe("a&b=c/d");
  });

  it.each<[string, (z: ReturnType<typeof clientFor>) => Promise<unknown>, string, unknown]>([
    [
      "consumers.get",
      (z) => z.consumers.get({ ...c, tags: { orgId: "o1" } }),
      "GET",
      consumer("ada"),
    ],
    [
      "consumers.update",
      (z) => z.consumers.update({ ...c, body: { description: "d" }, tags: { orgId: "o1" } }),
      "PATCH",
      consumer("ada"),
    ],
    [
      "consumers.delete",
      (z) => z.consumers.delete({ ...c, tags: { orgId: "o1" } }),
      "DELETE",
      undefined,
    ],
    [
      "consumers.rollKey",
      (z) =>
        z.consumers.rollKey({
          ...c,
          body: { expiresOn: "2027-01-01T00:00:00Z" },
          tags: { orgId: "o1" },
        }),
      "POST",
      undefined,
    ],
    ["keys.get", (z) => z.keys.get({ ...c, keyId: "key_1", tags: { orgId: "o1" } }), "GET", key],
    [
      "keys.update",
      (z) =>
        z.keys.update({ ...c, keyId: "key_1", body: { expiresOn: null }, tags: { orgId: "o1" } }),
      "PATCH",
      key,
    ],
    [
      "keys.delete",
      (z) => z.keys.delete({ ...c, keyId: "key_1", tags: { orgId: "o1" } }),
      "DELETE",
      undefined,
    ],
  ])("%s sends the tag guard", async (_, call, method, json) => {
    server = await startServer([json === undefined ? { status: 204 } : { json }]);
    await expect(call(clientFor(server))).resolves.toEqual(json);
    expect(server.requests[0]?.method).toBe(method);
    expect(server.requests[0]?.query.get("tag.orgId")).toBe("o1");
  });

  it("maps camelCase options to the spec's kebab-case query names", async () => {
    server = await startServer([{ json: { data: [] } }, { json: consumer("ada") }]);
    const zuplo = clientFor(server);
    await zuplo.consumers.list({
      bucketName: "acme-prod",
      includeApiKeys: true,
      includeManagers: false,
      includeManagerInvites: true,
      keyFormat: "visible",
      managerEmail: "ada@example.com",
      limit: 10,
    });
    await zuplo.consumers.create({
      bucketName: "acme-prod",
      withApiKey: true,
      body: { name: "ada" },
    });
    const [list, create] = server.requests;
    expect(Object.fromEntries(list?.query ?? [])).toEqual({
      "include-api-keys": "true",
      "include-managers": "false",
      "include-manager-invites": "true",
      "key-format": "visible",
      "manager-email": "ada@example.com",
      limit: "10",
    });
    expect(create?.url).toBe(
      "/v1/accounts/acme-corp/key-buckets/acme-prod/consumers?with-api-key=true",
    );
  });
});
