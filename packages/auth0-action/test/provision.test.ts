import { createZuploClient, NotFoundError } from "@keysmith/client";
import type { FakeZuplo } from "@keysmith/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumerBodyFor, consumerNameFor, provisionConsumer } from "../src/index.js";
import {
  ACCOUNT,
  BUCKET,
  consumersOf,
  keyValues,
  startWorld,
  ZUPLO_KEY,
} from "./support/fixtures.js";

let fake: FakeZuplo;
beforeAll(async () => {
  fake = (await startWorld()).fake;
});
afterAll(() => fake.stop());

const client = () =>
  createZuploClient({ apiKey: ZUPLO_KEY, accountName: ACCOUNT, baseUrl: fake.url, maxRetries: 0 });

describe("provisionConsumer (library)", () => {
  it("creates once, then reports existing; never returns the key", async () => {
    const user = { user_id: "samlp|corp|ada", email: "ada@example.com", email_verified: true };
    const first = await provisionConsumer(client(), BUCKET, user);
    expect(first).toEqual({
      outcome: "created",
      consumerName: consumerNameFor(user.user_id),
      requests: 1,
    });
    const again = await provisionConsumer(client(), BUCKET, user);
    expect(again).toEqual({ ...first, outcome: "existing", requests: 2 });
    expect(consumersOf(fake, user.user_id)).toHaveLength(1);
    const text = JSON.stringify([first, again]);
    for (const key of keyValues(fake)) expect(text).not.toContain(key);
  });

  it("reports a name held by another user as a conflict", async () => {
    const user = { user_id: "auth0|victim" };
    fake.state.addConsumer(BUCKET, {
      name: consumerNameFor(user.user_id),
      tags: { auth0UserId: "auth0|other" },
    });
    const result = await provisionConsumer(client(), BUCKET, user);
    expect(result).toMatchObject({ outcome: "conflict" });
    expect(JSON.stringify(result)).not.toContain("auth0|other");
  });

  it("honours the prefix and throws the client's errors otherwise", async () => {
    const result = await provisionConsumer(
      client(),
      BUCKET,
      { user_id: "github|1" },
      { prefix: "dev" },
    );
    expect(result.consumerName).toMatch(/^dev-github-1-[0-9a-f]{12}$/);
    await expect(
      provisionConsumer(client(), "no-such-bucket", { user_id: "github|2" }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("builds managers only for verified emails and rejects a bad user", () => {
    expect(
      consumerBodyFor({ user_id: "a|1", email: "x@example.com", email_verified: false }),
    ).not.toHaveProperty("managers");
    expect(
      consumerBodyFor({ user_id: "a|1", email: "x@example.com", email_verified: true }).managers,
    ).toEqual([{ email: "x@example.com", sub: "a|1" }]);
    expect(() => consumerBodyFor({ user_id: "" })).toThrow(
      "user.user_id: must be a non-empty string",
    );
    // Every Auth0 user is provisionable: a huge id is referred to by its hash (metadata <= 1 KB).
    const huge = consumerBodyFor({ user_id: `oauth2|${"ü".repeat(2000)}` });
    expect(huge.metadata).toEqual({ user_id_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(huge.tags?.auth0UserId).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
