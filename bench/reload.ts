import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { bin, median, printTable, type Row, runBerth } from "./harness.js";
import { cpuSeconds } from "./proc-stat.js";
import { benchWatchIdle } from "./watch-idle.js";

// Save → ready again: the time from the write of an edited file to the first HTTP answer that carries the
// new version, for the same server and the same edit under each runner. The server reads its version from a
// module it imports at start, so only a restarted process answers with the new one.

const peersBin = join(import.meta.dirname, ".peers", "node_modules", ".bin");

const SERVER = `import { appendFileSync } from "node:fs";
import { createServer } from "node:http";
import { version } from "./version.js";
createServer((req, res) => res.end(String(version))).listen(Number(process.env.PORT), "127.0.0.1", () =>
  appendFileSync("starts.log", \`\${process.pid} \${performance.timeOrigin} \${performance.timeOrigin + performance.now()}\\n\`),
);
`;

const version = (n: number) => `export const version = ${n};\n`;

interface Running {
  port: number;
  /** The runner's own process (floor script, nodemon, entr, Berth's supervisor): its CPU per save is counted. */
  pid: number;
  stop(): void;
  /** What the runner says about itself, printed under BENCH_DEBUG when a save is missed. */
  describe?(): string;
}

/** Milliseconds from a save until: the old server no longer answered, the new one's process began, it listened, it answered. */
interface Phases {
  gone: number;
  began: number;
  listened: number;
  answered: number;
}

interface Runner {
  name: string;
  available(): boolean;
  start(dir: string): Running;
}

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-reload-"));
  writeFileSync(join(dir, "package.json"), '{ "name": "reload", "private": true, "type": "module" }\n');
  writeFileSync(join(dir, "server.js"), SERVER);
  writeFileSync(join(dir, "version.js"), version(0));
  writeFileSync(join(dir, "starts.log"), "");
  return dir;
}

/** Below the ephemeral range (32768+), so no client socket of the polling can hold the server's port. */
const freePort = () => 10_000 + Math.floor(Math.random() * 20_000);

/** A peer in its own process group, stopped with the group (nodemon and entr pass SIGTERM on, but not always in time). */
function group(dir: string, command: string, args: string[], port: number): Running {
  const child: ChildProcess = spawn(command, args, {
    cwd: dir,
    env: { ...process.env, PORT: String(port) },
    stdio: "ignore",
    detached: true,
  });
  return {
    port,
    pid: child.pid ?? 0,
    stop: () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGTERM");
      } catch {
        // gone already
      }
    },
  };
}

function berthRunner(name: string, debounce?: number): Runner {
  return {
    name,
    available: () => existsSync(join(import.meta.dirname, "..", "dist")),
    start: (dir) => {
      const home = mkdtempSync(join(tmpdir(), "berth-bench-home-"));
      const setting = debounce === undefined ? "" : `\n    watch_debounce: ${debounce}`;
      writeFileSync(
        join(dir, "berth.yaml"),
        `name: reload\nprocesses:\n  web:\n    run: node server.js\n    port: auto\n    ready: { http: / }\n    watch: ["*.js"]${setting}\n`,
      );
      runBerth(dir, home, ["up", "-d"]);
      const status = JSON.parse(runBerth(dir, home, ["status", "--json"]).stdout) as { port: number }[];
      return {
        port: status[0]?.port ?? 0,
        pid: Number(readFileSync(join(home, "supervisor.pid"), "utf8")),
        describe: () => runBerth(dir, home, ["status", "--json"]).stdout,
        stop: () => {
          spawnSync(process.execPath, [bin, "down", "--all"], {
            cwd: dir,
            env: { ...process.env, BERTH_HOME: home },
          });
          rmSync(home, { recursive: true, force: true });
        },
      };
    },
  };
}

const runners: Runner[] = [
  {
    name: "floor",
    available: () => true,
    start: (dir) =>
      group(
        dir,
        process.execPath,
        [join(import.meta.dirname, "reload-floor.mjs"), "version.js", process.execPath, "server.js"],
        freePort(),
      ),
  },
  {
    name: "nodemon",
    available: () => existsSync(join(peersBin, "nodemon")),
    start: (dir) => group(dir, join(peersBin, "nodemon"), ["server.js"], freePort()),
  },
  {
    // entr reads the keyboard from /dev/tty unless -n; the bench has no terminal, so -n (nothing else changes).
    name: "entr",
    available: () => spawnSync("sh", ["-c", "command -v entr"]).status === 0,
    start: (dir) => group(dir, "sh", ["-c", "ls version.js | exec entr -n -r node server.js"], freePort()),
  },
  berthRunner("berth, watch_debounce: 0", 0),
  berthRunner("berth, default debounce"),
];

