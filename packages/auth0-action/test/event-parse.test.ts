import { auth0CloudEvent, auth0OrgCloudEvent } from "@keysmith/auth0-stand-in";
import { describe, expect, it } from "vitest";
import { EventFormatError, parseCloudEvent } from "../src/events/cloud-event.js";
import { EventDeduper } from "../src/events/dedupe.js";
import { accessTagValue, isStale, readAccessState } from "../src/events/event-state.js";

const user = { user_id: "auth0|ada", email: "ada@example.com", email_verified: true };

describe("parseCloudEvent", () => {
  it("reads Auth0's user events: id, time, user, identities", () => {
    const message = auth0CloudEvent({
      type: "user.updated",
      user: {
        ...user,
        blocked: true,
        identities: [
          { provider: "auth0", user_id: "ada", connection: "db" },
          { provider: "google-oauth2", user_id: 1234, connection: "google-oauth2" },
        ],
      },
      previous: { blocked: false },
      time: "2026-11-25T17:00:00.000Z",
      id: "evt_1",
    });
    const event = parseCloudEvent(message);
    expect(event).toMatchObject({
      type: "user.updated",
      id: "evt_1",
      time: Date.parse("2026-11-25T17:00:00.000Z"),
      user: {
        user_id: "auth0|ada",
        blocked: true,
        identityIds: ["auth0|ada", "google-oauth2|1234"],
      },
    });
    const deleted = parseCloudEvent(auth0CloudEvent({ type: "user.deleted", user }));
    expect(deleted.type).toBe("user.deleted");
  });

  it("reads the organization events in organization scope only", () => {
    const org = { id: "org_9ybsU1dN2dKfDkBi", name: "acme", display_name: "Acme Corp" };
    const added = auth0OrgCloudEvent({
      type: "organization.member.added",
      organization: org,
      user: { user_id: "auth0|ada" },
    });
    expect(parseCloudEvent(added, true)).toMatchObject({
      type: "organization.member.added",
      organization: { id: org.id, name: "acme" },
      user: { user_id: "auth0|ada" },
    });
    expect(parseCloudEvent(added)).toMatchObject({
      type: "ignored",
      reason: "organization scope is off",
    });
    const gone = auth0OrgCloudEvent({ type: "organization.deleted", organization: org });
    expect(
      parseCloudEvent({ ...gone, type: "com.auth0.organization.deleted" }, true),
    ).toMatchObject({
      type: "organization.deleted",
      organization: org,
    });
    expect(parseCloudEvent({ ...gone, a0purpose: "test" }, true)).toMatchObject({
      type: "ignored",
    });
    const noUser = { ...added, data: { object: { organization: org } } };
    expect(() => parseCloudEvent(noUser, true)).toThrow("data.object.user: must be an object");
    const noId = { ...gone, data: { object: { name: "acme" } } };
    expect(() => parseCloudEvent(noId, true)).toThrow("data.object.id: must be a non-empty string");
  });

  it("accepts the early-access com.auth0. prefix and ignores other types and test deliveries", () => {
    const prefixed = auth0CloudEvent({ type: "com.auth0.user.deleted", user });
    expect(parseCloudEvent(prefixed).type).toBe("user.deleted");
    expect(parseCloudEvent(auth0CloudEvent({ type: "user.created", user }))).toMatchObject({
      type: "ignored",
      eventType: "user.created",
    });
    expect(
      parseCloudEvent(auth0CloudEvent({ type: "user.deleted", user, purpose: "test" })),
    ).toMatchObject({ type: "ignored", reason: "test event" });
  });

  it.each([
    [null, "event: must be a JSON object"],
    [[], "event: must be a JSON object"],
    [{ id: "e" }, 'specversion: must be "1.0"'],
    [{ specversion: "1.0", source: "s", type: "user.deleted", time: "t" }, "id: must be"],
    [
      { specversion: "1.0", id: "e", source: "s", type: "user.deleted", time: "yesterday" },
      "time: must be an RFC 3339",
    ],
    [
      {
        specversion: "1.0",
        id: "e",
        source: "s",
        type: "user.deleted",
        time: "2026-11-25T17:00:00Z",
      },
      "data: must be an object",
    ],
    [
      {
        specversion: "1.0",
        id: "e",
        source: "s",
        type: "user.deleted",
        time: "2026-11-25T17:00:00Z",
        data: { object: { user_id: 7 } },
      },
      "data.object.user_id: must be a non-empty string",
    ],
  ])("rejects %j with a message naming the field", (body, message) => {
    expect(() => parseCloudEvent(body)).toThrow(EventFormatError);
    expect(() => parseCloudEvent(body)).toThrow(message);
  });
});

describe("EventDeduper", () => {
  it("runs an id once, shares the outcome with a concurrent duplicate and forgets retries", async () => {
    const dedupe = new EventDeduper<string>((outcome) => outcome !== "retry");
    let runs = 0;
    const slow = () =>
      new Promise<string>((resolve) => setTimeout(() => resolve(`done ${++runs}`), 20));
    const [a, b] = await Promise.all([dedupe.run("e1", slow), dedupe.run("e1", slow)]);
    expect([a.outcome, b.outcome]).toEqual(["done 1", "done 1"]);
    expect([a.duplicate, b.duplicate]).toEqual([false, true]);
    expect((await dedupe.run("e1", slow)).duplicate).toBe(true);
    expect(runs).toBe(1);

    await dedupe.run("e2", async () => "retry");
    expect((await dedupe.run("e2", async () => "ok")).outcome).toBe("ok");
    await expect(dedupe.run("e3", async () => Promise.reject(new Error("x")))).rejects.toThrow("x");
    expect((await dedupe.run("e3", async () => "ok")).duplicate).toBe(false);
  });

  it("keeps at most its capacity", async () => {
    const dedupe = new EventDeduper<number>(() => true, 3);
    for (let i = 0; i < 5; i++) await dedupe.run(`e${i}`, async () => i);
    expect(dedupe.size).toBe(3);
    expect((await dedupe.run("e0", async () => 99)).outcome).toBe(99);
  });
});

describe("access state tag", () => {
  it("round-trips and treats equal or older times as stale", () => {
    const t = Date.parse("2026-11-25T17:00:00.000Z");
    const state = readAccessState({ auth0Access: accessTagValue("suspended", t) });
    expect(state).toEqual({ access: "suspended", time: t });
    expect(isStale(t, state)).toBe(true);
    expect(isStale(t - 1, state)).toBe(true);
    expect(isStale(t + 1, state)).toBe(false);
    expect(isStale(t, undefined)).toBe(false);
    expect(readAccessState({ auth0Access: "paused@2026" })).toBeUndefined();
    expect(readAccessState({})).toBeUndefined();
  });
});
