import { describe, expect, it } from "vitest";
import { LoopGuard } from "./loop-guard.js";

/** Records reloads whose changes came `offsets[i]` ms after each start, one run after another. */
function loops(offsets: number[]): boolean[] {
  const guard = new LoopGuard();
  let startedAt = 1_000_000;
  return offsets.map((offset) => {
    const verdict = guard.record("web/site", startedAt + offset, startedAt);
    startedAt += offset + 150; // the restart
    return verdict;
  });
}

describe("the loop guard", () => {
  it("pauses a process whose changes keep time with its starts, at the fifth reload", () => {
    expect(loops([210, 190, 230, 205, 220])).toEqual([false, false, false, false, true]);
  });

  it("leaves a person saving often alone: offsets that wander, or come late", () => {
    expect(loops([300, 1400, 700, 1900, 450, 1100, 600])).not.toContain(true);
    expect(loops([2500, 2500, 2500, 2500, 2500, 2500])).not.toContain(true);
  });

  it("starts counting again after a late change, and forgets on request", () => {
    expect(loops([200, 200, 200, 200, 5000, 200, 200, 200, 200])).not.toContain(true);
    const guard = new LoopGuard();
    for (let run = 0; run < 4; run++) guard.record("web/site", 200 + run * 1000, run * 1000);
    guard.forget("web/site");
    expect(guard.record("web/site", 4200, 4000)).toBe(false);
  });
});