function answer(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on("end", () => resolve(body));
    });
    req.on("error", () => resolve(undefined));
    req.end();
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls every 2 ms until the server answers `expected`: the time since `start`, and when it first did not
 * answer at all (the old server gone), or undefined after `timeoutMs`.
 */
async function untilAnswers(port: number, expected: string, start: number, timeoutMs: number) {
  let goneMs: number | undefined;
  while (performance.now() - start < timeoutMs) {
    const body = await answer(port);
    if (body === expected) return { ms: performance.now() - start, goneMs: goneMs ?? Number.NaN };
    if (body === undefined) goneMs ??= performance.now() - start;
    await pause(2);
  }
  return undefined;
}

/** Each start of the server: its pid, when its process began and when it listened (ms since the epoch). */
function startsOf(dir: string): { pid: number; began: number; listened: number }[] {
  return readFileSync(join(dir, "starts.log"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => {
      const [pid = 0, began = 0, listened = 0] = line.split(" ").map(Number);
      return { pid, began, listened };
    });
}

function killLeftovers(dir: string): number {
  let left = 0;
  for (const { pid } of startsOf(dir)) {
    try {
      process.kill(pid, "SIGKILL");
      left++;
    } catch {
      // exited, as it should have
    }
  }
  return left;
}

function p90(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.9) - 1)] ?? 0;
}

