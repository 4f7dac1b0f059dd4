import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

/** The CLI as a user runs it. */
export const bin = join(import.meta.dirname, "..", "bin", "berth.js");

/** Runs `berth` once in `cwd`, its state in `home`, every manifest trusted; it must succeed. */
export function runBerth(cwd: string, home: string, args: string[]): { ms: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, BERTH_HOME: home, BERTH_TRUST: "1" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`berth ${args.join(" ")} failed: ${result.stderr}`);
  return { ms: performance.now() - start, stdout: result.stdout };
}

/** One row of the results table: Berth's figure, the floor's, and peers' where there are peers. */
export interface Row {
  benchmark: string;
  berth: number;
  floor?: number;
  /** Berth against the floor where not berth / floor: the median of pairs measured back to back. */
  ratio?: number;
  peers?: Record<string, number>;
  unit: "ms" | "MiB" | "%" | "count";
  target?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** The arguments PostgreSQL is started with, as Berth's provider starts it for development. */
export function postgresArgs(dataDir: string, port: number): string[] {
  const settings = [
    "listen_addresses=127.0.0.1",
    "unix_socket_directories=",
    "fsync=off",
    "full_page_writes=off",
    "shared_buffers=16MB",
    "jit=off",
    "autovacuum=off",
  ];
  return ["-D", dataDir, "-p", String(port), ...settings.flatMap((setting) => ["-c", setting])];
}

/** One stage of a floor: commands run one after the other, then processes started, then probes awaited. */
export interface FloorStage {
  run?: { command: string; args?: string[]; cwd?: string; env?: Record<string, string> }[];
  start?: {
    command: string;
    args?: string[];
    cwd?: string;
    env?: Record<string, string | undefined>;
    uid?: number;
    gid?: number;
  }[];
  wait?: (
    | { http: { port: number; path: string } }
    | { redis: number; auth?: [user: string, password: string] }
    | { postgres: string }
    | { tcp: number }
    | { exec: { command: string; args?: string[] } }
    | { log: { process: number; pattern: string } }
  )[];
}

/** A floor as a dependency graph: each node's stage starts once the nodes it comes after are ready. */
export interface FloorGraph {
  graph: Record<string, FloorStage & { after?: string[] }>;
}

/**
 * Runs `bench/floor.mjs` (a bare Node script doing the same work) as its own process, as `berth` is run:
 * the time from spawning it until it says "ready"; then (after `whileReady`, given the script's pid) stops it
 * and what it started.
 */
export async function timeFloor(
  stages: FloorStage[] | FloorGraph,
  whileReady?: (pid: number) => Promise<void>,
): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, [join(import.meta.dirname, "floor.mjs"), JSON.stringify(stages)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const elapsed = await new Promise<number>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve(performance.now() - start);
    });
    child.once("exit", (code) => reject(new Error(`the floor script exited (${code}) before it was ready`)));
  });
  child.removeAllListeners("exit");
  if (whileReady && child.pid !== undefined) await whileReady(child.pid);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
  return elapsed;
}

/** Median wall time of `runs` calls, after one warm-up call. */
export async function timeMs(runs: number, action: () => unknown): Promise<number> {
  await action();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await action();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** Median wall time of a command, run `runs` times; it must succeed. */
export async function timeCommand(
  runs: number,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  return timeMs(runs, () => {
    const result = spawnSync(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: "pipe",
    });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  });
}

export function printTable(rows: Row[]): void {
  const header = ["benchmark", "berth", "floor", "berth/floor", "peers (ratio to floor)", "target"];
  const lines = rows.map((row) => {
    const ratio =
      row.ratio !== undefined
        ? `${row.ratio.toFixed(2)}× (paired)`
        : row.floor
          ? `${(row.berth / row.floor).toFixed(2)}×`
          : "";
    const peers = Object.entries(row.peers ?? {})
      .map(
        ([name, value]) =>
          `${name} ${format(value, row.unit)}${row.floor ? ` (${(value / row.floor).toFixed(2)}×)` : ""}`,
      )
      .join(", ");
    return [
      row.benchmark,
      format(row.berth, row.unit),
      row.floor ? format(row.floor, row.unit) : "",
      ratio,
      peers,
      row.target ?? "",
    ];
  });
  const widths = header.map((cell, index) =>
    Math.max(cell.length, ...lines.map((line) => line[index]?.length ?? 0)),
  );
  const render = (cells: string[]) =>
    `| ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(" | ")} |`;
  console.log(render(header));
  console.log(render(widths.map((width) => "-".repeat(width))));
  for (const line of lines) console.log(render(line));
}

function format(value: number, unit: Row["unit"]): string {
  if (unit === "ms") return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
  if (unit === "%") return `${value.toFixed(2)} %`;
  if (unit === "count") return String(Math.round(value));
  return `${value.toFixed(1)} MiB`;
}
