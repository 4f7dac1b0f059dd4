import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ProcessStatus } from "../src/index.js";
import { commit, initRepo } from "./helpers/git.js";
import { alive, programs, runtimeWorkspace, spawnBerth, until } from "./helpers/runtime.js";
import { itWith } from "./helpers/servers.js";

const progress = `node ${programs}/progress.js`;

type Run = ReturnType<typeof runtimeWorkspace>["run"];
const logRecords = (run: Run, ...args: string[]) =>
  run(["logs", "--json", ...args])
    .stdout.trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { name: string; stream: string; line: string });

describe("output without newlines", () => {
  it("\\r progress frames and a 1 MB line are records in the log while the process runs", async () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
processes:
  bar: { run: ${progress} }
  big: { run: BIG_LINE_CHARS=1048576 ${progress} }
`,
    });
    expect(run(["up", "-d"])).toSucceed();
    await until(() => logRecords(run, "web/bar").length >= 3, 5000, "progress frames in the log");
    const frames = logRecords(run, "web/bar").map((record) => record.line);
    expect(frames.slice(0, 3)).toEqual(["progress 1", "progress 2", "progress 3"]);
    const big = logRecords(run, "web/big");
    expect(big.length).toBeGreaterThanOrEqual(15);
    for (const record of big) expect(record.line.length).toBeLessThanOrEqual(64 * 1024);
    expect(big.reduce((sum, record) => sum + record.line.length, 0)).toBeGreaterThanOrEqual(15 * 64 * 1024);
  });
});

describe("logs -f", () => {
  it("follows for seconds without a MaxListenersExceededWarning", async () => {
    const { dir, home } = runtimeWorkspace({
      "web/berth.yaml": "name: web\nprocesses:\n  idle: { run: sleep 60 }\n",
    });
    const follow = spawnBerth(["logs", "-f"], { cwd: join(dir, "web"), home });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    follow.kill("SIGINT");
    await new Promise((resolve) => follow.once("exit", resolve));
    expect(follow.output()).not.toContain("MaxListenersExceededWarning");
  });
});

const worker = `node ${programs}/worker.js`;
const server = `node ${programs}/server.js`;

describe("readiness without a probe", () => {
  it("a process that exits right after start is not ready, and up -d fails naming it and its last lines", () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
processes:
  quick: { run: EXIT_AFTER_MS=20 ${worker}, restart: "no" }
`,
    });
    const up = run(["up", "-d"]);
    expect(up.code).toBe(1);
    expect(up.stdout).not.toContain("✓ web/quick ready");
    expect(up.stderr).toContain("web/quick");
    expect(up.stderr).toContain("worker giving up");
  });

  it("up -d fails when an asked-for process crashed after it was ready, before the up ended", () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
processes:
  flaky: { run: EXIT_AFTER_MS=800 ${worker}, restart: "no" }
  slow: { run: "PORT=\${processes.slow.port} LISTEN_AFTER_MS=2000 ${server}", port: auto, ready: { tcp: true } }
`,
    });
    const up = run(["up", "-d"]);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain("web/flaky is crashed");
    expect(up.stderr).toContain("worker giving up");
  });
});

describe("data folders", () => {
  it("a folder declared in data: exists (0700) before the codebase's tasks and processes run", () => {
    const { dir, run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
data: [var/uploads]
tasks:
  install: { run: touch var/uploads/from-install }
processes:
  idle: { run: "touch var/uploads/from-process && exec sleep 60" }
`,
    });
    const up = run(["up", "-d"]);
    expect(up.stderr).toBe("");
    expect(up).toSucceed();
    const uploads = join(dir, "web", "var", "uploads");
    expect(statSync(uploads).mode & 0o777).toBe(0o700);
    expect(existsSync(join(uploads, "from-install"))).toBe(true);
    expect(existsSync(join(uploads, "from-process"))).toBe(true);
  });
});

