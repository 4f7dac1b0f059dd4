import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { twoTier } from "./helpers/manifests.js";
import {
  alive,
  groupMembers,
  programs,
  runtimeWorkspace,
  spawnBerth,
  status,
  until,
} from "./helpers/runtime.js";

const server = `node ${programs}/server.js`;
const worker = `node ${programs}/worker.js`;

const logLines = (run: ReturnType<typeof runtimeWorkspace>["run"], ...args: string[]) =>
  run(["logs", "--json", ...args])
    .stdout.trim()
    .split("\n")
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as { time: string; codebase: string; name: string; stream: string; line: string },
    );

describe("berth up -d and down", () => {
  it("starts in dependency order, gated on readiness, and down stops in reverse order leaving nothing", () => {
    const { run } = runtimeWorkspace(twoTier());
    const up = run(["up", "-d"]);
    expect(up.stderr).toBe("");
    expect(up).toSucceed();
    expect(up.stdout).toMatch(/✓ api\/http ready[\s\S]*✓ web\/site ready/);
    const rows = status(run);
    expect(rows.map((row) => [row.codebase, row.process, row.state])).toEqual([
      ["api", "http", "ready"],
      ["web", "site", "ready"],
    ]);
    const lines = logLines(run);
    const apiListening = lines.find((line) => line.codebase === "api" && line.line.startsWith("listening"));
    const webFirst = lines.find((line) => line.codebase === "web");
    expect(apiListening && webFirst && webFirst.time >= apiListening.time).toBe(true);

    const pids = rows.map((row) => row.pid ?? 0);
    const down = run(["down"]);
    expect(down.stdout).toBe("✓ stopped web/site, api/http\n");
    for (const pid of pids) expect(alive(pid)).toBe(false);
    const terms = logLines(run, "--grep", "got SIGTERM").map((line) => Number(line.line.split(" at ")[1]));
    expect(terms).toHaveLength(2);
    expect(logLines(run, "--grep", "got SIGTERM").map((line) => line.codebase)).toEqual(["web", "api"]);
    expect(status(run)).toEqual([]);
  });

  it("an up of what is already up and unchanged starts nothing", () => {
    const { run } = runtimeWorkspace(twoTier());
    run(["up", "-d"]);
    const before = status(run).map((row) => row.pid);
    const again = run(["up", "-d"]);
    expect(again).toSucceed();
    expect(again.stdout).toContain("· api/http already running");
    expect(again.stdout).toContain("· web/site already running");
    expect(status(run).map((row) => row.pid)).toEqual(before);
  });

  it("a reader that goes away ends the output, not the command: up -d still brings everything up, logs -f ends", () => {
    const { dir, home, run } = runtimeWorkspace(twoTier());
    // `| true` has gone before Berth writes its first line: every write meets a closed pipe (EPIPE).
    const piped = (...args: string[]) =>
      spawnSync(
        "bash",
        [
          "-c",
          'node "$@" 2>"$ERRORS" | true; exit "${PIPESTATUS[0]}"',
          "bash",
          join(programs, "..", "..", "..", "bin", "berth.js"),
          ...args,
        ],
        {
          cwd: join(dir, "web"),
          env: { ...process.env, BERTH_HOME: home, BERTH_TRUST: "1", ERRORS: join(home, "..", "errors") },
          encoding: "utf8",
          timeout: 30_000,
        },
      );
    const errors = () => readFileSync(join(home, "..", "errors"), "utf8");
    expect(piped("up", "-d").status).toBe(0);
    expect(errors()).toBe("");
    expect(status(run).map((row) => row.state)).toEqual(["ready", "ready"]);
    expect(piped("status").status).toBe(0);
    expect(errors()).toBe("");
    const follow = piped("logs", "-f");
    expect(follow.error).toBeUndefined();
    expect(follow.status).toBe(0);
    expect(errors()).toBe("");
  });

  it("down of one process stops only it; up starts it again", () => {
    const { run } = runtimeWorkspace(twoTier());
    expect(run(["up", "-d"])).toSucceed();
    const api = status(run).find((row) => row.codebase === "api");
    expect(run(["down", "web/site"]).stdout).toBe("✓ stopped web/site\n");
    expect(status(run).map((row) => `${row.codebase}/${row.process}`)).toEqual(["api/http"]);
    expect(status(run)[0]?.pid).toBe(api?.pid);
    expect(run(["down", "web/nope"]).stderr).toContain("no process is named `nope` in codebase web");
    expect(run(["up", "-d"])).toSucceed();
    expect(status(run).map((row) => row.state)).toEqual(["ready", "ready"]);
  });

  it("a changed manifest restarts only the changed process", () => {
    const { dir, run } = runtimeWorkspace(twoTier());
    run(["up", "-d"]);
    const before = status(run);
    const file = join(dir, "web", "berth.yaml");
    const { writeFileSync } = require("node:fs") as typeof import("node:fs");
    writeFileSync(file, readFileSync(file, "utf8").replace("NAME: web", "NAME: web2"));
    expect(run(["up", "-d"])).toSucceed();
    const after = status(run);
    expect(after.find((row) => row.codebase === "api")?.pid).toBe(
      before.find((row) => row.codebase === "api")?.pid,
    );
    expect(after.find((row) => row.codebase === "web")?.pid).not.toBe(
      before.find((row) => row.codebase === "web")?.pid,
    );
  });

  it("a manifest that no longer loads: what runs is still seen, waited for, read and stopped from its folder", () => {
    const { dir, run } = runtimeWorkspace(twoTier());
    // Not watched: the broken edit is for status, wait and down to meet, not for the watcher to report.
    expect(run(["up", "-d", "--no-watch"])).toSucceed();
    const file = join(dir, "web", "berth.yaml");
    writeFileSync(file, `${readFileSync(file, "utf8")}processes: [broken\n`);
    expect(run(["validate"]).code).not.toBe(0);
    expect(status(run).map((row) => `${row.codebase}/${row.process} ${row.state}`)).toEqual([
      "api/http ready",
      "web/site ready",
    ]);
    expect(run(["wait"])).toSucceed();
    const logs = run(["logs", "api"]);
    expect(logs).toSucceed();
    expect(logs.stdout).toMatch(/api\/http.*listening on \d+/);
    const down = run(["down"]);
    expect(down).toSucceed();
    expect(down.stdout).toMatch(/stopped .*web\/site/);
    expect(run(["status", "--all"]).stdout).toBe("nothing is running\n");
    expect(run(["down", "--all"]).stdout).toBe("nothing was running\n");
    // Starting anew needs a manifest that loads: up says where it does not.
    const up = run(["up", "-d"]);
    expect(up.code).not.toBe(0);
    expect(up.stderr).toMatch(/berth\.yaml:\d+:\d+/);
  });

  it("status --json has the documented keys, memory of the whole group, and a private socket", () => {
    const { run, home } = runtimeWorkspace(twoTier());
    run(["up", "-d"]);
    const [row] = status(run);
    expect(Object.keys(row ?? {})).toEqual(
      expect.arrayContaining([
        "codebase",
        "process",
        "state",
        "pid",
        "port",
        "restarts",
        "uptime_s",
        "rss_bytes",
      ]),
    );
    expect(row?.rss_bytes).toBeGreaterThan(5 * 1024 * 1024);
    expect(statSync(join(home, "supervisor.sock")).mode & 0o777).toBe(0o600);
    const text = run(["status"]).stdout;
    expect(text).toMatch(
      /^PROCESS\s+STATE\s+PID\s+PORT\s+RESTARTS\s+UPTIME\s+MEMORY\napi\/http\s+ready\s+\d+\s+\d+\s+0\s+\d+s\s+[\d.]+ MiB\n/,
    );
  });
});

