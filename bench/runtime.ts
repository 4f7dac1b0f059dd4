import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  watch,
  writeFileSync,
} from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { bin, median, type Row, runBerth } from "./harness.js";

const peersBin = join(import.meta.dirname, ".peers", "node_modules", ".bin");

const SERVER = `import { createServer } from "node:http";
import { writeFileSync } from "node:fs";
const port = Number(process.env.PORT);
createServer((req, res) => res.end("ok")).listen(port, "127.0.0.1", () => writeFileSync(process.env.PIDS + "/" + port, String(process.pid)));
`;

interface Job {
  dir: string;
  ports: number[];
  pids: string;
  server: string;
}

function job(n: number): Job {
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-runtime-"));
  const pids = join(dir, "pids");
  mkdirSync(pids);
  writeFileSync(join(dir, "server.mjs"), SERVER);
  // Below the ephemeral range (32768+), so no client socket of the run itself can hold a server port.
  const base = 10_000 + Math.floor(Math.random() * 20_000);
  return { dir, ports: Array.from({ length: n }, (_, i) => base + i), pids, server: join(dir, "server.mjs") };
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/", agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.end();
  });
}

/**
 * Milliseconds from `start` until every server has answered once. Each server writes its pid file once
 * its port listens, and the folder is watched: polling ten ports every 5 ms took CPU from the servers
 * starting on this 2-core machine (the floor of 10 servers read 20–40 ms slower), for every runner alike.
 */
async function untilAllAnswer(j: Job, start: number, timeoutMs = 60_000): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const finish = (error?: Error) => {
      watcher.close();
      clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      if (readdirSync(j.pids).length >= j.ports.length) finish();
    };
    const watcher = watch(j.pids, check);
    const timer = setTimeout(() => {
      const listening = new Set(readdirSync(j.pids).map(Number));
      finish(new Error(`ports never answered: ${j.ports.filter((port) => !listening.has(port)).join(", ")}`));
    }, timeoutMs);
    check();
  });
  const silent = (
    await Promise.all(j.ports.map(async (port) => ((await answers(port)) ? [] : [port])))
  ).flat();
  if (silent.length > 0) throw new Error(`ports listen but do not answer: ${silent.join(", ")}`);
  return performance.now() - start;
}

/** A pause before each measured start, so that no runner starts while the one before it is still winding down. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 300));
}

function serverPids(job: Job): number[] {
  return existsSync(job.pids)
    ? readdirSync(job.pids).map((file) => Number(readFileSync(join(job.pids, file), "utf8")))
    : [];
}

/** Alive and not a zombie: a zombie whose parent died waits for PID 1 to reap it, and holds nothing. */
function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.startsWith("Z");
  } catch {
    return false;
  }
}

/** Milliseconds until every server process is gone, and how many are left after 3 s. */
async function untilAllGone(pids: number[], start: number): Promise<{ ms: number; left: number }> {
  while (pids.some(alive) && performance.now() - start < 3000)
    await new Promise((resolve) => setTimeout(resolve, 2));
  const left = pids.filter(alive);
  for (const pid of left) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
  return { ms: performance.now() - start, left: left.length };
}

const env = (job: Job, port: number) => `PIDS=${job.pids} PORT=${port}`;

interface Runner {
  name: string;
  available(): boolean;
  /** Starts all servers; returns a stop function. */
  start(job: Job): ChildProcess | undefined;
  stop(job: Job, child: ChildProcess | undefined): void;
}

