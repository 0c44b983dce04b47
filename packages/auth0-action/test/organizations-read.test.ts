// Reading organizations and members: checkpoint paging across pages, a 429 retried as that
// call only, and hostile answers (a cursor handed out twice, no array) failing clearly.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startAuth0UsersStandIn } from "@keysmith/auth0-stand-in";
import { afterEach, describe, expect, it } from "vitest";
import { createManagementApi } from "../src/backfill/management-api.js";
import {
  listMembers,
  listOrganizations,
  ORG_PAGE,
  organizationExists,
} from "../src/backfill/organizations.js";

const M2M = { clientId: "id", clientSecret: "secret-DO-NOT-PRINT", domain: "t.eu.auth0.com" };
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("reading organizations", () => {
  it("pages by checkpoint past one page, members included; a 429 repeats only that call", async () => {
    const standIn = await startAuth0UsersStandIn(M2M);
    closers.push(standIn.close);
    standIn.seedUsers(ORG_PAGE + 5);
    const orgIds = Array.from(
      { length: ORG_PAGE + 3 },
      (_, i) => standIn.orgs.add({ name: `o${i}` }).id,
    );
    const big = orgIds[0] as string;
    standIn.orgs.addMembers(big, [...standIn.users.keys()]);
    standIn.reindex();
    const api = createManagementApi({ ...M2M, origin: standIn.origin });

    expect((await collect(listOrganizations(api))).map((o) => o.id)).toEqual(orgIds);
    const before = standIn.requests.length;
    standIn.storm(1, "retry-after", 200);
    const members = await collect(listMembers(api, big));
    expect(members).toHaveLength(ORG_PAGE + 5);
    expect(Object.keys(members[0] ?? {}).sort()).toEqual(["email", "name", "user_id"]);
    const calls = standIn.requests.slice(before).map((r) => r.query.get("from") ?? "first");
    // The first page was refused once and asked again; the second page once.
    expect(calls).toHaveLength(3);
    expect(calls[0]).toBe("first");
    expect(calls[1]).toBe("first");
    expect(await organizationExists(api, big)).toBe(true);
    expect(await organizationExists(api, "org_missing")).toBe(false);
    await expect(collect(listMembers(api, "org_missing"))).rejects.toMatchObject({ status: 404 });
  });

  it("fails clearly on a repeated cursor, endless pages of nothing new, or no list", async () => {
    let answer: () => unknown = () => ({ organizations: [{ id: "org_1" }], next: "again" });
    const server = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      if (req.url?.startsWith("/oauth/token")) {
        res.end(JSON.stringify({ access_token: "tok", expires_in: 3600 }));
        return;
      }
      res.end(JSON.stringify(answer()));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const api = createManagementApi({ ...M2M, origin });
    const repeats = "the answer repeats a page (nothing new, or a cursor seen before)";
    await expect(collect(listOrganizations(api))).rejects.toThrow(repeats);
    // A fresh cursor on every page, the same organization on each.
    let n = 0;
    answer = () => ({ organizations: [{ id: "org_1" }], next: `cursor-${n++}` });
    await expect(collect(listOrganizations(api))).rejects.toThrow(repeats);
    expect(n).toBe(2);
    answer = () => ({ users: [] });
    await expect(collect(listMembers(api, "org_1"))).rejects.toThrow(
      "the answer has no members array",
    );
  });
});
