import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { bin, type Row, runBerth } from "./harness.js";
import { cpuSeconds, inotifyWatches, rssMiB } from "./proc-stat.js";

// What watching costs while nothing changes: the supervisor of a workspace whose codebase is a tree of ~40k
// files (30k in node_modules, 3k in a gitignored build/), with a process watching `src/**` and a task whose
// input is package-lock.json, against the same manifest brought up with `--no-watch`; beside it the floors
// (bench/watch-floor.mjs) watching the same paths: one fs.watch per folder, and chokidar 5 alone.

const MANIFEST = `name: big
tasks:
  install: { run: "true", inputs: [package-lock.json] }
processes:
  web:
    run: node server.js
    port: auto
    ready: { http: / }
    watch: ["src/**"]
`;

const SERVER = `import { createServer } from "node:http";
createServer((req, res) => res.end("ok")).listen(Number(process.env.PORT), "127.0.0.1");
`;

/** `count` files spread over folders of `perFolder`, two levels deep under `root`. */
function spread(root: string, count: number, perFolder: number, name: (i: number) => string): number {
  for (let i = 0; i < count; i++) {
    const folder = join(root, `m${Math.floor(i / (perFolder * 10))}`, `d${Math.floor(i / perFolder) % 10}`);
    if (i % perFolder === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, name(i)), `export const n = ${i};\n`);
  }
  return count;
}

/** The tree: 30 000 files in node_modules, 5 000 in src, 3 000 in build (gitignored), 2 000 in docs and test. */
function makeTree(): { dir: string; files: number } {
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-tree-"));
  let files = 0;
  for (let p = 0; p < 1000; p++) {
    const pkg = join(dir, "node_modules", `pkg-${p}`);
    mkdirSync(join(pkg, "lib", "util"), { recursive: true });
    writeFileSync(join(pkg, "package.json"), `{ "name": "pkg-${p}", "version": "1.0.0" }\n`);
    for (let f = 0; f < 29; f++)
      writeFileSync(join(pkg, f < 15 ? "lib" : join("lib", "util"), `f${f}.js`), `module.exports = ${f};\n`);
    files += 30;
  }
  files += spread(join(dir, "src"), 5000, 25, (i) => `file${i}.js`);
  files += spread(join(dir, "build"), 3000, 50, (i) => `chunk${i}.js`);
  files += spread(join(dir, "docs"), 1000, 50, (i) => `page${i}.md`);
  files += spread(join(dir, "test"), 1000, 50, (i) => `case${i}.test.js`);
  const top: Record<string, string> = {
    ".gitignore": "build/\n*.log\n",
    "package.json": '{ "name": "big", "private": true, "type": "module" }\n',
    "package-lock.json": '{ "name": "big", "lockfileVersion": 3, "packages": {} }\n',
    "server.js": SERVER,
    "berth.yaml": MANIFEST,
  };
  for (const [file, text] of Object.entries(top)) writeFileSync(join(dir, file), text);
  return { dir, files: files + Object.keys(top).length };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Milliseconds from `start` until the supervisor's watch count last changed, once it has held still for 1 s:
 * when its watcher has finished scanning (Berth says nothing when it is ready to see changes).
 */
async function untilWatchesSettle(pid: number, start: number): Promise<{ ms: number; watches: number }> {
  let watches = inotifyWatches(pid);
  let changedAt = performance.now();
  while (performance.now() - changedAt < 1000 && performance.now() - start < 60_000) {
    await pause(20);
    const now = inotifyWatches(pid);
    if (now !== watches) {
      watches = now;
      changedAt = performance.now();
    }
  }
  return { ms: changedAt - start, watches };
}

/** How long the CPU is measured idle, and when (after the watch count held still) RSS is read. */
interface Seconds {
  cpu: number;
  rss: number;
}

interface Idle {
  /** From the command's start until it returned (`up -d`) or said "ready" (the floor). */
  readyMs: number;
  /** From the command's start until the watch count held still. */
  settleMs: number;
  watches: number;
  /** RSS 1.5 s after the watch count held still, and at the end (V8 gives back the scan's heap after ~30 s quiet). */
  rssEarly: number;
  rss: number;
  cpuPercent: number;
}

async function idle(pid: number, start: number, readyMs: number, seconds: Seconds): Promise<Idle> {
  const settled = await untilWatchesSettle(pid, start);
  // The supervisor gives garbage back once it has been quiet for a second.
  await pause(1500);
  const settledAt = performance.now();
  const rssEarly = rssMiB(pid);
  const before = cpuSeconds(pid);
  await pause(seconds.cpu * 1000);
  const cpuPercent = ((cpuSeconds(pid) - before) / ((performance.now() - settledAt) / 1000)) * 100;
  await pause(Math.max(0, seconds.rss * 1000 - (performance.now() - settledAt)));
  return {
    readyMs,
    settleMs: settled.ms,
    watches: inotifyWatches(pid),
    rssEarly,
    rss: rssMiB(pid),
    cpuPercent,
  };
}

async function measureBerth(dir: string, args: string[], seconds: Seconds): Promise<Idle> {
  const home = mkdtempSync(join(tmpdir(), "berth-bench-home-"));
  try {
    const start = performance.now();
    const upMs = runBerth(dir, home, ["up", "-d", ...args]).ms;
    const pid = Number(readFileSync(join(home, "supervisor.pid"), "utf8"));
    return await idle(pid, start, upMs, seconds);
  } finally {
    spawnSync(process.execPath, [bin, "down", "--all"], {
      cwd: dir,
      env: { ...process.env, BERTH_HOME: home },
    });
    rmSync(home, { recursive: true, force: true });
  }
}

async function measureFloor(dir: string, floorArgs: string[], seconds: Seconds): Promise<Idle> {
  const start = performance.now();
  const child = spawn(process.execPath, [join(import.meta.dirname, "watch-floor.mjs"), ...floorArgs], {
    cwd: dir,
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const readyMs = await new Promise<number>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("ready")) resolve(performance.now() - start);
      });
      child.once("exit", (code) => reject(new Error(`the watch floor exited (${code}) before it was ready`)));
    });
    return await idle(child.pid ?? 0, start, readyMs, seconds);
  } finally {
    child.kill("SIGTERM");
  }
}

