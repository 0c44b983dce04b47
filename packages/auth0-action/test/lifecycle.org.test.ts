// The organization shape of the lifecycle routine: the desired consumer, the member's record
// in app_metadata, the planner's decisions for members, and the executor against the fake.
import { rules } from "@keysmith/client";
import type { FakeZuplo } from "@keysmith/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CONSUMER_NAME_PATTERN,
  consumerNameFor,
  desiredOrgConsumer,
  executePlan,
  MAX_ORG_RECORDS,
  ORG_METADATA_KEY,
  ORG_TAG,
  orgConsumerNameFor,
  orgRecordUpdate,
  ownsConsumer,
  ownsOrgConsumer,
  planConsumer,
  readOrgRecord,
  removeOrgRecord,
} from "../src/index.js";
import { BUCKET, fakeClient, keyValues, startWorld } from "./support/fixtures.js";

const acme = { id: "org_9ybsU1dN2dKfDkBi", name: "acme", display_name: "Acme Corp" };
const ada = { user_id: "auth0|ada", email: "ada@example.com", email_verified: true };
const bob = { user_id: "auth0|bob", email: "bob@example.com", email_verified: false };

describe("desiredOrgConsumer", () => {
  it("is deterministic in the organization id, tagged, within the spec's rules", () => {
    const a = desiredOrgConsumer(acme, ada);
    const renamed = desiredOrgConsumer({ ...acme, name: "acme-2", display_name: "X" }, bob);
    expect(a.name).toBe(renamed.name);
    expect(a.name).toMatch(/^auth0-org-9ybsu1dn2dkfdkbi-[0-9a-f]{12}$/);
    expect(a.name).toMatch(new RegExp(rules.patterns.ConsumerName));
    expect(CONSUMER_NAME_PATTERN.source).toBe(rules.patterns.ConsumerName);
    expect(a).toMatchObject({
      owner: { tag: ORG_TAG, value: acme.id },
      tags: { auth0OrgId: acme.id },
      metadata: { org_id: acme.id, org_name: "acme" },
      description: "Consumer for organization Acme Corp",
      manager: { email: ada.email, sub: ada.user_id },
    });
    expect(renamed.manager).toBeNull();
    expect(desiredOrgConsumer(acme).manager).toBeNull();
    expect(desiredOrgConsumer(acme, ada, { prefix: "portal" }).name).toMatch(/^portal-org-/);
    // Ids that slug alike stay apart; an organization never takes a user's name.
    expect(orgConsumerNameFor("org_Ab")).not.toBe(orgConsumerNameFor("org_ab"));
    expect(orgConsumerNameFor("org_ab")).not.toBe(consumerNameFor("org|ab"));
  });

  it("keeps hostile ids and names within the tag and metadata limits", () => {
    const huge = { id: `org_${"é".repeat(2000)}`, name: "\u0000".repeat(5000) };
    const d = desiredOrgConsumer(huge);
    expect(d.name).toMatch(CONSUMER_NAME_PATTERN);
    expect(d.owner.value).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Object.keys(d.metadata)).toEqual(["org_id_sha256", "org_name"]);
    expect(Buffer.byteLength(JSON.stringify(d.metadata))).toBeLessThanOrEqual(
      rules.metadataMaxJsonBytes,
    );
    expect(d.description.length).toBeLessThanOrEqual(200);
    const emoji = desiredOrgConsumer({ id: "org_x", name: "😀".repeat(1_000_000) });
    expect(Array.from(emoji.metadata.org_name ?? "")).toHaveLength(100);
    expect(emoji.metadata.org_name).toBe("😀".repeat(100));
    expect(() => desiredOrgConsumer({ id: "" })).toThrow("organization.id: must be a non-empty");
    expect(() => desiredOrgConsumer(acme, { user_id: "" })).toThrow("user.user_id");
  });

  it("ownership: the organization's tag (and the name, when given)", () => {
    const d = desiredOrgConsumer(acme, ada);
    const consumer = { name: d.name, tags: { auth0OrgId: acme.id } };
    expect(ownsOrgConsumer(consumer, acme.id)).toBe(true);
    expect(ownsOrgConsumer(consumer, acme.id, d.name)).toBe(true);
    expect(ownsOrgConsumer(consumer, acme.id, "other")).toBe(false);
    expect(ownsOrgConsumer({ name: d.name, tags: { auth0OrgId: "org_x" } }, acme.id)).toBe(false);
    expect(ownsOrgConsumer({ name: d.name, tags: { auth0UserId: acme.id } }, acme.id)).toBe(false);
    expect(ownsConsumer(consumer, d)).toBe(true);
  });
});