/** Pids whose command line is exactly these words (Linux /proc). */
function pidsRunning(...words: string[]): number[] {
  const wanted = `${words.join("\0")}\0`;
  return readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      return readFileSync(`/proc/${entry}/cmdline`, "utf8") === wanted ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

describe("descendants that leave the process group", () => {
  it("down stops a setsid daemon and a double-forked one (Linux)", async () => {
    const seconds = `${1000 + Math.floor(Math.random() * 1000)}.5`;
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
processes:
  daemon: { run: "setsid sleep ${seconds} & exec sleep 60" }
  doubled: { run: "(setsid sh -c 'exec sleep ${seconds}' &) ; exec sleep 60" }
`,
    });
    expect(run(["up", "-d"])).toSucceed();
    await until(() => pidsRunning("sleep", seconds).length === 2, 5000, "both daemons");
    const down = run(["down"]);
    expect(down).toSucceed();
    await until(() => pidsRunning("sleep", seconds).length === 0, 3000, "the daemons to be stopped");
  });

  it("down of ten processes, each with a daemon, stays fast: one /proc pass for all", () => {
    const seconds = `${2000 + Math.floor(Math.random() * 1000)}.5`;
    const processes = Array.from(
      { length: 10 },
      (_, index) => `  p${index}: { run: "setsid sleep ${seconds} & exec sleep 60" }`,
    ).join("\n");
    const { run } = runtimeWorkspace({ "web/berth.yaml": `name: web\nprocesses:\n${processes}\n` });
    expect(run(["up", "-d"])).toSucceed();
    const down = run(["down", "--json"]);
    const result = JSON.parse(down.stdout) as { stopped: string[]; ms: number };
    expect(result.stopped).toHaveLength(10);
    expect(pidsRunning("sleep", seconds)).toEqual([]);
    // Measured here: ~30 ms for ten groups and ten daemons (stop-all of ten groups alone: ~15 ms).
    expect(result.ms).toBeLessThan(500);
  });
});

describe("listening beyond loopback", () => {
  it("a server on 0.0.0.0 is flagged in up and status; processes get HOST=127.0.0.1", () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
processes:
  open: { run: "PORT=\${processes.open.port} LISTEN_HOST=0.0.0.0 ${server}", port: auto, ready: { tcp: true } }
  closed: { run: "PORT=\${processes.closed.port} ${server}", port: auto, ready: { tcp: true } }
  host: { run: "echo host=$HOST; exec sleep 60" }
`,
    });
    const up = run(["up", "-d"]);
    expect(up).toSucceed();
    expect(up.stdout).toMatch(/! web\/open listens on 0\.0\.0\.0:\d+: reachable from other machines/);
    expect(up.stdout).not.toContain("web/closed listens");
    const rows = JSON.parse(run(["status", "--json"]).stdout) as ProcessStatus[];
    const open = rows.find((row) => row.process === "open");
    expect(open?.exposed).toEqual([`0.0.0.0:${open?.port}`]);
    expect(rows.find((row) => row.process === "closed")?.exposed).toEqual([]);
    expect(run(["status"]).stdout).toContain(`! listens on 0.0.0.0:${open?.port}`);
    expect(logRecords(run, "web/host").map((record) => record.line)).toContain("host=127.0.0.1");
  });
});

