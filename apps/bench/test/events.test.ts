import { describe, expect, it } from "vitest";
import { renderEvents, runEvents } from "../src/events.js";

describe("events benchmark (smoke)", () => {
  it("runs every scenario through the web handler with the expected key-service requests", async () => {
    const rows = await runEvents({ users: 5, concurrency: 2 });
    expect(rows.map((r) => [r.scenario, r.requests])).toEqual([
      ["user.updated, nothing to change", 1],
      ["user.updated blocked: suspend", 4],
      ["user.updated unblocked: restore", 4],
      ["blocked, 2 in flight", 4],
      ["user.deleted: delete", 2],
    ]);
    expect(renderEvents(rows)).toContain("| user.deleted: delete | 5 | 2 |");
  }, 30_000);
});
