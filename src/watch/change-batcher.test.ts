import { describe, expect, it } from "vitest";
import { ChangeBatcher } from "./index.js";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe("ChangeBatcher", () => {
  it("runs once for one push, with the files", async () => {
    const runs: string[][] = [];
    const batcher = new ChangeBatcher(20, async (files) => {
      runs.push(files);
    });
    batcher.push(["a.js"]);
    expect(batcher.busy).toBe(true);
    await batcher.idle();
    expect(runs).toEqual([["a.js"]]);
    expect(batcher.busy).toBe(false);
  });

  it("merges 100 rapid pushes into one run, deduplicated", async () => {
    const runs: string[][] = [];
    const batcher = new ChangeBatcher(50, async (files) => {
      runs.push(files);
    });
    for (let i = 0; i < 100; i++) batcher.push([`f${i % 10}.js`]);
    await batcher.idle();
    expect(runs).toHaveLength(1);
    expect(runs[0]).toHaveLength(10);
  });

  it("with quietMs 0 runs on the next tick after the first change", async () => {
    const runs: string[][] = [];
    const batcher = new ChangeBatcher(0, async (files) => {
      runs.push(files);
    });
    batcher.push(["a.js"]);
    batcher.push(["b.js"]);
    expect(runs).toEqual([]);
    await batcher.idle();
    expect(runs).toEqual([["a.js", "b.js"]]);
  });

  it("merges 20 pushes during a run into exactly one more run after it", async () => {
    const runs: string[][] = [];
    const first = deferred();
    const started = deferred();
    const batcher = new ChangeBatcher(10, async (files) => {
      runs.push(files);
      if (runs.length === 1) {
        started.resolve();
        await first.promise;
      }
    });
    batcher.push(["a.js"]);
    await started.promise;
    for (let i = 0; i < 20; i++) batcher.push([`b${i}.js`]);
    expect(runs).toHaveLength(1);
    first.resolve();
    await batcher.idle();
    expect(runs).toHaveLength(2);
    expect(runs[1]).toHaveLength(20);
  });

  it("forgets the changes a run in progress takes in, and runs once more only for the others", async () => {
    const runs: string[][] = [];
    const first = deferred();
    const batcher = new ChangeBatcher(10, async (files) => {
      runs.push(files);
      if (runs.length === 1) await first.promise;
    });
    batcher.push(["process:api\0a.js"]);
    while (runs.length === 0) await new Promise((done) => setTimeout(done, 5));
    batcher.push(["process:api\0a.js", "task:migrate\0m.sql"]);
    expect(batcher.drop((file) => file.startsWith("process:api\0"))).toBe(true);
    first.resolve();
    await batcher.idle();
    expect(runs).toEqual([["process:api\0a.js"], ["task:migrate\0m.sql"]]);
    batcher.push(["process:api\0b.js"]);
    expect(batcher.drop(() => true)).toBe(false);
    batcher.close();
  });

  it("runs changes that never fall quiet once the longest wait (2 s at least) has passed", async () => {
    const runs: number[] = [];
    const started = Date.now();
    const batcher = new ChangeBatcher(100, async () => {
      runs.push(Date.now() - started);
    });
    const writer = setInterval(() => batcher.push(["log.txt"]), 20);
    try {
      while (runs.length === 0 && Date.now() - started < 5_000)
        await new Promise((done) => setTimeout(done, 50));
    } finally {
      clearInterval(writer);
      batcher.close();
    }
    expect(runs[0]).toBeGreaterThanOrEqual(1_900);
    expect(runs[0]).toBeLessThan(4_000);
  });

  it("carries on after a run that rejects, and runs no more once closed", async () => {
    const errors: unknown[] = [];
    const runs: string[][] = [];
    const batcher = new ChangeBatcher(
      0,
      async (files) => {
        runs.push(files);
        if (runs.length === 1) throw new Error("boom");
      },
      (error) => errors.push(error),
    );
    batcher.push(["a.js"]);
    await batcher.idle();
    batcher.push(["b.js"]);
    await batcher.idle();
    expect(runs).toEqual([["a.js"], ["b.js"]]);
    expect(errors).toHaveLength(1);
    batcher.push(["c.js"]);
    batcher.close();
    await batcher.idle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(runs).toHaveLength(2);
  });
});