describe("listening beyond loopback on another port", () => {
  it("flags a 0.0.0.0 socket on a port it never declared, in its group or escaped from it", () => {
    // Each listens on its declared port on 127.0.0.1 (a second later) and on a random port on 0.0.0.0.
    const open = (name: string, launcher: string) =>
      `"PORT=0 LISTEN_HOST=0.0.0.0 ${launcher}${server} & PORT=\${processes.${name}.port} LISTEN_AFTER_MS=1000 exec ${server}"`;
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
processes:
  grouped: { run: ${open("grouped", "")}, port: auto, ready: { tcp: true } }
  escaped: { run: ${open("escaped", "setsid ")}, port: auto, ready: { tcp: true } }
`,
    });
    const up = run(["up", "-d"]);
    expect(up).toSucceed();
    for (const name of ["grouped", "escaped"])
      expect(up.stdout).toMatch(new RegExp(`! web/${name} listens on 0\\.0\\.0\\.0:\\d+: reachable`));
    const rows = JSON.parse(run(["status", "--json"]).stdout) as ProcessStatus[];
    for (const row of rows) {
      expect(row.exposed, row.process).toEqual([expect.stringMatching(/^0\.0\.0\.0:\d+$/)]);
      expect(row.exposed[0], row.process).not.toBe(`0.0.0.0:${row.port}`);
    }
    expect(run(["down"])).toSucceed();
  });
});

describe("status of a process that ended", () => {
  it("shows its exit code or signal and the reason, in the table and --json", async () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
processes:
  coded: { run: "sleep 1 && exit 3", restart: "no" }
  killed: { run: "sleep 1 && kill -9 $$", restart: "no" }
`,
    });
    expect(run(["up", "-d"])).toSucceed();
    await until(
      () =>
        (JSON.parse(run(["status", "--json"]).stdout) as ProcessStatus[]).every(
          (row) => row.state === "crashed",
        ),
      5000,
      "both to crash",
    );
    const rows = JSON.parse(run(["status", "--json"]).stdout) as ProcessStatus[];
    expect(rows.map((row) => [row.process, row.exit_code, row.exit_signal, row.reason])).toEqual([
      ["coded", 3, null, "exited with code 3"],
      ["killed", null, "SIGKILL", "killed by SIGKILL"],
    ]);
    const table = run(["status"]).stdout;
    expect(table).toMatch(/web\/coded\s+crashed \(exit 3\)/);
    expect(table).toMatch(/web\/killed\s+crashed \(SIGKILL\)/);
    expect(table).toContain("reason: exited with code 3");
  });
});