export async function benchWatchIdle(options: { quick: boolean }): Promise<Row[]> {
  const seconds: Seconds = options.quick ? { cpu: 5, rss: 5 } : { cpu: 20, rss: 60 };
  const tree = makeTree();
  try {
    const watched = ["src", "package-lock.json", "berth.yaml"];
    const off = await measureBerth(tree.dir, ["--no-watch"], seconds);
    const on = await measureBerth(tree.dir, [], seconds);
    const bare = await measureFloor(tree.dir, ["none"], seconds);
    const floor = await measureFloor(tree.dir, ["folders", ...watched], seconds);
    const chokidar = await measureFloor(tree.dir, ["chokidar", ...watched], seconds);
    const label = `${Math.round(tree.files / 1000)}k-file tree`;
    const growth = (idle: Idle) => idle.rss - bare.rss;
    return [
      {
        benchmark: `watching a ${label}: supervisor RSS growth after ${seconds.rss} s (${on.rss.toFixed(1)} vs ${off.rss.toFixed(1)} MiB with --no-watch; ${on.rssEarly.toFixed(1)} vs ${off.rssEarly.toFixed(1)} at first)`,
        berth: on.rss - off.rss,
        floor: growth(floor),
        peers: { "chokidar alone": growth(chokidar) },
        unit: "MiB",
        target: "< 30 MiB",
      },
      {
        benchmark: `watching a ${label}: supervisor CPU idle over ${seconds.cpu} s (--no-watch ${off.cpuPercent.toFixed(2)} %)`,
        berth: on.cpuPercent,
        floor: floor.cpuPercent,
        peers: { "chokidar alone": chokidar.cpuPercent },
        unit: "%",
        target: "< 1 %",
      },
      {
        benchmark: `watching a ${label}: inotify watches (--no-watch ${off.watches})`,
        berth: on.watches,
        floor: floor.watches,
        peers: { "chokidar alone": chokidar.watches },
        unit: "count",
      },
      {
        benchmark: `watching a ${label}: until the watch count holds still (berth from up -d, --no-watch ${Math.round(off.settleMs)} ms; floors from spawn)`,
        berth: on.settleMs,
        floor: floor.settleMs,
        peers: { "chokidar alone": chokidar.settleMs },
        unit: "ms",
      },
      {
        benchmark: `watching a ${label}: up -d returned (--no-watch ${Math.round(off.readyMs)} ms); floors: "ready"`,
        berth: on.readyMs,
        floor: floor.readyMs,
        peers: { "chokidar alone": chokidar.readyMs },
        unit: "ms",
      },
    ];
  } finally {
    rmSync(tree.dir, { recursive: true, force: true });
  }
}