describe("readiness probes", () => {
  it("http, tcp, exec and log probes each gate readiness", () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
env:
  LISTEN_AFTER_MS: "200"
processes:
  http: { run: "PORT=\${processes.http.port} ${server}", port: auto, ready: { http: /healthz } }
  tcp: { run: "PORT=\${processes.tcp.port} ${server}", port: auto, ready: { tcp: true } }
  exec: { run: "sleep 0.3; touch ready-flag; sleep 60", ready: { exec: "test -f ready-flag" } }
  log: { run: "START_LINE='all systems go' ${worker}", ready: { log: "systems go$" } }
`,
    });
    const up = run(["up", "-d"]);
    expect(up).toSucceed();
    for (const name of ["http", "tcp", "exec", "log"]) expect(up.stdout).toContain(`✓ web/${name} ready`);
    expect(status(run).every((row) => row.state === "ready")).toBe(true);
  });

  it("a probe that never passes fails at its deadline, saying the probe, tries, last result and output", () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
env:
  PORT: \${processes.site.port}
  HEALTH_STATUS: "503"
processes:
  site: { run: ${server}, port: auto, ready: { http: /healthz, timeout: 1s } }
`,
    });
    const up = run(["up", "-d"]);
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(
      /web\/site did not become ready in 1 s: http 127\.0\.0\.1:\d+\/healthz HTTP 503 after \d+ tries/,
    );
    expect(up.stderr).toMatch(/last lines of its output:\n {2}│ listening on \d+/);
    expect(status(run)[0]?.state).toBe("failed");
  });

  it("explains what a waiting step waits for while it waits", () => {
    const { run } = runtimeWorkspace(twoTier('LISTEN_AFTER_MS: "2600"'));
    const up = run(["up", "-d"]);
    expect(up).toSucceed();
    expect(up.stdout).toMatch(
      /… web\/site: waiting for api\/http: http 127\.0\.0\.1:\d+\/healthz refused, \d+ tries, [\d.]+ m?s/,
    );
  });
});

