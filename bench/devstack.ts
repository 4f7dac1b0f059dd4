import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { closure, type Devstack, fixtures, importDevstack, STAND_INS, standIn } from "./devstack-drafts.js";
import { floorGraph } from "./devstack-floor.js";
import { bin, median, printTable, type Row, runBerth, timeFloor } from "./harness.js";
import { processTree, pssMiB, rssMiB } from "./process-memory.js";

/** Devstack's published needs: Docker given 8 GB of RAM; `make dev.up.lms` starts 10 containers. */
const DEVSTACK_RAM_MIB = 8 * 1024;
const DEVSTACK_LMS_CONTAINERS = 10;

/**
 * The legacy stack standing in for what Berth does not run (Elasticsearch, OpenSearch, MongoDB): one process
 * with a tiny TCP server on each published port, answering any bytes with an HTTP 200.
 */
async function startExternals(ports: number[]): Promise<ChildProcess> {
  const script = `const net = require("node:net");
for (const port of ${JSON.stringify(ports)})
  net.createServer((socket) => socket.on("data", () => socket.end("HTTP/1.1 200 OK\\r\\ncontent-length: 0\\r\\n\\r\\n")).on("error", () => {})).listen(port, "127.0.0.1");`;
  const child = spawn(process.execPath, ["-e", script], { stdio: "ignore" });
  for (const port of ports)
    while (!(await listens(port))) await new Promise((resolve) => setTimeout(resolve, 20));
  return child;
}

function listens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
}

/** What `berth status --json` says its process groups hold, plus the supervisor; and the PSS of the whole tree. */
async function berthMemory(
  cwd: string,
  home: string,
): Promise<{ rss: number; pss: number; supervisor: number }> {
  // Steady state: the supervisor gives garbage back once it has been quiet for a second.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const rows = JSON.parse(
    spawnSync(process.execPath, [bin, "status", "--json"], {
      cwd,
      env: { ...process.env, BERTH_HOME: home },
      encoding: "utf8",
    }).stdout,
  ) as { rss_bytes: number | null }[];
  const supervisorPid = Number(readFileSync(join(home, "supervisor.pid"), "utf8"));
  const supervisor = rssMiB([supervisorPid]);
  const groups = rows.reduce((sum, row) => sum + (row.rss_bytes ?? 0), 0) / 1024 / 1024;
  return { rss: groups + supervisor, pss: pssMiB(processTree(supervisorPid)), supervisor };
}

/**
 * Run as root, Berth keeps servers' data in /var/lib/berth, a folder per state folder (see
 * src/providers/places.ts); a run's is removed with its state folder, so that 10 runs do not leave 1 GB.
 */
function removeServersData(home: string): void {
  const data = join("/var/lib/berth", createHash("sha256").update(home).digest("hex").slice(0, 12));
  try {
    if (readFileSync(join(data, "state-folder"), "utf8").trim() !== home) return;
  } catch {
    return;
  }
  rmSync(data, { recursive: true, force: true });
}

async function settle(): Promise<void> {
  spawnSync("sync");
  await new Promise((resolve) => setTimeout(resolve, 300));
}

interface Figures {
  cold: number[];
  warm: number[];
  floor: number[];
  /** warm / floor of each pair measured back to back: the machine's drift between pairs cancels out. */
  ratios: number[];
  memory?: { rss: number; pss: number; supervisor: number };
  floorMemory?: { rss: number; pss: number };
}

/**
 * Cold `up -d` of one codebase's closure (`devstack`: everything) in a fresh state folder, then `pairs` times a
 * warm `up -d` (the supervisor running, everything down) and the floor right after it; the memory of both.
 */
async function measure(devstack: Devstack, codebase: string, runs: number, pairs: number): Promise<Figures> {
  const cwd = codebase === "devstack" ? devstack.root : join(devstack.root, "..", codebase);
  const codebases = codebase === "devstack" ? [...devstack.codebases.values()] : closure(devstack, codebase);
  const figures: Figures = { cold: [], warm: [], floor: [], ratios: [] };
  for (let run = 0; run < runs; run++) {
    const home = mkdtempSync(join(tmpdir(), "berth-bench-home-"));
    const berth = (...args: string[]) => runBerth(cwd, home, args).ms;
    try {
      await settle();
      figures.cold.push(berth("up", "-d"));
      if (run === 0) figures.memory = await berthMemory(cwd, home);
      berth("down");
      // The first start after the data was made is slower: not timed.
      berth("up", "-d");
      berth("down");
      for (let pair = 0; pair < pairs; pair++) {
        await settle();
        const warm = berth("up", "-d");
        // Down stops the servers (the floor starts them on the same data); the supervisor stays, idle: once
        // it has been quiet for a second it collects its garbage, which is waited for.
        berth("down");
        await settle();
        await new Promise((resolve) => setTimeout(resolve, 1200));
        const floor = await timeFloor(
          floorGraph(devstack, codebases, home),
          run === 0 && pair === 0
            ? async (pid) => {
                await new Promise((resolve) => setTimeout(resolve, 1500));
                const tree = processTree(pid);
                figures.floorMemory = { rss: rssMiB(tree), pss: pssMiB(tree) };
              }
            : undefined,
        );
        figures.warm.push(warm);
        figures.floor.push(floor);
        figures.ratios.push(warm / floor);
      }
    } finally {
      spawnSync(process.execPath, [bin, "down", "--all"], { env: { ...process.env, BERTH_HOME: home } });
      removeServersData(home);
      rmSync(home, { recursive: true, force: true });
    }
  }
  if (process.env.BENCH_DEBUG)
    for (const [name, values] of Object.entries({
      cold: figures.cold,
      warm: figures.warm,
      floor: figures.floor,
    }))
      console.log(`devstack ${codebase} ${name}: ${values.map((value) => Math.round(value)).join(" ")}`);
  if (process.env.BENCH_DEBUG)
    console.log(
      `devstack ${codebase} warm/floor: ${figures.ratios.map((ratio) => ratio.toFixed(2)).join(" ")}`,
    );
  return figures;
}