describe("the member's record", () => {
  it("reads, writes one organization's entry and keeps the others", () => {
    expect(readOrgRecord({}, acme.id)).toEqual({ kind: "none" });
    expect(readOrgRecord({ [ORG_METADATA_KEY]: "junk" }, acme.id)).toEqual({ kind: "none" });
    const name = orgConsumerNameFor(acme.id);
    const first = orgRecordUpdate({ api_consumer: "mine" }, acme.id, {
      api_consumer: name,
      api_consumer_manager: "pending",
    });
    expect(first).toEqual({
      [ORG_METADATA_KEY]: { [acme.id]: { consumer: name, manager: "pending" } },
    });
    const md = { api_consumer: "mine", ...first };
    expect(readOrgRecord(md, acme.id)).toEqual({
      kind: "keysmith",
      consumer: name,
      manager: "pending",
    });
    const other = orgRecordUpdate(md, "org_other", { api_consumer: "auth0-org-other-1" });
    expect(Object.keys(other[ORG_METADATA_KEY] ?? {})).toEqual([acme.id, "org_other"]);
    const verified = orgRecordUpdate({ ...md, ...other }, acme.id, {
      api_consumer_manager: ada.email,
    });
    expect(verified[ORG_METADATA_KEY]?.[acme.id]).toEqual({ consumer: name, manager: ada.email });
    expect(orgRecordUpdate(md, acme.id, {})).toEqual({});
    expect(removeOrgRecord(md, acme.id)).toEqual({ [ORG_METADATA_KEY]: null });
    expect(removeOrgRecord(md, "org_none")).toEqual({});
  });

  it(`keeps at most ${MAX_ORG_RECORDS} organizations, the newest write included`, () => {
    let md: Record<string, unknown> = {};
    for (let i = 0; i < MAX_ORG_RECORDS + 5; i += 1) {
      md = { ...md, ...orgRecordUpdate(md, `org_${i}`, { api_consumer: `c-${i}` }) };
    }
    const kept = Object.keys(md[ORG_METADATA_KEY] as object);
    expect(kept).toHaveLength(MAX_ORG_RECORDS);
    expect(kept.at(-1)).toBe(`org_${MAX_ORG_RECORDS + 4}`);
  });
});

describe("planConsumer with the organization shape", () => {
  const plan = (member: typeof ada, md: unknown) =>
    planConsumer({
      user: member,
      record: readOrgRecord(md, acme.id),
      desired: desiredOrgConsumer(acme, member),
    });
  const name = orgConsumerNameFor(acme.id);
  const recorded = (manager: string) => ({
    [ORG_METADATA_KEY]: { [acme.id]: { consumer: name, manager } },
  });

  it("first login creates; settled and pending members plan nothing; verification adds", () => {
    expect(plan(ada, {})).toMatchObject({ kind: "create", desired: { name } });
    expect(plan(ada, recorded(ada.email))).toMatchObject({ kind: "nothing", reason: "in step" });
    expect(plan(bob, recorded("pending"))).toMatchObject({ kind: "nothing" });
    expect(plan({ ...bob, email_verified: true }, recorded("pending"))).toMatchObject({
      kind: "add-manager",
      manager: { email: bob.email, sub: bob.user_id },
    });
    // The user's own consumer record does not count for the organization.
    expect(plan(ada, { api_consumer: consumerNameFor(ada.user_id) }).kind).toBe("create");
  });
});

describe("executePlan with the organization shape, against the stateful fake", () => {
  let fake: FakeZuplo;
  beforeAll(async () => {
    fake = (await startWorld()).fake;
  });
  afterAll(() => fake.stop());
  const client = () => fakeClient(fake);

  it("concurrent first logins of several members leave one consumer with each verified member", async () => {
    const org = { id: "org_concurrent", name: "conc" };
    const members = [
      ada,
      { user_id: "auth0|cy", email: "cy@example.com", email_verified: true },
      bob,
    ];
    const results = await Promise.all(
      members.map((member) =>
        executePlan(
          client(),
          BUCKET,
          planConsumer({
            user: member,
            record: readOrgRecord({}, org.id),
            desired: desiredOrgConsumer(org, member),
          }),
        ),
      ),
    );
    const all = [...fake.state.bucket(BUCKET).consumers.values()].filter(
      (c) => c.tags[ORG_TAG] === org.id,
    );
    expect(all).toHaveLength(1);
    const consumer = all[0];
    expect(consumer?.keys.size).toBe(1);
    expect([...(consumer?.managers.values() ?? [])].map((m) => m.email).sort()).toEqual([
      "ada@example.com",
      "cy@example.com",
    ]);
    expect(results.map((r) => r.outcome).sort()).toEqual(["adopted", "adopted", "created"]);
    const bobs = results[2];
    expect(bobs?.update).toMatchObject({ api_consumer_manager: "pending" });
    const text = JSON.stringify(results);
    for (const key of keyValues(fake)) expect(text).not.toContain(key);
  });

  it("an email change in an organization of 150 members drops the old address past the first page", async () => {
    const org = { id: "org_big", name: "big" };
    const members = Array.from({ length: 150 }, (_, i) => ({
      user_id: `auth0|m${i}`,
      email: `m${i}@example.com`,
      email_verified: true,
    }));
    const desired = desiredOrgConsumer(org, members[0] as typeof ada);
    fake.state.addConsumer(BUCKET, {
      name: desired.name,
      tags: desired.tags,
      managers: members.map((m) => ({ email: m.email, sub: m.user_id })),
      apiKeys: [{}],
    });
    const moved = { user_id: "auth0|m120", email: "new120@example.com", email_verified: true };
    const record = readOrgRecord(
      orgRecordUpdate({}, org.id, {
        api_consumer: desired.name,
        api_consumer_manager: "m120@example.com",
      }),
      org.id,
    );
    const plan = planConsumer({ user: moved, record, desired: desiredOrgConsumer(org, moved) });
    expect(plan.kind).toBe("replace-manager");
    await executePlan(client(), BUCKET, plan);
    const entries = [
      ...(fake.state.bucket(BUCKET).consumers.get(desired.name)?.managers.values() ?? []),
    ];
    expect(entries.filter((m) => m.sub === moved.user_id).map((m) => m.email)).toEqual([
      "new120@example.com",
    ]);
    expect(entries).toHaveLength(150);
  });
});