describe("restarts", () => {
  it("restarts a failing process with growing back-off, then stops at a crash loop with its last lines", async () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web
env:
  EXIT_AFTER_MS: "50"
processes:
  worker: { run: ${worker}, restart: on-failure }
`,
    });
    // Never ready (it exits within the no-probe grace period): the up fails once the loop is seen.
    expect(run(["up", "-d"]).code).toBe(1);
    await until(() => status(run)[0]?.state === "crashed", 15_000, "the crash loop");
    const [row] = status(run);
    expect(row?.restarts).toBe(4);
    const starts = logLines(run, "--grep", "^worker started$").map((line) => Date.parse(line.time));
    expect(starts).toHaveLength(5);
    const gaps = starts.slice(1).map((time, index) => time - (starts[index] ?? 0));
    for (const [index, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual(250 * 2 ** index);
    const notes = logLines(run, "--grep", "crashed 5 times");
    expect(notes[0]?.stream).toBe("berth");
  });

  it("restart: no leaves a crashed process crashed", async () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web\nenv:\n  EXIT_AFTER_MS: "50"\nprocesses:\n  worker: { run: ${worker}, restart: "no" }\n`,
    });
    run(["up", "-d"]);
    await until(() => status(run)[0]?.state === "crashed", 5000, "the crash");
    expect(status(run)[0]?.restarts).toBe(0);
  });

  it("berth restart restarts one process and leaves the others alone", () => {
    const { run } = runtimeWorkspace(twoTier('LISTEN_AFTER_MS: "0"'));
    run(["up", "-d"]);
    const before = status(run);
    const restart = run(["restart", "api/http"]);
    expect(restart.stdout).toBe("✓ restarted api/http\n");
    const after = status(run);
    expect(after.find((row) => row.codebase === "api")?.pid).not.toBe(
      before.find((row) => row.codebase === "api")?.pid,
    );
    expect(after.find((row) => row.codebase === "api")).toMatchObject({ state: "ready", restarts: 1 });
    expect(after.find((row) => row.codebase === "web")?.pid).toBe(
      before.find((row) => row.codebase === "web")?.pid,
    );
  });
});

