// The lifecycle routine as a library: the pure planner (each kind, from the login path's and
// the sync's point of view) and the executor against the stateful fake.
import type { FakeZuplo } from "@keysmith/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConsumerSnapshot,
  consumerNameFor,
  desiredConsumer,
  executePlan,
  expectedConsumerName,
  ownsConsumer,
  planConsumer,
  readRecord,
} from "../src/index.js";
import { BUCKET, fakeClient, keyValues, startWorld } from "./support/fixtures.js";

const ada = { user_id: "auth0|ada", email: "ada@example.com", email_verified: true, name: "Ada" };
const name = consumerNameFor(ada.user_id);
const mine = (managers: ConsumerSnapshot["managers"]): ConsumerSnapshot => ({
  name,
  tags: { auth0UserId: ada.user_id },
  managers,
});
const m = (id: string, email: string, sub = ada.user_id) => ({ id, email, sub });

describe("planConsumer", () => {
  const plan = (appMetadata: unknown, consumer?: ConsumerSnapshot | null, user: typeof ada = ada) =>
    planConsumer({ user, record: readRecord(appMetadata), consumer });

  it("login path (consumer not looked up)", () => {
    expect(plan({}).kind).toBe("create");
    expect(plan({ api_consumer: "csmr_brw0leTAVw478VFKD4F6OqVI" })).toMatchObject({
      kind: "nothing",
      reason: "tutorial-era consumer id: left alone",
    });
    expect(plan({ api_consumer: name, api_consumer_manager: "pending" })).toMatchObject({
      kind: "add-manager",
      manager: { email: ada.email, sub: ada.user_id },
      reason: "email now verified: add the pending manager",
    });
    expect(plan({ api_consumer: name }).kind).toBe("add-manager");
    expect(plan({ api_consumer: name, api_consumer_manager: ada.email }).kind).toBe("nothing");
    expect(plan({ api_consumer: name, api_consumer_manager: "old@example.com" })).toMatchObject({
      kind: "replace-manager",
      previous: "old@example.com",
    });
    const unverified = { ...ada, email_verified: false };
    expect(
      plan({ api_consumer: name, api_consumer_manager: "pending" }, undefined, unverified),
    ).toMatchObject({
      kind: "nothing",
      reason: "email not verified yet: no manager until it is",
    });
    expect(
      plan({ api_consumer: name, api_consumer_manager: "old@example.com" }, undefined, unverified)
        .kind,
    ).toBe("nothing");
  });

  it("sync path (consumer known, with managers)", () => {
    expect(plan({}, null).kind).toBe("create");
    expect(plan({ api_consumer: name, api_consumer_manager: ada.email }, null)).toMatchObject({
      kind: "create",
      reason: "the recorded consumer no longer exists in Zuplo",
    });
    expect(plan({}, mine([]))).toMatchObject({ kind: "link", addManager: { email: ada.email } });
    expect(plan({}, mine([m("1", ada.email)]))).toMatchObject({ kind: "link", addManager: null });
    expect(plan({}, { name, tags: { auth0UserId: "auth0|eve" } })).toMatchObject({
      kind: "conflict",
    });
    expect(plan({}, { name, tags: {} }).kind).toBe("conflict");
    const recorded = { api_consumer: name, api_consumer_manager: ada.email };
    expect(plan(recorded, mine([m("1", ada.email)])).kind).toBe("nothing");
    expect(
      plan({ api_consumer: name, api_consumer_manager: "pending" }, mine([m("1", ada.email)])),
    ).toMatchObject({
      kind: "link",
      reason: "manager already in Zuplo: record it",
    });
    expect(plan(recorded, mine([])).kind).toBe("add-manager");
    expect(plan(recorded, mine([m("1", "old@example.com")])).kind).toBe("replace-manager");
    expect(plan(recorded, mine([m("1", ada.email), m("2", ada.email)]))).toMatchObject({
      kind: "replace-manager",
      reason: "duplicate manager entries for this user",
    });
    // Other people's manager entries are not this user's business.
    expect(
      plan(recorded, mine([m("1", ada.email), m("9", "admin@example.com", "auth0|admin")])).kind,
    ).toBe("nothing");
  });

  it("names the consumer to look up: the recorded one, else the derived one", () => {
    expect(expectedConsumerName({ user: ada, record: readRecord({}) })).toBe(name);
    expect(expectedConsumerName({ user: ada, record: readRecord({}), prefix: "dev" })).toMatch(
      /^dev-db-ada-/,
    );
    const old = { api_consumer: "legacy-name", api_consumer_manager: ada.email };
    expect(expectedConsumerName({ user: ada, record: readRecord(old), prefix: "dev" })).toBe(
      "legacy-name",
    );
  });

  it("takes another scope's shape (an organization's consumer) with the same rules", () => {
    const org = {
      ...desiredConsumer(ada),
      name: "auth0-org-acme-0123456789ab",
      owner: { tag: "auth0OrgId", value: "org_123" },
      tags: { auth0OrgId: "org_123" },
    };
    expect(planConsumer({ user: ada, record: readRecord({}), desired: org })).toMatchObject({
      kind: "create",
      desired: { name: org.name },
    });
    const theirs = { name: org.name, tags: { auth0OrgId: "org_123" }, managers: [] };
    expect(
      planConsumer({ user: ada, record: readRecord({}), desired: org, consumer: theirs }),
    ).toMatchObject({ kind: "link", addManager: { email: ada.email, sub: ada.user_id } });
  });

  it("never plans an unverified address as a manager", () => {
    for (const user of [
      { ...ada, email_verified: false },
      { ...ada, email_verified: undefined },
      { user_id: ada.user_id },
      { ...ada, email: " " },
    ]) {
      const planned = planConsumer({ user, record: readRecord({}), consumer: mine([]) });
      expect(planned).toMatchObject({ kind: "link", addManager: null });
      expect(desiredConsumer(user).manager).toBeNull();
    }
  });

  it("owns a consumer only by name and owner tag", () => {
    const desired = desiredConsumer(ada);
    expect(ownsConsumer({ name, tags: { auth0UserId: ada.user_id } }, desired)).toBe(true);
    expect(ownsConsumer({ name: "other", tags: { auth0UserId: ada.user_id } }, desired)).toBe(
      false,
    );
    expect(ownsConsumer({ name, tags: undefined }, desired)).toBe(false);
    expect(ownsConsumer(null, desired)).toBe(false);
  });
});

