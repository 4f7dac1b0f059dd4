import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProcessStatus } from "../src/index.js";
import { alive, groupMembers, programs, runtimeWorkspace, status, until } from "./helpers/runtime.js";
import { tempDir } from "./helpers/temp.js";

/**
 * The runtime behaviours that read the process table, memory, port holders and environments, once through
 * /proc and once through `ps` and `lsof` (the macOS path, forced on Linux by BERTH_PROC=ps). `ps` and `lsof`
 * are wrapped to note each call: the procfs path must make none, the ps path must be the one that answered.
 */
const server = `node ${programs}/server.js`;

function mode(name: "procfs" | "ps") {
  const bin = tempDir("berth-proc-");
  const calls = join(bin, "calls");
  for (const tool of ["ps", "lsof"]) {
    const wrapper = join(bin, tool);
    writeFileSync(wrapper, `#!/bin/sh\necho ${tool} >> '${calls}'\nexec /usr/bin/${tool} "$@"\n`);
    chmodSync(wrapper, 0o755);
  }
  const env = { PATH: `${bin}:${process.env.PATH}`, ...(name === "ps" ? { BERTH_PROC: "ps" } : {}) };
  const called = () => (existsSync(calls) ? readFileSync(calls, "utf8").split("\n").filter(Boolean) : []);
  /** What the mode must have used: nothing outside /proc, or `ps` (and `lsof` for sockets). */
  const expectUsed = (tool: "ps" | "lsof") =>
    name === "ps" ? expect(called()).toContain(tool) : expect(called()).toEqual([]);
  return { env, expectUsed };
}

const sleepers = () => `${3000 + Math.floor(Math.random() * 1000)}.5`;
/** The `sleep <seconds>` processes running, seen through /proc by the test itself. */
function pidsRunning(seconds: string): number[] {
  return readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      return readFileSync(`/proc/${entry}/cmdline`, "utf8") === `sleep\0${seconds}\0` ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

// Debian procps and lsof (.ci/run installs them): without them the ps path is skipped here, and fails under CI.
const psTools = ["/usr/bin/ps", "/usr/bin/lsof"].every((tool) => existsSync(tool));

describe.each(["procfs", "ps"] as const)("read through %s", (name) => {
  if (name === "ps" && !psTools && !process.env.CI) {
    it.skip("needs ps and lsof (Debian procps, lsof)", () => {});
    return;
  }
  it("status shows the memory of the whole group", () => {
    const { env, expectUsed } = mode(name);
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web\nenv:\n  SPAWN_CHILD: "1"\nprocesses:\n  site: { run: "PORT=\${processes.site.port} ${server}", port: auto, ready: { tcp: true } }\n`,
    });
    expect(run(["up", "-d"], "web", env)).toSucceed();
    const [row] = status(run);
    expect(row?.rss_bytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(run(["status"], "web", env).stdout).toMatch(
      /web\/site\s+ready\s+\d+\s+\d+\s+0\s+\d+s\s+[\d.]+ MiB\n/,
    );
    expectUsed("ps");
  });

  it("a port already taken names the process that holds it", async () => {
    const { env, expectUsed } = mode(name);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { run } = runtimeWorkspace({
        "web/berth.yaml": `name: web\nprocesses:\n  site: { run: "PORT=${port} ${server}", port: ${port} }\n`,
      });
      const up = run(["up", "-d"], "web", env);
      expect(up.code).toBe(1);
      expect(up.stderr).toContain(
        `port ${port}, wanted by web/site, is already taken by pid ${process.pid} (`,
      );
      expect(up.stderr).toContain(process.execPath);
      expectUsed("lsof");
    } finally {
      blocker.close();
    }
  });

  it("a 0.0.0.0 socket is flagged, in the group or escaped from it", () => {
    const { env, expectUsed } = mode(name);
    const open = (process: string, launcher: string) =>
      `"PORT=0 LISTEN_HOST=0.0.0.0 ${launcher}${server} & PORT=\${processes.${process}.port} LISTEN_AFTER_MS=1000 exec ${server}"`;
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web\nprocesses:\n  grouped: { run: ${open("grouped", "")}, port: auto, ready: { tcp: true } }\n  escaped: { run: ${open("escaped", "setsid ")}, port: auto, ready: { tcp: true } }\n`,
    });
    const up = run(["up", "-d"], "web", env);
    expect(up).toSucceed();
    for (const process of ["grouped", "escaped"])
      expect(up.stdout).toMatch(new RegExp(`! web/${process} listens on 0\\.0\\.0\\.0:\\d+: reachable`));
    const rows = JSON.parse(run(["status", "--json"], "web", env).stdout) as ProcessStatus[];
    for (const row of rows)
      expect(row.exposed, row.process).toEqual([expect.stringMatching(/^0\.0\.0\.0:\d+$/)]);
    expect(run(["down"], "web", env)).toSucceed();
    expectUsed("lsof");
  });

  it("down stops a descendant that left the group (setsid), found by its marker", async () => {
    const { env, expectUsed } = mode(name);
    const seconds = sleepers();
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web\nprocesses:\n  daemon: { run: "setsid sleep ${seconds} & exec sleep 60" }\n`,
    });
    expect(run(["up", "-d"], "web", env)).toSucceed();
    await until(() => pidsRunning(seconds).length === 1, 5000, "the daemon");
    expect(run(["down"], "web", env)).toSucceed();
    await until(() => pidsRunning(seconds).length === 0, 3000, "the daemon to be stopped");
    expectUsed("ps");
  });

  it("no orphans: a supervisor killed with SIGKILL takes its groups and their escaped descendants", async () => {
    const { env, expectUsed } = mode(name);
    const seconds = sleepers();
    const { run, home } = runtimeWorkspace({
      "web/berth.yaml": `name: web\nenv:\n  SPAWN_CHILD: "1"\n  IGNORE_TERM: "1"\nprocesses:\n  one: { run: "PORT=\${processes.one.port} ${server}", port: auto, ready: { tcp: true } }\n  daemon: { run: "setsid sleep ${seconds} & exec sleep 60" }\n`,
    });
    expect(run(["up", "-d"], "web", env)).toSucceed();
    await until(() => pidsRunning(seconds).length === 1, 5000, "the daemon");
    const groups = status(run).map((row) => row.pid ?? 0);
    const members = [...groups.flatMap(groupMembers), ...pidsRunning(seconds)];
    expect(members.length).toBeGreaterThanOrEqual(4);
    process.kill(Number(readFileSync(join(home, "supervisor.pid"), "utf8")), "SIGKILL");
    await until(() => members.every((pid) => !alive(pid)), 8000, "the orphans to go");
    expectUsed("ps");
  });
});
