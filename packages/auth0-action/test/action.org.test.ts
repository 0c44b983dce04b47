// Organization scope, login path (issue 15): members signing in through an Auth0 Organization
// share its one consumer, through the real bundled dist/action.js in the Auth0 harness.
import type {
  Auth0Tenant,
  Execution,
  HarnessUser,
  PostLoginOrganization,
} from "@keysmith/auth0-stand-in";
import type { FakeZuplo } from "@keysmith/mock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { consumerNameFor, orgConsumerNameFor } from "../src/consumer-name.js";
import { ORG_METADATA_KEY } from "../src/lifecycle/org-record.js";
import {
  consumers,
  consumersOf,
  exposedText,
  fakeClient,
  keyValues,
  loginCounting,
  startWorld,
  tenantFor,
  userFactory,
  ZUPLO_KEY,
} from "./support/fixtures.js";

let world: Awaited<ReturnType<typeof startWorld>>;
let fake: FakeZuplo;
const seen: Execution[] = [];
const ORG_SCOPE = { ZUPLO_KEY_SCOPE: "organization" };

beforeAll(async () => {
  world = await startWorld();
  fake = world.fake;
});
afterEach(() => fake.setFault(null));
afterAll(() => fake.stop());

const member = userFactory("77a1c2d3e4f5a6b7c8d9e", "member");
let n = 0;
function organization(): PostLoginOrganization {
  n += 1;
  return {
    id: `org_Q${n}ybsU1dN2dKfDkB`,
    name: `acme-${n}`,
    display_name: `Acme ${n}`,
    metadata: { plan: "gold" },
  };
}

const login = (tenant: Auth0Tenant, user: HarnessUser, org?: PostLoginOrganization) =>
  loginCounting(fake, tenant, user, org ? { organization: org } : {}, seen);

function orgConsumers(orgId: string) {
  return consumers(fake).filter((c) => c.tags.auth0OrgId === orgId);
}
function managersOf(orgId: string) {
  const [consumer] = orgConsumers(orgId);
  return [...(consumer?.managers.values() ?? [])]
    .map((m) => ({ email: m.email, sub: m.sub }))
    .sort((a, b) => a.email.localeCompare(b.email));
}
function recordOf(tenant: Auth0Tenant, userId: string, orgId: string) {
  return (tenant.appMetadata(userId)?.[ORG_METADATA_KEY] as Record<string, unknown>)?.[orgId];
}