const peers: Runner[] = [
  {
    name: "floor",
    available: () => true,
    start: (j) => {
      const script = `const { spawn } = require("node:child_process");\n${j.ports.map((port) => `spawn(process.execPath, [${JSON.stringify(j.server)}], { env: { ...process.env, PORT: "${port}", PIDS: ${JSON.stringify(j.pids)} }, stdio: "inherit" });`).join("\n")}\nprocess.on("SIGTERM", () => process.exit(0));`;
      writeFileSync(join(j.dir, "floor.cjs"), script);
      return spawn(process.execPath, [join(j.dir, "floor.cjs")], { stdio: "ignore" });
    },
    stop: (j, child) => {
      child?.kill("SIGTERM");
      for (const pid of serverPids(j)) if (alive(pid)) process.kill(pid, "SIGTERM");
    },
  },
  {
    name: "mprocs",
    available: () => existsSync(join(peersBin, "mprocs")),
    start: (j) => {
      const procs = j.ports
        .map((port) => `  s${port}:\n    shell: "${env(j, port)} node ${j.server}"`)
        .join("\n");
      writeFileSync(join(j.dir, "mprocs.yaml"), `procs:\n${procs}\n`);
      return spawn(
        "script",
        ["-qfec", `${join(peersBin, "mprocs")} --config ${join(j.dir, "mprocs.yaml")}`, "/dev/null"],
        { stdio: "ignore", cwd: j.dir },
      );
    },
    stop: (_j, child) => child?.kill("SIGTERM"),
  },
  {
    name: "foreman",
    available: () => existsSync(join(peersBin, "nf")),
    start: (j) => {
      writeFileSync(
        join(j.dir, "Procfile"),
        j.ports.map((port) => `s${port}: ${env(j, port)} node ${j.server}`).join("\n"),
      );
      return spawn(join(peersBin, "nf"), ["start", "-j", join(j.dir, "Procfile")], {
        stdio: "ignore",
        cwd: j.dir,
      });
    },
    stop: (_j, child) => child?.kill("SIGTERM"),
  },
  {
    name: "concurrently",
    available: () => existsSync(join(peersBin, "concurrently")),
    start: (j) =>
      spawn(
        join(peersBin, "concurrently"),
        ["-k", ...j.ports.map((port) => `${env(j, port)} node ${j.server}`)],
        { stdio: "ignore", cwd: j.dir },
      ),
    stop: (_j, child) => child?.kill("SIGTERM"),
  },
  {
    name: "pm2",
    available: () => existsSync(join(peersBin, "pm2")),
    start: (j) => {
      const apps = j.ports.map((port) => ({
        name: `s${port}`,
        script: j.server,
        env: { PORT: String(port), PIDS: j.pids },
      }));
      writeFileSync(join(j.dir, "ecosystem.config.cjs"), `module.exports = ${JSON.stringify({ apps })};`);
      return spawn(join(peersBin, "pm2"), ["start", join(j.dir, "ecosystem.config.cjs")], {
        stdio: "ignore",
        cwd: j.dir,
        env: { ...process.env, PM2_HOME: join(j.dir, "pm2") },
      });
    },
    stop: (j) => {
      spawnSync(join(peersBin, "pm2"), ["kill"], {
        stdio: "ignore",
        env: { ...process.env, PM2_HOME: join(j.dir, "pm2") },
      });
    },
  },
  {
    name: "supervisord",
    available: () => spawnSync("sh", ["-c", "command -v supervisord"]).status === 0,
    start: (j) => {
      const programs = j.ports
        .map(
          (port) =>
            `[program:s${port}]\ncommand=node ${j.server}\nenvironment=PORT="${port}",PIDS="${j.pids}"\nautorestart=false\nstartsecs=0\n`,
        )
        .join("\n");
      writeFileSync(
        join(j.dir, "supervisord.conf"),
        `[supervisord]\nnodaemon=true\nlogfile=${j.dir}/supervisord.log\npidfile=${j.dir}/supervisord.pid\n\n${programs}`,
      );
      return spawn("supervisord", ["-n", "-c", join(j.dir, "supervisord.conf")], {
        stdio: "ignore",
        cwd: j.dir,
      });
    },
    stop: (_j, child) => child?.kill("SIGTERM"),
  },
];

function berthManifest(j: Job): string {
  const processes = j.ports
    .map(
      (port) => `  s${port}: { run: "${env(j, port)} node ${j.server}", port: ${port}, ready: { http: / } }`,
    )
    .join("\n");
  return `name: bench\nprocesses:\n${processes}\n`;
}

function berth(j: Job, home: string, args: string[]): { ms: number; stdout: string } {
  return runBerth(j.dir, home, args);
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("VmRSS:"));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

/** The npm peers are installed beside the benchmark on first use (never into the project's dependencies). */
function installPeers(): void {
  const folder = join(import.meta.dirname, ".peers");
  if (["pm2", "concurrently", "nf", "mprocs"].every((name) => existsSync(join(peersBin, name)))) return;
  mkdirSync(folder, { recursive: true });
  if (!existsSync(join(folder, "package.json")))
    writeFileSync(join(folder, "package.json"), '{ "name": "peers", "private": true }\n');
  console.log("note: installing the peers (pm2, concurrently, foreman, mprocs) into bench/.peers");
  const result = spawnSync(
    "npm",
    ["install", "--no-audit", "--no-fund", "--loglevel=error", "pm2", "concurrently", "foreman", "mprocs"],
    { cwd: folder, stdio: "inherit" },
  );
  if (result.status !== 0)
    console.log("note: the peers could not be installed; they are left out of this run");
}