function describe(devstack: Devstack, codebase: string): string {
  const codebases = codebase === "devstack" ? [...devstack.codebases.values()] : closure(devstack, codebase);
  const processes = codebases.reduce((sum, each) => sum + each.processes.length, 0);
  const providers = new Set(codebases.flatMap((each) => each.providers)).size;
  const externals = new Set(codebases.flatMap((each) => each.externals)).size;
  return `${processes} processes, ${providers} servers, ${externals} externals`;
}

function rows(devstack: Devstack, label: string, codebase: string, figures: Figures): Row[] {
  const what = `devstack ${label} (${describe(devstack, codebase)})`;
  const everything = codebase === "devstack";
  const result: Row[] = [
    { benchmark: `${what}: cold up -d (fresh state folder)`, berth: median(figures.cold), unit: "ms" },
    {
      benchmark: `${what}: warm up -d (after down), ${figures.ratios.length} pairs back to back`,
      berth: median(figures.warm),
      floor: median(figures.floor),
      ratio: median(figures.ratios),
      unit: "ms",
      ...(everything ? { target: "≤ 1.10× floor" } : {}),
    },
  ];
  if (figures.memory)
    result.push(
      {
        benchmark: `${what}: memory, summed RSS (supervisor ${figures.memory.supervisor.toFixed(0)} MiB)`,
        berth: figures.memory.rss,
        ...(figures.floorMemory ? { floor: figures.floorMemory.rss } : {}),
        peers: { "devstack (Docker, published)": DEVSTACK_RAM_MIB },
        unit: "MiB",
        ...(everything ? { target: "< 1024 MiB" } : {}),
      },
      {
        benchmark: `${what}: memory, summed PSS (shared pages counted once)`,
        berth: figures.memory.pss,
        ...(figures.floorMemory ? { floor: figures.floorMemory.pss } : {}),
        unit: "MiB",
      },
    );
  return result;
}

/**
 * Open edX's devstack imported by `berth import` and run natively at its real size: every process the
 * same small HTTP server, the providers real, the externals stubbed by a stand-in legacy stack.
 */
export async function benchDevstack(options: { quick: boolean }): Promise<Row[]> {
  if (!existsSync(fixtures)) {
    console.log(`note: the devstack benchmark needs Open edX's devstack Compose files at ${fixtures}`);
    return [];
  }
  const program = STAND_INS[standIn()].program;
  const missing = ["mariadbd", "mariadb", "redis-server", "memcached", program].filter(
    (name) => spawnSync("sh", ["-c", `command -v ${name}`]).status !== 0,
  );
  if (missing.length > 0) {
    console.log(
      `note: the devstack benchmark needs ${missing.join(", ")} (Debian: mariadb-server, redis-server, memcached, python3)`,
    );
    return [];
  }
  const runs = Number(process.env.BENCH_RUNS) || (options.quick ? 1 : 3);
  const pairs = Number(process.env.BENCH_PAIRS) || (options.quick ? 1 : 5);
  const dir = mkdtempSync(join(tmpdir(), "berth-bench-devstack-"));
  let externals: ChildProcess | undefined;
  try {
    const devstack = importDevstack(dir);
    console.log(`devstack: ${devstack.report.split("\n").slice(0, 2).join("\n  ").trim()}`);
    for (const change of devstack.changes) console.log(`devstack: changed to run here: ${change}`);
    console.log(
      `devstack: every process runs the same ${devstack.server.kind} HTTP server (BENCH_STANDIN=python|node)`,
    );
    const held = (
      await Promise.all(devstack.externals.map(async (port) => ((await listens(port)) ? [port] : [])))
    ).flat();
    if (held.length > 0)
      throw new Error(`ports of the devstack's externals already held: ${held.join(", ")}`);
    externals = await startExternals(devstack.externals);
    console.log(
      `devstack: reference: devstack asks Docker for ${DEVSTACK_RAM_MIB / 1024} GB of RAM; \`make dev.up.lms\` starts ${DEVSTACK_LMS_CONTAINERS} containers; natively lms's closure is ${describe(devstack, "edx-platform")}`,
    );
    console.log(
      `devstack: load average before: ${loadavg()
        .map((load) => load.toFixed(2))
        .join(" ")}`,
    );
    const result: Row[] = [
      {
        benchmark: "devstack: berth import of docker-compose.yml + -host + -themes (40 services → 23 drafts)",
        berth: devstack.importMs,
        unit: "ms",
      },
      ...rows(
        devstack,
        "lms's closure",
        "edx-platform",
        await measure(devstack, "edx-platform", runs, pairs),
      ),
      ...rows(devstack, "everything", "devstack", await measure(devstack, "devstack", runs, pairs)),
    ];
    console.log(
      `devstack: load average after: ${loadavg()
        .map((load) => load.toFixed(2))
        .join(" ")}`,
    );
    return result;
  } finally {
    externals?.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  const quick = process.argv.includes("--quick");
  console.log(
    `berth devstack benchmark${quick ? " (quick)" : ""}: node ${process.version}, ${new Date().toISOString()}`,
  );
  printTable(await benchDevstack({ quick }));
}
