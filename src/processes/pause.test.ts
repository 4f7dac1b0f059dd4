import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Pause } from "./pause.js";

describe("Pause", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("adds one abort listener for all its waits, not one per wait", async () => {
    const abort = new AbortController();
    const listen = vi.spyOn(abort.signal, "addEventListener");
    const pause = new Pause(abort.signal);
    for (let wait = 0; wait < 100; wait++) {
      const waited = pause.for(10);
      await vi.advanceTimersByTimeAsync(10);
      await waited;
    }
    expect(listen).toHaveBeenCalledTimes(1);
  });

  it("an abort ends the current wait and every later one at once", async () => {
    const abort = new AbortController();
    const pause = new Pause(abort.signal);
    let ended = false;
    void pause.for(60_000).then(() => {
      ended = true;
    });
    abort.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(ended).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await pause.for(60_000);
    expect(pause.cancelled).toBe(true);
  });

  it("wake ends a wakeable wait only", async () => {
    const pause = new Pause(new AbortController().signal);
    let ended = false;
    void pause.for(1_000, false).then(() => {
      ended = true;
    });
    pause.wake();
    await vi.advanceTimersByTimeAsync(999);
    expect(ended).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(ended).toBe(true);
    const woken = pause.for(1_000);
    pause.wake();
    await woken;
    expect(vi.getTimerCount()).toBe(0);
  });
});
