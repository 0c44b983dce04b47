// The organizations stand-in over real HTTP: Auth0's two paging styles, member fields,
// 404 for an unknown organization, lagging member listings, rate limits and faults.
import { afterEach, describe, expect, it } from "vitest";
import { type Auth0UsersStandIn, ORG_PAGE_MAX, startAuth0UsersStandIn } from "../src/index.js";

const M2M = { clientId: "id", clientSecret: "secret", domain: "t.eu.auth0.com" };
let standIn: Auth0UsersStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function start(options: Partial<Parameters<typeof startAuth0UsersStandIn>[0]> = {}) {
  const s = await startAuth0UsersStandIn({ ...M2M, ...options });
  standIn = s;
  const tokenAnswer = await fetch(`${s.origin}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "client_credentials",
      client_id: M2M.clientId,
      client_secret: M2M.clientSecret,
      audience: `https://${M2M.domain}/api/v2/`,
    }),
  });
  const { access_token } = (await tokenAnswer.json()) as { access_token: string };
  const get = async (path: string) => {
    const r = await fetch(`${s.origin}/api/v2${path}`, {
      headers: { authorization: `Bearer ${access_token}` },
    });
    // biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON answers
    return { status: r.status, headers: r.headers, body: (await r.json()) as any };
  };
  return { s, get };
}

describe("organizations stand-in", () => {
  it("lists organizations by checkpoint (from/take, next) and by offset (page/per_page)", async () => {
    const { s, get } = await start();
    const ids = Array.from({ length: 5 }, (_, i) => s.orgs.add({ name: `org-${i}` }).id);
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const page = await get(`/organizations?take=2${next ? `&from=${next}` : ""}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.organizations.map((o: { id: string }) => o.id));
      next = page.body.next;
      pages += 1;
    } while (next);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);

    const offset = await get("/organizations?page=1&per_page=2&include_totals=true");
    expect(offset.body).toMatchObject({ start: 2, limit: 2, total: 5 });
    expect(offset.body.organizations.map((o: { id: string }) => o.id)).toEqual(ids.slice(2, 4));
    expect(Array.isArray((await get("/organizations?per_page=2")).body)).toBe(true);
    expect((await get(`/organizations?take=${ORG_PAGE_MAX + 1}`)).status).toBe(400);
    expect((await get("/organizations?page=20&per_page=50")).body.errorCode).toBe("invalid_paging");
    expect((await get("/organizations?from=garbage&take=2")).status).toBe(400);
  });

  it("members carry user_id, email, name (never email_verified); 404 for an unknown org", async () => {
    const { s, get } = await start();
    s.seedUsers(3);
    const users = [...s.users.values()];
    const org = s.orgs.add({ name: "acme", display_name: "Acme" });
    s.orgs.addMembers(
      org.id,
      users.map((u) => u.user_id),
    );
    s.reindex();
    expect((await get(`/organizations/${org.id}`)).body).toEqual({
      id: org.id,
      name: "acme",
      display_name: "Acme",
    });
    const all = await get(`/organizations/${org.id}/members?take=50`);
    expect(all.body.members).toHaveLength(3);
    expect(all.body.members[0]).toEqual({
      user_id: users[0]?.user_id,
      email: users[0]?.email,
      name: users[0]?.name,
    });
    expect(all.body.next).toBeUndefined();
    const some = await get(`/organizations/${org.id}/members?take=2&fields=user_id,email`);
    expect(Object.keys(some.body.members[0])).toEqual(["user_id", "email"]);
    expect(some.body.next).toBeTypeOf("string");

    const missing = await get("/organizations/org_nope/members?take=2");
    expect(missing.status).toBe(404);
    expect((await get("/organizations/org_nope")).status).toBe(404);
    s.orgs.delete(org.id);
    expect((await get(`/organizations/${org.id}/members`)).status).toBe(404);
  });

  it("member listings lag until reindex(), as Auth0's do", async () => {
    const { s, get } = await start();
    s.seedUsers(2);
    const [a, b] = [...s.users.keys()] as [string, string];
    const org = s.orgs.add({ name: "lag" });
    s.orgs.addMembers(org.id, [a]);
    s.reindex();
    s.orgs.addMembers(org.id, [b]);
    s.orgs.removeMembers(org.id, [a]);
    const stale = await get(`/organizations/${org.id}/members?take=50`);
    expect(stale.body.members.map((m: { user_id: string }) => m.user_id)).toEqual([a]);
    s.reindex();
    const fresh = await get(`/organizations/${org.id}/members?take=50`);
    expect(fresh.body.members.map((m: { user_id: string }) => m.user_id)).toEqual([b]);
    s.deleteUser(b);
    s.reindex();
    expect((await get(`/organizations/${org.id}/members?take=50`)).body.members).toEqual([]);
  });

  it("shares the users endpoints' token bucket and fault injection", async () => {
    const { s, get } = await start({ rateLimit: { perSecond: 1, burst: 2 } });
    s.orgs.add({ name: "one" });
    const answers = [await get("/organizations?take=5"), await get("/users?per_page=1")];
    const limited = await get("/organizations?take=5");
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-reset")).toMatch(/^\d+$/);
    // Faults come before the bucket: this one answers even while the bucket is empty.
    s.fault("/api/v2/organizations", { kind: "status", status: 503 });
    expect((await get("/organizations?take=5")).status).toBe(503);
  });
});