describe("organization scope: members share their organization's consumer", () => {
  it("the first member's login creates it with a first key; the next members become managers", async () => {
    const tenant = tenantFor(world, ORG_SCOPE);
    const org = organization();
    const [ada, bob] = [member(), member()];
    const name = orgConsumerNameFor(org.id);

    const first = await login(tenant, ada, org);
    expect(first.operations).toEqual(["createConsumer"]);
    expect(first.execution.logs).toEqual([
      `keysmith: consumer ${name} created for ${ada.user_id} in ${org.id}`,
    ]);
    const [consumer] = orgConsumers(org.id);
    expect(consumer).toMatchObject({
      name,
      tags: { auth0OrgId: org.id },
      metadata: { org_id: org.id, org_name: org.name },
      description: `Consumer for organization ${org.display_name}`,
    });
    expect(consumer?.keys.size).toBe(1);
    expect(recordOf(tenant, ada.user_id, org.id)).toEqual({ consumer: name, manager: ada.email });
    // The user's own consumer is not made and not recorded in organization scope.
    expect(consumersOf(fake, ada.user_id)).toEqual([]);
    expect(tenant.appMetadata(ada.user_id)?.api_consumer).toBeUndefined();

    const second = await login(tenant, bob, org);
    expect(second.operations).toEqual([
      "createConsumer",
      "getConsumer",
      "createManager",
      "listManagers",
    ]);
    expect(second.execution.logs).toEqual([
      `keysmith: consumer ${name} existing for ${bob.user_id} in ${org.id}`,
    ]);
    expect(managersOf(org.id)).toEqual([
      { email: ada.email, sub: ada.user_id },
      { email: bob.email, sub: bob.user_id },
    ]);
    expect(orgConsumers(org.id)[0]?.keys.size).toBe(1);

    // Settled members cost zero requests and write nothing.
    for (const who of [ada, bob]) {
      const again = await login(tenant, who, org);
      expect(again.operations).toEqual([]);
      expect(again.execution.setAppMetadataCalls).toEqual([]);
      expect(again.execution.logs).toEqual([]);
    }
  });

  it("concurrent first logins of several members leave one consumer, one key, every verified member", async () => {
    const tenant = tenantFor(world, ORG_SCOPE);
    const org = organization();
    const members = [member(), member(), member(), member({ email_verified: false })];
    const executions = await Promise.all(members.map((m) => login(tenant, m, org)));
    expect(executions.map((e) => e.execution.status)).toEqual(Array(4).fill("success"));
    expect(orgConsumers(org.id)).toHaveLength(1);
    expect(orgConsumers(org.id)[0]?.keys.size).toBe(1);
    expect(managersOf(org.id)).toEqual(
      members
        .slice(0, 3)
        .map((m) => ({ email: m.email as string, sub: m.user_id }))
        .sort((a, b) => a.email.localeCompare(b.email)),
    );
    const name = orgConsumerNameFor(org.id);
    expect(recordOf(tenant, members[3]?.user_id as string, org.id)).toEqual({
      consumer: name,
      manager: "pending",
    });
    // And everyone is settled afterwards.
    for (const m of members) expect((await login(tenant, m, org)).operations).toEqual([]);
  });

  it("an unverified member gets no manager until verified, then exactly one entry", async () => {
    const tenant = tenantFor(world, ORG_SCOPE);
    const org = organization();
    const [ada, cy] = [member(), member({ email_verified: false })];
    await login(tenant, ada, org);
    const pending = await login(tenant, cy, org);
    expect(managersOf(org.id).map((m) => m.sub)).toEqual([ada.user_id]);
    expect(recordOf(tenant, cy.user_id, org.id)).toMatchObject({ manager: "pending" });
    expect((await login(tenant, cy, org)).operations).toEqual([]);
    expect(pending.execution.logs[0]).toContain(`for ${cy.user_id} in ${org.id}`);

    Object.assign(tenant.users.get(cy.user_id) as object, { email_verified: true });
    const verified = await login(tenant, cy, org);
    expect(verified.operations).toEqual(["createManager", "listManagers"]);
    expect(verified.execution.logs).toEqual([
      `keysmith: manager added to consumer ${orgConsumerNameFor(org.id)} for ${cy.user_id} in ${org.id}`,
    ]);
    expect(
      managersOf(org.id)
        .map((m) => m.sub)
        .sort(),
    ).toEqual([ada.user_id, cy.user_id].sort());
    expect((await login(tenant, cy, org)).operations).toEqual([]);
  });

  it("one person in two organizations manages both, each recorded separately", async () => {
    const tenant = tenantFor(world, ORG_SCOPE);
    const [one, two] = [organization(), organization()];
    const ada = member();
    await login(tenant, ada, one);
    await login(tenant, ada, two);
    expect(managersOf(one.id)).toEqual([{ email: ada.email, sub: ada.user_id }]);
    expect(managersOf(two.id)).toEqual([{ email: ada.email, sub: ada.user_id }]);
    expect(Object.keys(tenant.appMetadata(ada.user_id)?.[ORG_METADATA_KEY] as object)).toEqual([
      one.id,
      two.id,
    ]);
    expect((await login(tenant, ada, one)).operations).toEqual([]);
    expect((await login(tenant, ada, two)).operations).toEqual([]);
  });
});

