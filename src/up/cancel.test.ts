import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RuntimeEvent } from "../logs/index.js";
import { Guardian, Registry } from "../processes/index.js";
import { Servers } from "../providers/index.js";
import { resolveWorkspace } from "../workspace/index.js";
import { up } from "./bring-up.js";

describe("cancelling an up", () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it("while a probe waits ends it promptly and stops what it started", async () => {
    const home = mkdtempSync(join(tmpdir(), "berth-cancel-home-"));
    const root = mkdtempSync(join(tmpdir(), "berth-cancel-root-"));
    const guardian = new Guardian();
    cleanups.push(() => {
      guardian.close();
      rmSync(home, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    });
    // Nothing ever listens on the port: the probe is refused, then waits, until its 10-minute deadline.
    writeFileSync(
      join(root, "berth.yaml"),
      "name: web\nprocesses:\n  site: { run: sleep 600, port: auto, ready: { http: /healthz, timeout: 10m } }\n",
    );
    const registry = new Registry(home, guardian);
    const abort = new AbortController();
    const events: RuntimeEvent[] = [];
    const upping = up(
      {
        registry,
        resolve: (at) => resolveWorkspace({ root: at, home }),
        servers: new Servers(home),
        serverUsers: new Map(),
        emit: (event) => events.push(event),
        signal: abort.signal,
      },
      { root, codebases: [], env: { PATH: process.env.PATH }, trustAll: true },
    );
    const site = () => registry.all().find((process) => process.name === "web/site");
    while (!site()?.waiting) await new Promise((resolve) => setTimeout(resolve, 20));
    const started = site();
    const asked = Date.now();
    abort.abort();
    const result = await upping;
    expect(Date.now() - asked).toBeLessThan(1_500);
    expect(result.ok).toBe(false);
    expect(result.failed?.message).toBe("cancelled; stopped what this `up` started");
    expect(started?.state).toBe("stopped");
    expect(started?.running).toBe(false);
  });
});