describe("instances a workspace no longer describes", () => {
  const usersManifest = `name: users
processes:
  api: { run: "PORT=\${processes.api.port} ${server}", port: auto, ready: { tcp: true } }
`;
  const pidOf = (run: Run, name: string) =>
    (JSON.parse(run(["status", "--json"]).stdout) as ProcessStatus[]).find(
      (row) => `${row.codebase}/${row.process}` === name,
    );

  it("after link, up stops the old folder's instance first; after unlink, down stops the fork's", () => {
    const { run } = runtimeWorkspace({
      "users/berth.yaml": usersManifest,
      "users-fork/berth.yaml": usersManifest,
      "web/berth.yaml":
        "name: web\nrequires:\n  users: { path: ../users }\nprocesses:\n  idle: { run: sleep 60 }\n",
    });
    expect(run(["up", "-d"])).toSucceed();
    const original = pidOf(run, "users/api");
    expect(run(["link", "users", "../users-fork"])).toSucceed();
    const up = run(["up", "-d"]);
    expect(up).toSucceed();
    expect(up.stdout).toMatch(/stopped users\/api \(replaced: users now runs from .*users-fork/);
    expect(alive(original?.pid ?? 0)).toBe(false);
    const fork = pidOf(run, "users/api");
    expect(fork?.dir).toMatch(/users-fork$/);
    expect(run(["status", "--all", "--json"]).stdout.match(/"users"/g)).toHaveLength(1);
    expect(run(["unlink", "users"])).toSucceed();
    expect(run(["down"]).stdout).toContain("users/api");
    expect(alive(fork?.pid ?? 0)).toBe(false);
    expect(JSON.parse(run(["status", "--all", "--json"]).stdout)).toEqual([]);
  });

  it("after update moves a git pin, up stops the old checkout's instance, and down the new one", () => {
    const { dir, run } = runtimeWorkspace({
      "web/berth.yaml":
        "name: web\nrequires:\n  pay: { git: ../payments, ref: main }\nprocesses:\n  idle: { run: sleep 60 }\n",
    });
    const repo = join(dir, "payments");
    initRepo(repo);
    const manifest = (version: string) => `name: payments\nprocesses:\n  api: { run: "sleep 6${version}" }\n`;
    commit(repo, { "berth.yaml": manifest("1") }, "first");
    expect(run(["up", "-d"])).toSucceed();
    const first = pidOf(run, "payments/api");
    commit(repo, { "berth.yaml": manifest("2") }, "second");
    expect(run(["update"])).toSucceed();
    const up = run(["up", "-d"]);
    expect(up).toSucceed();
    expect(up.stdout).toMatch(/stopped payments\/api \(replaced: payments now runs from /);
    expect(alive(first?.pid ?? 0)).toBe(false);
    const second = pidOf(run, "payments/api");
    commit(repo, { "berth.yaml": manifest("3") }, "third");
    expect(run(["update"])).toSucceed();
    expect(run(["down"]).stdout).toContain("payments/api");
    expect(alive(second?.pid ?? 0)).toBe(false);
    expect(JSON.parse(run(["status", "--all", "--json"]).stdout)).toEqual([]);
  });

  it("a process removed from the manifest is stopped by the next up, which says so", () => {
    const { dir, run } = runtimeWorkspace({
      "web/berth.yaml": "name: web\nprocesses:\n  keep: { run: sleep 60 }\n  gone: { run: sleep 61 }\n",
    });
    // Not following edits: the next up applies the edit (following, the supervisor would at once).
    expect(run(["up", "-d", "--no-watch"])).toSucceed();
    const gone = pidOf(run, "web/gone");
    writeFileSync(join(dir, "web", "berth.yaml"), "name: web\nprocesses:\n  keep: { run: sleep 60 }\n");
    const up = run(["up", "-d"]);
    expect(up).toSucceed();
    expect(up.stdout).toContain("stopped web/gone (removed from the manifest)");
    expect(alive(gone?.pid ?? 0)).toBe(false);
    expect(pidOf(run, "web/gone")).toBeUndefined();
  });
});

describe("workspaces sharing a state folder", () => {
  it("an attached up streams only its own workspace's output", async () => {
    const { dir, home, run } = runtimeWorkspace({
      "one/berth.yaml": `name: one\nprocesses:\n  talk: { run: START_LINE=from-one INTERVAL_MS=100 ${worker} }\n`,
      "two/berth.yaml": `name: two\nprocesses:\n  talk: { run: START_LINE=from-two INTERVAL_MS=100 ${worker} }\n`,
    });
    expect(run(["up", "-d"], "two")).toSucceed();
    const attached = spawnBerth(["up"], { cwd: join(dir, "one"), home });
    await until(() => attached.output().includes("Ctrl-C stops"), 15_000, "the attached up");
    await until(() => (attached.output().match(/one\/talk\s+│ tick/g) ?? []).length >= 5, 5000, "ticks");
    attached.kill("SIGINT");
    await new Promise((resolve) => attached.once("exit", resolve));
    expect(attached.output()).toContain("from-one");
    expect(attached.output()).not.toContain("two/talk");
  });
});

describe("down while an up waits", () => {
  it("says what it waits for and cancels the pending up, which fails saying so", async () => {
    const { dir, home, run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
processes:
  slow: { run: "PORT=\${processes.slow.port} LISTEN_AFTER_MS=30000 ${server}", port: auto, ready: { tcp: true } }
`,
    });
    const up = spawnBerth(["up", "-d"], { cwd: join(dir, "web"), home });
    await until(
      () =>
        (JSON.parse(run(["status", "--json"]).stdout || "[]") as ProcessStatus[])[0]?.state === "starting",
      10_000,
      "the up to wait on its probe",
    );
    const started = Date.now();
    const down = run(["down"]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(down).toSucceed();
    expect(down.stderr).toMatch(/cancelling berth up in .*web/);
    const code = await new Promise((resolve) => up.once("exit", resolve));
    expect(code).toBe(1);
    expect(up.output()).toContain("cancelled by `berth down`");
    expect(JSON.parse(run(["status", "--json"]).stdout)).toEqual([]);
  });
});

describe("smaller things", () => {
  itWith(["redis"], "logs reads a server's log as status names it (redis@7)", () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml":
        "name: web\nrequires:\n  cache: { provider: redis }\nprocesses:\n  idle: { run: sleep 60 }\n",
    });
    expect(run(["up", "-d"])).toSucceed();
    const server = (JSON.parse(run(["status", "--json"]).stdout) as ProcessStatus[]).find(
      (row) => row.process === "server",
    );
    const name = server?.codebase ?? "";
    expect(name).toMatch(/^redis@/);
    const logs = run(["logs", name]);
    expect(logs.stderr).toBe("");
    expect(logs).toSucceed();
    expect(logs.stdout).toContain(`${name}/server`);
    expect(logRecords(run, `${name}/server`).length).toBeGreaterThan(0);
  });

  it("restart of an unknown process says so, with a did-you-mean", () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": "name: web\nprocesses:\n  worker: { run: sleep 60 }\n",
    });
    expect(run(["up", "-d"])).toSucceed();
    const restart = run(["restart", "web/wroker"]);
    expect(restart.code).not.toBe(0);
    expect(restart.stderr).toContain("no process is named `wroker` in codebase web");
    expect(restart.stderr).toContain("did you mean `worker`?");
    expect(run(["restart", "wbe"]).stderr).toContain("did you mean `web`?");
  });

  it("restart applies a command edited since the process started (once the manifest is trusted)", () => {
    const { dir, run } = runtimeWorkspace({
      "web/berth.yaml": `name: web\nprocesses:\n  idle: { run: "echo version-one; exec sleep 60" }\n`,
    });
    // Not following edits: the edit is applied by the restart, not by the supervisor on its own.
    expect(run(["up", "-d", "--no-watch"])).toSucceed();
    expect(run(["restart", "web/idle"]).stdout).toBe("✓ restarted web/idle\n");
    const file = join(dir, "web", "berth.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("version-one", "version-two"));
    const untrusted = run(["restart", "web/idle"], "web", { BERTH_TRUST: "" });
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stderr).toContain("trust");
    const restart = run(["restart", "web/idle"]);
    expect(restart.stderr).toBe("");
    expect(restart.stdout).toContain("with what the manifest says now");
    expect(logRecords(run, "web/idle").map((record) => record.line)).toContain("version-two");
  });

  it("closing the terminal (SIGHUP) of an attached up stops what it started, as Ctrl-C does", async () => {
    const { dir, home, run } = runtimeWorkspace({
      "web/berth.yaml": "name: web\nprocesses:\n  idle: { run: sleep 60 }\n",
    });
    const up = spawnBerth(["up"], { cwd: join(dir, "web"), home });
    await until(() => up.output().includes("Ctrl-C stops"), 15_000, "the attached up");
    const [row] = JSON.parse(run(["status", "--json"]).stdout) as ProcessStatus[];
    up.kill("SIGHUP");
    await new Promise((resolve) => up.once("exit", resolve));
    expect(alive(row?.pid ?? 0)).toBe(false);
    expect(JSON.parse(run(["status", "--json"]).stdout)).toEqual([]);
  });
});

describe("a supervisor killed with SIGKILL", () => {
  it("leaves no daemon of its processes behind: the guardian finds them by their mark (Linux)", async () => {
    const seconds = `${3000 + Math.floor(Math.random() * 1000)}.5`;
    const { run, home } = runtimeWorkspace({
      "web/berth.yaml": `name: web\nprocesses:\n  daemon: { run: "setsid sleep ${seconds} & exec sleep 60" }\n`,
    });
    expect(run(["up", "-d"])).toSucceed();
    await until(() => pidsRunning("sleep", seconds).length === 1, 5000, "the daemon");
    process.kill(Number(readFileSync(join(home, "supervisor.pid"), "utf8")), "SIGKILL");
    await until(() => pidsRunning("sleep", seconds).length === 0, 8000, "the guardian to stop the daemon");
  });
});

describe("down of an attached up's workspace", () => {
  it("ends the attached up, which says it was stopped by down", async () => {
    const { dir, home, run } = runtimeWorkspace({
      "web/berth.yaml": "name: web\nprocesses:\n  idle: { run: sleep 60 }\n",
    });
    const up = spawnBerth(["up"], { cwd: join(dir, "web"), home });
    await until(() => up.output().includes("Ctrl-C stops"), 15_000, "the attached up");
    expect(run(["down"]).stdout).toContain("stopped web/idle");
    const code = await new Promise((resolve) => up.once("exit", resolve));
    expect(code).toBe(1);
    expect(up.output()).toContain("cancelled by `berth down`");
  });
});