describe("organization scope: a login without an organization", () => {
  it("does nothing by default (ZUPLO_WITHOUT_ORGANIZATION=skip)", async () => {
    const tenant = tenantFor(world, ORG_SCOPE);
    const ada = member();
    const done = await login(tenant, ada);
    expect(done.operations).toEqual([]);
    expect(done.execution.setAppMetadataCalls).toEqual([]);
    expect(done.execution.logs).toEqual([]);
  });

  it("falls back to the user's own consumer with ZUPLO_WITHOUT_ORGANIZATION=user", async () => {
    const tenant = tenantFor(world, { ...ORG_SCOPE, ZUPLO_WITHOUT_ORGANIZATION: "user" });
    const ada = member();
    const done = await login(tenant, ada);
    expect(done.operations).toEqual(["createConsumer"]);
    expect(consumersOf(fake, ada.user_id).map((c) => c.name)).toEqual([
      consumerNameFor(ada.user_id),
    ]);
    // Then through an organization: the organization's consumer, the own one stays.
    const org = organization();
    expect((await login(tenant, ada, org)).operations).toEqual(["createConsumer"]);
    expect(tenant.appMetadata(ada.user_id)).toMatchObject({
      api_consumer: consumerNameFor(ada.user_id),
      [ORG_METADATA_KEY]: { [org.id]: { consumer: orgConsumerNameFor(org.id) } },
    });
    expect((await login(tenant, ada)).operations).toEqual([]);
  });

  it("user scope (the default) ignores event.organization: today's behaviour", async () => {
    const tenant = tenantFor(world);
    const ada = member();
    const org = organization();
    expect((await login(tenant, ada, org)).operations).toEqual(["createConsumer"]);
    expect(consumersOf(fake, ada.user_id)).toHaveLength(1);
    expect(orgConsumers(org.id)).toEqual([]);
  });

  it("a bad scope setting is reported when there is work, naming the secret", async () => {
    const tenant = tenantFor(world, { ZUPLO_KEY_SCOPE: "team" });
    const done = await login(tenant, member(), organization());
    expect(done.operations).toEqual([]);
    expect(done.execution.logs).toEqual([
      "keysmith: provisioning skipped: secret ZUPLO_KEY_SCOPE must be user or organization",
    ]);
  });
});

describe("organization scope: never blocks a login, never leaks", () => {
  it("a failing key service costs one line; the next login creates", async () => {
    const tenant = tenantFor(world, ORG_SCOPE);
    const org = organization();
    const ada = member();
    fake.setFault({ kind: "status", status: 503, operation: "createConsumer" });
    const failed = await login(tenant, ada, org);
    expect(failed.execution.status).toBe("success");
    expect(failed.execution.setAppMetadataCalls).toEqual([]);
    expect(failed.execution.logs).toEqual([
      `keysmith: provisioning skipped for ${ada.user_id} in ${org.id}: key service answered 503`,
    ]);
    fake.setFault(null);
    expect((await login(tenant, ada, org)).operations).toEqual(["createConsumer"]);
  });

  it("a consumer with the organization's name but not its tag is left alone", async () => {
    const tenant = tenantFor(world, ORG_SCOPE);
    const org = organization();
    const squatter = orgConsumerNameFor(org.id);
    const client = fakeClient(fake);
    await client.consumers.create({
      bucketName: world.secrets.ZUPLO_BUCKET_NAME,
      body: { name: squatter, tags: { auth0OrgId: "org_someone_else" } },
    });
    const ada = member();
    const done = await login(tenant, ada, org);
    expect(done.execution.logs[0]).toMatch(
      /provisioning skipped .* in org_.*: consumer .* belongs to another organization$/,
    );
    expect(done.execution.setAppMetadataCalls).toEqual([]);
    expect(orgConsumers("org_someone_else")[0]?.managers.size).toBe(0);
  });

  it("no output of any execution carries a key, the account key or a key-shaped text", () => {
    expect(seen.length).toBeGreaterThan(20);
    const output = seen.map(exposedText).join("\n");
    expect(output).not.toContain(ZUPLO_KEY);
    for (const key of keyValues(fake)) expect(output).not.toContain(key);
    expect(output).not.toMatch(/zpka_/);
  });
});
