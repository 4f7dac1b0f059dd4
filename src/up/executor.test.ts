import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Step } from "../graph/index.js";
import { executeSteps, type StepOutcome } from "./executor.js";

function step(id: string, after: string[] = []): Step {
  return { id, kind: "install", codebase: id, after } as Step;
}

/** Runs each step for its time on the fake clock (failing those in `failing`), recording what happened when. */
function recorder(durations: Record<string, number>, failing: string[] = []) {
  const log: string[] = [];
  const run = (s: Step) =>
    new Promise<StepOutcome>((resolve, reject) => {
      setTimeout(
        () => (failing.includes(s.id) ? reject(new Error(`${s.id} broke`)) : resolve("done")),
        durations[s.id] ?? 0,
      );
    });
  const hooks = {
    onStart: (s: Step) => log.push(`${Date.now()} start ${s.id}`),
    onEnd: (s: Step, outcome: string) => log.push(`${Date.now()} ${outcome} ${s.id}`),
  };
  return { log, run, hooks };
}

describe("executeSteps", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs steps as parallel as their `after` allows", async () => {
    const { log, run, hooks } = recorder({ a: 100, b: 100, c: 300, d: 50 });
    const done = executeSteps(
      [step("a"), step("b", ["a"]), step("c", ["a"]), step("d", ["b", "c"])],
      run,
      hooks,
      new AbortController().signal,
    );
    await vi.runAllTimersAsync();
    expect(await done).toEqual({});
    expect(log).toEqual([
      "0 start a",
      "100 done a",
      "100 start b",
      "100 start c",
      "200 done b",
      "400 done c",
      "400 start d",
      "450 done d",
    ]);
  });

  it("of the steps ready at one moment, launches those with the longest chain after them first", async () => {
    const { log, run, hooks } = recorder({ leaf1: 10, leaf2: 10, api: 10, worker: 10 });
    const done = executeSteps(
      // In plan order the leaves come first; two steps follow `api`, one `worker`.
      [
        step("leaf1"),
        step("leaf2"),
        step("worker"),
        step("api"),
        step("ui", ["api"]),
        step("e2e", ["ui", "worker"]),
      ],
      run,
      hooks,
      new AbortController().signal,
    );
    await vi.runAllTimersAsync();
    expect(await done).toEqual({});
    expect(log.filter((line) => line.startsWith("0 "))).toEqual([
      "0 start api",
      "0 start worker",
      "0 start leaf1",
      "0 start leaf2",
    ]);
  });

  it("a failed step blocks what waits on it, the rest goes on, and the first failure is named", async () => {
    const { log, run, hooks } = recorder({ a: 100, b: 10, c: 300, d: 0, e: 0 }, ["a", "c"]);
    const done = executeSteps(
      [step("a"), step("b"), step("c"), step("d", ["a"]), step("e", ["d"]), step("f", ["b"])],
      run,
      hooks,
      new AbortController().signal,
    );
    await vi.runAllTimersAsync();
    const { failure } = await done;
    expect(failure?.step.id).toBe("a");
    expect(String(failure?.error)).toBe("Error: a broke");
    expect(log).toContain("100 blocked d");
    expect(log).toContain("100 blocked e");
    expect(log).toContain("10 start f");
    expect(log).toContain("300 failed c");
    expect(log.filter((line) => line.includes("start d") || line.includes("start e"))).toEqual([]);
  });

  it("once the signal aborts, starts nothing more and lets running steps end", async () => {
    const abort = new AbortController();
    const { log, run, hooks } = recorder({ a: 100, b: 50, c: 0 });
    const done = executeSteps([step("a"), step("b"), step("c", ["b"])], run, hooks, abort.signal);
    await vi.advanceTimersByTimeAsync(20);
    abort.abort();
    await vi.runAllTimersAsync();
    expect(await done).toEqual({});
    expect(log).toEqual(["0 start b", "0 start a", "50 done b", "100 done a"]);
  });

  it("an aborted signal starts nothing", async () => {
    const abort = new AbortController();
    abort.abort();
    const { log, run, hooks } = recorder({});
    expect(await executeSteps([step("a")], run, hooks, abort.signal)).toEqual({});
    expect(log).toEqual([]);
  });
});
