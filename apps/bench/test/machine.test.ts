import { describe, expect, it } from "vitest";
import { cpuTicks, othersShare } from "../src/machine.js";

describe("CPU used by other processes", () => {
  it("does not count the benchmark's own work", () => {
    const start = { machine: 1_000, own: 100 };
    // 2 s on 2 cores = 400 ticks of capacity; the machine used 300, 250 of them ours.
    expect(othersShare(start, { machine: 1_300, own: 350 }, 2_000, 2)).toBeCloseTo(50 / 400);
    expect(othersShare(start, { machine: 1_300, own: 400 }, 2_000, 2)).toBe(0);
    expect(othersShare(undefined, start, 2_000, 2)).toBeUndefined();
  });

  it.runIf(process.platform === "linux")("reads this process's ticks from /proc", () => {
    const before = cpuTicks();
    const until = performance.now() + 300;
    while (performance.now() < until) Math.sqrt(Math.random());
    const after = cpuTicks();
    expect(before && after).toBeTruthy();
    expect((after?.own ?? 0) - (before?.own ?? 0)).toBeGreaterThanOrEqual(15);
    expect((after?.machine ?? 0) - (before?.machine ?? 0)).toBeGreaterThanOrEqual(
      (after?.own ?? 0) - (before?.own ?? 0) - 2,
    );
  });
});