export async function benchReload(options: { quick: boolean }): Promise<Row[]> {
  installNodemon();
  // Rounds of saves, each runner in turn within a round, so that the machine's drift is shared by all.
  const rounds = Number(process.env.BENCH_RUNS) || (options.quick ? 1 : 4);
  const savesPerRound = 5;
  // A save's restart (and Berth's 300 ms quiet window) is long over after 1 s; 2.5 s apart, saves are a
  // person's for any loop guard (Berth's took five saves 1 s apart for the process's own writes before
  // bc88a0b; BENCH_SAVE_PAUSE_MS=1000 checks it).
  const settleMs = Number(process.env.BENCH_SAVE_PAUSE_MS) || 2500;
  const wanted = process.env.BENCH_PEERS?.split(",");
  const chosen = runners.filter(
    (runner) => (!wanted || wanted.some((name) => runner.name.startsWith(name))) && runner.available(),
  );
  const times = new Map<string, number[]>();
  const restarts = new Map<string, number[]>();
  const phases = new Map<string, Phases[]>();
  // The runner's CPU from each save until the next (clock ticks of 10 ms: a mean, not a median).
  const cpu = new Map<string, number[]>();
  const notes: string[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const runner of chosen) {
      const dir = project();
      let running: Running | undefined;
      try {
        running = runner.start(dir);
        const startedAt = performance.now();
        if ((await untilAnswers(running.port, "0", startedAt, 20_000)) === undefined)
          throw new Error("never answered at start");
        // Watchers are ready some time after the server is (chokidar scans, entr reads its list).
        await pause(settleMs);
        for (let save = 1; save <= savesPerRound; save++) {
          const before = startsOf(dir).length;
          const cpuBefore = cpuSeconds(running.pid);
          const start = performance.now();
          const savedAt = performance.timeOrigin + start;
          writeFileSync(join(dir, "version.js"), version(save));
          const answered = await untilAnswers(running.port, String(save), start, 10_000);
          if (answered !== undefined) await pause(settleMs);
          cpu.set(runner.name, [
            ...(cpu.get(runner.name) ?? []),
            (cpuSeconds(running.pid) - cpuBefore) * 1000,
          ]);
          // Server starts caused by this save: one is right; a save that never reaches the server counts 0.
          const starts = startsOf(dir).length - before;
          restarts.set(runner.name, [...(restarts.get(runner.name) ?? []), starts]);
          if (answered === undefined)
            throw new Error(`save ${save}: the new version was not served within 10 s`);
          times.set(runner.name, [...(times.get(runner.name) ?? []), answered.ms]);
          const first = startsOf(dir)[before];
          phases.set(runner.name, [
            ...(phases.get(runner.name) ?? []),
            {
              gone: answered.goneMs,
              began: (first?.began ?? Number.NaN) - savedAt,
              listened: (first?.listened ?? Number.NaN) - savedAt,
              answered: answered.ms,
            },
          ]);
        }
      } catch (error) {
        notes.push(`${runner.name}, round ${round + 1}: ${(error as Error).message}`);
        if (process.env.BENCH_DEBUG && running?.describe) console.log(running.describe());
      } finally {
        running?.stop();
        await pause(300);
        const left = killLeftovers(dir);
        if (left > 0)
          notes.push(`${runner.name}, round ${round + 1}: ${left} server(s) left running after stop`);
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
  if (process.env.BENCH_DEBUG) {
    for (const [name, values] of times) console.log(name, values.map((value) => Math.round(value)).join(" "));
    for (const [name, values] of restarts) console.log(`${name}, server starts per save:`, values.join(" "));
  }
  for (const note of notes) console.log(`note: reload: ${note}`);
  // Where the time goes: noticing the save and stopping the old server; spawning the new one; Node's start
  // and the server's own; the poll that sees it.
  const at = (name: string, phase: keyof Phases) =>
    Math.round(
      median((phases.get(name) ?? []).map((entry) => entry[phase]).filter((ms) => !Number.isNaN(ms))),
    );
  console.log(
    `medians from the save, old server gone / new one spawned / listening / answered:\n${[...phases.keys()]
      .map(
        (name) =>
          `  ${name}: ${at(name, "gone")} / ${at(name, "began")} / ${at(name, "listened")} / ${at(name, "answered")} ms`,
      )
      .join("\n")}`,
  );
  const saves = (name: string) => times.get(name)?.length ?? 0;
  const starts = (name: string) => restarts.get(name) ?? [];
  console.log(
    `runner's own CPU per save (mean): ${[...cpu]
      .map(
        ([name, values]) =>
          `${name} ${(values.reduce((sum, ms) => sum + ms, 0) / values.length).toFixed(1)} ms`,
      )
      .join(", ")}`,
  );
  console.log(
    `server starts per save (1 is right): ${chosen
      .filter((runner) => starts(runner.name).length > 0)
      .map((runner) => {
        const counts = starts(runner.name);
        const off = counts.filter((count) => count !== 1).length;
        return `${runner.name} ${(counts.reduce((sum, count) => sum + count, 0) / counts.length).toFixed(2)}${off > 0 ? ` (${off} of ${counts.length} saves not 1)` : ""}`;
      })
      .join(", ")}`,
  );
  const rows: Row[] = [];
  const peers = ["nodemon", "entr"].filter((name) => times.has(name));
  const berths = chosen.map((runner) => runner.name).filter((name) => name.startsWith("berth"));
  for (const [label, figure] of [
    ["median", median],
    ["p90", p90],
  ] as const) {
    const of = (name: string) => (times.has(name) ? figure(times.get(name) ?? []) : Number.NaN);
    // Without a Berth row (BENCH_PEERS=floor,nodemon,entr), one row still shows the floor and the peers.
    for (const name of berths.length > 0 ? berths : ["berth (not run)"]) {
      rows.push({
        benchmark: `save → ready again, ${label} of ${saves(name) || saves("floor")} saves (${name})`,
        berth: of(name),
        floor: of("floor"),
        peers: Object.fromEntries(peers.map((peer) => [peer, of(peer)])),
        unit: "ms",
        ...(name.endsWith(" 0") ? { target: "≤ 1.10× floor, ahead of peers" } : {}),
      });
    }
  }
  if (process.env.BENCH_IDLE !== "0") rows.push(...(await benchWatchIdle(options)));
  return rows;
}

/** nodemon is installed beside the other peers on first use (never into the project's dependencies). */
function installNodemon(): void {
  if (existsSync(join(peersBin, "nodemon"))) return;
  const folder = join(import.meta.dirname, ".peers");
  mkdirSync(folder, { recursive: true });
  if (!existsSync(join(folder, "package.json")))
    writeFileSync(join(folder, "package.json"), '{ "name": "peers", "private": true }\n');
  console.log("note: installing nodemon into bench/.peers");
  const result = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", "nodemon"], {
    cwd: folder,
    stdio: "inherit",
  });
  if (result.status !== 0) console.log("note: nodemon could not be installed; it is left out of this run");
}

// `npx tsx bench/reload.ts [--quick]` runs this part alone (after `npm run build` for the Berth rows).
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const quick = process.argv.includes("--quick");
  console.log(
    `berth reload benchmarks${quick ? " (quick)" : ""}: node ${process.version}, ${new Date().toISOString()}`,
  );
  printTable(await benchReload({ quick }));
}
