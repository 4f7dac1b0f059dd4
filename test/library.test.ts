import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  down,
  exportSnapshot,
  graph,
  importSnapshot,
  listSnapshots,
  logs,
  migrate,
  plan,
  removeSnapshot,
  restart,
  runTask,
  saveSnapshot,
  snapshotInfo,
  status,
  up,
  validate,
  wait,
} from "../src/index.js";
import { programs } from "./helpers/runtime.js";
import { tempDir } from "./helpers/temp.js";
import { writeTree } from "./helpers/workspace.js";

describe("the library API", () => {
  it("validates, brings a workspace up and down from code", async () => {
    const dir = writeTree({
      "web/berth.yaml": `name: web\nenv:\n  PORT: \${processes.site.port}\nprocesses:\n  site: { run: node ${programs}/server.js, port: auto, ready: { http: / } }\n`,
    });
    const home = join(tempDir(), "state");
    const root = join(dir, "web");
    expect((await validate({ root, home })).manifests.map((manifest) => manifest.name)).toEqual(["web"]);
    const events: string[] = [];
    const result = await up({
      root,
      home,
      trustAll: true,
      onEvent: (event) => event.type === "step" && events.push(`${event.step} ${event.state}`),
    });
    expect(result.ok).toBe(true);
    expect(events).toContain("ready:web/site done");
    expect(await down({ root, home, all: true })).toEqual(expect.objectContaining({ stopped: ["web/site"] }));
  });

  it("is what a test suite uses: up, status, wait, logs, tasks, restart, down, each with a signal", async () => {
    const dir = writeTree({
      "web/berth.yaml": [
        "name: web",
        "env:",
        "  PORT: ${processes.site.port}",
        "  READY_LINE: site is up",
        "tasks:",
        "  migrate: { run: echo migrated >> migrated.log }",
        "  greet: { run: echo hello from greet >> greet.log }",
        "processes:",
        `  site: { run: node ${programs}/server.js, port: auto, ready: { http: / } }`,
        "",
      ].join("\n"),
    });
    const home = join(tempDir(), "state");
    const root = join(dir, "web");
    const { signal } = new AbortController();
    try {
      expect((await status({ root, home, signal })).running).toBe(false);
      const result = await up({ root, home, trustAll: true, signal });
      expect(result.ok).toBe(true);
      const port = result.ready.find((entry) => entry.process === "site")?.port;
      expect(port).toBeGreaterThan(0);
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain("/");

      const running = await status({ root, home, signal });
      expect(running.running).toBe(true);
      expect(running.processes).toEqual([
        expect.objectContaining({ codebase: "web", process: "site", state: "ready", port }),
      ]);
      expect(await wait({ root, home, signal, timeoutMs: 5000 })).toEqual({ ready: ["web/site"] });

      const stored = await logs({ root, home, signal, targets: ["web/site"] });
      expect(stored.sources).toContain("web");
      expect(stored.lines.map((line) => line.l)).toContain("site is up");

      expect((await migrate({ root, home, signal, trustAll: true })).ok).toBe(true);
      expect(readFileSync(join(root, "migrated.log"), "utf8")).toContain("migrated");
      expect((await runTask({ root, home, signal, codebase: "web", task: "greet", trustAll: true })).ok).toBe(
        true,
      );
      expect(readFileSync(join(root, "greet.log"), "utf8")).toBe("hello from greet\n");

      // Following: a restart's new lines arrive, and aborting the signal ends the follow.
      const following = new AbortController();
      const followed = await logs({ root, home, signal: following.signal, targets: ["web/site"] });
      const seen: string[] = [];
      const done = followed.follow((line) => {
        seen.push(line.l);
        if (line.l === "site is up") following.abort();
      });
      expect(await restart({ root, home, signal, target: "web/site", trustAll: true })).toEqual(
        expect.objectContaining({ restarted: ["web/site"] }),
      );
      await done;
      expect(seen).toContain("site is up");

      await saveSnapshot({ root, home, signal, name: "first", trustAll: true });
      expect((await listSnapshots({ home, signal })).map((snapshot) => snapshot.name)).toEqual(["first"]);
      const archive = join(tempDir(), "first.tar.gz");
      expect(await exportSnapshot({ home, signal, name: "first", file: archive })).toEqual({
        exported: "first",
        file: archive,
      });
      expect(await removeSnapshot({ home, signal, name: "first" })).toEqual({ removed: "first" });
      expect(await listSnapshots({ home, signal })).toEqual([]);
      expect((await importSnapshot({ home, signal, file: archive, name: "again" })).name).toBe("again");
      expect((await snapshotInfo({ home, signal, name: "again" })).name).toBe("again");
    } finally {
      expect(await down({ root, home, signal })).toEqual(expect.objectContaining({ stopped: ["web/site"] }));
      expect((await status({ root, home, signal })).processes).toEqual([]);
      await down({ root, home, signal, all: true }); // and the supervisor
    }
  });

  it("cancels a wait when its signal aborts, and says so when nothing runs", async () => {
    const home = join(tempDir(), "state");
    const root = writeTree({ "berth.yaml": "name: idle\n" });
    await expect(wait({ root, home })).rejects.toMatchObject({ code: "BERTH_NOT_RUNNING" });
    await expect(restart({ root, home, target: "idle" })).rejects.toMatchObject({
      code: "BERTH_NOT_RUNNING",
    });
    const aborted = AbortSignal.abort(new Error("stop waiting"));
    await expect(status({ root, home, signal: aborted })).rejects.toThrow("stop waiting");
    for (const call of [status, wait, plan, validate, logs, graph] as const)
      await expect(call({ root, home, signal: aborted })).rejects.toThrow("stop waiting");
  });

  it("lists, exports, imports and removes snapshots", async () => {
    const home = join(tempDir(), "state");
    expect(await listSnapshots({ home })).toEqual([]);
    const archive = join(tempDir(), "missing.tar.gz");
    await expect(exportSnapshot({ home, name: "nope", file: archive })).rejects.toMatchObject({
      code: expect.stringMatching(/^BERTH_/),
    });
    expect(existsSync(archive)).toBe(false);
    await expect(importSnapshot({ home, file: archive })).rejects.toMatchObject({
      code: expect.stringMatching(/^BERTH_/),
    });
    await expect(removeSnapshot({ home, name: "nope" })).rejects.toMatchObject({
      code: expect.stringMatching(/^BERTH_/),
    });
  });
});
