import { describe, expect, it } from "vitest";
import { LoopGuard } from "./loop-guard.js";

/**
 * Records reloads whose changes came `offsets[i]` ms after each start, one run after another; each run ready
 * `boots[i]` ms after its start (100 ms when not given).
 */
function loops(offsets: number[], boots: number[] = []): boolean[] {
  const guard = new LoopGuard();
  let startedAt = 1_000_000;
  return offsets.map((offset, run) => {
    const readyAt = startedAt + (boots[run] ?? 100);
    const verdict = guard.record("web/site", startedAt + offset, { startedAt, readyAt });
    startedAt += offset + 150; // the restart
    return verdict;
  });
}

describe("the loop guard", () => {
  it("pauses a process whose changes keep time with its starts, at the fifth reload", () => {
    expect(loops([210, 190, 230, 205, 220])).toEqual([false, false, false, false, true]);
  });

  it("pauses it too when its starts take longer one time than the next (a busy machine)", () => {
    // It writes 200 ms after it is ready; the starts take 100 to 900 ms.
    const boots = [100, 600, 250, 900, 400];
    const offsets = boots.map((boot) => boot + 200);
    expect(loops(offsets, boots)).toEqual([false, false, false, false, true]);
  });

  it("leaves a person saving often alone: offsets that wander, or come late", () => {
    expect(loops([300, 1400, 700, 1900, 450, 1100, 600])).not.toContain(true);
    expect(loops([2500, 2500, 2500, 2500, 2500, 2500])).not.toContain(true);
  });

  it("starts counting again after a late change, and forgets on request", () => {
    expect(loops([200, 200, 200, 200, 5000, 200, 200, 200, 200])).not.toContain(true);
    const guard = new LoopGuard();
    const run = (at: number) => ({ startedAt: at, readyAt: at + 100 });
    for (let count = 0; count < 4; count++) guard.record("web/site", 200 + count * 1000, run(count * 1000));
    guard.forget("web/site");
    expect(guard.record("web/site", 4200, run(4000))).toBe(false);
  });
});