describe("ports", () => {
  it("a port already taken is an error naming the process that holds it", async () => {
    const holder = spawnSync("true");
    expect(holder.status).toBe(0);
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { run } = runtimeWorkspace({
        "web/berth.yaml": `name: web\nenv:\n  PORT: \${processes.site.port}\nprocesses:\n  site: { run: ${server}, port: ${port} }\n`,
      });
      const up = run(["up", "-d"]);
      expect(up.code).toBe(1);
      expect(up.stderr).toContain(
        `port ${port}, wanted by web/site, is already taken by pid ${process.pid} (`,
      );
      expect(up.stderr).toContain(`hint: stop it (\`kill ${process.pid}\`)`);
    } finally {
      blocker.close();
    }
  });

  it("an auto port is chosen once and kept across restarts of the stack", () => {
    const { run } = runtimeWorkspace(twoTier('LISTEN_AFTER_MS: "0"'));
    run(["up", "-d"]);
    const first = status(run).map((row) => row.port);
    run(["down"]);
    run(["up", "-d"]);
    expect(status(run).map((row) => row.port)).toEqual(first);
  });
});

describe("no orphans", () => {
  it("when the supervisor is killed with SIGKILL, every process it started goes too, grandchildren included", async () => {
    const { run, home } = runtimeWorkspace({
      "web/berth.yaml": `name: web
env:
  SPAWN_CHILD: "1"
  IGNORE_TERM: "1"
processes:
  one: { run: "PORT=\${processes.one.port} ${server}", port: auto, ready: { tcp: true } }
  two: { run: "PORT=\${processes.two.port} ${server}", port: auto, ready: { tcp: true } }
`,
    });
    expect(run(["up", "-d"])).toSucceed();
    const groups = status(run).map((row) => row.pid ?? 0);
    const members = groups.flatMap(groupMembers);
    expect(members.length).toBeGreaterThanOrEqual(4);
    process.kill(Number(readFileSync(join(home, "supervisor.pid"), "utf8")), "SIGKILL");
    await until(
      () =>
        members.every(
          (pid) =>
            !alive(pid) ||
            (groupMembers(groups[0] ?? 0).length === 0 && groupMembers(groups[1] ?? 0).length === 0),
        ),
      8000,
      "the orphans to go",
    );
    expect(groups.flatMap(groupMembers)).toEqual([]);
  });
});

describe("attached up", () => {
  it("streams prefixed logs, and Ctrl-C stops what it started", async () => {
    const { dir, home, run } = runtimeWorkspace(twoTier('LISTEN_AFTER_MS: "0"'));
    const up = spawnBerth(["up"], { cwd: join(dir, "web"), home });
    await until(() => up.output().includes("Ctrl-C stops"), 15_000, "the attached up to be ready");
    expect(up.output()).toMatch(/api\/http\s+│ listening on \d+/);
    const pids = status(run).map((row) => row.pid ?? 0);
    up.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => up.once("exit", resolve));
    expect(code).toBe(0);
    expect(up.output()).toContain("stopping what this `up` started");
    for (const pid of pids) expect(alive(pid)).toBe(false);
    expect(status(run)).toEqual([]);
  });

  it("a second attached up attaches, and its Ctrl-C stops nothing it did not start", async () => {
    const { dir, home, run } = runtimeWorkspace(twoTier('LISTEN_AFTER_MS: "0"'));
    run(["up", "-d"]);
    const second = spawnBerth(["up"], { cwd: join(dir, "web"), home });
    await until(() => second.output().includes("Ctrl-C stops"), 15_000, "the second up to attach");
    expect(second.output()).toContain("already running");
    second.kill("SIGINT");
    await new Promise((resolve) => second.once("exit", resolve));
    expect(status(run).map((row) => row.state)).toEqual(["ready", "ready"]);
  });
});