describe("executePlan against the stateful fake", () => {
  let fake: FakeZuplo;
  beforeAll(async () => {
    fake = (await startWorld()).fake;
  });
  afterAll(() => fake.stop());
  const client = () => fakeClient(fake);

  it("create, then the same plan again adopts; link; replace removes the person's old entries", async () => {
    const user = { ...ada, user_id: "auth0|exec-1" };
    const create = planConsumer({ user, record: readRecord({}) });
    const first = await executePlan(client(), BUCKET, create);
    expect(first).toMatchObject({
      outcome: "created",
      requests: 1,
      update: { api_consumer: consumerNameFor(user.user_id), api_consumer_manager: user.email },
    });
    const again = await executePlan(client(), BUCKET, create);
    expect(again).toMatchObject({ outcome: "adopted", requests: 2 });

    const consumer = fake.state.bucket(BUCKET).consumers.get(consumerNameFor(user.user_id));
    const snapshot = {
      name: consumer?.name as string,
      tags: consumer?.tags,
      managers: [...(consumer?.managers.values() ?? [])],
    };
    const link = planConsumer({ user, record: readRecord({}), consumer: snapshot });
    expect(await executePlan(client(), BUCKET, link)).toMatchObject({
      outcome: "linked",
      requests: 0,
    });

    const moved = { ...user, email: "new@example.com" };
    const replace = planConsumer({ user: moved, record: readRecord(first.update) });
    const replaced = await executePlan(client(), BUCKET, replace);
    expect(replaced).toMatchObject({
      outcome: "manager-replaced",
      managers: { added: 1, removed: 1 },
      update: { api_consumer_manager: "new@example.com" },
    });
    expect([...(consumer?.managers.values() ?? [])].map((x) => x.email)).toEqual([
      "new@example.com",
    ]);
    const text = JSON.stringify([first, again, replaced]);
    for (const key of keyValues(fake)) expect(text).not.toContain(key);
  });
});