export async function benchRuntime(options: { quick: boolean }): Promise<Row[]> {
  installPeers();
  const runs = Number(process.env.BENCH_RUNS) || (options.quick ? 2 : 5);
  const rows: Row[] = [];
  // BENCH_PEERS=floor,mprocs, BENCH_SIZES=10 and BENCH_RUNS=11 narrow (or widen) a run while working on one figure.
  const wanted = process.env.BENCH_PEERS?.split(",");
  const sizes = process.env.BENCH_SIZES?.split(",").map(Number) ?? (options.quick ? [10] : [10, 50]);
  for (const n of sizes) {
    const times = new Map<string, number[]>();
    const stops = new Map<string, number[]>();
    const leftovers = new Map<string, number>();
    const failures = new Map<string, string>();
    const home = mkdtempSync(join(tmpdir(), "berth-bench-home-"));
    try {
      for (let run = 0; run < runs; run++) {
        for (const peer of peers.filter(
          (candidate) => (!wanted || wanted.includes(candidate.name)) && candidate.available(),
        )) {
          const j = job(n);
          await settle();
          const start = performance.now();
          const child = peer.start(j);
          try {
            times.set(peer.name, [...(times.get(peer.name) ?? []), await untilAllAnswer(j, start, 20_000)]);
          } catch (error) {
            failures.set(peer.name, `${(error as Error).message}`);
            peer.stop(j, child);
            await untilAllGone(serverPids(j), performance.now());
            child?.kill("SIGKILL");
            continue;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
          const pids = serverPids(j);
          const stopStart = performance.now();
          peer.stop(j, child);
          const gone = await untilAllGone(pids, stopStart);
          stops.set(peer.name, [...(stops.get(peer.name) ?? []), gone.ms]);
          leftovers.set(peer.name, (leftovers.get(peer.name) ?? 0) + gone.left);
          child?.kill("SIGKILL");
          rmSync(j.dir, { recursive: true, force: true });
        }
        // Berth, with its supervisor already running (started by a first, unmeasured up).
        const j = job(n);
        writeFileSync(join(j.dir, "berth.yaml"), berthManifest(j));
        if (run === 0) {
          berth(j, home, ["up", "-d"]);
          berth(j, home, ["down"]);
          // Its servers' pid files would read as ready before the measured up started any.
          rmSync(j.pids, { recursive: true });
          mkdirSync(j.pids);
        }
        // Measured as the peers are: from the command's start until every port answers.
        await settle();
        const start = performance.now();
        const up = spawn(process.execPath, [bin, "up", "-d"], {
          cwd: j.dir,
          env: { ...process.env, BERTH_HOME: home, BERTH_TRUST: "1" },
          stdio: "ignore",
        });
        const exited = new Promise<number | null>((resolve) => up.once("exit", resolve));
        times.set("berth", [...(times.get("berth") ?? []), await untilAllAnswer(j, start)]);
        if ((await exited) !== 0) throw new Error("berth up -d failed");
        if (n === 50 && run === runs - 1) {
          // Steady state: the supervisor gives garbage back once it has been quiet for a second.
          await new Promise((resolve) => setTimeout(resolve, 1500));
          const supervisorPid = Number(readFileSync(join(home, "supervisor.pid"), "utf8"));
          rows.push({
            benchmark: `supervisor RSS with ${n} processes`,
            berth: rssMiB(supervisorPid),
            unit: "MiB",
            target: "≤ 80 MiB",
          });
        }
        if (n === 10 && run === runs - 1) {
          const statusTimes = Array.from({ length: 10 }, () => berth(j, home, ["status"]).ms);
          const nodeStart = median(
            Array.from({ length: 5 }, () => {
              const s = performance.now();
              execFileSync(process.execPath, ["-e", "0"]);
              return performance.now() - s;
            }),
          );
          rows.push({
            benchmark: `berth status, ${n} processes`,
            berth: median(statusTimes),
            floor: nodeStart,
            unit: "ms",
            target: "≤ 100 ms",
          });
        }
        const pids = serverPids(j);
        const down = JSON.parse(berth(j, home, ["down", "--json"]).stdout) as { ms: number };
        const gone = await untilAllGone(pids, performance.now());
        stops.set("berth", [...(stops.get("berth") ?? []), down.ms]);
        leftovers.set("berth", (leftovers.get("berth") ?? 0) + gone.left);
        rmSync(j.dir, { recursive: true, force: true });
        // The supervisor collects its garbage once quiet for a second: not in the next runner's measurement.
        await new Promise((resolve) => setTimeout(resolve, 1200));
      }
    } finally {
      spawnSync(process.execPath, [bin, "down", "--all"], { env: { ...process.env, BERTH_HOME: home } });
      rmSync(home, { recursive: true, force: true });
    }
    if (process.env.BENCH_DEBUG)
      for (const [name, values] of times)
        console.log(name, values.map((value) => Math.round(value)).join(" "));
    for (const [name, failure] of failures)
      console.log(`note: ${name} failed a run with ${n} servers: ${failure}`);
    const figure = (name: string) => median(times.get(name) ?? [0]);
    const peerNames = ["mprocs", "foreman", "concurrently", "pm2", "supervisord"].filter((name) =>
      times.has(name),
    );
    rows.push({
      benchmark: `up -d → all ready, ${n} HTTP servers`,
      berth: figure("berth"),
      floor: figure("floor"),
      peers: Object.fromEntries(peerNames.map((name) => [name, figure(name)])),
      unit: "ms",
      target: "≤ 1.10× floor, ahead of peers",
    });
    const stopFigure = (name: string) => median(stops.get(name) ?? [0]);
    rows.push({
      benchmark: `stop all, ${n} servers (leftovers over ${runs} runs: ${["berth", ...peerNames].map((name) => `${name} ${leftovers.get(name) ?? 0}`).join(", ")})`,
      berth: stopFigure("berth"),
      floor: stopFigure("floor"),
      peers: Object.fromEntries(peerNames.map((name) => [name, stopFigure(name)])),
      unit: "ms",
      ...(n === 10 ? { target: "≤ 50 ms" } : {}),
    });
  }
  return rows;
}