describe("serialisation", () => {
  it("two concurrent ups of one workspace start each process once", async () => {
    const { dir, home, run } = runtimeWorkspace(twoTier());
    const first = spawnBerth(["up", "-d"], { cwd: join(dir, "web"), home });
    const second = spawnBerth(["up", "-d"], { cwd: join(dir, "web"), home });
    const codes = await Promise.all(
      [first, second].map((child) => new Promise((resolve) => child.once("exit", resolve))),
    );
    expect(codes).toEqual([0, 0]);
    const rows = status(run);
    expect(rows.map((row) => [row.codebase, row.restarts])).toEqual([
      ["api", 0],
      ["web", 0],
    ]);
    const outputs = first.output() + second.output();
    expect(outputs).toContain("already running");
  });
});

describe("logs, wait, exec, env", () => {
  it("logs --grep and --since filter; -f follows new lines", async () => {
    const { dir, home, run } = runtimeWorkspace({
      "web/berth.yaml": `name: web\nenv:\n  INTERVAL_MS: "100"\nprocesses:\n  worker: { run: ${worker} }\n`,
    });
    run(["up", "-d"]);
    await until(() => logLines(run, "--grep", "^tick").length >= 3, 5000, "ticks");
    expect(logLines(run, "--grep", "^tick").every((line) => line.line.startsWith("tick"))).toBe(true);
    expect(logLines(run, "--since", "1d").length).toBeGreaterThan(3);
    expect(logLines(run, "--since", "2026-01-01T00:00:00Z", "web/nothing")).toEqual([]);
    const follow = spawnBerth(["logs", "-f", "--grep", "tick", "web/worker"], {
      cwd: join(dir, "web"),
      home,
    });
    const seen = () =>
      follow
        .output()
        .split("\n")
        .filter((line) => line.includes("tick")).length;
    await until(() => seen() > 0, 5000, "the first lines");
    const first = seen();
    await until(() => seen() > first + 2, 5000, "followed lines");
    follow.kill("SIGINT");
    await new Promise((resolve) => follow.once("exit", resolve));
    expect(run(["logs", "--since", "yesterday-ish"]).stderr).toContain("--since yesterday-ish is not a time");
  });

  it("up --timeout gives up, stops what it started, and says what it still waited for", () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web\nenv:\n  PORT: \${processes.site.port}\n  HEALTH_STATUS: "500"\nprocesses:\n  site: { run: ${server}, port: auto, ready: { http: /healthz, timeout: 30s } }\n`,
    });
    const started = run(["up", "-d", "--timeout", "1s"]);
    expect(started.code).toBe(1);
    expect(started.stderr).toMatch(
      /not ready after 1 s; stopped what this `up` started\n {2}still waiting: web\/site: http 127\.0\.0\.1:\d+\/healthz HTTP 500/,
    );
    expect(status(run)).toEqual([]);
  });

  it("wait returns once ready, and on timeout says what it still waits for", async () => {
    const { dir, home, run } = runtimeWorkspace({
      "web/berth.yaml": `name: web\nenv:\n  PORT: \${processes.site.port}\n  LISTEN_AFTER_MS: "\${env.DELAY}"\nprocesses:\n  site: { run: ${server}, port: auto, ready: { http: /healthz } }\n`,
    });
    const up = spawnBerth(["up", "-d"], { cwd: join(dir, "web"), home, env: { DELAY: "4000" } });
    await until(() => status(run).length === 1, 10_000, "the process to start");
    const early = run(["wait", "--timeout", "1s"]);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(
      /still not ready after 1 s: web\/site \(starting: http 127\.0\.0\.1:\d+\/healthz refused/,
    );
    const late = run(["wait", "--timeout", "20s"]);
    expect(late.stdout).toBe("✓ ready: web/site\n");
    await new Promise((resolve) => up.once("exit", resolve));
  });

  it("exec runs with the codebase's environment; env masks secrets unless --show", () => {
    const files = twoTier('LISTEN_AFTER_MS: "0"');
    files["web/berth.yaml"] = files["web/berth.yaml"].replace(
      "  NAME: web\n",
      "  NAME: web\n  API_PASSWORD: hunter22\n  DB_URL: postgres://app:s3cret@127.0.0.1/app\n",
    );
    const { run } = runtimeWorkspace(files);
    run(["up", "-d"]);
    const port = status(run).find((row) => row.codebase === "api")?.port;
    const exec = run(["exec", "web", "--", "sh", "-c", "echo $API_URL; pwd"]);
    expect(exec.stdout).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}\\n.*/web\\n$`));
    const env = run(["env"]).stdout;
    expect(env).toContain("API_PASSWORD=****\n");
    expect(env).toContain("DB_URL=postgres://app:****@127.0.0.1/app\n");
    expect(run(["env", "--show"]).stdout).toContain("API_PASSWORD=hunter22\n");
    expect(run(["exec", "web", "--", "sh", "-c", "exit 3"]).code).toBe(3);
  });

  it("an untrusted manifest runs nothing", () => {
    const { run } = runtimeWorkspace(twoTier());
    const up = run(["up", "-d"], "web", { BERTH_TRUST: "" });
    expect(up.code).toBe(1);
    expect(up.stderr).toContain("is not trusted; its commands will not run");
    expect(up.stderr).toContain("berth trust");
  });
});

