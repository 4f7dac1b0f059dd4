import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { LogWriter, RuntimeEvent } from "../logs/index.js";
import type { ChildOptions, Exit } from "./child.js";
import {
  NO_PROBE_GRACE_MS,
  type ProcessSpec,
  type RunningChild,
  SupervisedProcess,
} from "./supervised-process.js";

/** A started command that runs until the test says it exits; no process, no /proc. */
class FakeChild implements RunningChild {
  readonly pid = -1;
  readonly startedAt = Date.now();
  running = true;
  stops = 0;
  readonly exited: Promise<Exit>;
  #resolve: (exit: Exit) => void = () => {};

  constructor(readonly options: ChildOptions) {
    this.exited = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  say(line: string): void {
    this.options.onLine("out", line);
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (!this.running) return;
    this.running = false;
    this.#resolve({ code, signal });
  }

  stop(): Promise<Exit> {
    this.stops += 1;
    this.exit(null, "SIGTERM");
    return this.exited;
  }
}

function supervised(spec: Partial<ProcessSpec> = {}) {
  const children: FakeChild[] = [];
  const events: RuntimeEvent[] = [];
  const logged: string[] = [];
  const process = new SupervisedProcess(
    {
      codebase: "web",
      process: "server",
      dir: "/nowhere",
      command: "serve",
      env: {},
      port: 4100,
      probe: undefined,
      restart: "no",
      stopTimeoutMs: 1000,
      probeIntervalMs: 1000,
      probeTimeoutMs: 10_000,
      startPeriodMs: 0,
      hash: "h",
      requires: [],
      ...spec,
    },
    {
      log: { write: (record: { l: string }) => logged.push(record.l) } as unknown as LogWriter,
      emit: (event) => events.push(event),
      onGroupStart: () => {},
      onGroupEnd: () => {},
      spawn: (options) => {
        const child = new FakeChild(options);
        children.push(child);
        return child;
      },
    },
  );
  const child = () => children.at(-1) as FakeChild;
  return { process, children, child, events, logged };
}

describe("a supervised process", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("without a probe, is ready once it has run the grace period without exiting", async () => {
    const { process } = supervised();
    process.start();
    await vi.advanceTimersByTimeAsync(NO_PROBE_GRACE_MS - 1);
    expect(process.state).toBe("starting");
    await vi.advanceTimersByTimeAsync(1);
    expect(process.state).toBe("ready");
    await expect(process.whenReady()).resolves.toBeUndefined();
  });

  it("without a probe, exiting during the grace period is a crash, and its waiters hear it", async () => {
    const { process, child } = supervised();
    process.start();
    const ready = process.whenReady();
    child().exit(1);
    await expect(ready).rejects.toThrow("web/server exited with code 1");
    expect(process.state).toBe("crashed");
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(process.status(new Map()).exit_code).toBe(1);
  });

  it("a log probe is ready as soon as its line arrives, not at the next try", async () => {
    const { process, child } = supervised({ probe: { log: "listening on \\d+" }, probeIntervalMs: 60_000 });
    process.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(process.state).toBe("starting");
    expect(process.waiting).toMatch(/^log \/listening on \\d\+\/ no matching line yet, \d+ tries, [\d.]+ s$/);
    child().say("listening on 4100");
    await vi.advanceTimersByTimeAsync(0);
    expect(process.state).toBe("ready");
    expect(process.waiting).toBeUndefined();
  });

  it("masks secrets in what it stores and shows, and keeps the last lines", async () => {
    const { process, child, logged, events } = supervised({ secrets: ["hunter2"] });
    process.start();
    child().say("password is hunter2");
    process.hide("s3cret");
    child().say("token s3cret");
    expect(process.lastLines()).toEqual(["password is ****", "token ****"]);
    expect(logged).toEqual(process.lastLines());
    expect(JSON.stringify(events)).not.toMatch(/hunter2|s3cret/);
  });

  it("fails when the probe's deadline passes, says why and stops the process", async () => {
    const ping = vi.fn(async () => ({ ok: false, detail: "refused" }));
    const { process, child, logged } = supervised({ ping, probeTimeoutMs: 5_000 });
    process.start();
    const ready = process.whenReady();
    ready.catch(() => {});
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(ready).rejects.toThrow(
      /web\/server did not become ready in 5 s: web\/server round trip refused/,
    );
    expect(process.state).toBe("failed");
    expect(child().stops).toBe(1);
    expect(logged.at(-1)).toMatch(/did not become ready/);
    // Tries are paced, then spaced out up to the probe's interval: not thousands in five seconds.
    expect(ping.mock.calls.length).toBeGreaterThan(10);
    expect(ping.mock.calls.length).toBeLessThan(200);
  });

  it("restarts on failure after a growing delay, and gives up on a crash loop", async () => {
    const { process, children, child } = supervised({ restart: "on-failure" });
    process.start();
    child().exit(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(process.state).toBe("backoff");
    expect(process.reason).toBe("exited with code 1; restarting in 250 ms");
    await vi.advanceTimersByTimeAsync(249);
    expect(children).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(children).toHaveLength(2);
    expect(process.restarts).toBe(1);
    for (let crash = 2; crash <= 5; crash++) {
      child().exit(1);
      await vi.advanceTimersByTimeAsync(5_000);
    }
    expect(process.state).toBe("crashed");
    expect(process.reason).toBe("web/server crashed 5 times in 60 s; not restarting it");
    expect(children).toHaveLength(5);
  });

  it("a clean exit under on-failure is not restarted", async () => {
    const { process, children, child } = supervised({ restart: "on-failure" });
    process.start();
    child().exit(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(process.state).toBe("exited");
    expect(children).toHaveLength(1);
  });

  it("stopping it while the probe waits (a long start period) ends the wait at once", async () => {
    const ping = vi.fn(async () => ({ ok: false, detail: "refused" }));
    const { process, child } = supervised({ ping, startPeriodMs: 600_000, probeTimeoutMs: 900_000 });
    process.start();
    const ready = process.whenReady();
    ready.catch(() => {});
    await vi.advanceTimersByTimeAsync(1_000);
    await process.stop([]);
    await expect(ready).rejects.toThrow("web/server was stopped");
    expect(process.state).toBe("stopped");
    expect(child().stops).toBe(1);
    // Nothing is left waiting: no timer of the start period or of the next try.
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(900_000);
    expect(ping).not.toHaveBeenCalled();
  });

  it("a wait for readiness ends when its signal aborts, and the process goes on", async () => {
    const { process, child } = supervised({ probe: { log: "up" } });
    process.start();
    const abort = new AbortController();
    const listen = vi.spyOn(abort.signal, "addEventListener");
    const waiting = process.whenReady(abort.signal);
    const other = process.whenReady();
    await vi.advanceTimersByTimeAsync(1_000);
    abort.abort();
    await expect(waiting).rejects.toMatchObject({ code: "BERTH_CANCELLED" });
    expect(listen).toHaveBeenCalledTimes(1);
    expect(process.state).toBe("starting");
    child().say("up");
    await vi.advanceTimersByTimeAsync(0);
    await expect(other).resolves.toBeUndefined();
    expect(process.state).toBe("ready");
    await expect(process.whenReady(AbortSignal.abort())).resolves.toBeUndefined();
  });

  it("a wait that ends by readiness leaves no listener on its signal", async () => {
    const { process } = supervised();
    const abort = new AbortController();
    const forget = vi.spyOn(abort.signal, "removeEventListener");
    process.start();
    const waiting = process.whenReady(abort.signal);
    await vi.advanceTimersByTimeAsync(NO_PROBE_GRACE_MS);
    await waiting;
    expect(forget).toHaveBeenCalledTimes(1);
  });
});