describe("stopping", () => {
  it("escalates to SIGKILL after stop_timeout for a process that ignores SIGTERM", () => {
    const { run } = runtimeWorkspace({
      "web/berth.yaml": `name: web\nenv:\n  PORT: \${processes.site.port}\n  IGNORE_TERM: "1"\nprocesses:\n  site: { run: ${server}, port: auto, ready: { tcp: true }, stop_timeout: 500ms }\n`,
    });
    run(["up", "-d"]);
    const pid = status(run)[0]?.pid ?? 0;
    const started = Date.now();
    run(["down"]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(alive(pid)).toBe(false);
  });
});

describe("task caching without databases", () => {
  /** How many times a task ran: the lines it appended to its log. */
  const lineCount = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean).length;

  it("a task runs again when a path it creates is gone, and is skipped otherwise", () => {
    const { dir, run } = runtimeWorkspace({
      "web/berth.yaml": `name: web\ntasks:\n  install: { run: "mkdir -p made && echo ran >> installs.log", inputs: [berth.yaml], creates: [made] }\nprocesses:\n  worker: { run: ${worker} }\n`,
    });
    const runs = () => lineCount(join(dir, "web", "installs.log"));
    expect(run(["up", "-d"]).stdout).toContain("✓ install:web");
    expect(run(["up", "-d"]).stdout).toContain("· install:web cached");
    expect(runs()).toBe(1);
    rmSync(join(dir, "web", "made"), { recursive: true });
    expect(run(["up", "-d"]).stdout).toContain("✓ install:web");
    expect(runs()).toBe(2);
  });

  it("a task runs again when a value of its env_file changes, as a process restarts", () => {
    const { dir, run } = runtimeWorkspace({
      "web/berth.yaml": `name: web\nenv_file: .env\ntasks:\n  migrate: { run: "echo ran >> migrations.log" }\nprocesses:\n  worker: { run: ${worker} }\n`,
      "web/.env": "DATABASE_SCHEMA=first\n",
    });
    const runs = () => lineCount(join(dir, "web", "migrations.log"));
    // Not following edits: the next up is what applies the change (following, the supervisor would at once).
    expect(run(["up", "-d", "--no-watch"]).stdout).toContain("✓ migrate:web");
    expect(run(["up", "-d", "--no-watch"]).stdout).toContain("· migrate:web cached");
    writeFileSync(join(dir, "web", ".env"), "DATABASE_SCHEMA=second\n");
    const changed = run(["up", "-d", "--no-watch"]).stdout;
    expect(changed).toContain("✓ migrate:web");
    expect(changed).not.toContain("web/worker already running");
    expect(runs()).toBe(2);
  });
});
